package dev.fovea.bench.load.target;

/**
 * How a system spells topics and patterns. Scenarios write Fovea's syntax ({@code .} between
 * segments, {@code *} for one segment, {@code **} for the rest) and restrict themselves to what
 * means the same everywhere: {@code **} only as the last segment, and topics that always have a
 * segment beyond the prefix it follows, since NATS {@code >} and MQTT {@code #} need one where
 * Fovea's {@code **} would also match none.
 */
public enum Syntax {
  FOVEA,
  NATS,
  MQTT;

  /** The topic in this system's spelling. */
  public String topic(String topic) {
    return this == MQTT ? topic.replace('.', '/') : topic;
  }

  /** The pattern in this system's spelling. */
  public String pattern(String pattern) {
    String[] segments = pattern.split("\\.", -1);
    for (int i = 0; i < segments.length - 1; i++) {
      if (segments[i].equals("**")) {
        throw new IllegalArgumentException(
            "'**' means the same in every system only as the last segment: " + pattern);
      }
    }
    return switch (this) {
      case FOVEA -> pattern;
      case NATS -> translate(segments, ".", "*", ">");
      case MQTT -> translate(segments, "/", "+", "#");
    };
  }

  private static String translate(String[] segments, String separator, String one, String rest) {
    StringBuilder spelled = new StringBuilder();
    for (String segment : segments) {
      if (spelled.length() > 0) {
        spelled.append(separator);
      }
      spelled.append(segment.equals("*") ? one : segment.equals("**") ? rest : segment);
    }
    return spelled.toString();
  }
}
