package dev.fovea.protocol.message;

/** Adds a topic pattern ({@code *} and {@code **} allowed) to the session's subscriptions. */
public record Subscribe(String pattern) implements Message {
  public Subscribe {
    Payloads.requireText(pattern, "pattern");
  }

  @Override
  public FrameType type() {
    return FrameType.SUBSCRIBE;
  }
}
