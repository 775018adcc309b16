package dev.fovea.node.cli;

import dev.fovea.client.FoveaClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fovea call PROCEDURE [PAYLOAD]}: calls a procedure once and prints the reply. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
      "Call PROCEDURE with PAYLOAD (as UTF-8) and print the reply as UTF-8.",
      "An error reply is printed to stderr as 'error CODE: reason', with exit code 1."
    })
final class CallCommand implements Callable<Integer> {
  /** Beyond the node's failover attempts, so that the node's own timeout error is what is shown. */
  private static final Duration WAIT_GRACE = Duration.ofSeconds(2);

  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PROCEDURE", description = "Procedure, such as math.add.")
  String procedure;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PAYLOAD",
      description = "The request text (default: empty).")
  String payload = "";

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      converter = ConnectionOptions.DurationConverter.class,
      description = "How long each provider has to answer (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (FoveaClient client = connection.connect("call")) {
      // The node may try up to three providers, each for the full timeout.
      Duration wait = timeout.multipliedBy(3).plus(WAIT_GRACE);
      String reply =
          ConnectionOptions.await(client.callText(procedure, payload, timeout), wait, "reply");
      out.println(reply);
      out.flush();
      return 0;
    } catch (RuntimeException e) {
      return ConnectionOptions.fail(spec.commandLine().getErr(), e);
    }
  }
}
