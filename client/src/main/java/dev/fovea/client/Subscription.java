package dev.fovea.client;

/** A local subscription to a topic pattern; closing it unsubscribes. */
public interface Subscription extends AutoCloseable {
  /** The pattern subscribed to. */
  String pattern();

  /** Whether messages are still delivered to its handler. */
  boolean isActive();

  /**
   * How many messages were dropped because the handler fell too far behind (see {@link
   * FoveaClient.Builder#maxPendingDeliveries}).
   */
  long dropped();

  /**
   * Stops deliveries to this subscription; messages already queued for it are discarded. The node
   * is told only when no other subscription of this client uses the same pattern. Idempotent.
   */
  void unsubscribe();

  @Override
  default void close() {
    unsubscribe();
  }
}
