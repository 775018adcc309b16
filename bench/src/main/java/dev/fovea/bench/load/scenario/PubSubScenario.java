package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Client;
import dev.fovea.bench.load.target.Syntax;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * P publishers and S subscribers; every subscriber receives every publish. Publisher {@code i}
 * publishes on {@code bench.p<i>.data}. With exact patterns each subscriber subscribes to every
 * publisher's topic; with wildcards it subscribes once to {@code bench.*.**}, which means the same
 * in all three systems ({@code bench.*.>}, {@code bench/+/#}).
 */
@Command(
    name = "pubsub",
    mixinStandardHelpOptions = true,
    description = "Publishers and subscribers: delivered messages/s, latency percentiles.")
final class PubSubScenario extends ScenarioCommand {
  @Option(names = "--publishers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  int publishers;

  @Option(names = "--subscribers", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(
      names = "--payload",
      defaultValue = "128",
      description = "Bytes per message. Default: ${DEFAULT-VALUE}.")
  int payload;

  @Option(
      names = "--patterns",
      defaultValue = "exact",
      description = "exact or wildcard. Default: ${DEFAULT-VALUE}.")
  String patterns;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Messages/s offered by all publishers together, open loop; 0 is full speed."
              + " Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--window",
      defaultValue = "8192",
      description =
          "At full speed, messages in flight (published, not yet received); 0 for no bound."
              + " Default: ${DEFAULT-VALUE}.")
  int window;

  @Override
  String scenario() {
    return "pubsub";
  }

  @Override
  void run(RunReport report) throws Exception {
    boolean wildcard =
        switch (patterns) {
          case "exact" -> false;
          case "wildcard" -> true;
          default ->
              throw new IllegalArgumentException("--patterns is exact or wildcard: " + patterns);
        };
    report
        .param("publishers", publishers)
        .param("subscribers", subscribers)
        .param("payload_bytes", payload)
        .param("patterns", patterns)
        .param("rate", rate == 0 ? "full speed" : rate)
        .param("window", window);
    Syntax syntax = load.target().syntax();

    List<String> topics = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      topics.add("bench.p" + i + ".data");
    }
    List<String> subscribed = wildcard ? List.of("bench.*.**") : topics;
    LatencyWindow latency = new LatencyWindow();
    List<Tally> tallies = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      Client subscriber = connect(0, Names.client("sub", i));
      Tally tally = new Tally(latency);
      subscriber.subscribe(subscribed.stream().map(syntax::pattern).toList(), tally);
      subscriber.flush(Names.FLUSH_TIMEOUT);
      tallies.add(tally);
    }
    List<PubSubLoad.Publisher> senders = new ArrayList<>();
    for (int i = 0; i < publishers; i++) {
      senders.add(
          new PubSubLoad.Publisher(
              connect(0, Names.client("pub", i)), new String[] {syntax.topic(topics.get(i))}));
    }

    PubSubLoad.Settings settings =
        new PubSubLoad.Settings(payload, rate, window, load.warmup(), load.duration());
    PubSubLoad.Outcome outcome = new PubSubLoad(senders, tallies, settings, latency).run();
    PubSubLoad.describe(outcome, "delivered_per_s", report);
  }
}
