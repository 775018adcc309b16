/** The reaper: a cluster singleton that removes what departed nodes left behind. */
package dev.fovea.sharding.reaper;
