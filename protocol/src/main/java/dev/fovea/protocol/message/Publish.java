package dev.fovea.protocol.message;

import java.util.Arrays;

/**
 * A message on a topic: from a client to its node, and from the node to each subscribed session.
 *
 * @param ackId non-zero when the publisher asks for a PUBACK carrying this id; always zero on
 *     delivery to subscribers
 */
public record Publish(String topic, byte[] payload, long ackId) implements Message {
  public Publish {
    Payloads.requireText(topic, "topic");
    payload = Payloads.orEmpty(payload);
  }

  public Publish(String topic, byte[] payload) {
    this(topic, payload, 0);
  }

  public boolean wantsAck() {
    return ackId != 0;
  }

  @Override
  public FrameType type() {
    return FrameType.PUBLISH;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Publish p
        && ackId == p.ackId
        && topic.equals(p.topic)
        && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * topic.hashCode() + Payloads.hash(payload)) + Long.hashCode(ackId);
  }

  @Override
  public String toString() {
    return "Publish[topic="
        + topic
        + ", payload="
        + Payloads.describe(payload)
        + ", ackId="
        + ackId
        + "]";
  }
}
