package dev.fovea.protocol.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TopicTrieTest {
  private final TopicTrie<String> trie = new TopicTrie<>();

  @Test
  void matchesExactAndWildcardSubscriptions() {
    trie.add("sensor.kitchen.temp", "exact");
    trie.add("sensor.*.temp", "any-room");
    trie.add("sensor.**", "all-sensors");
    trie.add("**.temp", "all-temps");
    trie.add("**", "everything");
    trie.add("sensor.*", "one-level");
    trie.add("light.**", "lights");

    assertThat(trie.match("sensor.kitchen.temp"))
        .containsExactlyInAnyOrder("exact", "any-room", "all-sensors", "all-temps", "everything");
    assertThat(trie.match("sensor.hall.temp"))
        .containsExactlyInAnyOrder("any-room", "all-sensors", "all-temps", "everything");
    assertThat(trie.match("sensor"))
        .as("a trailing ** also matches zero segments")
        .containsExactlyInAnyOrder("all-sensors", "everything");
    assertThat(trie.match("temp")).containsExactlyInAnyOrder("all-temps", "everything");
    assertThat(trie.match("sensor.hall"))
        .containsExactlyInAnyOrder("one-level", "all-sensors", "everything");
  }

  @Test
  void matchesGlobstarsInTheMiddleAndSeveralInOnePattern() {
    trie.add("a.**.z", "middle");
    trie.add("**.b.**", "around-b");
    trie.add("a.**.**.z", "twice");

    assertThat(trie.match("a.z")).containsExactlyInAnyOrder("middle", "twice");
    assertThat(trie.match("a.b.c.z")).containsExactlyInAnyOrder("middle", "twice", "around-b");
    assertThat(trie.match("b")).containsExactly("around-b");
    assertThat(trie.match("a.z.q")).isEmpty();
  }

  @Test
  void returnsAnEmptySetWhenNothingMatches() {
    assertThat(trie.match("a.b")).isEmpty();

    trie.add("a.*.c", "v");

    assertThat(trie.match("a.b")).isEmpty();
    assertThat(trie.match("A.b.c")).as("segments compare case-sensitively").isEmpty();
  }

  @Test
  void reportsAValueOnceHoweverManyOfItsPatternsMatch() {
    trie.add("a.*", "session");
    trie.add("a.**", "session");
    trie.add("a.b", "session");
    trie.add("**", "other");
    List<String> visited = new ArrayList<>();

    trie.forEachMatch("a.b", visited::add);

    assertThat(visited).containsExactlyInAnyOrder("session", "other");
    assertThat(trie.match("a.b")).containsExactlyInAnyOrder("session", "other");
  }

  @Test
  void stopsReportingRemovedSubscriptions() {
    trie.add("a.*", "first");
    trie.add("a.*", "second");

    assertThat(trie.remove("a.*", "first")).isTrue();

    assertThat(trie.match("a.b")).containsExactly("second");
    assertThat(trie.size()).isEqualTo(1);
    assertThat(trie.patternCount()).isEqualTo(1);
  }

  @Test
  void prunesNodesSoThatAnEmptiedTrieHoldsNothing() {
    trie.add("a.b.c", "v");
    trie.add("a.**.c", "v");
    trie.add("a.*", "w");
    trie.add("**", "w");

    trie.remove("a.b.c", "v");
    trie.remove("a.**.c", "v");
    trie.remove("a.*", "w");
    trie.remove("**", "w");

    assertThat(trie.patternCount()).isZero();
    assertThat(trie.size()).isZero();
    assertThat(trie.isEmpty()).isTrue();
    assertThat(trie.patterns()).isEmpty();
    assertThat(trie.match("a.b.c")).isEmpty();
  }

  @Test
  void keepsTheRestOfAPathWhenPruningABranch() {
    trie.add("a.b", "short");
    trie.add("a.b.c.d", "long");

    trie.remove("a.b.c.d", "long");

    assertThat(trie.match("a.b")).containsExactly("short");
    assertThat(trie.patterns()).containsExactly("a.b");
  }

  @Test
  void addingAndRemovingTwiceChangesNothingTheSecondTime() {
    assertThat(trie.add("a.*", "v")).isTrue();
    assertThat(trie.add("a.*", "v")).isFalse();
    assertThat(trie.size()).isEqualTo(1);

    assertThat(trie.remove("a.*", "v")).isTrue();
    assertThat(trie.remove("a.*", "v")).isFalse();
    assertThat(trie.remove("never.added", "v")).isFalse();
    assertThat(trie.remove("a.*", "other")).isFalse();
    assertThat(trie.isEmpty()).isTrue();
  }

  @Test
  void countsPairsAndDistinctPatterns() {
    trie.add("a.*", "v");
    trie.add("a.*", "w");
    trie.add("a.**", "v");

    assertThat(trie.size()).isEqualTo(3);
    assertThat(trie.patternCount()).isEqualTo(2);
    assertThat(trie.patterns()).containsExactlyInAnyOrder("a.*", "a.**");
  }

  @Test
  void patternsIsASnapshotUnaffectedByLaterChanges() {
    trie.add("a.b", "v");
    Set<String> snapshot = trie.patterns();

    trie.add("c.d", "v");
    trie.remove("a.b", "v");

    assertThat(snapshot).containsExactly("a.b");
  }

  /**
   * Without the memo of nested globstars this match takes on the order of 10^12 steps. The timeout
   * runs the test on its own thread so that a runaway match is reported rather than waited for.
   */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void matchesManyNestedGlobstarsAgainstADeepTopicWithoutBlowingUp() {
    String pattern = "**.".repeat(15) + "x";
    String deepTopic = "a" + ".a".repeat(31);
    trie.add(pattern, "nested");
    trie.add("**.**.**.**.**.**.a", "ends-in-a");

    assertThat(trie.match(deepTopic)).containsExactly("ends-in-a");
    assertThat(trie.match(deepTopic + ".x")).containsExactly("nested");
  }

  @Test
  void findsASegmentAgainAfterItsLastPatternWasRemovedAndAnotherAdded() {
    trie.add("a.kitchen.*", "first");
    trie.remove("a.kitchen.*", "first");
    trie.add("b.*.kitchen", "second");
    trie.add("b.kitchen.**", "third");

    assertThat(trie.match("a.kitchen.temp")).isEmpty();
    assertThat(trie.match("b.hall.kitchen")).containsExactly("second");
    assertThat(trie.match("b.kitchen.kitchen")).containsExactlyInAnyOrder("second", "third");
  }

  @Test
  void matchesAgainWhenABranchIsPrunedAndRegrownToAnotherDepth() {
    trie.add("a.*.c", "short");
    trie.remove("a.*.c", "short");
    trie.add("a.*.c.d.e", "long");
    trie.add("a.b", "exact");

    assertThat(trie.match("a.b.c")).isEmpty();
    assertThat(trie.match("a.b.c.d.e")).containsExactly("long");
    assertThat(trie.match("a.b")).containsExactly("exact");
  }

  @Test
  void keepsMatchingThroughChildTablesThatGrowAndLoseEntries() {
    for (int i = 0; i < 200; i++) {
      trie.add("room" + i + ".*", "room" + i);
    }
    for (int i = 0; i < 200; i += 2) {
      trie.remove("room" + i + ".*", "room" + i);
    }
    for (int i = 0; i < 200; i += 4) {
      trie.add("room" + i + ".*", "again" + i);
    }

    assertThat(trie.match("room1.temp")).containsExactly("room1");
    assertThat(trie.match("room2.temp")).isEmpty();
    assertThat(trie.match("room4.temp")).containsExactly("again4");
    assertThat(trie.match("room199.temp")).containsExactly("room199");
    assertThat(trie.size()).isEqualTo(150);
    assertThat(trie.patternCount()).isEqualTo(150);
  }

  @Test
  void matchesTopicsDeeperThanTheDepthsItTracksOneByOne() {
    String deep = "a" + ".a".repeat(69);
    trie.add("a.**", "tail");
    trie.add("*" + ".*".repeat(69), "seventy-stars");
    trie.add("*" + ".*".repeat(68), "sixty-nine-stars");
    trie.add("**.a.a", "head");

    assertThat(trie.match(deep)).containsExactlyInAnyOrder("tail", "seventy-stars", "head");
    assertThat(trie.match(deep + ".a"))
        .as("71 segments: more than seventy stars can take")
        .containsExactlyInAnyOrder("tail", "head");
  }

  @Test
  void deduplicatesAValueReportedByManyPatterns() {
    for (int i = 0; i < 40; i++) {
      trie.add("a." + "*.".repeat(i % 3) + "**", "v" + (i % 25));
    }
    trie.add("a.b.c", "v0");
    List<String> visited = new ArrayList<>();

    trie.forEachMatch("a.b.c", visited::add);

    assertThat(visited).doesNotHaveDuplicates().hasSize(25);
  }

  @Test
  void matchesAMiddleBetweenTwoGlobstarsAtEveryWindowButReportsItOnce() {
    trie.add("a.**.b.**", "b-after-a");
    trie.add("a.**.b.*.**.c", "b-then-one-then-c");

    assertThat(trie.match("a.b")).containsExactly("b-after-a");
    assertThat(trie.match("a.x.b.y")).containsExactly("b-after-a");
    List<String> visited = new ArrayList<>();
    trie.forEachMatch("a.b.b.b", visited::add);
    assertThat(visited).as("three windows hold a b, one report").containsExactly("b-after-a");
    assertThat(trie.match("a.b.q.c")).containsExactlyInAnyOrder("b-after-a", "b-then-one-then-c");
    assertThat(trie.match("a.x.y")).isEmpty();
    assertThat(trie.match("x.b")).isEmpty();
  }

  @Test
  void keepsPatternsOfThreeGlobstarsInTheTrieAndMatchesThemBesideTheTable() {
    trie.add("**.a.**.b.**", "three");
    trie.add("x.**.a.**.b.**.y", "four");
    trie.add("x.a.b.y", "exact");
    trie.add("x.*.b.y", "star");

    assertThat(trie.walkedPatternCount()).isEqualTo(2);
    assertThat(trie.match("x.a.b.y")).containsExactlyInAnyOrder("three", "four", "exact", "star");
    assertThat(trie.match("a.b")).containsExactly("three");
    assertThat(trie.match("b.a")).isEmpty();

    assertThat(trie.remove("**.a.**.b.**", "three")).isTrue();
    assertThat(trie.match("x.a.b.y")).containsExactlyInAnyOrder("four", "exact", "star");
    assertThat(trie.walkedPatternCount()).isEqualTo(1);
  }

  @Test
  void matchesPatternsOfMoreLiteralsThanAGroupHoldsInFields() {
    String ten = "s0.s1.s2.s3.s4.s5.s6.s7.s8.s9";
    trie.add(ten, "exact-ten");
    trie.add("s0.s1.s2.s3.s4.s5.s6.s7.s8.*", "nine-and-a-star");
    trie.add("**.s2.s3.s4.s5.s6.s7.s8.s9", "eight-after-a-globstar");
    trie.add("s0.s1.s2.s3.s4.s5.s6.s7.s8.other", "differs-last");

    assertThat(trie.match(ten))
        .containsExactlyInAnyOrder("exact-ten", "nine-and-a-star", "eight-after-a-globstar");
    assertThat(trie.match("s0.s1.s2.s3.s4.s5.s6.s7.s8.other"))
        .containsExactlyInAnyOrder("nine-and-a-star", "differs-last");
    assertThat(trie.match("s0.s1.s2.s3.s4.s5.s6.s7.x.s9"))
        .as("the ninth literal differs")
        .isEmpty();
    assertThat(trie.patterns()).contains(ten, "**.s2.s3.s4.s5.s6.s7.s8.s9");
  }

  @Test
  void sendsShapesPastTheTablesLimitToTheTrieAndKeepsEachPatternInOnePlace() {
    TopicTrie<String> small = new TopicTrie<>(2);
    small.add("a.*", "first-shape");
    small.add("*.a", "second-shape");
    small.add("a.*.*", "third-shape");
    small.add("a.b", "exact patterns take no shape of the limit");

    assertThat(small.walkedPatternCount()).isEqualTo(1);
    assertThat(small.match("a.b"))
        .containsExactlyInAnyOrder("first-shape", "exact patterns take no shape of the limit");
    assertThat(small.match("a.b.c")).containsExactly("third-shape");

    assertThat(small.remove("a.*", "first-shape")).isTrue();
    small.add("b.*.*", "now-in-the-table");
    assertThat(small.add("a.*.*", "third-shape")).as("already there, in the trie").isFalse();
    assertThat(small.add("a.*.*", "another")).isTrue();
    assertThat(small.walkedPatternCount())
        .as("a pattern the trie holds stays there when its shape enters the table")
        .isEqualTo(1);
    assertThat(small.match("a.b.c")).containsExactlyInAnyOrder("third-shape", "another");
    assertThat(small.match("b.x.y")).containsExactly("now-in-the-table");
    assertThat(small.size()).isEqualTo(5);
    assertThat(small.patternCount()).isEqualTo(4);

    assertThat(small.remove("a.*.*", "third-shape")).isTrue();
    assertThat(small.remove("a.*.*", "another")).isTrue();
    assertThat(small.walkedPatternCount()).isZero();
    assertThat(small.match("a.b.c")).isEmpty();
  }

  @Test
  void matchesExactlyWhenEveryPatternOfAShapeHasTheSameKey() {
    TopicTrie<String> colliding = new TopicTrie<>(64, () -> 0L);
    for (int i = 0; i < 100; i++) {
      colliding.add("room" + i + ".*", "room" + i);
      colliding.add("room" + i + ".temp", "exact" + i);
    }
    colliding.remove("room7.*", "room7");

    assertThat(colliding.match("room42.temp")).containsExactlyInAnyOrder("room42", "exact42");
    assertThat(colliding.match("room7.temp")).containsExactly("exact7");
    assertThat(colliding.match("room7.hum")).isEmpty();
    assertThat(colliding.match("room100.temp")).isEmpty();
    assertThat(colliding.patternCount()).isEqualTo(199);
  }

  @Test
  void matchesAgainFromInsideAnActionWithoutDisturbingTheOuterMatch() {
    TopicTrie<String> other = new TopicTrie<>();
    other.add("inner.*", "inner-star");
    other.add("inner.x", "inner-exact");
    for (int i = 0; i < 20; i++) {
      trie.add("a.*", "star" + i);
    }
    trie.add("a.b", "exact");
    trie.add("a.**", "star0");
    List<String> outer = new ArrayList<>();
    List<Set<String>> nested = new ArrayList<>();

    trie.forEachMatch(
        "a.b",
        value -> {
          outer.add(value);
          nested.add(other.match("inner.x"));
          nested.add(trie.match("a.c"));
        });

    assertThat(outer).doesNotHaveDuplicates().hasSize(21);
    assertThat(nested.get(0)).containsExactlyInAnyOrder("inner-star", "inner-exact");
    assertThat(nested.get(1)).hasSize(20).doesNotContain("exact");
    assertThat(trie.match("a.b")).as("the state left behind is clean").hasSize(21);
  }

  @Test
  void keepsMatchingAfterAnActionThrows() {
    trie.add("a.*", "star");
    trie.add("a.b", "exact");

    assertThatThrownBy(
            () ->
                trie.forEachMatch(
                    "a.b",
                    value -> {
                      throw new IllegalStateException("handler failed");
                    }))
        .hasMessage("handler failed");

    assertThat(trie.match("a.b")).containsExactlyInAnyOrder("star", "exact");
    assertThat(trie.match("a.c")).containsExactly("star");
  }
}
