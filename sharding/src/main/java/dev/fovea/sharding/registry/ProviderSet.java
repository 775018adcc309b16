package dev.fovea.sharding.registry;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An immutable snapshot of a procedure's providers, in registration order, as a node caches it.
 * Selection over it is O(1) for a first attempt; a retry, which excludes the providers already
 * tried, walks the array once. Safe for many threads: only the round-robin counter changes.
 */
public final class ProviderSet {
  private final Provider[] providers;
  private final AtomicInteger roundRobin = new AtomicInteger();

  public ProviderSet(List<Provider> providers) {
    this.providers = providers.toArray(new Provider[0]);
  }

  public int size() {
    return providers.length;
  }

  public List<Provider> providers() {
    return List.of(providers);
  }

  /**
   * Picks a provider not in {@code excluded}, preferring those not on a node in {@code avoidNodes}
   * (addresses); {@code null} when every provider is excluded.
   */
  public Provider select(
      SelectionStrategy strategy, Set<String> excluded, String callerNode, Set<String> avoidNodes) {
    if (!avoidNodes.isEmpty()) {
      Provider reachable = pick(strategy, excluded, callerNode, avoidNodes);
      if (reachable != null) {
        return reachable;
      }
    }
    return pick(strategy, excluded, callerNode, Set.of());
  }

  private Provider pick(
      SelectionStrategy strategy, Set<String> excluded, String callerNode, Set<String> avoid) {
    int n = providers.length;
    if (n == 0) {
      return null;
    }
    if (excluded.isEmpty() && avoid.isEmpty()) {
      return switch (strategy) {
        case RANDOM -> providers[ThreadLocalRandom.current().nextInt(n)];
        case ROUND_ROBIN -> providers[Math.floorMod(roundRobin.getAndIncrement(), n)];
        case FIRST -> providers[0];
        case LOCAL_FIRST -> {
          Provider local = local(callerNode, excluded, avoid);
          yield local != null ? local : providers[ThreadLocalRandom.current().nextInt(n)];
        }
      };
    }
    int eligible = 0;
    for (Provider p : providers) {
      if (isEligible(p, excluded, avoid)) {
        eligible++;
      }
    }
    if (eligible == 0) {
      return null;
    }
    return switch (strategy) {
      case RANDOM -> nth(ThreadLocalRandom.current().nextInt(eligible), excluded, avoid);
      case ROUND_ROBIN ->
          nth(Math.floorMod(roundRobin.getAndIncrement(), eligible), excluded, avoid);
      case FIRST -> nth(0, excluded, avoid);
      case LOCAL_FIRST -> {
        Provider local = local(callerNode, excluded, avoid);
        yield local != null
            ? local
            : nth(ThreadLocalRandom.current().nextInt(eligible), excluded, avoid);
      }
    };
  }

  private static boolean isEligible(Provider p, Set<String> excluded, Set<String> avoid) {
    return !excluded.contains(p.providerId())
        && (avoid.isEmpty() || !avoid.contains(p.endpoint().path().address().toString()));
  }

  private Provider nth(int k, Set<String> excluded, Set<String> avoid) {
    for (Provider p : providers) {
      if (isEligible(p, excluded, avoid) && k-- == 0) {
        return p;
      }
    }
    return null;
  }

  /** A provider on the caller's node, starting the search at random to spread over several. */
  private Provider local(String callerNode, Set<String> excluded, Set<String> avoid) {
    int n = providers.length;
    int start = ThreadLocalRandom.current().nextInt(n);
    for (int i = 0; i < n; i++) {
      Provider p = providers[(start + i) % n];
      if (p.nodeId().equals(callerNode) && isEligible(p, excluded, avoid)) {
        return p;
      }
    }
    return null;
  }
}
