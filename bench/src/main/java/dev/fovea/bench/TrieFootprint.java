package dev.fovea.bench;

import dev.fovea.protocol.topic.TopicTrie;

/**
 * The heap a {@link TopicTrie} holds for the subscriptions of {@link TrieBenchmark}'s workload: the
 * live heap after a full collection with the index built, less the same without it. The values are
 * boxed integers made beforehand, so they are counted on neither side. Run it as {@code java -Xmx2g
 * -cp bench/target/benchmarks.jar dev.fovea.bench.TrieFootprint <subscriptions>}.
 */
public final class TrieFootprint {
  private TrieFootprint() {}

  public static void main(String[] args) {
    int subscriptions = Integer.parseInt(args.length > 0 ? args[0] : "1000000");
    SensorTopics estate = new SensorTopics(42, subscriptions);
    String[] patterns = new String[subscriptions];
    Integer[] values = new Integer[subscriptions];
    for (int i = 0; i < subscriptions; i++) {
      patterns[i] = estate.pattern();
      values[i] = i;
    }

    long before = liveHeap();
    TopicTrie<Integer> index = new TopicTrie<>();
    for (int i = 0; i < subscriptions; i++) {
      index.add(patterns[i], values[i]);
    }
    long after = liveHeap();

    System.out.printf(
        "%d subscriptions over %d distinct patterns: %.1f MB of heap, %.0f bytes per pattern%n",
        index.size(),
        index.patternCount(),
        (after - before) / 1e6,
        (double) (after - before) / index.patternCount());
  }

  private static long liveHeap() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
