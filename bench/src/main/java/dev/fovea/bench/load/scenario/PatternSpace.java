package dev.fovea.bench.load.scenario;

import java.util.SplittableRandom;

/**
 * Topics {@code sensor.<building>.<floor>.<room>.<metric>} (ten million of them) and a mix of
 * patterns over them that NATS and MQTT can spell too: half exact, the rest with {@code *} in any
 * position and {@code **} at the end. The mix is tuned so that a random topic matches about two
 * subscriptions out of 100,000: the scenario measures matching, not fan-out.
 */
final class PatternSpace {
  private static final String[] METRICS = {
    "temp", "humidity", "co2", "occupancy", "light", "noise", "power", "water", "door", "motion"
  };
  private static final int BUILDINGS = 200;
  private static final int FLOORS = 50;
  private static final int ROOMS = 100;

  /** Matches every topic of the space; the counted subscriber takes it. */
  static final String EVERY_TOPIC = "sensor.**";

  private final SplittableRandom random;

  PatternSpace(long seed) {
    this.random = new SplittableRandom(seed);
  }

  String topic() {
    return "sensor." + building() + "." + floor() + "." + room() + "." + metric();
  }

  String pattern() {
    int roll = random.nextInt(1000);
    if (roll < 544) {
      return topic();
    } else if (roll < 694) {
      return "sensor." + building() + "." + floor() + ".*." + metric();
    } else if (roll < 794) {
      return "sensor.*." + floor() + "." + room() + "." + metric();
    } else if (roll < 874) {
      return "sensor." + building() + ".*." + room() + "." + metric();
    } else if (roll < 924) {
      return "sensor." + building() + "." + floor() + "." + room() + ".*";
    } else if (roll < 974) {
      return "sensor." + building() + "." + floor() + ".**";
    } else if (roll < 994) {
      return "sensor." + building() + ".*.*." + metric();
    } else if (roll < 999) {
      return "sensor.*.*." + room() + "." + metric();
    } else {
      return "sensor." + building() + ".**";
    }
  }

  private String building() {
    return "b" + random.nextInt(BUILDINGS);
  }

  private String floor() {
    return "f" + random.nextInt(FLOORS);
  }

  private String room() {
    return "r" + random.nextInt(ROOMS);
  }

  private String metric() {
    return METRICS[random.nextInt(METRICS.length)];
  }
}
