package dev.fovea.protocol.topic;

/**
 * The size bounds on a topic, pattern or procedure name. They bound the work of validating and
 * matching a name, so every name a client sends is checked against them.
 *
 * @param maxLength the most characters a name may have
 * @param maxDepth the most dot-separated segments a name may have
 */
public record TopicLimits(int maxLength, int maxDepth) {

  /** 256 characters and 32 segments. */
  public static final TopicLimits DEFAULT = new TopicLimits(256, 32);

  public TopicLimits {
    if (maxLength <= 0) {
      throw new IllegalArgumentException("max length must be positive, was " + maxLength);
    }
    if (maxDepth <= 0) {
      throw new IllegalArgumentException("max depth must be positive, was " + maxDepth);
    }
  }
}
