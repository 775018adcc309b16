package dev.fovea.node.cli;

import com.typesafe.config.ConfigFactory;
import dev.fovea.node.FoveaNode;
import dev.fovea.node.NodeConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fovea node}: runs a node until Ctrl-C or SIGTERM, which stop it cleanly. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Start a node. With no seed nodes it is a one-node cluster by itself.")
final class NodeCommand implements Callable<Integer> {

  @Option(names = "--port", description = "Gateway port (default 9443, or $GATEWAY_PORT).")
  Integer port;

  @Option(names = "--host", description = "Gateway address (default 127.0.0.1).")
  String host;

  @Option(names = "--realm", description = "Realm clients must join (default macula.default).")
  String realm;

  @Option(names = "--cluster-port", description = "Cluster (Artery) port (default 25520).")
  Integer clusterPort;

  @Option(
      names = "--management-port",
      description = "Management HTTP port (default 8080, or $HEALTH_PORT).")
  Integer managementPort;

  @Option(names = "--name", description = "Node id (default: its cluster address).")
  String name;

  @Option(
      names = "--seed",
      description =
          "host:port of a node to join by its cluster port; repeat for several (default:"
              + " $SEED_NODES, comma-separated; none: this node forms a cluster by itself).")
  List<String> seeds = new ArrayList<>();

  @Option(
      names = {"-D", "--set"},
      description = "Any configuration key, such as -D fovea.rpc.strategy=round_robin.")
  Map<String, String> settings = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>(settings);
    if (port != null) {
      overrides.put("fovea.gateway.port", port);
    }
    if (host != null) {
      overrides.put("fovea.gateway.host", host);
    }
    if (realm != null) {
      overrides.put("fovea.realm", realm);
    }
    if (clusterPort != null) {
      overrides.put("pekko.remote.artery.canonical.port", clusterPort);
    }
    if (name != null) {
      overrides.put("fovea.node-name", name);
    }
    if (managementPort != null) {
      overrides.put("pekko.management.http.port", managementPort);
    }
    if (!seeds.isEmpty()) {
      overrides.put("pekko.cluster.seed-nodes", NodeConfig.seedAddresses(seeds));
    }
    FoveaNode node = FoveaNode.start(ConfigFactory.parseMap(overrides));
    node.awaitTermination();
    return 0;
  }
}
