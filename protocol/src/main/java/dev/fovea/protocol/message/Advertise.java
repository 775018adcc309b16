package dev.fovea.protocol.message;

/**
 * Registers the session as a provider of a procedure. The registration lapses after the TTL unless
 * re-asserted; the node re-asserts it for as long as the session stays connected.
 *
 * @param ttlMs zero takes the node's default
 */
public record Advertise(String procedure, long ttlMs) implements Message {
  public Advertise {
    Payloads.requireText(procedure, "procedure");
    if (ttlMs < 0) {
      throw new IllegalArgumentException("ttlMs must not be negative, was " + ttlMs);
    }
  }

  @Override
  public FrameType type() {
    return FrameType.ADVERTISE;
  }
}
