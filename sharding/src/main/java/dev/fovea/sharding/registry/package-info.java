/** The service registry: one sharded entity per procedure, holding its providers. */
package dev.fovea.sharding.registry;
