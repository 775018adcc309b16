package dev.fovea.bench;

import java.util.SplittableRandom;

/**
 * A building-automation namespace to subscribe and publish in: {@code
 * sensor.<building>.<floor>.<room>.<metric>}, some readings one level deeper ({@code ...raw}), and
 * {@code alarm.<building>.<floor>.<room>}. Patterns are mostly exact, the rest put {@code *} and
 * {@code **} at the start, in the middle and at the end, including one with two {@code **}; the mix
 * is fixed by the seed.
 */
final class SensorTopics {
  private static final String[] METRICS = {"temp", "humidity", "co2", "occupancy", "light"};
  private static final int BUILDINGS = 40;
  private static final int FLOORS = 12;
  private static final int ROOMS = 60;

  private final SplittableRandom random;

  SensorTopics(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A topic a device publishes on. */
  String topic() {
    int roll = random.nextInt(100);
    if (roll < 5) {
      return "alarm." + building() + "." + floor() + "." + room();
    }
    String reading = "sensor." + building() + "." + floor() + "." + room() + "." + metric();
    return roll < 10 ? reading + ".raw" : reading;
  }

  /** A pattern a client subscribes to. */
  String pattern() {
    int roll = random.nextInt(100);
    if (roll < 55) {
      return "sensor." + building() + "." + floor() + "." + room() + "." + metric();
    } else if (roll < 67) {
      return "sensor." + building() + "." + floor() + ".*." + metric();
    } else if (roll < 72) {
      return "sensor." + building() + ".*.*." + metric();
    } else if (roll < 78) {
      return "sensor." + building() + "." + floor() + ".**";
    } else if (roll < 83) {
      return "sensor." + building() + ".**." + metric();
    } else if (roll < 88) {
      return "**." + room() + "." + metric();
    } else if (roll < 92) {
      return "alarm." + building() + ".**";
    } else if (roll < 99) {
      return "sensor.*." + floor() + "." + room() + "." + metric();
    } else {
      return "sensor.**." + room() + ".**";
    }
  }

  private String building() {
    return String.format("b%02d", random.nextInt(BUILDINGS));
  }

  private String floor() {
    return String.format("f%02d", random.nextInt(FLOORS));
  }

  private String room() {
    return String.format("r%02d", random.nextInt(ROOMS));
  }

  private String metric() {
    return METRICS[random.nextInt(METRICS.length)];
  }
}
