package dev.fovea.protocol.message;

/** What REPLY and RESULT share: either a payload, or an error code with its reason. */
public interface Outcome {
  /** The result on success; empty on error. */
  byte[] payload();

  /** The error's wire code, or {@code null} on success. */
  String errorCode();

  /** The error's reason, or {@code null} on success. */
  String errorReason();

  default boolean isError() {
    return errorCode() != null;
  }
}
