package dev.fovea.protocol.codec;

import dev.fovea.protocol.topic.TopicLimits;

/**
 * What a decoder accepts: the largest frame body, and the length and depth of topic names, patterns
 * and procedure names, which are validated as frames are decoded.
 */
public record FrameLimits(int maxBodyBytes, TopicLimits topics) {
  /** One MiB of body, and the default topic limits. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** The largest limit a decoder accepts: 256 MiB, far from where buffer sizes overflow. */
  public static final int MAX_BODY_BYTES_CEILING = 256 << 20;

  public static final FrameLimits DEFAULT =
      new FrameLimits(DEFAULT_MAX_BODY_BYTES, TopicLimits.DEFAULT);

  public FrameLimits {
    if (maxBodyBytes <= 0 || maxBodyBytes > MAX_BODY_BYTES_CEILING) {
      throw new IllegalArgumentException(
          "maxBodyBytes must be between 1 and " + MAX_BODY_BYTES_CEILING + ", was " + maxBodyBytes);
    }
    if (topics == null) {
      throw new IllegalArgumentException("topics must not be null");
    }
  }
}
