package dev.fovea.client;

/** This client's registration as a provider of a procedure; closing it withdraws it. */
public interface Advertisement extends AutoCloseable {
  /** The procedure provided. */
  String procedure();

  /** Whether invocations are still accepted. */
  boolean isActive();

  /**
   * Withdraws the registration at the node. Invocations already running finish and answer.
   * Idempotent.
   */
  void unadvertise();

  @Override
  default void close() {
    unadvertise();
  }
}
