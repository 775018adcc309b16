package dev.fovea.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fovea} command: one entry point for the node and the client tools. */
@Command(
    name = "fovea",
    mixinStandardHelpOptions = true,
    version = "fovea 0.1.0",
    description = "A clustered mesh node: topic pub/sub with wildcards, RPC and discovery.",
    subcommands = {
      NodeCommand.class,
      LeaveCommand.class,
      PubCommand.class,
      SubCommand.class,
      CallCommand.class,
      ServeCommand.class
    })
public final class Fovea implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static void main(String[] args) {
    // Commands that run until Ctrl-C return once the shutdown hooks have stopped them; exiting
    // then waits for those hooks to finish, which is what a clean stop needs.
    System.exit(new CommandLine(new Fovea()).execute(args));
  }
}
