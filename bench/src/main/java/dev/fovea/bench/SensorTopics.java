package dev.fovea.bench;

import java.util.SplittableRandom;

/**
 * A building-automation estate to subscribe and publish in. Devices publish readings on {@code
 * sensor.<site>.<building>.<floor>.<room>.<metric>}, per device on {@code
 * sensor.<site>.<building>.<floor>.<room>.<device>.<metric>} and raw per-device readings one level
 * deeper, and alarms on {@code alarm.<site>.<building>.<floor>.<room>}: topics of 5 to 8 segments.
 *
 * <p>Nine patterns in ten are exact topics; the tenth puts {@code *} or {@code **} at the start, in
 * the middle or at the end, one kind with two {@code **}, for 4 to 8 segments. Every pattern names
 * its site, so it covers a share of one site and never of the whole estate.
 *
 * <p>The estate has one site per {@value #SUBSCRIPTIONS_PER_SITE} subscriptions. A topic therefore
 * matches about as many subscriptions at every size: what grows with the subscriptions is the
 * index, not the answer, which is the cost a subscription index is meant to hold flat. The mix is
 * fixed by the seed.
 */
final class SensorTopics {
  static final int SUBSCRIPTIONS_PER_SITE = 1_000;

  private static final String[] METRICS = {"temp", "humidity", "co2", "occupancy", "light"};
  private static final int BUILDINGS = 2;
  private static final int FLOORS = 5;
  private static final int ROOMS = 10;
  private static final int DEVICES = 4;

  private final SplittableRandom random;
  private final int sites;

  SensorTopics(long seed, int subscriptions) {
    if (subscriptions <= 0) {
      throw new IllegalArgumentException("subscriptions must be positive, was " + subscriptions);
    }
    this.random = new SplittableRandom(seed);
    this.sites = (subscriptions + SUBSCRIPTIONS_PER_SITE - 1) / SUBSCRIPTIONS_PER_SITE;
  }

  int sites() {
    return sites;
  }

  /** A topic a device publishes on. */
  String topic() {
    int roll = random.nextInt(100);
    String room = site() + "." + building() + "." + floor() + "." + room();
    if (roll < 10) {
      return "alarm." + room;
    } else if (roll < 55) {
      return "sensor." + room + "." + metric();
    }
    String reading = "sensor." + room + "." + device() + "." + metric();
    return roll < 90 ? reading : reading + ".raw";
  }

  /** A pattern a client subscribes to: nine in ten exact, the rest with wildcards. */
  String pattern() {
    int roll = random.nextInt(1000);
    if (roll < 900) {
      return topic();
    }
    String site = site();
    // Wildcards at the start.
    if (roll < 910) {
      return "*." + site + "." + building() + "." + floor() + "." + room();
    } else if (roll < 915) {
      return "*." + site + "." + building() + "." + floor() + "." + room() + ".*";
    } else if (roll < 925) {
      return "**."
          + site
          + "."
          + building()
          + "."
          + floor()
          + "."
          + room()
          + "."
          + device()
          + "."
          + metric();
    }
    // In the middle.
    if (roll < 940) {
      return "sensor." + site + "." + building() + ".*." + room() + "." + metric();
    } else if (roll < 950) {
      return "sensor."
          + site
          + "."
          + building()
          + "."
          + floor()
          + ".*."
          + device()
          + "."
          + metric();
    } else if (roll < 955) {
      return "sensor." + site + ".**." + device() + "." + metric() + ".raw";
    } else if (roll < 960) {
      return "sensor." + site + ".**." + room() + ".**";
    }
    // At the end.
    if (roll < 975) {
      return "sensor." + site + "." + building() + "." + floor() + "." + room() + ".*";
    } else if (roll < 985) {
      return "sensor."
          + site
          + "."
          + building()
          + "."
          + floor()
          + "."
          + room()
          + "."
          + device()
          + ".**";
    } else if (roll < 995) {
      return "alarm." + site + "." + building() + ".**";
    }
    return "sensor." + site + "." + building() + "." + floor() + ".**";
  }

  private String site() {
    return "s" + random.nextInt(sites);
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

  private String device() {
    return "d" + random.nextInt(DEVICES);
  }

  private String metric() {
    return METRICS[random.nextInt(METRICS.length)];
  }
}
