package dev.fovea.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * The stable error codes carried by ERROR frames and error replies. The wire form is the lower-case
 * {@link #code()}; clients match on it, so a code is never renamed once released.
 */
public enum ErrorCode {
  // Framing and decoding: the connection is closed after the ERROR frame.
  UNSUPPORTED_VERSION("unsupported_version"),
  UNKNOWN_TYPE("unknown_type"),
  FRAME_TOO_LARGE("frame_too_large"),
  MALFORMED_BODY("malformed_body"),
  MISSING_FIELD("missing_field"),
  INVALID_FIELD("invalid_field"),
  INVALID_TOPIC("invalid_topic"),
  INVALID_PATTERN("invalid_pattern"),
  INVALID_PROCEDURE("invalid_procedure"),
  UNEXPECTED_FRAME("unexpected_frame"),

  // Session admission and lifetime.
  NOT_CONNECTED("not_connected"),
  ALREADY_CONNECTED("already_connected"),
  REALM_MISMATCH("realm_mismatch"),
  UNAUTHORIZED("unauthorized"),
  MAX_CLIENTS("max_clients"),
  TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions"),
  TOO_MANY_ADVERTISEMENTS("too_many_advertisements"),
  TOO_MANY_PENDING_CALLS("too_many_pending_calls"),
  SLOW_CONSUMER("slow_consumer"),
  IDLE_TIMEOUT("idle_timeout"),
  OVERLOADED("overloaded"),
  SHUTTING_DOWN("shutting_down"),
  INTERNAL("internal"),

  // RPC outcomes, carried in REPLY and RESULT frames rather than ERROR frames.
  NO_PROVIDERS("no_providers"),
  TIMEOUT("timeout"),
  ALL_PROVIDERS_FAILED("all_providers_failed"),
  HANDLER_ERROR("handler_error");

  private static final Map<String, ErrorCode> BY_CODE = new HashMap<>();

  static {
    for (ErrorCode c : values()) {
      BY_CODE.put(c.code, c);
    }
  }

  private final String code;

  ErrorCode(String code) {
    this.code = code;
  }

  /** The code as written on the wire. */
  public String code() {
    return code;
  }

  /** The error code with this wire form, or {@code null} when it is not one Fovea knows. */
  public static ErrorCode fromCode(String code) {
    return BY_CODE.get(code);
  }
}
