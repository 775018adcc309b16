package dev.fovea.node.pubsub;

import java.util.Locale;

/** What happens to publishes for a topic shard that is over its high-water mark. */
public enum ShedPolicy {
  /**
   * Nothing is dropped: the publishing session stops reading its client until the shard is back
   * under the mark, so TCP slows the publisher down. The default.
   */
  BACKPRESSURE,
  /** The publishing session drops new publishes for the shard, and counts them. */
  DROP_NEWEST,
  /** The shard drops the publishes it takes from its mailbox while over the mark, and counts. */
  DROP_OLDEST;

  public static ShedPolicy parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown topic shed policy '" + name + "'; use backpressure, drop-newest or drop-oldest",
          e);
    }
  }
}
