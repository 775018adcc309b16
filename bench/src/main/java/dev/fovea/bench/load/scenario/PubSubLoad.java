package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Client;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Publishers and the subscribers that count them: the engine of the pubsub, fanout, patterns and
 * cluster scenarios. Every counted subscriber ({@link Tally}) must receive every publish; the rate
 * that counts is what they received, not what was sent.
 *
 * <p>Two ways to publish. At a fixed offered rate (open loop) each message is stamped with the time
 * it was due, not the time it went out, so a stalled system shows its stall in the latencies
 * (coordinated omission corrected). At full speed, publishers keep at most {@code window} messages
 * in flight, published but not yet received by the average subscriber: without that bound "full
 * speed" measures how fast a client fills its local queue, and brokers buffer or drop without
 * limit. A window that does not move for a second is written off as lost so the run goes on; such
 * stalls are counted and reported.
 *
 * <p>The scenarios' default windows (8,192 messages, half of what a Fovea node queues for one
 * subscriber by default, since a subscriber may lag behind the average one; 1,024 for fan-out,
 * where each message is a hundred deliveries; 2,000 across nodes) do not hold back a system that
 * delivers a million messages a second within eight milliseconds, and stay below the queues where
 * systems start to drop or push back: 3,072 messages per remote node in Artery, 65,536 queued by
 * jnats, 8 MiB by Fovea's client. A smaller window measures latency under load as much as
 * throughput: at 2,048, a system delivering in 4 ms cannot pass 500,000 messages a second.
 */
final class PubSubLoad {
  /** Messages published between two looks at the window. */
  private static final int BATCH = 64;

  private static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(60);
  private static final long STALL_NANOS = Duration.ofSeconds(1).toNanos();
  private static final long DRAIN_IDLE_NANOS = Duration.ofSeconds(2).toNanos();
  private static final long DRAIN_MAX_NANOS = Duration.ofSeconds(20).toNanos();

  /** One publishing client and the topics it cycles through, in its system's spelling. */
  record Publisher(Client client, String[] topics) {}

  /**
   * @param rate messages per second offered by all publishers together; 0 is full speed
   * @param window messages in flight at full speed; 0 for no bound
   */
  record Settings(int payloadBytes, double rate, int window, Duration warmup, Duration duration) {}

  /** What was sent and received, counted from the end of route probing; latency may be null. */
  record Outcome(
      long published,
      long delivered,
      long lost,
      long stalls,
      double publishedPerSecond,
      double deliveredPerSecond,
      Histogram latency,
      List<String> errors) {}

  private final List<Publisher> publishers;
  private final List<Tally> tallies;
  private final Settings settings;
  private final LatencyWindow latency;

  private final AtomicLong published = new AtomicLong();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private volatile boolean running;
  private long basePublished;
  private long baseDelivered;

  // Guarded by this: messages written off after a stall, and how often that happened.
  private long writtenOff;
  private long stalls;
  private long lastProgressDelivered;
  private long lastProgressNanos;

  PubSubLoad(
      List<Publisher> publishers, List<Tally> tallies, Settings settings, LatencyWindow latency) {
    if (publishers.isEmpty() || tallies.isEmpty()) {
      throw new IllegalArgumentException("a load needs a publisher and a counted subscriber");
    }
    Stamps.checkSize(settings.payloadBytes());
    this.publishers = List.copyOf(publishers);
    this.tallies = List.copyOf(tallies);
    this.settings = settings;
    this.latency = latency;
  }

  Outcome run() throws Exception {
    awaitRoutes();
    awaitQuiet();
    basePublished = published.get();
    baseDelivered = delivered();
    lastProgressNanos = System.nanoTime();

    running = true;
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < publishers.size(); i++) {
      Publisher publisher = publishers.get(i);
      long offset = i;
      Thread thread = new Thread(() -> publish(publisher, start, offset), "bench-publisher-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }

    sleep(settings.warmup());
    long t0 = System.nanoTime();
    long p0 = published.get();
    long d0 = delivered();
    latency.open(t0);
    sleep(settings.duration());
    long t1 = System.nanoTime();
    long p1 = published.get();
    long d1 = delivered();
    latency.close(t1);

    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(30).toMillis());
    }
    drain();

