package dev.fovea.protocol.message;

import dev.fovea.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Objects;

/** The node's answer to a CALL: the provider's result, or why there is none. */
public record Reply(long callId, byte[] payload, String errorCode, String errorReason)
    implements Message, Outcome {
  public Reply {
    payload = Payloads.orEmpty(payload);
    if (errorCode != null && errorReason == null) {
      errorReason = "";
    }
  }

  public static Reply ok(long callId, byte[] payload) {
    return new Reply(callId, payload, null, null);
  }

  public static Reply error(long callId, ErrorCode code, String reason) {
    return new Reply(callId, null, code.code(), reason);
  }

  public static Reply error(long callId, String code, String reason) {
    return new Reply(callId, null, code, reason);
  }

  @Override
  public FrameType type() {
    return FrameType.REPLY;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reply r
        && callId == r.callId
        && Objects.equals(errorCode, r.errorCode)
        && Objects.equals(errorReason, r.errorReason)
        && Arrays.equals(payload, r.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(callId, errorCode, errorReason) * 31 + Payloads.hash(payload);
  }

  @Override
  public String toString() {
    return isError()
        ? "Reply[callId=" + callId + ", error=" + errorCode + ": " + errorReason + "]"
        : "Reply[callId=" + callId + ", payload=" + Payloads.describe(payload) + "]";
  }
}
