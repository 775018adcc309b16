package dev.fovea.protocol.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {
  private static final TopicLimits LIMITS = TopicLimits.DEFAULT;

  @ParameterizedTest
  @ValueSource(strings = {"a", "sensor", "sensor.kitchen.temp", "A-b_C.0-9", "_", "-.-", "x.y.z.w"})
  void acceptsValidTopicsAndProcedures(String name) {
    assertThatCode(() -> Topics.validateTopic(name, LIMITS)).doesNotThrowAnyException();
    assertThatCode(() -> Topics.validateProcedure(name, LIMITS)).doesNotThrowAnyException();
    assertThatCode(() -> Topics.validatePattern(name, LIMITS)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"*", "**", "a.*", "*.b", "a.**", "**.z", "a.**.z", "**.a.**", "**.**", "*.b.*"})
  void acceptsWildcardSegmentsInPatterns(String pattern) {
    assertThatCode(() -> Topics.validatePattern(pattern, LIMITS)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a..b      | has an empty segment at position 2",
        ".a        | has an empty segment at position 1",
        "a.        | has an empty segment at position 2",
        ".         | has an empty segment at position 1",
        "a b       | has a character outside [A-Za-z0-9_-] in segment \"a b\"",
        "a.b/c     | has a character outside [A-Za-z0-9_-] in segment \"b/c\"",
        "a.*       | has a wildcard in segment \"*\"",
        "a.**.b    | has a wildcard in segment \"**\"",
        "sens*r.x  | has a wildcard in segment \"sens*r\"",
      })
  void refusesInvalidTopicsNamingTheValueAndTheProblem(String topic, String problem) {
    assertThatThrownBy(() -> Topics.validateTopic(topic, LIMITS))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC);
              assertThat(e.reason()).startsWith("topic \"" + topic + "\"").contains(problem);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"a..b", "a.*", "caf\u00e9", "a.", ".a", "a#b"})
  void refusesInvalidProceduresWithTheProcedureCode(String procedure) {
    assertThatThrownBy(() -> Topics.validateProcedure(procedure, LIMITS))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROCEDURE);
              assertThat(e.reason()).startsWith("procedure \"" + procedure + "\"");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a*        | has an invalid wildcard segment \"a*\"",
        "*a.b      | has an invalid wildcard segment \"*a\"",
        "a.***     | has an invalid wildcard segment \"***\"",
        "a.*.*b*   | has an invalid wildcard segment \"*b*\"",
        "a..**     | has an empty segment at position 2",
        "**.       | has an empty segment at position 2",
        "a.b+      | has a character outside [A-Za-z0-9_-] in segment \"b+\"",
      })
  void refusesInvalidPatternsNamingTheValueAndTheProblem(String pattern, String problem) {
    assertThatThrownBy(() -> Topics.validatePattern(pattern, LIMITS))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN);
              assertThat(e.reason()).startsWith("pattern \"" + pattern + "\"").contains(problem);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"caf\u00e9", "\u0430pple", "a.\ud83d\ude00", "a.b\u00a0"})
  void refusesNonAsciiCharacters(String topic) {
    assertThatThrownBy(() -> Topics.validateTopic(topic, LIMITS))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.reason()).contains("outside [A-Za-z0-9_-]"));
  }

  @Test
  void namesTheNonAsciiSegment() {
    assertThatThrownBy(() -> Topics.validateTopic("menu.caf\u00e9", LIMITS))
        .hasMessage(
            "topic \"menu.caf\u00e9\" has a character outside [A-Za-z0-9_-] in segment"
                + " \"caf\u00e9\"");
  }

  @Test
  void refusesMissingAndEmptyNames() {
    assertThatThrownBy(() -> Topics.validateTopic(null, LIMITS))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC);
              assertThat(e.reason()).isEqualTo("topic is missing");
            });
    assertThatThrownBy(() -> Topics.validatePattern("", LIMITS))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN);
              assertThat(e.reason()).isEqualTo("pattern \"\" is empty");
            });
  }

  @Test
  void acceptsATopicOfExactlyTheMaximumLengthAndRefusesOneMore() {
    TopicLimits limits = new TopicLimits(10, 32);

    assertThatCode(() -> Topics.validateTopic("abcde.ghij", limits)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Topics.validateTopic("abcde.ghijk", limits))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC);
              assertThat(e.reason())
                  .isEqualTo("topic \"abcde.ghijk\" is 11 characters, over the limit of 10");
            });
  }

  @Test
  void acceptsAPatternOfExactlyTheMaximumDepthAndRefusesOneMore() {
    TopicLimits limits = new TopicLimits(256, 4);

    assertThatCode(() -> Topics.validatePattern("a.*.**.d", limits)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Topics.validatePattern("a.*.**.d.e", limits))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN);
              assertThat(e.reason())
                  .isEqualTo("pattern \"a.*.**.d.e\" has 5 segments, over the limit of 4");
            });
  }

  @Test
  void acceptsTheDefaultLimitsAtTheirEdge() {
    String longest = "a".repeat(256);
    String deepest = "a" + ".a".repeat(31);

    assertThatCode(() -> Topics.validateTopic(longest, LIMITS)).doesNotThrowAnyException();
    assertThatCode(() -> Topics.validateTopic(deepest, LIMITS)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Topics.validateTopic(longest + "a", LIMITS))
        .hasMessageContaining("is 257 characters, over the limit of 256");
    assertThatThrownBy(() -> Topics.validateTopic(deepest + ".a", LIMITS))
        .hasMessageContaining("has 33 segments, over the limit of 32");
  }

  @Test
  void truncatesLongValuesInReasons() {
    String topic = "x".repeat(300);

    assertThatThrownBy(() -> Topics.validateTopic(topic, LIMITS))
        .hasMessage("topic \"" + "x".repeat(64) + "...\" is 300 characters, over the limit of 256");
  }

  @Test
  void escapesControlCharactersInReasons() {
    assertThatThrownBy(() -> Topics.validateTopic("a\nforged log line", LIMITS))
        .hasMessageStartingWith("topic \"a\\u000aforged log line\" has a character outside");
  }

  @Test
  void refusesLimitsThatAreNotPositive() {
    assertThatThrownBy(() -> new TopicLimits(0, 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max length must be positive, was 0");
    assertThatThrownBy(() -> new TopicLimits(256, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max depth must be positive, was -1");
  }

  @ParameterizedTest
  @CsvSource({
    "a.b.c,     a.b.c",
    "a.*.c,     a.b.c",
    "*.b.*,     a.b.c",
    "*,         a",
    "a.**,      a",
    "a.**,      a.b",
    "a.**,      a.b.c.d",
    "a.**.z,    a.z",
    "a.**.z,    a.b.z",
    "a.**.z,    a.b.c.z",
    "**.z,      z",
    "**.z,      a.b.z",
    "**,        a",
    "**,        a.b.c",
    "**.b.**,   b",
    "**.b.**,   a.b.c.b.d",
    "**.*,      a",
    "*.**,      a.b",
    "**.**,     a",
    "a.**.**.z, a.z",
    "a.**.b.**.z, a.x.b.y.y.z",
  })
  void matchesWhenTheWildcardsCoverTheTopic(String pattern, String topic) {
    assertThat(Topics.matches(pattern, topic)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "a.b.c,     a.b",
    "a.b,       a.b.c",
    "a.B,       a.b",
    "Sensor,    sensor",
    "*,         a.b",
    "a.*,       a",
    "*.b.*,     a.b",
    "a.**.z,    a",
    "a.**.z,    a.b.z.c",
    "**.z,      z.a",
    "**.a,      b",
    "a.**.b.**.z, a.x.y.z",
  })
  void doesNotMatchWhenASegmentDiffersOrIsMissing(String pattern, String topic) {
    assertThat(Topics.matches(pattern, topic)).isFalse();
  }

  @Test
  void starNeverMatchesZeroSegments() {
    assertThat(Topics.matches("a.*.b", "a.b")).isFalse();
    assertThat(Topics.matches("a.*", "a")).isFalse();
    assertThat(Topics.matches("*.a", "a")).isFalse();
  }
}
