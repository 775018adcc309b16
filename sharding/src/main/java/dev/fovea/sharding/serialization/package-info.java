/** Serialization of the messages that cross between nodes: Kryo, registration required. */
package dev.fovea.sharding.serialization;
