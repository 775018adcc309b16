package dev.fovea.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NaiveNthSelectorTest {
  @Test
  void roundRobin_cyclesThroughProvidersInOrderPerProcedure() {
    NaiveNthSelector<String> selector = new NaiveNthSelector<>(List.of("p1", "p2", "p3"));

    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picks.add(selector.roundRobin("proc.a"));
    }

    assertThat(picks).containsExactly("p1", "p2", "p3", "p1");
    assertThat(selector.roundRobin("proc.b")).isEqualTo("p1");
  }

  @Test
  void random_picksEveryProviderEventually() {
    NaiveNthSelector<String> selector = new NaiveNthSelector<>(List.of("p1", "p2", "p3"));

    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      picks.add(selector.random());
    }

    assertThat(picks).containsOnly("p1", "p2", "p3").contains("p1", "p2", "p3");
  }
}
