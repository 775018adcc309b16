package dev.fovea.bench.load.scenario;

import picocli.CommandLine;

/** The scenarios, as subcommands of the driver. */
public final class Scenarios {
  private Scenarios() {}

  public static void addTo(CommandLine driver) {
    driver.addSubcommand(new PubSubScenario());
    driver.addSubcommand(new FanoutScenario());
    driver.addSubcommand(new RpcScenario());
    driver.addSubcommand(new PatternsScenario());
    driver.addSubcommand(new ConnectionsScenario());
    driver.addSubcommand(new ClusterScenario());
  }
}
