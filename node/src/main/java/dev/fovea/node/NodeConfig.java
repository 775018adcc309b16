package dev.fovea.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Assembles the node's configuration from its layers. */
public final class NodeConfig {
  private NodeConfig() {}

  /**
   * The configuration with, highest first: system properties, {@code settings}, the
   * application's {@code application.conf}, the node's {@code fovea.conf}, and the libraries'
   * {@code reference.conf}.
   */
  public static Config load(Config settings) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.defaultOverrides()
        .withFallback(settings)
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(NodeConfig.class.getClassLoader(), "fovea.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
