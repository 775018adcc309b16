package dev.fovea.sharding.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private ProviderSet view;

  record Entry(Provider provider, long expiresAtMillis, long sequence) {}

  /** Adds or refreshes a provider; true when it was not there before. */
  boolean upsert(Provider provider, long expiresAtMillis) {
    Integer slot = slotById.get(provider.providerId());
    if (slot != null) {
      Entry old = slots.get(slot);
      slots.set(slot, new Entry(provider, expiresAtMillis, old.sequence()));
      view = null;
      return false;
    }
    slotById.put(provider.providerId(), slots.size());
    slots.add(new Entry(provider, expiresAtMillis, nextSequence++));
    view = null;
    return true;
  }

  boolean remove(String providerId) {
    Integer slot = slotById.remove(providerId);
    if (slot == null) {
      return false;
    }
    view = null;
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
   * Picks a provider not in {@code excluded}, or {@code null} when none is left. Selection is that
   * of {@link ProviderSet}, over a snapshot in registration order that is rebuilt only when the
   * providers change.
   */
  Provider select(SelectionStrategy strategy, Set<String> excluded, String callerNode) {
    return select(strategy, excluded, callerNode, Set.of());
  }

  Provider select(
      SelectionStrategy strategy, Set<String> excluded, String callerNode, Set<String> avoidNodes) {
    if (view == null) {
      view = new ProviderSet(ordered());
    }
    return view.select(strategy, excluded, callerNode, avoidNodes);
  }

  /** The providers in registration order. */
  List<Provider> ordered() {
    List<Entry> entries = new ArrayList<>(slots);
    entries.sort(java.util.Comparator.comparingLong(Entry::sequence));
    List<Provider> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.provider());
    }
    return out;
  }
}
