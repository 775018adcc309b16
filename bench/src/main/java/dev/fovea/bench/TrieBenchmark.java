package dev.fovea.bench;

import dev.fovea.protocol.topic.TopicTrie;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Finding the subscriptions that match a published topic: Fovea's {@link TopicTrie} beside {@link
 * NaiveListMatcher}, macula's scan of every pattern with the reference matcher. One operation
 * matches one topic and hands every matching subscription to the blackhole.
 *
 * <p>The mode is {@link Mode#SampleTime}: JMH times single operations and reports their
 * distribution, so the figure to read is the median, {@code p0.50}, in nanoseconds per topic.
 *
 * <p>The two sides differ by five orders of magnitude at a million subscriptions, so they get
 * different iteration settings. A trie match takes a microsecond or less, and JMH samples tens of
 * thousands of them in each 2 s iteration. A scan of a million patterns takes a few hundred
 * milliseconds, so 2 s iterations would leave a handful of samples each; its 5 measured iterations
 * of 4 s give some seventy at that size, enough for a median, and its 2 warm-up iterations are
 * enough because its one loop is compiled during the first operation. Every (side, size) pair runs
 * in forks of its own with a fixed 2 GiB heap: a million subscriptions held twice take about 400
 * MiB, and a fixed heap keeps resizing out of the figures. Where the objects of a large trie land
 * in memory differs from fork to fork, and its median with them, so the trie runs in two forks and
 * its percentiles are over both. The whole class runs in about five minutes.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {TrieBenchmark.MIN_HEAP, TrieBenchmark.MAX_HEAP})
@State(Scope.Thread)
public class TrieBenchmark {
  static final String MIN_HEAP = "-Xms2g";
  static final String MAX_HEAP = "-Xmx2g";

  /** A power of two, so that the next topic is a mask away. */
  private static final int TOPICS = 4096;

  /** Topics checked against the scan at setup: at a million subscriptions each takes a while. */
  private static final int CHECKED_TOPICS = 32;

  @Param({"1000", "10000", "100000", "1000000"})
  int subscriptions;

  private final TopicTrie<Integer> trie = new TopicTrie<>();
  private final NaiveListMatcher<Integer> list = new NaiveListMatcher<>();
  private final String[] topics = new String[TOPICS];
  private int next;

  @Setup
  public void setUp() {
    SensorTopics estate = new SensorTopics(42, subscriptions);
    String[] patterns = new String[subscriptions];
    for (int i = 0; i < subscriptions; i++) {
      patterns[i] = estate.pattern();
      trie.add(patterns[i], i);
      list.add(patterns[i], i);
    }
    for (int i = 0; i < TOPICS; i++) {
      topics[i] = estate.topic();
    }

    checkBothSidesMatchTheSame();
    printWorkload(estate, patterns);
  }

  @Benchmark
  @Fork(
      value = 2,
      jvmArgsAppend = {MIN_HEAP, MAX_HEAP})
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public void trie(Blackhole bh) {
    trie.forEachMatch(nextTopic(), bh::consume);
  }

  @Benchmark
  @Warmup(iterations = 2, time = 4)
  @Measurement(iterations = 5, time = 4)
  public void naiveListScan(Blackhole bh) {
    for (Integer subscriber : list.match(nextTopic())) {
      bh.consume(subscriber);
    }
  }

  private String nextTopic() {
    return topics[next++ & (TOPICS - 1)];
  }

  private void checkBothSidesMatchTheSame() {
    for (int i = 0; i < CHECKED_TOPICS; i++) {
      String topic = topics[i];
      List<Integer> fromList = list.match(topic);
      Set<Integer> fromTrie = trie.match(topic);
      if (fromList.size() != fromTrie.size() || !fromTrie.equals(new HashSet<>(fromList))) {
        throw new IllegalStateException(
            "trie and list disagree on " + topic + ": " + fromTrie + " vs " + fromList);
      }
    }
  }

  /**
   * Prints what the run measured: the share of wildcard patterns, the depths, and how many
   * subscriptions a topic matches, which both sides pay to report. The match counts come from the
   * trie over every topic of the run, the scan having agreed with it on the first ones.
   */
  private void printWorkload(SensorTopics estate, String[] patterns) {
    int wildcards = 0;
    int minDepth = Integer.MAX_VALUE;
    int maxDepth = 0;
    for (String pattern : patterns) {
      wildcards += pattern.indexOf('*') >= 0 ? 1 : 0;
      minDepth = Math.min(minDepth, depth(pattern));
      maxDepth = Math.max(maxDepth, depth(pattern));
    }
    long matched = 0;
    int matchingNone = 0;
    int mostMatched = 0;
    int minTopicDepth = Integer.MAX_VALUE;
    int maxTopicDepth = 0;
    for (String topic : topics) {
      int count = trie.match(topic).size();
      matched += count;
      matchingNone += count == 0 ? 1 : 0;
      mostMatched = Math.max(mostMatched, count);
      minTopicDepth = Math.min(minTopicDepth, depth(topic));
      maxTopicDepth = Math.max(maxTopicDepth, depth(topic));
    }
    System.out.printf(
        "# %d subscriptions in %d sites over %d distinct patterns, %.1f %% with wildcards,"
            + " %d to %d segments%n",
        trie.size(),
        estate.sites(),
        trie.patternCount(),
        100.0 * wildcards / patterns.length,
        minDepth,
        maxDepth);
    System.out.printf(
        "# %d topics of %d to %d segments: a topic matches %.2f subscriptions on average,"
            + " %.1f %% match none, at most %d; trie and scan agreed on %d of them%n",
        TOPICS,
        minTopicDepth,
        maxTopicDepth,
        (double) matched / TOPICS,
        100.0 * matchingNone / TOPICS,
        mostMatched,
        CHECKED_TOPICS);
  }

  private static int depth(String name) {
    int segments = 1;
    for (int i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
      segments++;
    }
    return segments;
  }
}
