package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Client;
import dev.fovea.bench.load.target.Syntax;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * 100,000 subscriptions of varied patterns spread over a few connections, and publishes on random
 * topics. A publish counts once the broker has processed it: matched it against every subscription
 * and delivered it to one more subscriber, on its own connection, whose {@code sensor.**} matches
 * every topic. That subscriber's received rate is the figure, so publishes still queued in a client
 * or a socket never count.
 */
@Command(
    name = "patterns",
    mixinStandardHelpOptions = true,
    description = "Many varied subscriptions, publishes on random topics: publishes/s processed.")
final class PatternsScenario extends ScenarioCommand {
  @Option(
      names = "--subscriptions",
      defaultValue = "100000",
      description = "Default: ${DEFAULT-VALUE}.")
  int subscriptions;

  @Option(
      names = "--connections",
      defaultValue = "20",
      description =
          "Connections the subscriptions are spread over (a Fovea session holds at most 10,000)."
              + " Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(
      names = "--topics",
      defaultValue = "65536",
      description = "Random topics the publisher cycles through. Default: ${DEFAULT-VALUE}.")
  int topics;

  @Option(names = "--payload", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int payload;

  @Option(
      names = "--window",
      defaultValue = "8192",
      description = "Publishes in flight, not yet processed. Default: ${DEFAULT-VALUE}.")
  int window;

  @Override
  String scenario() {
    return "patterns";
  }

  @Override
  void run(RunReport report) throws Exception {
    report
        .param("subscriptions", subscriptions)
        .param("connections", connections)
        .param("topics", topics)
        .param("payload_bytes", payload)
        .param("window", window);
    Syntax syntax = load.target().syntax();
    PatternSpace space = new PatternSpace(load.seed);

    List<List<String>> perConnection = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      perConnection.add(new ArrayList<>());
    }
    for (int i = 0; i < subscriptions; i++) {
      perConnection.get(i % connections).add(syntax.pattern(space.pattern()));
    }
    long subscribing = System.nanoTime();
    List<Tally> matched = new ArrayList<>();
    List<Client> subscribers = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Client subscriber = connect(0, Names.client("patterns", c));
      Tally tally = new Tally(null);
      subscriber.subscribe(perConnection.get(c), tally);
      subscribers.add(subscriber);
      matched.add(tally);
    }
    for (Client subscriber : subscribers) {
      subscriber.flush(Names.FLUSH_TIMEOUT);
    }
    report.figure("subscribe_s", (System.nanoTime() - subscribing) / 1e9);

    LatencyWindow latency = new LatencyWindow();
    Tally processed = new Tally(latency);
    Client everyTopic = connect(0, Names.client("every-topic", 0));
    everyTopic.subscribe(List.of(syntax.pattern(PatternSpace.EVERY_TOPIC)), processed);
    everyTopic.flush(Names.FLUSH_TIMEOUT);

    String[] published = new String[topics];
    for (int k = 0; k < topics; k++) {
      published[k] = syntax.topic(space.topic());
    }
    PubSubLoad.Publisher publisher =
        new PubSubLoad.Publisher(connect(0, Names.client("pub", 0)), published);
    long matchedBefore = Tally.sum(matched);

    PubSubLoad.Settings settings =
        new PubSubLoad.Settings(payload, 0, window, load.warmup(), load.duration());
    PubSubLoad.Outcome outcome =
        new PubSubLoad(List.of(publisher), List.of(processed), settings, latency).run();
    PubSubLoad.describe(outcome, "publishes_per_s", report);

    long matchedDeliveries = Tally.sum(matched) - matchedBefore;
    report.figure("matched_deliveries", matchedDeliveries);
    report.figure("matched_per_publish", (double) matchedDeliveries / outcome.published());
    report.note(
        "matched deliveries count what the other subscribers received: once per connection on"
            + " Fovea, once per matching subscription on NATS and Mosquitto");
  }
}
