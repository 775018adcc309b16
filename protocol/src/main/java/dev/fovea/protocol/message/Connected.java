package dev.fovea.protocol.message;

import java.util.Map;

/**
 * The node's answer to an admitted CONNECT.
 *
 * @param limits the limits in force for this session, by name (see {@link Limit})
 */
public record Connected(String sessionId, String nodeId, Map<String, Long> limits)
    implements Message {
  public Connected {
    Payloads.requireText(sessionId, "sessionId");
    Payloads.requireText(nodeId, "nodeId");
    limits = Map.copyOf(limits);
  }

  @Override
  public FrameType type() {
    return FrameType.CONNECTED;
  }

  /** The value of a limit, or {@code fallback} when the node did not state it. */
  public long limit(String name, long fallback) {
    return limits.getOrDefault(name, fallback);
  }

  /** The names of the limits a node states in CONNECTED. */
  public static final class Limit {
    public static final String MAX_FRAME_BYTES = "max_frame_bytes";
    public static final String MAX_TOPIC_LENGTH = "max_topic_length";
    public static final String MAX_TOPIC_DEPTH = "max_topic_depth";
    public static final String MAX_SUBSCRIPTIONS = "max_subscriptions";
    public static final String MAX_ADVERTISEMENTS = "max_advertisements";
    public static final String MAX_PENDING_CALLS = "max_pending_calls";
    public static final String IDLE_TIMEOUT_MS = "idle_timeout_ms";
    public static final String DEFAULT_CALL_TIMEOUT_MS = "default_call_timeout_ms";
    public static final String DEFAULT_TTL_MS = "default_ttl_ms";

    private Limit() {}
  }
}
