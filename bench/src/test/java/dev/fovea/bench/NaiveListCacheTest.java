package dev.fovea.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The list-scan LRU behaves as macula's {@code macula_cache}, or the comparison is meaningless. */
class NaiveListCacheTest {
  @Test
  void put_overMaxSize_evictsTheLeastRecentlyUsed() {
    NaiveListCache<String, Integer> cache = new NaiveListCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);

    cache.put("c", 3);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("b")).isEqualTo(2);
    assertThat(cache.get("c")).isEqualTo(3);
  }

  @Test
  void get_hit_movesTheEntryToTheHead() {
    NaiveListCache<String, Integer> cache = new NaiveListCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);

    assertThat(cache.get("a")).isEqualTo(1);
    cache.put("c", 3);

    assertThat(cache.keyAt(0)).isEqualTo("c");
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo(1);
  }

  @Test
  void put_existingKey_replacesItsValueWithoutGrowing() {
    NaiveListCache<String, Integer> cache = new NaiveListCache<>(3);
    cache.put("a", 1);
    cache.put("b", 2);

    cache.put("a", 10);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.keyAt(0)).isEqualTo("a");
    assertThat(cache.get("a")).isEqualTo(10);
  }
}
