package dev.fovea.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.protocol.topic.TopicTrie;
import org.junit.jupiter.api.Test;

/** The two sides of {@link TrieBenchmark} find the same subscriptions for every topic. */
class NaiveListMatcherTest {
  @Test
  void match_sensorWorkload_agreesWithTheTrie() {
    SensorTopics namespace = new SensorTopics(7, 3_000);
    TopicTrie<Integer> trie = new TopicTrie<>();
    NaiveListMatcher<Integer> list = new NaiveListMatcher<>();
    for (int i = 0; i < 3_000; i++) {
      String pattern = namespace.pattern();
      trie.add(pattern, i);
      list.add(pattern, i);
    }

    int matched = 0;
    for (int i = 0; i < 500; i++) {
      String topic = namespace.topic();
      assertThat(list.match(topic))
          .as(topic)
          .containsExactlyInAnyOrderElementsOf(trie.match(topic));
      matched += list.match(topic).size();
    }
    assertThat(matched).as("the workload has matches to compare").isPositive();
  }

  @Test
  void match_midPatternGlobstar_matchesZeroOrMoreSegments() {
    NaiveListMatcher<String> list = new NaiveListMatcher<>();
    list.add("sensor.**.temp", "any-depth");
    list.add("sensor.*.temp", "one-level");

    assertThat(list.match("sensor.temp")).containsExactly("any-depth");
    assertThat(list.match("sensor.b01.temp")).containsExactly("any-depth", "one-level");
    assertThat(list.match("sensor.b01.f02.temp")).containsExactly("any-depth");
  }
}
