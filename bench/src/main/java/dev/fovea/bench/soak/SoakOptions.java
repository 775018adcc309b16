package dev.fovea.bench.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a soak run does, from {@code --name value} arguments; every option has a default. The ports
 * default to the ranges kept for runs by hand on a shared machine.
 *
 * @param duration how long the load runs after the warm-up
 * @param warmup how long the load runs before the first reading, so that class loading, JIT and the
 *     first allocation of every shard and cache do not count as growth
 * @param settle how long to wait once the load stopped and the node is empty, before a reading:
 *     long enough for the provider lists the node cached to expire (60 s by default)
 * @param heapTolerance by how much the heap after a full GC may end above its start, as a fraction
 */
record SoakOptions(
    Duration duration,
    Duration warmup,
    Duration settle,
    int directWorkers,
    int rawWorkers,
    int meshWorkers,
    int poolWorkers,
    int gatewayPort,
    int managementPort,
    int clusterPort,
    Path nodeJar,
    List<String> nodeJvmOptions,
    double heapTolerance) {

  static final String USAGE =
      """
      usage: bench/soak.sh [--duration 10m] [--warmup 60s] [--settle 70s]
                           [--direct 2] [--raw 1] [--mesh 1] [--pool 1]
                           [--gateway-port 19443] [--management-port 18080] [--cluster-port 35520]
                           [--jar node/target/fovea.jar] [--node-jvm "-Xmx256m -XX:+UseSerialGC"]
                           [--heap-tolerance 0.05]
      Durations are written 30s, 10m, 1h or 1500ms.""";

  static SoakOptions parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("not an option: '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      if (eq > 0) {
        given.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        given.put(arg.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
    }
    Options o = new Options(given);
    SoakOptions options =
        new SoakOptions(
            o.duration("duration", "10m"),
            o.duration("warmup", "60s"),
            o.duration("settle", "70s"),
            o.count("direct", 2),
            o.count("raw", 1),
            o.count("mesh", 1),
            o.count("pool", 1),
            o.port("gateway-port", 19443),
            o.port("management-port", 18080),
            o.port("cluster-port", 35520),
            Path.of(o.text("jar", "node/target/fovea.jar")),
            List.of(o.text("node-jvm", "-Xmx256m -XX:+UseSerialGC").trim().split("\\s+")),
            Double.parseDouble(o.text("heap-tolerance", "0.05")));
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("unknown options: " + given.keySet());
    }
    if (options.workers() == 0) {
      throw new IllegalArgumentException("at least one worker is needed");
    }
    return options;
  }

  int workers() {
    return directWorkers + rawWorkers + meshWorkers + poolWorkers;
  }

  /** Takes each option out of the map as it is read, so that what is left is unknown. */
  private record Options(Map<String, String> given) {
    String text(String name, String fallback) {
      String value = given.remove(name);
      return value == null ? fallback : value;
    }

    int count(String name, int fallback) {
      int value = Integer.parseInt(text(name, Integer.toString(fallback)));
      if (value < 0) {
        throw new IllegalArgumentException("--" + name + " must not be negative, was " + value);
      }
      return value;
    }

    int port(String name, int fallback) {
      int value = Integer.parseInt(text(name, Integer.toString(fallback)));
      if (value < 1 || value > 65_535) {
        throw new IllegalArgumentException("--" + name + " must be a port, was " + value);
      }
      return value;
    }

    Duration duration(String name, String fallback) {
      return parseDuration(name, text(name, fallback));
    }
  }

  static Duration parseDuration(String name, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    // "ms" before "s", which it also ends with.
    for (String unit : List.of("ms", "s", "m", "h")) {
      if (t.endsWith(unit) && t.length() > unit.length()) {
        long n = Long.parseLong(t.substring(0, t.length() - unit.length()));
        return switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      }
    }
    throw new IllegalArgumentException(
        "--" + name + " must be a duration such as 30s or 10m, was '" + text + "'");
  }

  static String describe(Duration d) {
    if (d.toMillis() % 60_000 == 0 && d.toMinutes() > 0) {
      return d.toMinutes() + " min";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + " s";
    }
    return d.toMillis() + " ms";
  }
}
