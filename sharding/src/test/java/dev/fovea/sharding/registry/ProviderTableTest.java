package dev.fovea.sharding.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

// The table never touches a provider's endpoint, so the providers here have none.
class ProviderTableTest {

  private static final Set<String> NONE = Set.of();

  private final ProviderTable table = new ProviderTable();

  private static Provider provider(String id, String node) {
    return new Provider(id, node, null);
  }

  private Provider add(String id, String node) {
    Provider p = provider(id, node);
    table.upsert(p, Long.MAX_VALUE);
    return p;
  }

  @Test
  void upsertOfANewProviderAddsIt() {
    Provider a = provider("a", "n1");

    assertThat(table.upsert(a, 100)).isTrue();

    assertThat(table.size()).isEqualTo(1);
    assertThat(table.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.provider()).isEqualTo(a);
              assertThat(e.expiresAtMillis()).isEqualTo(100);
            });
  }

  @Test
  void upsertOfAKnownProviderRefreshesItsExpiryOnly() {
    Provider a = provider("a", "n1");
    table.upsert(a, 100);

    assertThat(table.upsert(a, 500)).isFalse();

    assertThat(table.size()).isEqualTo(1);
    assertThat(table.entries())
        .singleElement()
        .extracting(e -> e.expiresAtMillis())
        .isEqualTo(500L);
  }

  @Test
  void refreshKeepsRegistrationOrder() {
    Provider a = add("a", "n1");
    Provider b = add("b", "n1");

    table.upsert(a, 1_000);

    assertThat(table.select(SelectionStrategy.FIRST, NONE, null)).isEqualTo(a);
    assertThat(table.select(SelectionStrategy.FIRST, Set.of("a"), null)).isEqualTo(b);
  }

  @Test
  void removeFromTheMiddleKeepsTheOthersSelectable() {
    Provider a = add("a", "n1");
    add("b", "n1");
    Provider c = add("c", "n1");

    assertThat(table.remove("b")).isTrue();

    assertThat(table.providers()).containsExactlyInAnyOrder(a, c);
    assertThat(table.select(SelectionStrategy.FIRST, NONE, null)).isEqualTo(a);
    assertThat(table.select(SelectionStrategy.FIRST, Set.of("a"), null)).isEqualTo(c);
    assertThat(table.select(SelectionStrategy.FIRST, Set.of("a", "c"), null)).isNull();
  }

  @Test
  void removeOfAnUnknownProviderChangesNothing() {
    Provider a = add("a", "n1");

    assertThat(table.remove("b")).isFalse();

    assertThat(table.providers()).containsExactly(a);
  }

  @Test
  void removedProviderRegisteredAgainComesLastForFirst() {
    Provider a = add("a", "n1");
    Provider b = add("b", "n1");

    table.remove("a");
    table.upsert(a, Long.MAX_VALUE);

    assertThat(table.select(SelectionStrategy.FIRST, NONE, null)).isEqualTo(b);
    assertThat(table.select(SelectionStrategy.FIRST, Set.of("b"), null)).isEqualTo(a);
  }

  /**
   * Swap-removal moves the last provider into the freed slot; a slot index left stale in the map
   * would make a later remove take out the wrong provider. Checked against a map that keeps
   * registration order the way the table promises to.
   */
  @Test
  void randomChurnMatchesAReferenceMap() {
    Random random = new Random(42);
    Map<String, Long> reference = new LinkedHashMap<>();
    Map<String, Provider> byId = new HashMap<>();
    long now = 0;

    for (int step = 0; step < 20_000; step++) {
      String id = "p" + random.nextInt(40);
      int op = random.nextInt(10);
      if (op < 5) {
        long expiry = now + 1 + random.nextInt(500);
        Provider p = byId.computeIfAbsent(id, k -> provider(k, "n" + random.nextInt(3)));
        assertThat(table.upsert(p, expiry)).isEqualTo(!reference.containsKey(id));
        reference.put(id, expiry);
      } else if (op < 9) {
        assertThat(table.remove(id)).isEqualTo(reference.remove(id) != null);
      } else {
        now += random.nextInt(100);
        Set<String> expected = new HashSet<>();
        for (Map.Entry<String, Long> e : reference.entrySet()) {
          if (e.getValue() <= now) {
            expected.add(e.getKey());
          }
        }
        Set<String> reported = new HashSet<>();

        int removed = table.removeExpired(now, e -> reported.add(e.provider().providerId()));

        assertThat(reported).isEqualTo(expected);
        assertThat(removed).isEqualTo(expected.size());
        reference.keySet().removeAll(expected);
      }

      assertThat(ids(table.providers())).isEqualTo(reference.keySet());
    }

    assertThat(table.size()).isPositive();
    assertThat(selectInFirstOrder()).containsExactlyElementsOf(reference.keySet());
  }

  private List<String> selectInFirstOrder() {
    Set<String> excluded = new HashSet<>();
    List<String> order = new ArrayList<>();
    Provider next;
    while ((next = table.select(SelectionStrategy.FIRST, excluded, null)) != null) {
      order.add(next.providerId());
      excluded.add(next.providerId());
    }
    return order;
  }

  private static Set<String> ids(Iterable<Provider> providers) {
    Set<String> ids = new HashSet<>();
    providers.forEach(p -> ids.add(p.providerId()));
    return ids;
  }

  @Test
  void removeExpiredRemovesAProviderWhoseExpiryIsNow() {
    Provider a = provider("a", "n1");
    Provider b = provider("b", "n1");
    table.upsert(a, 100);
    table.upsert(b, 101);
    List<Provider> reported = new ArrayList<>();

    assertThat(table.removeExpired(99, e -> reported.add(e.provider()))).isZero();
    assertThat(table.providers()).containsExactlyInAnyOrder(a, b);

    assertThat(table.removeExpired(100, e -> reported.add(e.provider()))).isEqualTo(1);
    assertThat(reported).containsExactly(a);
    assertThat(table.providers()).containsExactly(b);
  }

  @Test
  void removeExpiredCanEmptyTheTable() {
    table.upsert(provider("a", "n1"), 10);
    table.upsert(provider("b", "n1"), 20);
    table.upsert(provider("c", "n1"), 30);

    assertThat(table.removeExpired(30, e -> {})).isEqualTo(3);

    assertThat(table.isEmpty()).isTrue();
  }

  @Test
  void removeNodeRemovesOnlyThatNodesProviders() {
    add("a", "n1");
    Provider b = add("b", "n2");
    add("c", "n1");
    Provider d = add("d", "n2");
    add("e", "n1");

    assertThat(table.removeNode("n1")).isEqualTo(3);

    assertThat(table.providers()).containsExactlyInAnyOrder(b, d);
    assertThat(table.removeNode("n3")).isZero();
    assertThat(table.select(SelectionStrategy.FIRST, NONE, null)).isEqualTo(b);
  }

  @Test
  void randomPicksOnlyProvidersNotExcludedAndReachesEachOfThem() {
    add("a", "n1");
    add("b", "n1");
    add("c", "n1");
    add("d", "n1");
    Set<String> seen = new HashSet<>();

    for (int i = 0; i < 2_000; i++) {
      seen.add(table.select(SelectionStrategy.RANDOM, Set.of("b"), null).providerId());
    }

    assertThat(seen).containsExactlyInAnyOrder("a", "c", "d");
  }

  @Test
  void roundRobinAlternatesBetweenTwo() {
    add("a", "n1");
    add("b", "n1");

    List<String> picks = pick(SelectionStrategy.ROUND_ROBIN, 10, null);

    assertThat(Set.copyOf(picks)).containsExactlyInAnyOrder("a", "b");
    for (int i = 1; i < picks.size(); i++) {
      assertThat(picks.get(i)).isNotEqualTo(picks.get(i - 1));
    }
  }

  @Test
  void roundRobinCyclesThroughThreeInAFixedOrder() {
    add("a", "n1");
    add("b", "n1");
    add("c", "n1");

    List<String> picks = pick(SelectionStrategy.ROUND_ROBIN, 12, null);

    assertThat(Set.copyOf(picks.subList(0, 3))).containsExactlyInAnyOrder("a", "b", "c");
    for (int i = 3; i < picks.size(); i++) {
      assertThat(picks.get(i)).isEqualTo(picks.get(i - 3));
    }
  }

  @Test
  void roundRobinSkipsAnExcludedProvider() {
    add("a", "n1");
    add("b", "n1");
    add("c", "n1");

    for (int i = 0; i < 6; i++) {
      assertThat(table.select(SelectionStrategy.ROUND_ROBIN, Set.of("b"), null).providerId())
          .isIn("a", "c");
    }
  }

  @Test
  void firstReturnsTheEarliestRegisteredThenTheNext() {
    Provider a = add("a", "n1");
    Provider b = add("b", "n2");
    Provider c = add("c", "n1");

    assertThat(table.select(SelectionStrategy.FIRST, NONE, null)).isEqualTo(a);
    assertThat(table.select(SelectionStrategy.FIRST, NONE, null)).isEqualTo(a);
    assertThat(table.select(SelectionStrategy.FIRST, Set.of("a"), null)).isEqualTo(b);

    table.remove("a");

    assertThat(table.select(SelectionStrategy.FIRST, NONE, null)).isEqualTo(b);
    assertThat(table.select(SelectionStrategy.FIRST, Set.of("b"), null)).isEqualTo(c);
  }

  @Test
  void localFirstPrefersAProviderOnTheCallersNode() {
    add("a", "n1");
    add("b", "n2");
    add("c", "n3");

    assertThat(pick(SelectionStrategy.LOCAL_FIRST, 200, "n2")).containsOnly("b");
  }

  @Test
  void localFirstSpreadsOverSeveralLocalProviders() {
    add("a", "n1");
    add("b", "n2");
    add("c", "n2");

    assertThat(Set.copyOf(pick(SelectionStrategy.LOCAL_FIRST, 500, "n2")))
        .containsExactlyInAnyOrder("b", "c");
  }

  @Test
  void localFirstFallsBackToAnotherNode() {
    add("a", "n1");
    add("b", "n2");
    add("c", "n3");
    Set<String> seen = new HashSet<>();

    for (int i = 0; i < 500; i++) {
      seen.add(table.select(SelectionStrategy.LOCAL_FIRST, Set.of("a"), "n1").providerId());
    }

    assertThat(seen).containsExactlyInAnyOrder("b", "c");
    assertThat(Set.copyOf(pick(SelectionStrategy.LOCAL_FIRST, 500, "n9")))
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(Set.copyOf(pick(SelectionStrategy.LOCAL_FIRST, 500, null)))
        .containsExactlyInAnyOrder("a", "b", "c");
  }

  @ParameterizedTest
  @EnumSource(SelectionStrategy.class)
  void selectReturnsNullOnAnEmptyTable(SelectionStrategy strategy) {
    assertThat(table.select(strategy, NONE, "n1")).isNull();
  }

  @ParameterizedTest
  @EnumSource(SelectionStrategy.class)
  void selectReturnsNullWhenEveryProviderIsExcluded(SelectionStrategy strategy) {
    add("a", "n1");
    add("b", "n2");

    assertThat(table.select(strategy, Set.of("a", "b"), "n1")).isNull();
    assertThat(table.select(strategy, Set.of("a", "b", "gone"), "n1")).isNull();
  }

  @ParameterizedTest
  @EnumSource(SelectionStrategy.class)
  void selectIgnoresExclusionsOfProvidersThatAreGone(SelectionStrategy strategy) {
    Provider a = add("a", "n1");

    assertThat(table.select(strategy, Set.of("x", "y", "z"), "n1")).isEqualTo(a);
  }

  private List<String> pick(SelectionStrategy strategy, int times, String callerNode) {
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      picks.add(table.select(strategy, NONE, callerNode).providerId());
    }
    return picks;
  }
}
