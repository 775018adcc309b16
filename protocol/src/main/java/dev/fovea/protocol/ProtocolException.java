package dev.fovea.protocol;

/**
 * A refusal of bad input: a frame that cannot be decoded, a field of the wrong shape, a topic that
 * is not a valid name. It carries the {@link ErrorCode} that the ERROR frame will name and a reason
 * a person can act on. It is the only exception the codec throws.
 */
public final class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public ProtocolException(ErrorCode code, String reason) {
    super(reason, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public String reason() {
    return getMessage();
  }

  @Override
  public String toString() {
    return code.code() + ": " + getMessage();
  }
}
