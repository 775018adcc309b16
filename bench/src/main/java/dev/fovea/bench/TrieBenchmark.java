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
 * matches one topic and hands every matching subscription to the blackhole, so the score is topics
 * matched per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TrieBenchmark {
  private static final int TOPICS = 4096;

  @Param({"1000", "10000", "100000"})
  int subscriptions;

  private final TopicTrie<Integer> trie = new TopicTrie<>();
  private final NaiveListMatcher<Integer> list = new NaiveListMatcher<>();
  private final String[] topics = new String[TOPICS];
  private int next;

  @Setup
  public void setUp() {
    SensorTopics namespace = new SensorTopics(42);
    for (int i = 0; i < subscriptions; i++) {
      String pattern = namespace.pattern();
      trie.add(pattern, i);
      list.add(pattern, i);
    }
    for (int i = 0; i < TOPICS; i++) {
      topics[i] = namespace.topic();
    }

    checkBothSidesMatchTheSame();
  }

  @Benchmark
  public void trie(Blackhole bh) {
    trie.forEachMatch(nextTopic(), bh::consume);
  }

  @Benchmark
  public void naiveListScan(Blackhole bh) {
    for (Integer subscriber : list.match(nextTopic())) {
      bh.consume(subscriber);
    }
  }

  private String nextTopic() {
    return topics[next++ & (TOPICS - 1)];
  }

  /** Also prints how many subscriptions a topic matches, which both sides pay for. */
  private void checkBothSidesMatchTheSame() {
    int sampled = 64;
    long matched = 0;
    for (int i = 0; i < sampled; i++) {
      String topic = topics[i];
      List<Integer> fromList = list.match(topic);
      Set<Integer> fromTrie = trie.match(topic);
      if (fromList.size() != fromTrie.size() || !fromTrie.equals(new HashSet<>(fromList))) {
        throw new IllegalStateException(
            "trie and list disagree on " + topic + ": " + fromTrie + " vs " + fromList);
      }
      matched += fromTrie.size();
    }
    System.out.printf(
        "# %d subscriptions over %d distinct patterns; a topic matches %.1f on average%n",
        trie.size(), trie.patternCount(), (double) matched / sampled);
  }
}
