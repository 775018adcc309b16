package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Client;
import dev.fovea.bench.load.target.Syntax;
import dev.fovea.bench.load.target.Target;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Publishers on the first node, subscribers spread over the others: every message crosses nodes.
 * Publisher {@code i} publishes on {@code cluster.p<i>.data} and every subscriber subscribes to
 * every publisher's topic by its exact name, which Pekko's Distributed Pub/Sub also understands. On
 * Fovea the publishers and subscribers are client connections; on Pekko they run inside the node
 * processes, which spares Pekko the client hop.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Publishers on one node, subscribers on the others: cross-node messages/s.")
final class ClusterScenario extends ScenarioCommand {
  @Option(names = "--publishers", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
  int publishers;

  @Option(
      names = "--subscribers",
      defaultValue = "2",
      description = "Spread over every node but the first. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(names = "--payload", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int payload;

  @Option(
      names = "--window",
      defaultValue = "2000",
      description =
          "Messages in flight; below the 3,072 messages Artery queues per remote node, so that"
              + " neither system drops in its own transport. Default: ${DEFAULT-VALUE}.")
  int window;

  @Override
  String scenario() {
    return "cluster";
  }

  @Override
  void run(RunReport report) throws Exception {
    report
        .param("nodes", load.servers().size())
        .param("publishers", publishers)
        .param("subscribers", subscribers)
        .param("payload_bytes", payload)
        .param("window", window);
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      topics.add("cluster.p" + i + ".data");
    }
    PubSubLoad.Settings settings =
        new PubSubLoad.Settings(payload, 0, window, load.warmup(), load.duration());

    PubSubLoad.Outcome outcome;
    if (load.system.equals("pekko")) {
      outcome = new PekkoClusterLoad(load.servers()).run(topics, subscribers, settings);
      report.note("Pekko publishers and subscribers run inside its nodes; latency not measured");
    } else {
      outcome = runOnClients(topics, settings);
    }
    PubSubLoad.describe(outcome, "cross_node_per_s", report);
  }

  private PubSubLoad.Outcome runOnClients(List<String> topics, PubSubLoad.Settings settings)
      throws Exception {
    Target target = load.target();
    int nodes = target.servers().size();
    if (nodes < 2) {
      throw new IllegalArgumentException(
          "the cluster scenario needs --server of two nodes or more");
    }
    Syntax syntax = target.syntax();
    LatencyWindow latency = new LatencyWindow();
    List<Tally> tallies = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      Client subscriber = connect(1 + i % (nodes - 1), Names.client("sub", i));
      Tally tally = new Tally(latency);
      subscriber.subscribe(topics.stream().map(syntax::pattern).toList(), tally);
      subscriber.flush(Names.FLUSH_TIMEOUT);
      tallies.add(tally);
    }
    List<PubSubLoad.Publisher> senders = new ArrayList<>();
    for (int i = 0; i < topics.size(); i++) {
      senders.add(
          new PubSubLoad.Publisher(
              connect(0, Names.client("pub", i)), new String[] {syntax.topic(topics.get(i))}));
    }
    return new PubSubLoad(senders, tallies, settings, latency).run();
  }
}
