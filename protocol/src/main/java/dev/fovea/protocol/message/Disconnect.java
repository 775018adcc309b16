package dev.fovea.protocol.message;

/**
 * A polite goodbye from either side; the sender closes the connection after it.
 *
 * @param reason {@code null} when none is given
 */
public record Disconnect(String reason) implements Message {
  @Override
  public FrameType type() {
    return FrameType.DISCONNECT;
  }
}
