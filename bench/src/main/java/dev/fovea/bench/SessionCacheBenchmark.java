package dev.fovea.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
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

/**
 * A bounded cache of 1,000 entries under a 90 % get, 10 % put mix over 10,000 keys: Caffeine, built
 * the way Fovea's node builds its caches, beside {@link NaiveListCache}, macula's list-scan LRU.
 * The keys are drawn with a Zipf distribution (a few hot keys, as sessions and procedures are) or
 * uniformly (mostly misses). One operation is one get or one put.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SessionCacheBenchmark {
  private static final int MAX_SIZE = 1_000;
  private static final int KEYS = 10_000;
  private static final int OPS = 1 << 16;
  private static final int PUT_PERCENT = 10;
  private static final Object VALUE = new Object();

  @Param({"zipf", "uniform"})
  String distribution;

  private final String[] keys = new String[OPS];
  private final boolean[] puts = new boolean[OPS];
  private Cache<String, Object> caffeine;
  private NaiveListCache<String, Object> list;
  private int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    String[] names = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      names[i] = String.format("session-%05d", i);
    }
    // Which key is hot is itself random, so that hot keys are not neighbours in creation order.
    for (int i = KEYS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = names[i];
      names[i] = names[j];
      names[j] = swap;
    }
    double[] cumulative = zipfCumulative(KEYS, 1.0);
    for (int i = 0; i < OPS; i++) {
      int rank =
          distribution.equals("zipf")
              ? rank(cumulative, random.nextDouble())
              : random.nextInt(KEYS);
      keys[i] = names[rank];
      puts[i] = random.nextInt(100) < PUT_PERCENT;
    }

    checkBothSidesCacheTheSame(names);
    caffeine = newCaffeine();
    list = new NaiveListCache<>(MAX_SIZE);
    for (String key : keys) {
      caffeine.put(key, VALUE);
      list.put(key, VALUE);
    }

    reportHitRates();
  }

  @Benchmark
  public Object caffeine() {
    int i = next++ & (OPS - 1);
    if (puts[i]) {
      caffeine.put(keys[i], VALUE);
      return null;
    }
    return caffeine.getIfPresent(keys[i]);
  }

  @Benchmark
  public Object naiveListCache() {
    int i = next++ & (OPS - 1);
    if (puts[i]) {
      list.put(keys[i], VALUE);
      return null;
    }
    return list.get(keys[i]);
  }

  private static Cache<String, Object> newCaffeine() {
    return Caffeine.newBuilder()
        .maximumSize(MAX_SIZE)
        .expireAfterWrite(Duration.ofMinutes(5))
        .recordStats()
        .build();
  }

  /**
   * On fresh instances: up to the bound both keep every entry and return its value, neither has a
   * key never put, and past the bound both hold no more than it. What each evicts differs by
   * design.
   */
  private static void checkBothSidesCacheTheSame(String[] names) {
    Cache<String, Object> freshCaffeine = newCaffeine();
    NaiveListCache<String, Object> freshList = new NaiveListCache<>(MAX_SIZE);
    for (int i = 0; i < MAX_SIZE; i++) {
      Object value = Integer.valueOf(i);
      freshCaffeine.put(names[i], value);
      freshList.put(names[i], value);
    }
    for (int i = 0; i < MAX_SIZE; i++) {
      Object expected = Integer.valueOf(i);
      if (!expected.equals(freshCaffeine.getIfPresent(names[i]))
          || !expected.equals(freshList.get(names[i]))) {
        throw new IllegalStateException("the caches disagree on " + names[i]);
      }
    }
    if (freshCaffeine.getIfPresent(names[MAX_SIZE]) != null
        || freshList.get(names[MAX_SIZE]) != null) {
      throw new IllegalStateException("a cache returned " + names[MAX_SIZE] + ", never put");
    }

    for (int i = MAX_SIZE; i < 2 * MAX_SIZE; i++) {
      freshCaffeine.put(names[i], VALUE);
      freshList.put(names[i], VALUE);
    }
    freshCaffeine.cleanUp();
    if (freshCaffeine.estimatedSize() > MAX_SIZE || freshList.size() > MAX_SIZE) {
      throw new IllegalStateException(
          "over the bound of "
              + MAX_SIZE
              + ": "
              + freshCaffeine.estimatedSize()
              + " and "
              + freshList.size());
    }
  }

  /** The two evict differently (TinyLFU against LRU), so they also differ in what they keep. */
  private void reportHitRates() {
    int gets = 0;
    int caffeineHits = 0;
    int listHits = 0;
    for (int i = 0; i < OPS; i++) {
      if (puts[i]) {
        caffeine.put(keys[i], VALUE);
        list.put(keys[i], VALUE);
      } else {
        gets++;
        caffeineHits += caffeine.getIfPresent(keys[i]) != null ? 1 : 0;
        listHits += list.get(keys[i]) != null ? 1 : 0;
      }
    }
    System.out.printf(
        "# %s keys: get hit rate %.1f %% with Caffeine, %.1f %% with the list LRU%n",
        distribution, 100.0 * caffeineHits / gets, 100.0 * listHits / gets);
  }

  private static double[] zipfCumulative(int n, double exponent) {
    double[] cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
    return cumulative;
  }

  private static int rank(double[] cumulative, double u) {
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] < u) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
