package dev.fovea.node;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A node started inside the test JVM on free loopback ports, stopped by {@link #close()}. */
public final class TestNode implements AutoCloseable {
  public static final String REALM = "macula.default";

  private final FoveaNode node;

  private TestNode(FoveaNode node) {
    this.node = node;
  }

  /** Starts a node; {@code settings} are configuration keys and values that override defaults. */
  public static TestNode start(Object... settings) {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("fovea.gateway.port", 0);
    overrides.put("pekko.remote.artery.canonical.port", 0);
    overrides.put("pekko.management.http.port", 0);
    overrides.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    overrides.put("pekko.cluster.jmx.enabled", "off");
    for (int i = 0; i < settings.length; i += 2) {
      overrides.put((String) settings[i], settings[i + 1]);
    }
    return new TestNode(FoveaNode.start(ConfigFactory.parseMap(overrides)));
  }

  public FoveaNode node() {
    return node;
  }

  public int port() {
    return node.gatewayPort();
  }

  /** The base address of the node's management HTTP endpoint. */
  public URI managementUri() {
    return node.managementUri();
  }

  @Override
  public void close() throws Exception {
    node.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
