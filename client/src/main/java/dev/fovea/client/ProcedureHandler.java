package dev.fovea.client;

/**
 * Runs a procedure this client provides. Invocations run concurrently on the client's handler
 * executor. An exception becomes an error result with code {@code handler_error} and the
 * exception's message as reason.
 */
@FunctionalInterface
public interface ProcedureHandler {
  /**
   * Returns the result payload; {@code null} is sent as an empty payload.
   *
   * @throws Exception to answer the caller with {@code handler_error}
   */
  byte[] handle(Invocation invocation) throws Exception;
}
