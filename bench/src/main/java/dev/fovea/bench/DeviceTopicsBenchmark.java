package dev.fovea.bench;

import dev.fovea.protocol.topic.TopicTrie;
import java.util.SplittableRandom;
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
 * {@link TopicTrie} where nearly every subscription names a device of its own, {@code
 * fleet.<region>.<device>.<metric>}, so that the index interns about as many distinct segments as
 * it has subscriptions; {@link TrieBenchmark}'s estate has a few thousand. One in ten patterns has
 * a wildcard ({@code fleet.*.<device>.*} or {@code fleet.<region>.<device>.**}). Topics name a
 * device at random, so most match nothing: the cost measured is mostly that of resolving a segment
 * in a dictionary too large for the caches and finding no subscriber.
 *
 * <p>Sample mode like {@link TrieBenchmark}; the figure to read is {@code p0.50}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 2,
    jvmArgsAppend = {TrieBenchmark.MIN_HEAP, TrieBenchmark.MAX_HEAP})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class DeviceTopicsBenchmark {
  private static final String[] METRICS = {"temp", "humidity", "co2", "light"};
  private static final int REGIONS = 20;
  private static final int TOPICS = 4096;

  @Param({"1000", "1000000"})
  int subscriptions;

  private final TopicTrie<Integer> index = new TopicTrie<>();
  private final String[] topics = new String[TOPICS];
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < subscriptions; i++) {
      String device = "dev" + random.nextInt(subscriptions);
      String region = "r" + random.nextInt(REGIONS);
      int roll = random.nextInt(20);
      String pattern;
      if (roll < 18) {
        pattern = "fleet." + region + "." + device + "." + METRICS[random.nextInt(METRICS.length)];
      } else if (roll == 18) {
        pattern = "fleet.*." + device + ".*";
      } else {
        pattern = "fleet." + region + "." + device + ".**";
      }
      index.add(pattern, i);
    }
    for (int i = 0; i < TOPICS; i++) {
      topics[i] =
          "fleet.r"
              + random.nextInt(REGIONS)
              + ".dev"
              + random.nextInt(subscriptions)
              + "."
              + METRICS[random.nextInt(METRICS.length)];
    }
    int matching = 0;
    for (String topic : topics) {
      matching += index.match(topic).isEmpty() ? 0 : 1;
    }
    System.out.printf(
        "# %d subscriptions over %d distinct patterns; %d of %d topics match something%n",
        index.size(), index.patternCount(), matching, TOPICS);
  }

  @Benchmark
  public void match(Blackhole bh) {
    index.forEachMatch(topics[next++ & (TOPICS - 1)], bh::consume);
  }
}
