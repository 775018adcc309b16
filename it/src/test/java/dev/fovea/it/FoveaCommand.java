package dev.fovea.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of the {@code ./fovea} script in the repository root, as a user types it: bash runs the
 * script, which checks the jar and then execs java, so signals reach the JVM. Stdout and stderr go
 * to files of their own, since the client commands print results to one and progress to the other.
 * Start one with {@link LaunchedProcesses#fovea}.
 */
final class FoveaCommand extends LaunchedProcess {
  private final OutputFile stdout;
  private final OutputFile stderr;

  private FoveaCommand(String name, Process process, OutputFile stdout, OutputFile stderr) {
    super(name, process);
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static FoveaCommand start(
      LaunchedProcesses owner, String name, Map<String, String> environment, List<String> args) {
    List<String> command = new ArrayList<>(List.of("bash", "./fovea"));
    command.addAll(args);
    OutputFile stdout = new OutputFile(owner.outputFile(name, ".out"));
    OutputFile stderr = new OutputFile(owner.outputFile(name, ".err"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(FoveaBuild.home().toFile())
            .redirectOutput(stdout.path().toFile())
            .redirectError(stderr.path().toFile());

    Process process = owner.start(name, builder, environment);
    return owner.own(new FoveaCommand(name, process, stdout, stderr));
  }

  String stdout() {
    return stdout.text();
  }

  String stderr() {
    return stderr.text();
  }

  void awaitStdout(String fragment, Duration timeout) {
    stdout.await(fragment, timeout, this);
  }

  void awaitStderr(String fragment, Duration timeout) {
    stderr.await(fragment, timeout, this);
  }

  @Override
  String outputTail() {
    return stdout.tail() + "\n" + stderr.tail();
  }
}
