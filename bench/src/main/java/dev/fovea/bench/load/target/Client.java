package dev.fovea.bench.load.target;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * One connection to a system, through that system's own Java client. Topics and patterns are
 * already in the system's spelling (see {@link Syntax}). One thread publishes on a client at a
 * time.
 */
public interface Client extends AutoCloseable {
  /** Publishes at most once, without waiting for any acknowledgement. */
  void publish(String topic, byte[] payload) throws Exception;

  /**
   * Subscribes to the patterns and hands every delivered message to the inbox. A client subscribes
   * once: MQTT clients deliver through a single callback, so one inbox serves all its patterns.
   */
  void subscribe(List<String> patterns, Inbox inbox) throws Exception;

  /** Waits until the server has applied everything this client sent so far. */
  void flush(Duration timeout) throws Exception;

  /** Provides a procedure that answers each call with the handler's result. */
  void serve(String procedure, UnaryOperator<byte[]> handler) throws Exception;

  /** Calls a procedure; completes with the answer, or fails after the timeout. */
  CompletableFuture<byte[]> call(String procedure, byte[] payload, Duration timeout);

  /** Messages the client library itself discarded, for instance behind a slow handler. */
  long dropped();

  @Override
  void close();
}
