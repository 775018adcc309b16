package dev.fovea.client;

/**
 * A call that got an error reply, or none in time. The {@link #code()} is the node's, for example
 * {@code no_providers}, {@code timeout}, {@code all_providers_failed} or {@code handler_error} (the
 * provider's handler threw; the reason is its message).
 */
public final class CallException extends FoveaException {
  private static final long serialVersionUID = 1L;

  private final String procedure;

  public CallException(String procedure, String code, String reason) {
    super(code, reason);
    this.procedure = procedure;
  }

  /** The procedure that was called. */
  public String procedure() {
    return procedure;
  }
}
