package dev.fovea.node.pubsub;

import org.apache.pekko.util.ByteString;

/** One publish on its way to subscribers: its topic, and its PUBLISH frame, encoded once. */
public record Publication(String topic, ByteString frame) {}
