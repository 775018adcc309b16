package dev.fovea.bench.load.scenario;

import java.time.Duration;

/** Client names that stay unique across runs: MQTT brokers drop a session whose id comes again. */
final class Names {
  /** How long a client may take to have its subscriptions applied. */
  static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(60);

  private static final String RUN = Long.toString(ProcessHandle.current().pid(), 36);

  private Names() {}

  static String client(String role, int index) {
    return "bench-" + RUN + "-" + role + "-" + index;
  }
}
