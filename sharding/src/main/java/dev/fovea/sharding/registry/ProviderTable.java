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
 * last provider moves into the freed slot). Registration order is kept separately, since
 * {@code first} needs it and swap-removal loses it.
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
   * Picks a provider not in {@code excluded}, or {@code null} when none is left. Exclusions are
   * the few providers a call already tried (at most three), so the retry loop is short.
   */
  Provider select(SelectionStrategy strategy, Set<String> excluded, String callerNode) {
    int n = slots.size();
    if (n == 0 || excluded.size() >= n && allExcluded(excluded)) {
      return null;
    }
    return switch (strategy) {
      case RANDOM -> pickFrom(ThreadLocalRandom.current().nextInt(n), excluded);
      case ROUND_ROBIN -> pickFrom(Math.floorMod(roundRobin++, n), excluded);
      case FIRST -> earliest(excluded);
      case LOCAL_FIRST -> {
        Provider local = local(callerNode, excluded);
        yield local != null ? local : pickFrom(ThreadLocalRandom.current().nextInt(n), excluded);
      }
    };
  }

  /** The provider at {@code start}, or the next one after it that is not excluded. */
  private Provider pickFrom(int start, Set<String> excluded) {
    int n = slots.size();
    for (int i = 0; i < n; i++) {
      Provider p = slots.get((start + i) % n).provider();
      if (!excluded.contains(p.providerId())) {
        return p;
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

  private boolean allExcluded(Set<String> excluded) {
    for (Entry e : slots) {
      if (!excluded.contains(e.provider().providerId())) {
        return false;
      }
    }
    return true;
  }
}
