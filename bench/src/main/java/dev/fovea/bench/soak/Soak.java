package dev.fovea.bench.soak;

import dev.fovea.client.CallException;
import dev.fovea.client.FoveaClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The soak: clients connect, subscribe, advertise, publish, call and leave against one node for a
 * long while (10 minutes by default), several at once and through a connection pool, and the node
 * must end as it began: no session, subscription, pattern or provider left, and its heap after a
 * full collection within a few percent of where it was after the warm-up. Prints what it measured
 * and exits 0 when every check holds, 1 otherwise. {@code bench/soak.sh} builds and runs it.
 */
public final class Soak {
  private static final Duration EMPTY_TIMEOUT = Duration.ofSeconds(60);

  private final SoakOptions options;
  private final List<String> failures = new ArrayList<>();

  private Soak(SoakOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help")) {
      System.out.println(SoakOptions.USAGE);
      return;
    }
    SoakOptions options;
    try {
      options = SoakOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.err.println(SoakOptions.USAGE);
      System.exit(2);
      return;
    }
    System.exit(new Soak(options).run() ? 0 : 1);
  }

  /** A reading of the node at rest: what it holds, and its heap. */
  private record Reading(NodeState state, HeapReading heap) {}

  private boolean run() throws Exception {
    say(
        "Fovea soak, %s: %s of load after a %s warm-up; workers: %d direct, %d raw, %d mesh, %d"
            + " pool",
        Instant.now(),
        SoakOptions.describe(options.duration()),
        SoakOptions.describe(options.warmup()),
        options.directWorkers(),
        options.rawWorkers(),
        options.meshWorkers(),
        options.poolWorkers());
    try (NodeUnderSoak node = NodeUnderSoak.start(options, Path.of("bench", "target", "soak"))) {
      say("node pid %d, %s, log %s", node.pid(), options.nodeJvmOptions(), node.log());

      SoakLoad.Result warmup = phase(node, "warm-up", options.warmup());
      Reading start = settle(node, "start");
      SoakLoad.Result soak = phase(node, "soak", options.duration());
      Reading end = settle(node, "end");

      report(warmup, soak, start, end);
      if (!node.isAlive()) {
        failures.add("the node exited during the soak; see " + node.log());
      }
    }
    if (failures.isEmpty()) {
      say("PASS");
      return true;
    }
    failures.forEach(f -> say("FAIL: %s", f));
    return false;
  }

  private SoakLoad.Result phase(NodeUnderSoak node, String name, Duration length)
      throws InterruptedException {
    say("%s: %s of load", name, SoakOptions.describe(length));
    SoakLoad.Result result =
        SoakLoad.run(
            options,
            length,
            (elapsed, tally) -> {
              NodeState now = NodeState.read(node);
              say(
                  "  %s +%ds: %d rounds (%s), %d failed; node: %d sessions, %d subscriptions, %d"
                      + " providers",
                  name,
                  elapsed.toSeconds(),
                  tally.done(),
                  tally.doneByKind(),
                  tally.failed(),
                  now.sessions(),
                  now.subscriptions(),
                  now.providers());
            });
    Tally tally = result.tally();
    say(
        "%s done in %d s: %d rounds (%s), %d failed; pool: %d opened, %d evicted, %d reaped, %d"
            + " failed, %d left",
        name,
        result.ran().toSeconds(),
        tally.done(),
        tally.doneByKind(),
        tally.failed(),
        result.poolCreated(),
        result.poolEvicted(),
        result.poolReaped(),
        result.poolFailed(),
        result.poolLeft());
    tally.firstFailures().forEach(f -> say("  failed: %s", f));
    if (tally.failed() > 0) {
      failures.add(tally.failed() + " rounds of the " + name + " failed");
    }
    if (result.poolLeft() != 0) {
      failures.add("the pool still held " + result.poolLeft() + " connections after the " + name);
    }
    return result;
  }

  /**
   * Waits until the node holds nothing of the clients, then for the settle time, so that what the
   * node caches with a TTL has expired, and reads it.
   */
  private Reading settle(NodeUnderSoak node, String name) throws Exception {
    NodeState state = awaitEmpty(node);
    if (!state.isEmpty()) {
      failures.add("at the " + name + " the node still held " + state.holdings());
    }
    if (!options.settle().isZero()) {
      say("%s: settling for %s", name, SoakOptions.describe(options.settle()));
      // The provider lists the node cached for the calls expire by time, not by traffic.
      TimeUnit.MILLISECONDS.sleep(options.settle().toMillis());
    }
    sweepCaches();
    NodeState settled = awaitEmpty(node);
    HeapReading heap = HeapReading.take(node);
    say(
        "%s: heap used after a full GC %s, live objects %s, metaspace %s",
        name, mib(heap.usedBytes()), mib(heap.liveBytes()), mib(heap.metaspaceBytes()));
    return new Reading(settled, heap);
  }

  /**
   * Caffeine removes expired entries when it next maintains a cache, which a write does: one call
   * to a procedure nobody provides writes the node's provider cache.
   */
  private void sweepCaches() throws Exception {
    try (FoveaClient client =
        FoveaClient.builder("127.0.0.1", options.gatewayPort())
            .realm(NodeUnderSoak.REALM)
            .clientName("soak-settle")
            .connect()) {
      client.call("soak.settle.nobody", new byte[0], Rounds.CALL_TIMEOUT).get(30, TimeUnit.SECONDS);
      failures.add("soak.settle.nobody answered a call, yet nobody provides it");
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof CallException call && call.code().equals("no_providers"))) {
        throw e;
      }
    }
  }

  private static NodeState awaitEmpty(NodeUnderSoak node) throws InterruptedException {
    long deadline = System.nanoTime() + EMPTY_TIMEOUT.toNanos();
    NodeState state = NodeState.read(node);
    while (!state.isEmpty() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(250);
      state = NodeState.read(node);
    }
    return state;
  }

  private void report(SoakLoad.Result warmup, SoakLoad.Result soak, Reading start, Reading end) {
    say("");
    say("%-32s %12s %12s", "", "start", "end");
    Map<String, Long> before = start.state().holdings();
    end.state().holdings().forEach((name, n) -> say("%-32s %12d %12d", name, before.get(name), n));
    for (String counter : start.state().counters().keySet()) {
      say(
          "%-32s %12.0f %12.0f",
          counter, start.state().counter(counter), end.state().counter(counter));
    }
    say(
        "%-32s %12s %12s",
        "heap used after full GC", mib(start.heap().usedBytes()), mib(end.heap().usedBytes()));
    say(
        "%-32s %12s %12s",
        "live objects (class histogram)",
        mib(start.heap().liveBytes()),
        mib(end.heap().liveBytes()));
    say(
        "%-32s %12s %12s",
        "metaspace", mib(start.heap().metaspaceBytes()), mib(end.heap().metaspaceBytes()));
    say(
        "rounds: warm-up %d, soak %d (%s)",
        warmup.tally().done(), soak.tally().done(), soak.tally().doneByKind());

    double growth =
        (double) (end.heap().usedBytes() - start.heap().usedBytes()) / start.heap().usedBytes();
    say(
        "heap after full GC: %s -> %s, %+.1f %% (at most %+.1f %%)",
        mib(start.heap().usedBytes()),
        mib(end.heap().usedBytes()),
        growth * 100,
        options.heapTolerance() * 100);
    say("live bytes that grew most, by class:");
    end.heap().growthSince(start.heap(), 12).forEach(line -> say("  %s", line));
    if (growth > options.heapTolerance()) {
      failures.add(
          String.format(
              "the heap after a full GC grew %.1f %%, more than %.1f %%",
              growth * 100, options.heapTolerance() * 100));
    }
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
    System.out.flush();
  }
}
