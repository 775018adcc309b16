package dev.fovea.protocol.message;

import java.util.Arrays;

/**
 * A request to a named procedure; the node answers with a REPLY carrying the same call id.
 *
 * @param callId chosen by the client, unique among its calls in flight
 * @param timeoutMs how long one provider has to answer; zero takes the node's default
 */
public record Call(long callId, String procedure, byte[] payload, long timeoutMs)
    implements Message {
  public Call {
    Payloads.requireText(procedure, "procedure");
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must not be negative, was " + timeoutMs);
    }
    payload = Payloads.orEmpty(payload);
  }

  @Override
  public FrameType type() {
    return FrameType.CALL;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Call c
        && callId == c.callId
        && timeoutMs == c.timeoutMs
        && procedure.equals(c.procedure)
        && Arrays.equals(payload, c.payload);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(callId) + procedure.hashCode()) + Payloads.hash(payload);
  }

  @Override
  public String toString() {
    return "Call[callId="
        + callId
        + ", procedure="
        + procedure
        + ", payload="
        + Payloads.describe(payload)
        + ", timeoutMs="
        + timeoutMs
        + "]";
  }
}
