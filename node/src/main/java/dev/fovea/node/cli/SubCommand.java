package dev.fovea.node.cli;

import dev.fovea.client.FoveaClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fovea sub PATTERN}: prints every matching message as a line until Ctrl-C. */
@Command(
    name = "sub",
    mixinStandardHelpOptions = true,
    description =
        "Print each message on a topic matching PATTERN as 'TOPIC MESSAGE', until Ctrl-C.")
final class SubCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "PATTERN",
      description = "Topic pattern: * matches one segment, ** any number, as in sensor.**.")
  String pattern;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    FoveaClient client;
    try {
      client = connection.connect("sub");
    } catch (RuntimeException e) {
      return ConnectionOptions.fail(err, e);
    }

    try {
      // One subscription's messages are handled one at a time, so lines never interleave.
      client.subscribe(
          pattern,
          delivery -> {
            out.println(delivery.topic() + " " + delivery.text());
            out.flush();
          });
      client.flush();
    } catch (RuntimeException e) {
      client.close();
      return ConnectionOptions.fail(err, e);
    }
    err.println("subscribed to " + pattern);
    err.flush();
    return ConnectionOptions.runUntilStopped(client, err);
  }
}
