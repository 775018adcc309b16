package dev.fovea.client;

/**
 * Receives the messages of one subscription, one at a time and in the order the node delivered
 * them. It runs on the client's handler executor. An exception it throws is logged and the next
 * message is still delivered.
 */
@FunctionalInterface
public interface MessageHandler {
  void onMessage(Delivery delivery) throws Exception;
}
