package dev.fovea.bench.load.pekko;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fovea bench pekko-node}: runs one node of the Pekko peer until SIGTERM. */
@Command(
    name = "pekko-node",
    mixinStandardHelpOptions = true,
    description = "Run one node of the Pekko Distributed Pub/Sub peer for the cluster scenario.")
public final class PekkoNodeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(
      names = "--cluster-port",
      defaultValue = "25520",
      description = "Artery port. Default: ${DEFAULT-VALUE}.")
  int clusterPort;

  @Option(
      names = "--control-port",
      defaultValue = "28083",
      description = "HTTP port the driver steers this node on. Default: ${DEFAULT-VALUE}.")
  int controlPort;

  @Option(
      names = "--seed",
      split = ",",
      description = "host:port of a seed node's cluster port; this node's own to start a cluster.")
  List<String> seeds = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<String> joinVia = seeds.isEmpty() ? List.of(host + ":" + clusterPort) : seeds;
    PekkoPubSubNode node = PekkoPubSubNode.start(host, clusterPort, joinVia, controlPort);
    System.out.println(
        "pekko-node: cluster "
            + host
            + ":"
            + clusterPort
            + ", control "
            + host
            + ":"
            + controlPort);
    node.system().getWhenTerminated().toCompletableFuture().join();
    return 0;
  }
}
