package dev.fovea.bench.load;

import dev.fovea.bench.load.pekko.PekkoNodeCommand;
import dev.fovea.bench.load.profile.ProfileCommand;
import dev.fovea.bench.load.report.ReportCommand;
import dev.fovea.bench.load.scenario.Scenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fovea bench}: the load driver's command line. */
@Command(
    name = "fovea bench",
    mixinStandardHelpOptions = true,
    description = {
      "Drive a running Fovea node, or a peer system through its own client, and report what"
          + " subscribers received.",
      "Scenarios: pubsub, fanout, rpc, patterns, connections, cluster. bench/compare.sh runs them"
          + " all against Fovea, NATS, Mosquitto and Pekko."
    })
public final class LoadDriver implements Runnable {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine driver = new CommandLine(new LoadDriver());
    Scenarios.addTo(driver);
    driver.addSubcommand(new PekkoNodeCommand());
    driver.addSubcommand(new ReportCommand());
    driver.addSubcommand(new ProfileCommand());
    return driver;
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }
}
