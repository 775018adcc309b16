package dev.fovea.protocol.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Readers matching while a writer churns subscriptions next to a set of stable ones. Were a reader
 * ever to see a half-built or half-pruned trie, a stable subscription would go missing.
 */
class TopicTrieConcurrencyTest {
  private static final Duration RUN_FOR = Duration.ofMillis(300);
  private static final int MAX_WRITES = 2_000_000;
  private static final int READERS = 3;

  private static final Map<String, String> STABLE =
      Map.of(
          "sensor.kitchen.temp", "stable-exact",
          "sensor.*.temp", "stable-star",
          "sensor.**", "stable-tail",
          "**.temp", "stable-head",
          "sensor.**.temp", "stable-middle",
          "**.kitchen.**", "stable-around");

  /** Topics and the stable values each must always match. */
  private static final Map<String, Set<String>> PROBES =
      Map.of(
          "sensor.kitchen.temp",
          Set.copyOf(STABLE.values()),
          "sensor.hall.temp",
          Set.of("stable-star", "stable-tail", "stable-head", "stable-middle"),
          "sensor.kitchen",
          Set.of("stable-tail", "stable-around"),
          "sensor.a.b.temp",
          Set.of("stable-tail", "stable-head", "stable-middle"),
          "other.kitchen.temp",
          Set.of("stable-head", "stable-around"));

  /** Patterns sharing nodes with the stable ones, so that the writer creates and prunes nearby. */
  private static final List<String> CHURN =
      List.of(
          "sensor.kitchen.temp.x",
          "sensor.kitchen",
          "sensor.kitchen.*",
          "sensor.*",
          "sensor.*.temp.**",
          "sensor.**.temp.x",
          "sensor.**.**",
          "**.**.temp",
          "**.kitchen",
          "*.kitchen.**",
          "sensor",
          "sensor.hall.temp",
          "**");

  /**
   * Patterns with many distinct segments beside the stable ones, so that the writer also grows
   * child tables and the segment dictionary, fills them with removed entries and rebuilds them, and
   * drops and re-interns segments that the probes use.
   */
  private static final List<String> WIDE_CHURN = wideChurn(64);

  /**
   * Thousands of distinct patterns of a dozen shapes, so that the shape table is rebuilt at larger
   * sizes while the readers match.
   */
  private static final List<String> GROWING_CHURN = growingChurn(400);

  private TopicTrie<String> trie = new TopicTrie<>();

  @Test
  void readersAlwaysFindTheStableSubscriptionsWhileAWriterChurns() throws InterruptedException {
    runReadersBesideAWriterChurning(CHURN);
  }

  @Test
  void readersAlwaysFindTheStableSubscriptionsWhileTablesGrowAndShrink()
      throws InterruptedException {
    runReadersBesideAWriterChurning(WIDE_CHURN);
  }

  @Test
  void readersAlwaysFindTheStableSubscriptionsWhileTheShapeTableIsRebuilt()
      throws InterruptedException {
    runReadersBesideAWriterChurning(GROWING_CHURN);
  }

  @Test
  void readersAlwaysFindTheStableSubscriptionsSplitBetweenTheTableAndTheTrie()
      throws InterruptedException {
    trie = new TopicTrie<>(2);
    runReadersBesideAWriterChurning(WIDE_CHURN);
  }

  private static List<String> growingChurn(int names) {
    List<String> patterns = new ArrayList<>();
    for (int i = 0; i < names; i++) {
      patterns.add("sensor.room" + i + ".temp");
      patterns.add("sensor.kitchen.temp.n" + i);
      patterns.add("sensor.*.temp.n" + i);
      patterns.add("sensor.kitchen.*.n" + i);
      patterns.add("**.kitchen.n" + i);
      patterns.add("sensor.n" + i + ".**");
      patterns.add("sensor.**.n" + i + ".**");
      patterns.add("**.temp.n" + i + ".**.x");
      patterns.add("*.kitchen.temp.**.n" + i);
      patterns.add("**.n" + i + ".**.temp.**");
    }
    return List.copyOf(patterns);
  }

  private static List<String> wideChurn(int names) {
    List<String> patterns = new ArrayList<>();
    for (int i = 0; i < names; i++) {
      patterns.add("sensor.room" + i + ".temp");
      patterns.add("sensor.*.t" + i);
      patterns.add("**.kitchen.k" + i);
      patterns.add("k" + i + ".**");
      patterns.add("sensor.kitchen.temp.x" + i);
      patterns.add("sensor.k" + i + ".*");
    }
    patterns.add("kitchen.*");
    patterns.add("hall");
    return List.copyOf(patterns);
  }

  private void runReadersBesideAWriterChurning(List<String> churn) throws InterruptedException {
    STABLE.forEach((pattern, value) -> trie.add(pattern, value));
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong reads = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    threads.add(new Thread(guarded(failures, () -> churn(churn, start, writing)), "writer"));
    for (int r = 0; r < READERS; r++) {
      threads.add(new Thread(guarded(failures, () -> read(start, writing, reads)), "reader-" + r));
    }

    threads.forEach(Thread::start);
    start.countDown();
    for (Thread thread : threads) {
      thread.join(RUN_FOR.multipliedBy(20).toMillis());
    }

    assertThat(threads).noneMatch(Thread::isAlive);
    assertThat(failures).isEmpty();
    assertThat(reads.get()).isPositive();
    assertThat(trie.patterns()).isEqualTo(STABLE.keySet());
    assertThat(trie.size()).isEqualTo(STABLE.size());
  }

  /** Adds and removes churn subscriptions until the time is up, then removes what is left. */
  private void churn(List<String> churn, CountDownLatch start, AtomicBoolean writing)
      throws InterruptedException {
    try {
      start.await();
      churnUntilTimeIsUp(churn);
    } finally {
      writing.set(false);
    }
  }

  private void churnUntilTimeIsUp(List<String> churn) {
    Random random = new Random(7);
    Set<List<String>> added = new HashSet<>();
    long deadline = System.nanoTime() + RUN_FOR.toNanos();
    for (int i = 0; i < MAX_WRITES && System.nanoTime() < deadline; i++) {
      String pattern = churn.get(random.nextInt(churn.size()));
      String value = "churn-" + random.nextInt(4);
      if (random.nextBoolean()) {
        trie.add(pattern, value);
        added.add(List.of(pattern, value));
      } else {
        trie.remove(pattern, value);
      }
    }
    added.forEach(pair -> trie.remove(pair.get(0), pair.get(1)));
  }

  private void read(CountDownLatch start, AtomicBoolean writing, AtomicLong reads)
      throws InterruptedException {
    start.await();
    List<String> topics = List.copyOf(PROBES.keySet());
    for (int i = 0; writing.get(); i++) {
      String topic = topics.get(i % topics.size());
      List<String> visited = new ArrayList<>();
      trie.forEachMatch(topic, visited::add);
      Set<String> stable =
          visited.stream().filter(v -> v.startsWith("stable")).collect(Collectors.toSet());

      assertThat(stable).as("stable values matching %s", topic).isEqualTo(PROBES.get(topic));
      assertThat(visited).as("values matching %s", topic).doesNotHaveDuplicates();
      assertThat(trie.match(topic)).containsAll(PROBES.get(topic));
      reads.incrementAndGet();
    }
  }

  /** Runs a step on its own thread, keeping what it throws for the test thread to assert on. */
  private static Runnable guarded(Queue<Throwable> failures, Step step) {
    return () -> {
      try {
        step.run();
      } catch (Throwable t) {
        failures.add(t);
      }
    };
  }

  private interface Step {
    void run() throws InterruptedException;
  }
}
