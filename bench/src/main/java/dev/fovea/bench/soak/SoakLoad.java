package dev.fovea.bench.soak;

import dev.fovea.client.ConnectionPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One phase of load: a thread per worker runs rounds back to back until the phase ends, the pool
 * rounds sharing one {@link ConnectionPool} that lives for the phase. A phase ends with every
 * client closed and the pool empty by its own idle reaping.
 */
final class SoakLoad {
  /**
   * How long a pooled connection may stay unused: short, so that the end of a phase reaps it soon,
   * and longer than any one step of a round may take, since the pool closes a connection that is
   * not asked for within it, whoever still uses it.
   */
  private static final Duration POOL_IDLE = Rounds.WAIT.plusSeconds(5);

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  /** Each round's waits are bounded; this bounds the wait for the last rounds to finish. */
  private static final Duration FINISH_TIMEOUT = Duration.ofMinutes(2);

  /**
   * @param poolLeft connections the pool still held once its idle timeout had passed twice over
   */
  record Result(
      Tally tally,
      Duration ran,
      long poolCreated,
      long poolEvicted,
      long poolReaped,
      long poolFailed,
      int poolLeft) {}

  private SoakLoad() {}

  /**
   * Runs the load for {@code length}, calling {@code progress} with the tally every half minute.
   */
  static Result run(SoakOptions options, Duration length, ProgressListener progress)
      throws InterruptedException {
    String host = "127.0.0.1";
    int port = options.gatewayPort();
    // Two names of one gateway: to the pool they are two endpoints competing for its one slot.
    List<String> spellings = List.of(host + ":" + port, "localhost:" + port);
    ConnectionPool pool =
        ConnectionPool.builder()
            .realm(NodeUnderSoak.REALM)
            .maxSize(1)
            .idleTimeout(POOL_IDLE)
            .sweepInterval(Duration.ofMillis(500))
            .validateAfterIdle(Duration.ZERO)
            .clientOptions(b -> b.clientName("soak-pool"))
            .build();
    List<Round> rounds = new ArrayList<>();
    for (int w = 0; w < options.directWorkers(); w++) {
      rounds.add(new DirectRound(host, port, w));
    }
    for (int w = 0; w < options.rawWorkers(); w++) {
      rounds.add(new RawRound(host, port, w));
    }
    for (int w = 0; w < options.meshWorkers(); w++) {
      rounds.add(new MeshRound(List.of(host + ":" + port), w));
    }
    for (int w = 0; w < options.poolWorkers(); w++) {
      rounds.add(new PoolRound(pool, spellings, w));
    }

    Tally tally = new Tally();
    long started = System.nanoTime();
    long deadline = started + length.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (Round round : rounds) {
      Thread thread = new Thread(() -> loop(round, deadline, tally), "soak-" + round.kind());
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    long nextProgress = started + PROGRESS_EVERY.toNanos();
    while (System.nanoTime() < deadline) {
      TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(deadline, nextProgress) - System.nanoTime()));
      if (System.nanoTime() >= nextProgress && System.nanoTime() < deadline) {
        progress.onProgress(Duration.ofNanos(System.nanoTime() - started), tally);
        nextProgress += PROGRESS_EVERY.toNanos();
      }
    }
    long finishBy = System.nanoTime() + FINISH_TIMEOUT.toNanos();
    for (Thread thread : threads) {
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(finishBy - System.nanoTime())));
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not finish its last round");
      }
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - started);

    long reapBy = System.nanoTime() + POOL_IDLE.multipliedBy(2).toNanos();
    while (pool.size() > 0 && System.nanoTime() < reapBy) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    Result result =
        new Result(
            tally, ran, pool.created(), pool.evicted(), pool.reaped(), pool.failed(), pool.size());
    pool.close();
    return result;
  }

  private static void loop(Round round, long deadline, Tally tally) {
    for (long n = 0; System.nanoTime() < deadline; n++) {
      try {
        round.run(n);
        tally.done(round.kind());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        tally.failed(round.kind(), n, e);
      }
    }
  }

  /** Hears how a phase goes while it runs. */
  interface ProgressListener {
    void onProgress(Duration elapsed, Tally tally);
  }
}
