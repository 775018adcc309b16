package dev.fovea.protocol.message;

/** A liveness probe; the other side answers PONG. Either side may send it. */
public enum Ping implements Message {
  INSTANCE;

  @Override
  public FrameType type() {
    return FrameType.PING;
  }
}
