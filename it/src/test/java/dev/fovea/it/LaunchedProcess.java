package dev.fovea.it;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started: a node or a {@code ./fovea} command. Closing it kills it, with the
 * processes it started, if it still runs.
 */
abstract class LaunchedProcess implements AutoCloseable {
  /** How long a process has to end after SIGTERM. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /**
   * The exit code of a JVM that SIGTERM stopped, 128 + 15, even after a clean shutdown: the signal
   * starts the shutdown and sets the code, and a System.exit(0) after the hooks cannot change it.
   */
  static final int EXIT_ON_SIGTERM = 143;

  /** SIGKILL cannot be refused; this only bounds the wait for the operating system. */
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;

  LaunchedProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** The name the test gave it, which its output files are named after. */
  final String name() {
    return name;
  }

  final Process process() {
    return process;
  }

  final boolean isAlive() {
    return process.isAlive();
  }

  /** The ends of its output files, for failure messages. */
  abstract String outputTail();

  /**
   * Sends SIGTERM, as {@code kill PID} or a service manager does, and waits for the process to end.
   *
   * @return its exit code
   * @throws AssertionError if it still runs after {@link #STOP_TIMEOUT}; it is killed then
   */
  final int stop() throws InterruptedException {
    process.destroy();
    return awaitExit(STOP_TIMEOUT, "after SIGTERM");
  }

  /** Sends SIGKILL, as {@code kill -9 PID} does, to it and to the processes it started. */
  final int kill() throws InterruptedException {
    LaunchedProcesses.killTree(process.toHandle());
    if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          name + " still runs " + KILL_TIMEOUT.toSeconds() + " s after SIGKILL");
    }
    return process.exitValue();
  }

  /**
   * Waits for the process to end by itself.
   *
   * @return its exit code
   * @throws AssertionError if it still runs after {@code timeout}; it is killed then
   */
  final int awaitExit(Duration timeout) throws InterruptedException {
    return awaitExit(timeout, "");
  }

  private int awaitExit(Duration timeout, String after) throws InterruptedException {
    if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return process.exitValue();
    }
    String tail = outputTail();
    kill();
    throw new AssertionError(
        name + " still ran " + timeout.toSeconds() + " s " + after + " and was killed\n" + tail);
  }

  @Override
  public final void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
