package dev.fovea.sharding.registry;

import java.util.Locale;

/** How a provider is picked among those that serve a procedure. */
public enum SelectionStrategy {
  /** Uniformly at random: spreads load without coordination. The default. */
  RANDOM,
  /** In turn, per procedure. */
  ROUND_ROBIN,
  /** The earliest registered provider still alive: a primary with standbys. */
  FIRST,
  /** A provider on the caller's node if there is one, otherwise at random. */
  LOCAL_FIRST;

  /** Parses the configuration form, such as {@code round_robin}. */
  public static SelectionStrategy parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown provider strategy '" + name + "'; use random, round_robin, first or local_first",
          e);
    }
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
