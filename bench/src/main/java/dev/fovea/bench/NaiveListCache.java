package dev.fovea.bench;

import java.util.Arrays;

/**
 * macula's {@code macula_cache}: an LRU kept as one list, most recent first. A put filters the old
 * entry for the key out of the whole list, puts the new entry at the head, and, when the list is
 * over its size, cuts it to size. A get scans the list from the head and, on a hit, puts the entry
 * again, which moves it to the head and gives it a new timestamp.
 *
 * <p>Erlang lists are immutable, so {@code lists:filter} and {@code lists:sublist} each build a new
 * list; here each builds a new array. Putting at the head costs nothing extra in Erlang, so the
 * filter leaves the first slot free for it. As in macula, nothing ever reads the timestamp to
 * expire an entry. Not thread-safe: in macula the cache is a value owned by one process.
 *
 * @param <K> the key
 * @param <V> the value
 */
final class NaiveListCache<K, V> {
  private final int maxSize;
  private Entry<?, ?>[] entries = new Entry<?, ?>[0];

  NaiveListCache(int maxSize) {
    if (maxSize <= 0) {
      throw new IllegalArgumentException("maxSize must be positive, was " + maxSize);
    }
    this.maxSize = maxSize;
  }

  void put(K key, V value) {
    Entry<?, ?>[] old = entries;
    Entry<?, ?>[] filtered = new Entry<?, ?>[old.length + 1];
    int n = 1;
    for (Entry<?, ?> e : old) {
      if (!e.key().equals(key)) {
        filtered[n++] = e;
      }
    }
    filtered[0] = new Entry<>(key, value, System.currentTimeMillis());

    if (n > maxSize) {
      entries = Arrays.copyOf(filtered, maxSize);
    } else {
      entries = n == filtered.length ? filtered : Arrays.copyOf(filtered, n);
    }
  }

  /** The value for the key, or {@code null}; a hit moves the entry to the head. */
  @SuppressWarnings("unchecked")
  V get(K key) {
    for (Entry<?, ?> e : entries) {
      if (e.key().equals(key)) {
        V value = (V) e.value();
        put(key, value);
        return value;
      }
    }
    return null;
  }

  int size() {
    return entries.length;
  }

  /** The key at a position from the most recent; for tests. */
  Object keyAt(int index) {
    return entries[index].key();
  }

  private record Entry<K, V>(K key, V value, long timestampMillis) {}
}
