package dev.fovea.protocol.message;

import java.util.Arrays;

/**
 * The node asks a provider to run a procedure.
 *
 * @param invocationId chosen by the node; the provider's RESULT carries it back
 * @param expectsResult false for a CAST: the provider sends no RESULT
 */
public record Invoke(long invocationId, String procedure, byte[] payload, boolean expectsResult)
    implements Message {
  public Invoke {
    Payloads.requireText(procedure, "procedure");
    payload = Payloads.orEmpty(payload);
  }

  @Override
  public FrameType type() {
    return FrameType.INVOKE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Invoke i
        && invocationId == i.invocationId
        && expectsResult == i.expectsResult
        && procedure.equals(i.procedure)
        && Arrays.equals(payload, i.payload);
  }

  @Override
  public int hashCode() {
    return (31 * Long.hashCode(invocationId) + procedure.hashCode()) * 31 + Payloads.hash(payload);
  }

  @Override
  public String toString() {
    return "Invoke[invocationId="
        + invocationId
        + ", procedure="
        + procedure
        + ", payload="
        + Payloads.describe(payload)
        + ", expectsResult="
        + expectsResult
        + "]";
  }
}
