package dev.fovea.protocol.message;

/** Withdraws the session as a provider of a procedure, at once. */
public record Unadvertise(String procedure) implements Message {
  public Unadvertise {
    Payloads.requireText(procedure, "procedure");
  }

  @Override
  public FrameType type() {
    return FrameType.UNADVERTISE;
  }
}
