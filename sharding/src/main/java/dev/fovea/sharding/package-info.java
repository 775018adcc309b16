/** The cluster-wide actor families: registry entities, interest table, reaper, serialization. */
package dev.fovea.sharding;
