package dev.fovea.node.gateway;

import java.util.Locale;

/** What the node does when a client reads slower than messages arrive for it. */
public enum SlowConsumerPolicy {
  /** Keep the newest frames: drop the oldest queued ones, and count them. */
  DROP_OLDEST,
  /** Close the connection with {@code slow_consumer}. */
  DISCONNECT;

  public static SlowConsumerPolicy parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown slow-consumer policy '" + name + "'; use drop-oldest or disconnect", e);
    }
  }
}
