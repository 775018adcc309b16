package dev.fovea.sharding.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The providers of one procedure with their expiry times, kept in an array so that picking one is
 * O(1) whatever their number, and in a map from id to slot so that removing one is O(1) too (the
 * last provider moves into the freed slot). Registration order is kept separately, since {@code
 * first} needs it and swap-removal loses it.
 *
 * <p>Not thread-safe: owned by one entity.
 */
final class ProviderTable {
  private final ArrayList<Entry> slots = new ArrayList<>();
  private final Map<String, Integer> slotById = new HashMap<>();
  private long nextSequence;
  private int roundRobin;

  record Entry(Provider provider, long expiresAtMillis, long sequence) {}

  /** Adds or refreshes a provider; true when it was not there before. */
  boolean upsert(Provider provider, long expiresAtMillis) {
    Integer slot = slotById.get(provider.providerId());
    if (slot != null) {
      Entry old = slots.get(slot);
      slots.set(slot, new Entry(provider, expiresAtMillis, old.sequence()));
      return false;
    }
    slotById.put(provider.providerId(), slots.size());
    slots.add(new Entry(provider, expiresAtMillis, nextSequence++));
    return true;
  }

  boolean remove(String providerId) {
    Integer slot = slotById.remove(providerId);
    if (slot == null) {
      return false;
    }
    Entry last = slots.remove(slots.size() - 1);
    if (slot < slots.size()) {
      slots.set(slot, last);
      slotById.put(last.provider().providerId(), slot);
    }
    return true;
  }

  /** Removes every provider whose expiry is at or before {@code nowMillis}. */
  int removeExpired(long nowMillis, Consumer<Entry> onRemoved) {
    int removed = 0;
    for (int i = slots.size() - 1; i >= 0; i--) {
      Entry e = slots.get(i);
      if (e.expiresAtMillis() <= nowMillis) {
        remove(e.provider().providerId());
        onRemoved.accept(e);
        removed++;
      }
    }
    return removed;
  }

  /** Removes every provider of a node; returns how many. */
  int removeNode(String nodeId) {
    int removed = 0;
    for (int i = slots.size() - 1; i >= 0; i--) {
      Provider p = slots.get(i).provider();
      if (p.nodeId().equals(nodeId)) {
        remove(p.providerId());
        removed++;
      }
    }
    return removed;
  }

  /** The provider with this id, or {@code null}. */
  Provider get(String providerId) {
    Integer slot = slotById.get(providerId);
    return slot == null ? null : slots.get(slot).provider();
  }

  int size() {
    return slots.size();
  }

  boolean isEmpty() {
    return slots.isEmpty();
  }

  List<Entry> entries() {
    return List.copyOf(slots);
  }

  Collection<Provider> providers() {
    List<Provider> out = new ArrayList<>(slots.size());
    for (Entry e : slots) {
      out.add(e.provider());
    }
    return out;
  }

  /**
   * Picks a provider not in {@code excluded}, or {@code null} when none is left. Exclusions are the
   * few providers a call already tried (at most three), so the retry loop is short.
   */
  Provider select(SelectionStrategy strategy, Set<String> excluded, String callerNode) {
    int n = slots.size();
    if (n == 0) {
      return null;
    }
    if (!excluded.isEmpty()) {
      return selectExcluding(strategy, excluded, callerNode);
    }
    return switch (strategy) {
      case RANDOM -> slots.get(ThreadLocalRandom.current().nextInt(n)).provider();
      case ROUND_ROBIN -> slots.get(Math.floorMod(roundRobin++, n)).provider();
      case FIRST -> earliest(excluded);
      case LOCAL_FIRST -> {
        Provider local = local(callerNode, excluded);
        yield local != null ? local : slots.get(ThreadLocalRandom.current().nextInt(n)).provider();
      }
    };
  }

  /**
   * Selection on a retry, among the providers not yet tried. It walks the array, O(n), which is
   * paid only after a failure; drawing among the eligible ones keeps the choice uniform instead of
   * piling retries onto the neighbour of the provider that failed.
   */
  private Provider selectExcluding(
      SelectionStrategy strategy, Set<String> excluded, String callerNode) {
    int eligible = 0;
    for (Entry e : slots) {
      if (!excluded.contains(e.provider().providerId())) {
        eligible++;
      }
    }
    if (eligible == 0) {
      return null;
    }
    return switch (strategy) {
      case RANDOM -> nthEligible(ThreadLocalRandom.current().nextInt(eligible), excluded);
      case ROUND_ROBIN -> nthEligible(Math.floorMod(roundRobin++, eligible), excluded);
      case FIRST -> earliest(excluded);
      case LOCAL_FIRST -> {
        Provider local = local(callerNode, excluded);
        yield local != null
            ? local
            : nthEligible(ThreadLocalRandom.current().nextInt(eligible), excluded);
      }
    };
  }

  private Provider nthEligible(int k, Set<String> excluded) {
    for (Entry e : slots) {
      if (!excluded.contains(e.provider().providerId()) && k-- == 0) {
        return e.provider();
      }
    }
    return null;
  }

  private Provider earliest(Set<String> excluded) {
    Entry best = null;
    for (Entry e : slots) {
      if (!excluded.contains(e.provider().providerId())
          && (best == null || e.sequence() < best.sequence())) {
        best = e;
      }
    }
    return best == null ? null : best.provider();
  }

  private Provider local(String callerNode, Set<String> excluded) {
    if (callerNode == null) {
      return null;
    }
    int n = slots.size();
    int start = ThreadLocalRandom.current().nextInt(n);
    for (int i = 0; i < n; i++) {
      Provider p = slots.get((start + i) % n).provider();
      if (p.nodeId().equals(callerNode) && !excluded.contains(p.providerId())) {
        return p;
      }
    }
    return null;
  }
}
