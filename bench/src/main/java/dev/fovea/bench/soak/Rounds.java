package dev.fovea.bench.soak;

import dev.fovea.client.CallException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** What the rounds share: the size of their traffic and their bounded waits. */
final class Rounds {
  /** Messages each round publishes to its own subscription. */
  static final int PUBLISHES = 20;

  static final byte[] PAYLOAD = new byte[256];

  /** The bound of every wait for the node; far above what a loaded machine needs. */
  static final Duration WAIT = Duration.ofSeconds(15);

  /** How long a provider has to answer one call. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  /** The pause before a call that found no provider is made again. */
  private static final long RETRY_PAUSE_MILLIS = 20;

  private Rounds() {}

  static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          what + ": " + latch.getCount() + " still missing after " + WAIT.toSeconds() + " s");
    }
  }

  static <T> T await(CompletableFuture<T> future, String what) throws Exception {
    try {
      return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + ": no answer within " + WAIT.toSeconds() + " s", e);
    }
  }

  /**
   * Calls a procedure the round has just advertised until it answers with {@code expected}. Its
   * registration reaches the registry after the ADVERTISE, so the first call may still find no
   * provider; anything else is a failure.
   */
  static void callUntilAnswered(
      Supplier<CompletableFuture<byte[]>> call, String procedure, String expected)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        String answer =
            new String(await(call.get(), "a call to " + procedure), StandardCharsets.UTF_8);
        if (!answer.equals(expected)) {
          throw new IllegalStateException(procedure + " answered '" + answer + "'");
        }
        return;
      } catch (CallException e) {
        if (!"no_providers".equals(e.code()) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(RETRY_PAUSE_MILLIS);
      }
    }
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
