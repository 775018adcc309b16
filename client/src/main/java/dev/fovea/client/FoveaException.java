package dev.fovea.client;

import dev.fovea.protocol.ErrorCode;

/**
 * A failure of the client or a refusal by the node. It carries a stable code: the wire form of an
 * {@link ErrorCode} when the node sent one (for example {@code realm_mismatch}), or one of the
 * client's own codes below when the failure is local.
 */
public class FoveaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The TCP connection could not be opened, or the node closed it before answering CONNECT. */
  public static final String CONNECT_FAILED = "connect_failed";

  /** The connection broke, or the node said goodbye, while the client was in use. */
  public static final String CONNECTION_LOST = "connection_lost";

  /** The client was closed by its owner. */
  public static final String CLIENT_CLOSED = "client_closed";

  /** The thread waiting for the node was interrupted. */
  public static final String INTERRUPTED = "interrupted";

  /** Nothing came back in time; the same code the node uses for a call that timed out. */
  public static final String TIMEOUT = ErrorCode.TIMEOUT.code();

  private final String code;
  private final String reason;

  public FoveaException(String code, String reason) {
    this(code, reason, null);
  }

  public FoveaException(String code, String reason, Throwable cause) {
    super(code + ": " + reason, cause);
    this.code = code;
    this.reason = reason;
  }

  /** The wire form of the error code, or one of the client's own codes. */
  public String code() {
    return code;
  }

  /** The code as a known {@link ErrorCode}, or {@code null} for a client code or a newer one. */
  public ErrorCode errorCode() {
    return ErrorCode.fromCode(code);
  }

  /** Why, in words a person can act on. */
  public String reason() {
    return reason;
  }
}
