package dev.fovea.bench;

import dev.fovea.sharding.registry.Provider;
import dev.fovea.sharding.registry.ProviderSet;
import dev.fovea.sharding.registry.SelectionStrategy;
import java.util.ArrayList;
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
  }

  @Benchmark
  public Provider providerSet() {
    return providerSet.select(strategy, Set.of(), CALLER_NODE, Set.of());
  }

  @Benchmark
  public Provider naiveNth() {
    return strategy == SelectionStrategy.RANDOM ? naive.random() : naive.roundRobin(PROCEDURE);
  }
}
