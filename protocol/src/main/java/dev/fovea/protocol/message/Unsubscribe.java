package dev.fovea.protocol.message;

/** Removes a pattern that the session subscribed. */
public record Unsubscribe(String pattern) implements Message {
  public Unsubscribe {
    Payloads.requireText(pattern, "pattern");
  }

  @Override
  public FrameType type() {
    return FrameType.UNSUBSCRIBE;
  }
}