    long sent = published.get() - basePublished;
    long got = delivered() - baseDelivered;
    double seconds = (t1 - t0) / 1e9;
    long stallsNow;
    synchronized (this) {
      stallsNow = stalls;
    }
    return new Outcome(
        sent,
        got,
        sent * tallies.size() - got,
        stallsNow,
        (p1 - p0) / seconds,
        (d1 - d0) / seconds,
        latency.histogram(),
        List.copyOf(errors));
  }

  /** Sends probe rounds until a whole round reaches every subscriber: every route exists. */
  private void awaitRoutes() throws Exception {
    // One probe per publisher, on its first topic: every scenario's subscribers match all of a
    // publisher's topics alike, and a round over 65,536 random topics would itself be a load.
    int roundSize = publishers.size();
    long deadline = System.nanoTime() + ROUTE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      long[] before = tallies.stream().mapToLong(Tally::received).toArray();
      for (Publisher publisher : publishers) {
        byte[] probe = Stamps.stamped(settings.payloadBytes(), Stamps.PROBE);
        publisher.client().publish(publisher.topics()[0], probe);
        published.incrementAndGet();
        publisher.client().flush(Duration.ofSeconds(10));
      }
      long roundEnd = System.nanoTime() + Duration.ofMillis(250).toNanos();
      while (System.nanoTime() < roundEnd) {
        if (roundArrived(before, roundSize)) {
          return;
        }
        Thread.sleep(5);
      }
    }
    throw new IllegalStateException(
        "subscribers did not receive probe messages within " + ROUTE_TIMEOUT.toSeconds() + " s");
  }

  private boolean roundArrived(long[] before, int roundSize) {
    for (int i = 0; i < tallies.size(); i++) {
      if (tallies.get(i).received() - before[i] < roundSize) {
        return false;
      }
    }
    return true;
  }

  /** Waits until late probes stop arriving, so that they do not count as load. */
  private void awaitQuiet() throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 100; i++) {
      long now = delivered();
      if (now == last) {
        return;
      }
      last = now;
      Thread.sleep(50);
    }
  }

  private void publish(Publisher publisher, long start, long offset) {
    try {
      if (settings.rate() > 0) {
        publishAtRate(publisher, start, offset);
      } else {
        publishFullSpeed(publisher);
      }
    } catch (Exception e) {
      errors.add("a publisher failed: " + e);
    }
  }

  private void publishAtRate(Publisher publisher, long start, long offset) throws Exception {
    double interval = 1e9 * publishers.size() / settings.rate();
    String[] topics = publisher.topics();
    long n = 0;
    int next = 0;
    while (running) {
      // Publishers are staggered across one interval so that they do not send in lock-step.
      long due = start + (long) ((n + (double) offset / publishers.size()) * interval);
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      publisher.client().publish(topics[next], Stamps.stamped(settings.payloadBytes(), due));
      published.incrementAndGet();
      next = next + 1 == topics.length ? 0 : next + 1;
      n++;
    }
  }

  private void publishFullSpeed(Publisher publisher) throws Exception {
    String[] topics = publisher.topics();
    int next = 0;
    while (running) {
      int batch = BATCH;
      if (settings.window() > 0) {
        long room = settings.window() - inFlight();
        if (room <= 0) {
          awaitRoom();
          continue;
        }
        batch = (int) Math.min(batch, room);
      }
      for (int i = 0; i < batch; i++) {
        publisher
            .client()
            .publish(topics[next], Stamps.stamped(settings.payloadBytes(), System.nanoTime()));
        next = next + 1 == topics.length ? 0 : next + 1;
      }
      published.addAndGet(batch);
    }
  }

  /** Messages published that the average subscriber has not received, less those written off. */
  private long inFlight() {
    long sent = published.get() - basePublished;
    long got = (delivered() - baseDelivered) / tallies.size();
    synchronized (this) {
      return sent - got - writtenOff;
    }
  }

  private void awaitRoom() {
    LockSupport.parkNanos(20_000);
    long got = delivered();
    long now = System.nanoTime();
    synchronized (this) {
      if (got != lastProgressDelivered) {
        lastProgressDelivered = got;
        lastProgressNanos = now;
      } else if (now - lastProgressNanos > STALL_NANOS) {
        long sent = published.get() - basePublished;
        writtenOff = sent - (got - baseDelivered) / tallies.size();
        stalls++;
        lastProgressNanos = now;
      }
    }
  }

  /** Waits for what is still in flight: until all arrived, nothing moved for 2 s, or 20 s. */
  private void drain() throws InterruptedException {
    long expected = (published.get() - basePublished) * tallies.size();
    long end = System.nanoTime() + DRAIN_MAX_NANOS;
    long last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < end) {
      long got = delivered() - baseDelivered;
      if (got >= expected) {
        return;
      }
      if (got != last) {
        last = got;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > DRAIN_IDLE_NANOS) {
        return;
      }
      Thread.sleep(10);
    }
  }

  private long delivered() {
    return Tally.sum(tallies);
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));
  }

  /** Writes an outcome into a report under the names every pub/sub scenario uses. */
  static void describe(Outcome outcome, String rateName, RunReport report) {
    report.figure(rateName, outcome.deliveredPerSecond());
    report.figure("published_per_s", outcome.publishedPerSecond());
    report.figure("published", outcome.published());
    report.figure("delivered", outcome.delivered());
    report.figure("lost", Math.max(0, outcome.lost()));
    if (outcome.lost() < 0) {
      report.note(-outcome.lost() + " more deliveries than publishes: duplicates");
    }
    report.figure("window_stalls", outcome.stalls());
    if (outcome.latency() != null) {
      report.latency("latency", outcome.latency());
    }
    if (outcome.delivered() == 0) {
      report.problem("nothing was delivered");
    }
    outcome.errors().forEach(report::problem);
  }
}
