package dev.fovea.protocol.topic;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the trie against {@link Topics#matches}, the plain definition of matching, over random
 * subscriptions built from a small alphabet so that patterns overlap and share values.
 */
class TopicTriePropertyTest {
  /** Letters weigh more than wildcards, or nearly every topic would match something. */
  private static final String[] PATTERN_SEGMENTS = {"a", "b", "c", "a", "b", "c", "*", "**"};

  /** {@code d} appears in no pattern, so topics holding it only match through wildcards. */
  private static final String[] TOPIC_SEGMENTS = {"a", "b", "c", "d"};

  /**
   * Enough names that child tables and the segment dictionary grow, fill with removed entries and
   * are rebuilt; wildcards are rarer, so that deep patterns still match something.
   */
  private static final Alphabet WIDE = wideAlphabet(48);

  private static final Alphabet NARROW = new Alphabet(PATTERN_SEGMENTS, TOPIC_SEGMENTS, 6, 7);

  private static final int ROUNDS = 5;
  private static final int ADDS_PER_ROUND = 16;
  private static final int REMOVALS_PER_ROUND = 14;
  private static final int TOPICS_PER_CHECK = 200;

  /** Across all seeds, so that a generator too generous with wildcards is noticed. */
  private static final Outcomes OUTCOMES = new Outcomes();

  private record Subscription(String pattern, String value) {}

  /** Segments to draw patterns and topics from, and their greatest depths. */
  private record Alphabet(
      String[] patternSegments, String[] topicSegments, int patternDepth, int topicDepth) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 17, 42, 1234, 99_991, 20_240_601})
  void matchesExactlyWhatTheReferenceMatcherMatchesThroughAddsAndRemovals(long seed) {
    checkThroughAddsAndRemovals(seed, NARROW, ROUNDS, ADDS_PER_ROUND, REMOVALS_PER_ROUND);
  }

  @ParameterizedTest
  @ValueSource(longs = {5, 23, 4711})
  void matchesTheReferenceMatcherWithManyDistinctSegments(long seed) {
    int before = OUTCOMES.topicsWithSeveralMatches;

    checkThroughAddsAndRemovals(seed, WIDE, 8, 400, 360);

    assertThat(OUTCOMES.topicsWithSeveralMatches - before)
        .as("seed %d: topics matching several", seed)
        .isPositive();
  }

  /** Where the index keeps the wildcard patterns, and how its table computes keys. */
  enum Layout {
    /** Table first, trie for patterns of three {@code **} and past the table's shapes. */
    DEFAULT(() -> new TopicTrie<>()),
    /** Every wildcard pattern in the trie: the table takes no wildcard shape. */
    TRIE_ONLY(() -> new TopicTrie<>(0)),
    /** The first three wildcard shapes in the table, later ones in the trie. */
    SPLIT(() -> new TopicTrie<>(3)),
    /** Every pattern of a shape under one key, so every lookup must check the literals. */
    COLLIDING_KEYS(() -> new TopicTrie<>(ShapeTable.DEFAULT_MAX_WILDCARD_SHAPES, () -> 0L));

    final Supplier<TopicTrie<String>> index;

    Layout(Supplier<TopicTrie<String>> index) {
      this.index = index;
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void matchesTheReferenceMatcherInEveryLayout(Layout layout) {
    for (long seed : new long[] {7, 8, 9, 10}) {
      checkThroughAddsAndRemovals(seed, NARROW, ROUNDS, ADDS_PER_ROUND, REMOVALS_PER_ROUND, layout);
    }
    checkThroughAddsAndRemovals(11, WIDE, 8, 400, 360, layout);
  }

  private static void checkThroughAddsAndRemovals(
      long seed, Alphabet alphabet, int rounds, int addsPerRound, int removalsPerRound) {
    checkThroughAddsAndRemovals(
        seed, alphabet, rounds, addsPerRound, removalsPerRound, Layout.DEFAULT);
  }

  private static void checkThroughAddsAndRemovals(
      long seed,
      Alphabet alphabet,
      int rounds,
      int addsPerRound,
      int removalsPerRound,
      Layout layout) {
    Random random = new Random(seed);
    TopicTrie<String> trie = layout.index.get();
    Set<Subscription> live = new LinkedHashSet<>();

    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < addsPerRound; i++) {
        Subscription added =
            new Subscription(randomPattern(random, alphabet), "v" + random.nextInt(8));
        assertThat(trie.add(added.pattern(), added.value()))
            .as("seed %d, add %s", seed, added)
            .isEqualTo(live.add(added));
      }
      checkAgainstReference(seed, random, alphabet, trie, live);

      for (int i = 0; i < removalsPerRound; i++) {
        Subscription removed = pickForRemoval(random, alphabet, live);
        assertThat(trie.remove(removed.pattern(), removed.value()))
            .as("seed %d, remove %s", seed, removed)
            .isEqualTo(live.remove(removed));
      }
      checkAgainstReference(seed, random, alphabet, trie, live);
    }

    for (Subscription subscription : List.copyOf(live)) {
      assertThat(trie.remove(subscription.pattern(), subscription.value())).isTrue();
    }
    assertThat(trie.isEmpty()).isTrue();
    assertThat(trie.patternCount()).isZero();
  }

  @AfterAll
  static void randomTopicsExercisedEmptyAndDeduplicatedResults() {
    assertThat(OUTCOMES.topicsWithNoMatch).as("topics matching nothing").isPositive();
    assertThat(OUTCOMES.topicsWithSeveralMatches).as("topics matching several").isPositive();
  }

  private static void checkAgainstReference(
      long seed, Random random, Alphabet alphabet, TopicTrie<String> trie, Set<Subscription> live) {
    assertThat(trie.size()).isEqualTo(live.size());
    Set<String> livePatterns = live.stream().map(Subscription::pattern).collect(toSet());
    assertThat(trie.patternCount()).isEqualTo(livePatterns.size());
    assertThat(trie.patterns()).isEqualTo(livePatterns);

    for (int i = 0; i < TOPICS_PER_CHECK; i++) {
      String topic = randomTopic(random, alphabet);
      Set<String> expected =
          live.stream()
              .filter(s -> Topics.matches(s.pattern(), topic))
              .map(Subscription::value)
              .collect(toSet());
      List<String> visited = new ArrayList<>();
      trie.forEachMatch(topic, visited::add);

      assertThat(trie.match(topic)).as("seed %d, topic %s", seed, topic).isEqualTo(expected);
      assertThat(visited)
          .as("seed %d, topic %s visits each value once", seed, topic)
          .doesNotHaveDuplicates()
          .hasSameSizeAs(expected);
      OUTCOMES.record(expected.size());
    }
  }

  /** Mostly a live subscription, sometimes one that was never added or whose value differs. */
  private static Subscription pickForRemoval(
      Random random, Alphabet alphabet, Set<Subscription> live) {
    if (live.isEmpty() || random.nextInt(4) == 0) {
      return new Subscription(randomPattern(random, alphabet), "v" + random.nextInt(8));
    }
    return new ArrayList<>(live).get(random.nextInt(live.size()));
  }

  /** One to the alphabet's depth of segments, with extra weight on {@code **} at either end. */
  private static String randomPattern(Random random, Alphabet alphabet) {
    List<String> segments = new ArrayList<>();
    String[] names = alphabet.patternSegments();
    int depth = 1 + random.nextInt(alphabet.patternDepth());
    for (int i = 0; i < depth; i++) {
      segments.add(names[random.nextInt(names.length)]);
    }
    if (random.nextInt(6) == 0) {
      segments.set(0, "**");
    }
    if (random.nextInt(6) == 0) {
      segments.set(depth - 1, "**");
    }
    String pattern = String.join(".", segments);
    Topics.validatePattern(pattern, TopicLimits.DEFAULT);
    return pattern;
  }

  private static String randomTopic(Random random, Alphabet alphabet) {
    List<String> segments = new ArrayList<>();
    String[] names = alphabet.topicSegments();
    int depth = 1 + random.nextInt(alphabet.topicDepth());
    for (int i = 0; i < depth; i++) {
      segments.add(names[random.nextInt(names.length)]);
    }
    return String.join(".", segments);
  }

  /**
   * Names {@code s0} to {@code s<n-1>}; topics draw from the first third only, so that they share
   * segments with many patterns, plus one name no pattern has.
   */
  private static Alphabet wideAlphabet(int names) {
    List<String> patternSegments = new ArrayList<>();
    for (int i = 0; i < names; i++) {
      patternSegments.add("s" + i);
    }
    for (int i = 0; i < names / 8; i++) {
      patternSegments.add(i % 2 == 0 ? "*" : "**");
    }
    List<String> topicSegments = new ArrayList<>(patternSegments.subList(0, names / 3));
    topicSegments.add("unused");
    return new Alphabet(
        patternSegments.toArray(String[]::new), topicSegments.toArray(String[]::new), 8, 8);
  }

  /** Proof that the random topics exercised both empty and deduplicated results. */
  private static final class Outcomes {
    int topicsWithNoMatch;
    int topicsWithSeveralMatches;

    void record(int matched) {
      if (matched == 0) {
        topicsWithNoMatch++;
      } else if (matched > 1) {
        topicsWithSeveralMatches++;
      }
    }
  }
}
