package dev.fovea.bench.load.target;

/** Receives the payload of every message a client's subscriptions deliver. */
@FunctionalInterface
public interface Inbox {
  void accept(byte[] payload);
}
