package dev.fovea.protocol.topic;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
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

  private static final int ROUNDS = 5;
  private static final int ADDS_PER_ROUND = 16;
  private static final int REMOVALS_PER_ROUND = 14;
  private static final int TOPICS_PER_CHECK = 200;

  /** Across all seeds, so that a generator too generous with wildcards is noticed. */
  private static final Outcomes OUTCOMES = new Outcomes();

  private record Subscription(String pattern, String value) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 17, 42, 1234, 99_991, 20_240_601})
  void matchesExactlyWhatTheReferenceMatcherMatchesThroughAddsAndRemovals(long seed) {
    Random random = new Random(seed);
    TopicTrie<String> trie = new TopicTrie<>();
    Set<Subscription> live = new LinkedHashSet<>();

    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < ADDS_PER_ROUND; i++) {
        Subscription added = new Subscription(randomPattern(random), "v" + random.nextInt(8));
        assertThat(trie.add(added.pattern(), added.value()))
            .as("seed %d, add %s", seed, added)
            .isEqualTo(live.add(added));
      }
      checkAgainstReference(seed, random, trie, live);

      for (int i = 0; i < REMOVALS_PER_ROUND; i++) {
        Subscription removed = pickForRemoval(random, live);
        assertThat(trie.remove(removed.pattern(), removed.value()))
            .as("seed %d, remove %s", seed, removed)
            .isEqualTo(live.remove(removed));
      }
      checkAgainstReference(seed, random, trie, live);
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
      long seed, Random random, TopicTrie<String> trie, Set<Subscription> live) {
    assertThat(trie.size()).isEqualTo(live.size());
    Set<String> livePatterns = live.stream().map(Subscription::pattern).collect(toSet());
    assertThat(trie.patternCount()).isEqualTo(livePatterns.size());
    assertThat(trie.patterns()).isEqualTo(livePatterns);

    for (int i = 0; i < TOPICS_PER_CHECK; i++) {
      String topic = randomTopic(random);
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
  private static Subscription pickForRemoval(Random random, Set<Subscription> live) {
    if (live.isEmpty() || random.nextInt(4) == 0) {
      return new Subscription(randomPattern(random), "v" + random.nextInt(8));
    }
    return new ArrayList<>(live).get(random.nextInt(live.size()));
  }

  /** One to six segments, with extra weight on {@code **} at the start and at the end. */
  private static String randomPattern(Random random) {
    List<String> segments = new ArrayList<>();
    int depth = 1 + random.nextInt(6);
    for (int i = 0; i < depth; i++) {
      segments.add(PATTERN_SEGMENTS[random.nextInt(PATTERN_SEGMENTS.length)]);
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

  private static String randomTopic(Random random) {
    List<String> segments = new ArrayList<>();
    int depth = 1 + random.nextInt(7);
    for (int i = 0; i < depth; i++) {
      segments.add(TOPIC_SEGMENTS[random.nextInt(TOPIC_SEGMENTS.length)]);
    }
    return String.join(".", segments);
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
