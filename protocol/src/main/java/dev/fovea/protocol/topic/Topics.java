package dev.fovea.protocol.topic;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;

/**
 * The rules for topic, pattern and procedure names, and the reference wildcard matcher.
 *
 * <p>A name is dot-separated segments, each one or more of {@code [A-Za-z0-9_-]}. A pattern may
 * also have segments that are exactly {@code *} (one segment) or exactly {@code **} (zero or more
 * segments). Validation runs on every PUBLISH, so it is one pass over the characters that allocates
 * nothing unless it refuses the name.
 */
public final class Topics {
  /** How much of a refused value a reason quotes: enough to recognise it, not a whole frame. */
  private static final int QUOTED_MAX = 64;

  private static final boolean[] NAME_CHARS = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      NAME_CHARS[c] = true;
      NAME_CHARS[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      NAME_CHARS[c] = true;
    }
    NAME_CHARS['_'] = true;
    NAME_CHARS['-'] = true;
  }

  private Topics() {}

  /** Refuses, with {@link ErrorCode#INVALID_TOPIC}, a topic that is not a valid name. */
  public static void validateTopic(String topic, TopicLimits limits) {
    validate(topic, limits, Kind.TOPIC);
  }

  /** Refuses, with {@link ErrorCode#INVALID_PATTERN}, a pattern that is not a valid name. */
  public static void validatePattern(String pattern, TopicLimits limits) {
    validate(pattern, limits, Kind.PATTERN);
  }

  /** Refuses, with {@link ErrorCode#INVALID_PROCEDURE}, a procedure that is not a valid name. */
  public static void validateProcedure(String procedure, TopicLimits limits) {
    validate(procedure, limits, Kind.PROCEDURE);
  }

  /**
   * Whether a valid pattern matches a valid topic: {@code *} matches exactly one segment, {@code
   * **} matches zero or more segments wherever it stands, other segments compare case-sensitively.
   *
   * <p>This is the reference definition that {@link TopicTrie} is tested against, kept plain on
   * purpose: it backtracks, so a pattern with many {@code **} against a deep topic that it does not
   * match can take time exponential in the number of {@code **}. Index subscriptions in a {@link
   * TopicTrie} rather than calling this once per subscription.
   */
  public static boolean matches(String pattern, String topic) {
    return matches(segments(pattern), 0, segments(topic), 0);
  }

  private static boolean matches(String[] pattern, int p, String[] topic, int t) {
    if (p == pattern.length) {
      return t == topic.length;
    }
    if (pattern[p].equals("**")) {
      for (int rest = t; rest <= topic.length; rest++) {
        if (matches(pattern, p + 1, topic, rest)) {
          return true;
        }
      }
      return false;
    }
    if (t == topic.length) {
      return false;
    }
    boolean segmentMatches = pattern[p].equals("*") || pattern[p].equals(topic[t]);
    return segmentMatches && matches(pattern, p + 1, topic, t + 1);
  }

  /** The segments of a name, split on every dot; an empty segment stays in as {@code ""}. */
  static String[] segments(String name) {
    int count = 1;
    for (int i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
      count++;
    }
    String[] segments = new String[count];
    int start = 0;
    for (int s = 0; s < count - 1; s++) {
      int dot = name.indexOf('.', start);
      segments[s] = name.substring(start, dot);
      start = dot + 1;
    }
    segments[count - 1] = name.substring(start);
    return segments;
  }

  private static void validate(String name, TopicLimits limits, Kind kind) {
    if (name == null) {
      throw kind.refuse(kind.noun + " is missing");
    }
    int length = name.length();
    if (length == 0) {
      throw kind.refuse(kind.noun + " \"\" is empty");
    }
    if (length > limits.maxLength()) {
      throw kind.refuse(
          "%s %s is %d characters, over the limit of %d",
          kind.noun, quote(name), length, limits.maxLength());
    }

    int depth = 1;
    int segmentStart = 0;
    int stars = 0;
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (c == '.') {
        checkSegment(name, segmentStart, i, stars, depth, kind);
        depth++;
        segmentStart = i + 1;
        stars = 0;
      } else if (c == '*') {
        if (!kind.wildcards) {
          throw kind.refuse(
              "%s %s has a wildcard in segment %s; wildcards are only allowed in patterns",
              kind.noun, quote(name), quote(segmentAt(name, segmentStart)));
        }
        stars++;
      } else if (c >= NAME_CHARS.length || !NAME_CHARS[c]) {
        throw kind.refuse(
            "%s %s has a character outside [A-Za-z0-9_-] in segment %s",
            kind.noun, quote(name), quote(segmentAt(name, segmentStart)));
      }
    }
    checkSegment(name, segmentStart, length, stars, depth, kind);

    if (depth > limits.maxDepth()) {
      throw kind.refuse(
          "%s %s has %d segments, over the limit of %d",
          kind.noun, quote(name), depth, limits.maxDepth());
    }
  }

  /** Checks what a segment's characters alone cannot: that it is not empty, and its wildcards. */
  private static void checkSegment(
      String name, int start, int end, int stars, int position, Kind kind) {
    if (start == end) {
      throw kind.refuse(
          "%s %s has an empty segment at position %d", kind.noun, quote(name), position);
    }
    if (stars > 0 && (stars > 2 || stars != end - start)) {
      throw kind.refuse(
          "%s %s has an invalid wildcard segment %s: a wildcard is a whole segment, * or **",
          kind.noun, quote(name), quote(name.substring(start, end)));
    }
  }

  private static String segmentAt(String name, int start) {
    int dot = name.indexOf('.', start);
    return name.substring(start, dot < 0 ? name.length() : dot);
  }

  /**
   * The value in double quotes, cut to {@link #QUOTED_MAX} characters, with control characters
   * escaped so that a hostile name cannot forge lines in a log or a terminal.
   */
  static String quote(String value) {
    int end = Math.min(value.length(), QUOTED_MAX);
    if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    StringBuilder quoted = new StringBuilder(end + 8).append('"');
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (Character.isISOControl(c)) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    if (end < value.length()) {
      quoted.append("...");
    }
    return quoted.append('"').toString();
  }

  private enum Kind {
    TOPIC("topic", ErrorCode.INVALID_TOPIC, false),
    PATTERN("pattern", ErrorCode.INVALID_PATTERN, true),
    PROCEDURE("procedure", ErrorCode.INVALID_PROCEDURE, false);

    final String noun;
    final ErrorCode code;
    final boolean wildcards;

    Kind(String noun, ErrorCode code, boolean wildcards) {
      this.noun = noun;
      this.code = code;
      this.wildcards = wildcards;
    }

    ProtocolException refuse(String reason) {
      return new ProtocolException(code, reason);
    }

    ProtocolException refuse(String format, Object... args) {
      return refuse(String.format(format, args));
    }
  }
}
