package dev.fovea.sharding;

/**
 * Marks a message that may cross from one node to another. Every such message is bound to the
 * cluster serializer; nothing falls back to Java serialization.
 */
public interface ClusterMessage {}
