package dev.fovea.protocol.message;

/** The node's receipt for a PUBLISH that asked for one: it was accepted for delivery. */
public record PubAck(long ackId) implements Message {
  @Override
  public FrameType type() {
    return FrameType.PUBACK;
  }
}
