package dev.fovea.bench;

import java.util.SplittableRandom;

/**
 * How long one dependent memory read takes on this machine, depending on how many cache lines a
 * working set has and over how much memory they are spread: a pointer chase through {@code lines}
 * cache lines placed at random in a region of {@code megabytes}, in one random cycle.
 *
 * <p>It is what explains the topic index's figures at a million subscriptions: a read whose line is
 * in cache but whose page is not in the TLB costs far more on a virtual machine, where a TLB miss
 * walks two sets of page tables, than the cache alone would say. Run it as {@code java -cp
 * bench/target/benchmarks.jar dev.fovea.bench.MemoryLatency <megabytes> <lines>}.
 */
public final class MemoryLatency {
  private static final int LONGS_PER_LINE = 8;
  private static final int STEPS = 20_000_000;
  private static final int ROUNDS = 5;

  private MemoryLatency() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: MemoryLatency <megabytes of region> <cache lines in the cycle>");
      System.exit(2);
    }
    int megabytes = Integer.parseInt(args[0]);
    int lines = Integer.parseInt(args[1]);
    long[] region = new long[megabytes * (1 << 20) / Long.BYTES];
    int regionLines = region.length / LONGS_PER_LINE;
    if (lines <= 0 || lines > regionLines) {
      throw new IllegalArgumentException(
          "lines must be between 1 and the region's " + regionLines + " lines");
    }

    int[] cycle = randomLines(lines, regionLines, new SplittableRandom(1));
    for (int i = 0; i < lines; i++) {
      region[cycle[i] * LONGS_PER_LINE] = (long) cycle[(i + 1) % lines] * LONGS_PER_LINE;
    }
    int at = cycle[0] * LONGS_PER_LINE;
    for (int round = 1; round <= ROUNDS; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < STEPS; i++) {
        at = (int) region[at];
      }
      double perRead = (double) (System.nanoTime() - start) / STEPS;
      System.out.printf(
          "round %d: %d lines (%.1f MB) over %d MB: %.1f ns per read%n",
          round, lines, lines * 64 / 1e6, megabytes, perRead);
    }
    if (at < 0) {
      System.out.println("unreachable, keeps the chase alive");
    }
  }

  /** Distinct line numbers below the bound, in random order. */
  private static int[] randomLines(int count, int bound, SplittableRandom random) {
    boolean[] taken = new boolean[bound];
    int[] chosen = new int[count];
    for (int i = 0; i < count; i++) {
      int line;
      do {
        line = random.nextInt(bound);
      } while (taken[line]);
      taken[line] = true;
      chosen[i] = line;
    }
    return chosen;
  }
}
