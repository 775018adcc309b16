package dev.fovea.it;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.FoveaException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Calls procedures one after the other, on a few threads at once, until stopped, and keeps the
 * outcome of every call: traffic that a test breaks a node under.
 */
final class CallLoop {
  /** The error of a call whose future the client never completed. */
  static final String INCOMPLETE = "incomplete";

  /**
   * The pause between two calls of one thread. Calls flat out would take the two cores that the
   * nodes' failure detectors need to keep their heartbeats on time.
   */
  private static final Duration PACE = Duration.ofMillis(10);

  /** The most calls {@link #describe} lists; it counts the rest. */
  private static final int DESCRIBED = 30;

  /**
   * One call, with when it was made and answered ({@link System#nanoTime()}).
   *
   * @param answer the reply's text, or {@code null} when the call failed
   * @param error the error's code, or {@code null} when the call succeeded
   */
  record Call(String procedure, long issuedAt, long answeredAt, String answer, String error) {
    boolean succeeded() {
      return error == null;
    }

    Duration latency() {
      return Duration.ofNanos(answeredAt - issuedAt);
    }

    boolean incomplete() {
      return INCOMPLETE.equals(error);
    }
  }

  private final FoveaClient client;
  private final List<String> procedures;
  private final Duration timeout;
  private final List<Call> calls = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private CallLoop(FoveaClient client, List<String> procedures, Duration timeout) {
    this.client = client;
    this.procedures = List.copyOf(procedures);
    this.timeout = timeout;
  }

  /**
   * Starts {@code threads} threads that each call the procedures in turn.
   *
   * @param timeout the timeout of each call, which is how long each provider has to answer
   */
  static CallLoop start(
      FoveaClient client, List<String> procedures, Duration timeout, int threads) {
    CallLoop loop = new CallLoop(client, procedures, timeout);
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(loop::run, "call-loop-" + i);
      thread.setDaemon(true);
      loop.threads.add(thread);
      thread.start();
    }
    return loop;
  }

  /** The calls answered so far, in the order they were made. */
  List<Call> calls() {
    List<Call> snapshot;
    synchronized (calls) {
      snapshot = new ArrayList<>(calls);
    }
    snapshot.sort(Comparator.comparingLong(Call::issuedAt));
    return snapshot;
  }

  /** When the latest call answered so far was made; {@link Long#MIN_VALUE} before any. */
  long lastIssuedAt() {
    synchronized (calls) {
      return calls.stream().mapToLong(Call::issuedAt).max().orElse(Long.MIN_VALUE);
    }
  }

  /**
   * Stops the threads once their calls in flight are answered.
   *
   * @return every call made, in the order they were made
   */
  List<Call> stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(answerBound().toMillis() + 1000);
      if (thread.isAlive()) {
        thread.interrupt();
        throw new AssertionError(thread.getName() + " did not stop");
      }
    }
    return calls();
  }

  /**
   * How long after {@code since} calls kept going wrong: from then to the answer of the last call
   * answered after it that is not {@code good}; zero if there was none.
   */
  static Duration troubleAfter(List<Call> calls, long since, Predicate<Call> good) {
    long last = since;
    for (Call call : calls) {
      if (call.answeredAt() > since && !good.test(call)) {
        last = Math.max(last, call.answeredAt());
      }
    }
    return Duration.ofNanos(last - since);
  }

  /** How many of the calls answered after {@code since} failed, by error code. */
  static Map<String, Long> errorsByCode(List<Call> calls, long since) {
    Map<String, Long> errors = new TreeMap<>();
    for (Call call : calls) {
      if (!call.succeeded() && call.answeredAt() > since) {
        errors.merge(call.error(), 1L, Long::sum);
      }
    }
    return errors;
  }

  /**
   * The calls that match, one a line, with their times in milliseconds from {@code origin}: for the
   * report of a test, which says when calls went wrong and how.
   */
  static String describe(List<Call> calls, long origin, Predicate<Call> which) {
    StringBuilder lines = new StringBuilder();
    int matched = 0;
    for (Call call : calls) {
      if (which.test(call) && ++matched <= DESCRIBED) {
        lines.append(
            String.format(
                "  %s made at %+d ms, answered at %+d ms: %s%n",
                call.procedure(),
                TimeUnit.NANOSECONDS.toMillis(call.issuedAt() - origin),
                TimeUnit.NANOSECONDS.toMillis(call.answeredAt() - origin),
                call.succeeded() ? call.answer() : "error " + call.error()));
      }
    }
    if (matched > DESCRIBED) {
      lines.append(String.format("  and %d more%n", matched - DESCRIBED));
    }
    return lines.toString();
  }

  /** The longest time between two successful answers, both after {@code from}. */
  static Duration longestGapBetweenSuccesses(List<Call> calls, long from) {
    List<Long> answered = new ArrayList<>();
    for (Call call : calls) {
      if (call.succeeded() && call.answeredAt() >= from) {
        answered.add(call.answeredAt());
      }
    }
    answered.sort(Comparator.naturalOrder());
    long longest = 0;
    for (int i = 1; i < answered.size(); i++) {
      longest = Math.max(longest, answered.get(i) - answered.get(i - 1));
    }
    return Duration.ofNanos(longest);
  }

  private void run() {
    int next = 0;
    try {
      while (running) {
        String procedure = procedures.get(next++ % procedures.size());
        Call call = callOnce(procedure);
        synchronized (calls) {
          calls.add(call);
        }
        TimeUnit.NANOSECONDS.sleep(PACE.toNanos());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Call callOnce(String procedure) throws InterruptedException {
    long issuedAt = System.nanoTime();
    CompletableFuture<String> reply = client.callText(procedure, "", timeout);
    try {
      String answer = reply.get(answerBound().toMillis(), TimeUnit.MILLISECONDS);
      return new Call(procedure, issuedAt, System.nanoTime(), answer, null);
    } catch (ExecutionException e) {
      String code = e.getCause() instanceof FoveaException f ? f.code() : e.getCause().toString();
      return new Call(procedure, issuedAt, System.nanoTime(), null, code);
    } catch (TimeoutException e) {
      return new Call(procedure, issuedAt, System.nanoTime(), null, INCOMPLETE);
    }
  }

  /**
   * Beyond the client's own limit, three attempts of the timeout and a second: a future still not
   * complete by then never will be.
   */
  private Duration answerBound() {
    return timeout.multipliedBy(4).plusSeconds(2);
  }
}
