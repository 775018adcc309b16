package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * C callers, each keeping K calls in flight (closed loop), to providers of one echo procedure. On
 * NATS the providers share a queue group, so that each request reaches one of them, as a Fovea call
 * reaches one provider. A round trip is timed from the call to its answer.
 */
@Command(
    name = "rpc",
    mixinStandardHelpOptions = true,
    description = "Callers and providers: calls/s and round-trip percentiles.")
final class RpcScenario extends ScenarioCommand {
  private static final String PROCEDURE = "bench.echo";
  private static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(60);

  @Option(names = "--callers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  int callers;

  @Option(
      names = "--in-flight",
      defaultValue = "64",
      description = "Calls each caller keeps in flight. Default: ${DEFAULT-VALUE}.")
  int inFlight;

  @Option(names = "--providers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  int providers;

  @Option(names = "--payload", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int payload;

  @Option(
      names = "--timeout",
      defaultValue = "5",
      description = "Seconds a call may take. Default: ${DEFAULT-VALUE}.")
  double timeoutSeconds;

  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private volatile boolean running;

  @Override
  String scenario() {
    return "rpc";
  }

  @Override
  void run(RunReport report) throws Exception {
    if (!load.target().hasRpc()) {
      throw new IllegalArgumentException(load.system + " has no request/reply");
    }
    report
        .param("callers", callers)
        .param("in_flight", inFlight)
        .param("providers", providers)
        .param("payload_bytes", payload);
    Duration timeout = Duration.ofNanos((long) (timeoutSeconds * 1e9));

    for (int i = 0; i < providers; i++) {
      Client provider = connect(0, Names.client("provider", i));
      provider.serve(PROCEDURE, request -> request);
      provider.flush(Names.FLUSH_TIMEOUT);
    }
    List<Client> callerClients = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      callerClients.add(connect(0, Names.client("caller", i)));
    }
    awaitProvider(callerClients.get(0));

    LatencyWindow latency = new LatencyWindow();
    running = true;
    List<Thread> threads = new ArrayList<>();
    List<Semaphore> permits = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      Client caller = callerClients.get(i);
      Semaphore slots = new Semaphore(inFlight);
      permits.add(slots);
      Thread thread =
          new Thread(() -> callLoop(caller, slots, latency, timeout), "bench-caller-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }

    Thread.sleep(load.warmup().toMillis());
    long t0 = System.nanoTime();
    long c0 = completed.get();
    latency.open(t0);
    Thread.sleep(load.duration().toMillis());
    long t1 = System.nanoTime();
    long c1 = completed.get();
    latency.close(t1);
    running = false;
    for (Thread thread : threads) {
      thread.join(timeout.multipliedBy(2).toMillis());
    }
    for (Semaphore slots : permits) {
      // Every call in flight answers or times out; then its latency, if measured, is recorded.
      if (!slots.tryAcquire(inFlight, timeout.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS)) {
        report.problem("calls were still unanswered long after their timeout");
      }
    }

    report.figure("calls_per_s", (c1 - c0) / ((t1 - t0) / 1e9));
    report.figure("calls", completed.get());
    report.figure("failed_calls", failed.get());
    report.latency("rtt", latency.histogram());
    if (completed.get() == 0) {
      report.problem("no call was answered");
    }
    if (failed.get() > 0) {
      report.problem(failed.get() + " calls failed, first: " + failures.peek());
    }
  }

  /** Calls until a provider answers: the registry may take a moment to know of them. */
  private void awaitProvider(Client caller) throws Exception {
    long deadline = System.nanoTime() + PROVIDER_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        caller.call(PROCEDURE, new byte[payload], Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("no provider answered within 60 s: " + last, last);
  }

  private void callLoop(Client caller, Semaphore slots, LatencyWindow latency, Duration timeout) {
    byte[] request = new byte[payload];
    try {
      while (running) {
        if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        long start = System.nanoTime();
        try {
          caller
              .call(PROCEDURE, request, timeout)
              .whenComplete(
                  (answer, failure) -> {
                    long end = System.nanoTime();
                    if (failure != null) {
                      fail(failure.toString());
                    } else if (answer.length != payload) {
                      fail("an answer of " + answer.length + " bytes to a call of " + payload);
                    } else {
                      latency.record(start, end);
                      completed.incrementAndGet();
                    }
                    slots.release();
                  });
        } catch (RuntimeException e) {
          fail("a call could not be sent: " + e);
          slots.release();
          Thread.sleep(10);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void fail(String why) {
    failed.incrementAndGet();
    if (failures.size() < 10) {
      failures.add(why);
    }
  }
}
