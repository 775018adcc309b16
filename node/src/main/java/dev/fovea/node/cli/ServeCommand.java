package dev.fovea.node.cli;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.Invocation;
import dev.fovea.client.ProcedureHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fovea serve PROCEDURE}: provides a procedure from the command line until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Provide PROCEDURE until Ctrl-C. By default each call is answered with its own payload.",
      "With --exec, each call runs COMMAND through sh -c with the payload on its stdin and is"
          + " answered with its stdout; a non-zero exit answers an error carrying its stderr."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PROCEDURE", description = "Procedure, such as math.add.")
  String procedure;

  @Option(names = "--exec", paramLabel = "COMMAND", description = "Shell command to run per call.")
  String exec;

  @Option(
      names = "--exec-timeout",
      defaultValue = "30s",
      converter = ConnectionOptions.DurationConverter.class,
      description = "Kill a command still running after this long (default: ${DEFAULT-VALUE}).")
  Duration execTimeout;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ProcedureHandler handler = exec == null ? Invocation::payload : this::runCommand;
    FoveaClient client;
    try {
      client = connection.connect("serve");
    } catch (RuntimeException e) {
      return ConnectionOptions.fail(err, e);
    }

    try {
      client.advertise(procedure, handler);
      client.flush();
    } catch (RuntimeException e) {
      client.close();
      return ConnectionOptions.fail(err, e);
    }
    err.println("serving " + procedure);
    err.flush();
    return ConnectionOptions.runUntilStopped(client, err);
  }

  /**
   * Runs the command for one invocation. Its stdin is fed and its stdout and stderr are drained on
   * threads of their own: a command that writes much before it has read all its input would
   * otherwise block on a full pipe while this thread blocks writing to it.
   */
  private byte[] runCommand(Invocation invocation) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", exec).start();
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    Thread[] pipes = {
      pipeThread("stdin", () -> feed(process.getOutputStream(), invocation.payload())),
      pipeThread("stdout", () -> drain(process.getInputStream(), stdout)),
      pipeThread("stderr", () -> drain(process.getErrorStream(), stderr))
    };

    try {
      if (!process.waitFor(execTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "the command did not finish within " + execTimeout.toMillis() + " ms");
      }
      for (Thread pipe : pipes) {
        // A background child of the command may hold a pipe open; do not wait for it for ever.
        pipe.join(execTimeout.toMillis());
      }
    } finally {
      process.destroyForcibly();
    }

    if (process.exitValue() != 0) {
      String message = stderr.toString(StandardCharsets.UTF_8).strip();
      throw new IllegalStateException(
          message.isEmpty() ? "the command exited with status " + process.exitValue() : message);
    }
    return stdout.toByteArray();
  }

  private static Thread pipeThread(String name, Runnable copy) {
    Thread thread = new Thread(copy, "fovea-serve-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void feed(OutputStream stdin, byte[] payload) {
    try (stdin) {
      stdin.write(payload);
    } catch (IOException e) {
      // The command exited without reading all of its input; its exit status tells the rest.
    }
  }

  private static void drain(InputStream from, ByteArrayOutputStream to) {
    try (from) {
      from.transferTo(to);
    } catch (IOException e) {
      // The process was killed; what was read so far is all there is.
    }
  }
}
