package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Client;
import dev.fovea.bench.load.target.Syntax;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One publisher, N subscriber connections with wildcard patterns. The publisher cycles through
 * {@code fanout.t<k>.data}; subscribers take {@code fanout.*.data} and {@code fanout.**} in turn,
 * so that each receives every message through one of the two wildcards.
 */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    description = "One publisher, many wildcard subscribers: deliveries/s.")
final class FanoutScenario extends ScenarioCommand {
  @Option(
      names = "--subscribers",
      defaultValue = "100",
      description = "Subscriber connections. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(names = "--payload", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int payload;

  @Option(
      names = "--topics",
      defaultValue = "16",
      description = "Topics the publisher cycles through. Default: ${DEFAULT-VALUE}.")
  int topics;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description = "Messages/s offered, open loop; 0 is full speed. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--window",
      defaultValue = "1024",
      description =
          "At full speed, messages in flight to the average subscriber. Default: ${DEFAULT-VALUE}.")
  int window;

  @Override
  String scenario() {
    return "fanout";
  }

  @Override
  void run(RunReport report) throws Exception {
    report
        .param("subscribers", subscribers)
        .param("payload_bytes", payload)
        .param("topics", topics)
        .param("rate", rate == 0 ? "full speed" : rate)
        .param("window", window);
    Syntax syntax = load.target().syntax();

    LatencyWindow latency = new LatencyWindow();
    List<Tally> tallies = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      Client subscriber = connect(0, Names.client("fan", i));
      Tally tally = new Tally(latency);
      String pattern = i % 2 == 0 ? "fanout.*.data" : "fanout.**";
      subscriber.subscribe(List.of(syntax.pattern(pattern)), tally);
      tallies.add(tally);
    }
    String[] published = new String[topics];
    for (int k = 0; k < topics; k++) {
      published[k] = syntax.topic("fanout.t" + k + ".data");
    }
    PubSubLoad.Publisher publisher =
        new PubSubLoad.Publisher(connect(0, Names.client("pub", 0)), published);

    PubSubLoad.Settings settings =
        new PubSubLoad.Settings(payload, rate, window, load.warmup(), load.duration());
    PubSubLoad.Outcome outcome =
        new PubSubLoad(List.of(publisher), tallies, settings, latency).run();
    PubSubLoad.describe(outcome, "deliveries_per_s", report);
  }
}
