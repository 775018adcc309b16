package dev.fovea.bench.load.profile;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fovea bench profile}: summarises a flight recording of a node under load. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = "Summarise the execution samples of a flight recording (.jfr).")
public final class ProfileCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The recording.")
  Path recording;

  @Option(names = "--top", defaultValue = "30", description = "Methods per ranking.")
  int top;

  @Option(
      names = "--focus",
      defaultValue = "dev.fovea.",
      description = "A package prefix ranked on its own. Default: ${DEFAULT-VALUE}.")
  String focus;

  @Override
  public Integer call() throws Exception {
    System.out.print(ProfileSummary.of(recording).render(top, focus));
    return 0;
  }
}
