package dev.fovea.bench;

import dev.fovea.sharding.registry.Provider;
import dev.fovea.sharding.registry.ProviderSet;
import dev.fovea.sharding.registry.SelectionStrategy;
import java.util.ArrayList;
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

/**
 * Picking one provider of a procedure for a first attempt: {@link ProviderSet#select} over an array
 * beside {@link NaiveNthSelector}, macula's {@code lists:nth} over a linked list.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SelectionBenchmark {
  private static final String PROCEDURE = "com.example.inventory.lookup";
  private static final String CALLER_NODE = "node-0";

  @Param({"10", "100", "1000"})
  int providers;

  @Param({"RANDOM", "ROUND_ROBIN"})
  SelectionStrategy strategy;

  private ProviderSet providerSet;
  private NaiveNthSelector<Provider> naive;

  @Setup
  public void setUp() {
    List<Provider> list = new ArrayList<>(providers);
    for (int i = 0; i < providers; i++) {
      // The endpoint is only read to avoid nodes, which these picks never do.
      list.add(new Provider("node-" + (i % 8) + "/session-" + i, "node-" + (i % 8), null));
    }
    providerSet = new ProviderSet(list);
    naive = new NaiveNthSelector<>(list);

    checkBothSidesPickTheSame(list);
  }

  @Benchmark
  public Provider providerSet() {
    return providerSet.select(strategy, Set.of(), CALLER_NODE, Set.of());
  }

  @Benchmark
  public Provider naiveNth() {
    return pickNaive(naive);
  }

  private Provider pickNaive(NaiveNthSelector<Provider> selector) {
    return strategy == SelectionStrategy.RANDOM
        ? selector.random()
        : selector.roundRobin(PROCEDURE);
  }

  /**
   * On fresh instances: round robin walks the providers in the same order on both sides; random
   * picks only providers of the list and, in fifty picks per provider, reaches every one of them on
   * both sides (missing one by chance has odds below 10^-18).
   */
  private void checkBothSidesPickTheSame(List<Provider> list) {
    ProviderSet freshSet = new ProviderSet(list);
    NaiveNthSelector<Provider> freshNaive = new NaiveNthSelector<>(list);
    Set<Provider> fromSet = new HashSet<>();
    Set<Provider> fromNaive = new HashSet<>();
    for (int i = 0; i < 50 * providers; i++) {
      Provider a = freshSet.select(strategy, Set.of(), CALLER_NODE, Set.of());
      Provider b = pickNaive(freshNaive);
      if (strategy == SelectionStrategy.ROUND_ROBIN && !a.equals(b)) {
        throw new IllegalStateException("round robin differs at pick " + i + ": " + a + ", " + b);
      }
      fromSet.add(a);
      fromNaive.add(b);
    }
    Set<Provider> all = Set.copyOf(list);
    if (!fromSet.equals(all) || !fromNaive.equals(all)) {
      throw new IllegalStateException(
          "picks did not cover the providers: "
              + fromSet.size()
              + " and "
              + fromNaive.size()
              + " of "
              + all.size());
    }
  }
}
