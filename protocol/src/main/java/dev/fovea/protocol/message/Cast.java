package dev.fovea.protocol.message;

import java.util.Arrays;

/** A one-way invocation of a procedure: one provider runs it and nothing is answered. */
public record Cast(String procedure, byte[] payload) implements Message {
  public Cast {
    Payloads.requireText(procedure, "procedure");
    payload = Payloads.orEmpty(payload);
  }

  @Override
  public FrameType type() {
    return FrameType.CAST;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cast c
        && procedure.equals(c.procedure)
        && Arrays.equals(payload, c.payload);
  }

  @Override
  public int hashCode() {
    return 31 * procedure.hashCode() + Payloads.hash(payload);
  }

  @Override
  public String toString() {
    return "Cast[procedure=" + procedure + ", payload=" + Payloads.describe(payload) + "]";
  }
}
