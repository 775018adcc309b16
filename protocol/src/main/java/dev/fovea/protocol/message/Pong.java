package dev.fovea.protocol.message;

/** The answer to PING. */
public enum Pong implements Message {
  INSTANCE;

  @Override
  public FrameType type() {
    return FrameType.PONG;
  }
}
