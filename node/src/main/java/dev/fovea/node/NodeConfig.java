package dev.fovea.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Assembles the node's configuration from its layers. */
public final class NodeConfig {
  /** The system name every node of a cluster shares; seed addresses name it. */
  public static final String SYSTEM_NAME = "fovea";

  private NodeConfig() {}

  /** Turns {@code host:port} pairs into the cluster addresses Pekko expects as seed nodes. */
  public static List<String> seedAddresses(List<String> hostPorts) {
    List<String> seeds = new ArrayList<>();
    for (String hostPort : hostPorts) {
      String trimmed = hostPort.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      if (!trimmed.matches("[^:/@]+:\\d+")) {
        throw new IllegalArgumentException(
            "a seed node is host:port of its cluster port, not '" + trimmed + "'");
      }
      seeds.add("pekko://" + SYSTEM_NAME + "@" + trimmed);
    }
    return seeds;
  }

  /** {@code SEED_NODES=host:port,host:port} in the environment. */
  private static Config seedsFromEnvironment() {
    String env = System.getenv("SEED_NODES");
    if (env == null || env.isBlank()) {
      return ConfigFactory.empty();
    }
    return ConfigFactory.parseMap(
        Map.of("pekko.cluster.seed-nodes", seedAddresses(Arrays.asList(env.split(",")))));
  }

  /**
   * The configuration with, highest first: system properties, {@code settings}, the application's
   * {@code application.conf}, the node's {@code fovea.conf}, and the libraries' {@code
   * reference.conf}.
   */
  public static Config load(Config settings) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.defaultOverrides()
        .withFallback(settings)
        .withFallback(seedsFromEnvironment())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(NodeConfig.class.getClassLoader(), "fovea.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
