package dev.fovea.node.cli;

import dev.fovea.client.FoveaClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fovea pub TOPIC MESSAGE}: publishes one message and waits until the node accepts it. */
@Command(
    name = "pub",
    mixinStandardHelpOptions = true,
    description = "Publish MESSAGE (as UTF-8) on TOPIC; prints nothing once the node accepted it.")
final class PubCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic, such as sensor.kitchen.")
  String topic;

  @Parameters(index = "1", paramLabel = "MESSAGE", description = "The message text.")
  String message;

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      converter = ConnectionOptions.DurationConverter.class,
      description = "How long to wait for the node's acknowledgement (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    try (FoveaClient client = connection.connect("pub")) {
      ConnectionOptions.await(
          client.publishWithAck(topic, message), timeout, "acknowledgement from the node");
      return 0;
    } catch (RuntimeException e) {
      return ConnectionOptions.fail(spec.commandLine().getErr(), e);
    }
  }
}
