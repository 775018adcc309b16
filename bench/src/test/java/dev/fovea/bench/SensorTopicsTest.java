package dev.fovea.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.protocol.topic.TopicLimits;
import dev.fovea.protocol.topic.Topics;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The workload of {@link TrieBenchmark} is the one its issue asks for. */
class SensorTopicsTest {
  private static final int PATTERNS = 100_000;

  @Test
  void pattern_mix_isAboutOneInTenWithWildcardsAtEveryPosition() {
    SensorTopics estate = new SensorTopics(42, PATTERNS);
    int wildcards = 0;
    int atStart = 0;
    int inMiddle = 0;
    int atEnd = 0;
    for (int i = 0; i < PATTERNS; i++) {
      String pattern = estate.pattern();
      Topics.validatePattern(pattern, TopicLimits.DEFAULT);
      String[] segments = pattern.split("\\.");
      assertThat(segments.length).as(pattern).isBetween(4, 8);

      boolean wild = pattern.contains("*");
      wildcards += wild ? 1 : 0;
      atStart += segments[0].contains("*") ? 1 : 0;
      atEnd += segments[segments.length - 1].contains("*") ? 1 : 0;
      boolean middle =
          Arrays.stream(segments, 1, segments.length - 1).anyMatch(s -> s.contains("*"));
      inMiddle += middle ? 1 : 0;
    }

    assertThat(100.0 * wildcards / PATTERNS).isBetween(9.0, 11.0);
    assertThat(atStart).isPositive();
    assertThat(inMiddle).isPositive();
    assertThat(atEnd).isPositive();
  }

  @Test
  void topic_depth_isFiveToEightSegments() {
    SensorTopics estate = new SensorTopics(42, 1_000);
    int deepest = 0;
    for (int i = 0; i < 10_000; i++) {
      String topic = estate.topic();
      Topics.validateTopic(topic, TopicLimits.DEFAULT);
      int depth = topic.split("\\.").length;
      assertThat(depth).as(topic).isBetween(5, 8);
      deepest = Math.max(deepest, depth);
    }
    assertThat(deepest).isEqualTo(8);
  }

  @Test
  void sites_growWithTheSubscriptions() {
    assertThat(new SensorTopics(1, 1).sites()).isEqualTo(1);
    assertThat(new SensorTopics(1, 1_000).sites()).isEqualTo(1);
    assertThat(new SensorTopics(1, 1_000_000).sites()).isEqualTo(1_000);
  }
}
