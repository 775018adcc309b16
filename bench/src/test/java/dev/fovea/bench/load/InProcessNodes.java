package dev.fovea.bench.load;

import com.typesafe.config.ConfigFactory;
import dev.fovea.node.FoveaNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.cluster.Cluster;

/**
 * Fovea nodes inside the test JVM on free loopback ports: one, or a cluster that grows from one.
 */
final class InProcessNodes implements AutoCloseable {
  private final List<FoveaNode> nodes = new ArrayList<>();

  static InProcessNodes start(int count) {
    InProcessNodes started = new InProcessNodes();
    try {
      FoveaNode first = FoveaNode.start(ConfigFactory.parseMap(settings(List.of())));
      started.nodes.add(first);
      String seed = Cluster.get(first.system()).selfMember().address().toString();
      for (int i = 1; i < count; i++) {
        started.nodes.add(FoveaNode.start(ConfigFactory.parseMap(settings(List.of(seed)))));
      }
      return started;
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  private static Map<String, Object> settings(List<String> seeds) {
    Map<String, Object> settings = new HashMap<>();
    settings.put("fovea.gateway.port", 0);
    settings.put("pekko.remote.artery.canonical.port", 0);
    settings.put("pekko.management.http.port", 0);
    settings.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    settings.put("pekko.cluster.jmx.enabled", "off");
    settings.put("pekko.cluster.seed-nodes", seeds);
    settings.put("pekko.loglevel", "WARNING");
    return settings;
  }

  /** The gateways, as the driver's {@code --server} takes them. */
  String servers() {
    return nodes.stream()
        .map(node -> "127.0.0.1:" + node.gatewayPort())
        .collect(Collectors.joining(","));
  }

  /** The nodes' metrics endpoints, as the driver's {@code --metrics} takes them. */
  String metrics() {
    return nodes.stream()
        .map(node -> node.managementUri().resolve("/metrics").toString())
        .collect(Collectors.joining(","));
  }

  @Override
  public void close() {
    // The later nodes first, so that the first does not hand over to nodes that are going.
    for (int i = nodes.size() - 1; i >= 0; i--) {
      try {
        nodes.get(i).stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // The test's own assertions say what went wrong; a slow stop is not one of them.
      }
    }
  }
}
