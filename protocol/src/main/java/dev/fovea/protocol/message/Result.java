package dev.fovea.protocol.message;

import dev.fovea.protocol.ErrorCode;
import java.util.Arrays;
import java.util.Objects;

/** A provider's answer to an INVOKE: its result, or the error its handler raised. */
public record Result(long invocationId, byte[] payload, String errorCode, String errorReason)
    implements Message, Outcome {
  public Result {
    payload = Payloads.orEmpty(payload);
    if (errorCode != null && errorReason == null) {
      errorReason = "";
    }
  }

  public static Result ok(long invocationId, byte[] payload) {
    return new Result(invocationId, payload, null, null);
  }

  public static Result error(long invocationId, ErrorCode code, String reason) {
    return new Result(invocationId, null, code.code(), reason);
  }

  public static Result error(long invocationId, String code, String reason) {
    return new Result(invocationId, null, code, reason);
  }

  @Override
  public FrameType type() {
    return FrameType.RESULT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Result r
        && invocationId == r.invocationId
        && Objects.equals(errorCode, r.errorCode)
        && Objects.equals(errorReason, r.errorReason)
        && Arrays.equals(payload, r.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(invocationId, errorCode, errorReason) * 31 + Payloads.hash(payload);
  }

  @Override
  public String toString() {
    return isError()
        ? "Result[invocationId=" + invocationId + ", error=" + errorCode + ": " + errorReason + "]"
        : "Result[invocationId=" + invocationId + ", payload=" + Payloads.describe(payload) + "]";
  }
}
