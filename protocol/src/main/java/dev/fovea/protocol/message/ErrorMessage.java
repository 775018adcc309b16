package dev.fovea.protocol.message;

import dev.fovea.protocol.ErrorCode;

/**
 * An ERROR frame: a stable code and a reason for a person. A node closes the connection after
 * sending one.
 *
 * @param code the wire form of an {@link ErrorCode}; kept as text so that a client built against an
 *     older code list still reads a newer node's errors
 */
public record ErrorMessage(String code, String reason) implements Message {
  public ErrorMessage {
    Payloads.requireText(code, "code");
    Payloads.requireText(reason, "reason");
  }

  public ErrorMessage(ErrorCode code, String reason) {
    this(code.code(), reason);
  }

  /** The known code, or {@code null} when this node speaks a newer code list. */
  public ErrorCode errorCode() {
    return ErrorCode.fromCode(code);
  }

  @Override
  public FrameType type() {
    return FrameType.ERROR;
  }
}
