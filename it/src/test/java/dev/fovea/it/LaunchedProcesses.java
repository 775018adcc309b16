package dev.fovea.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the processes of one test and kills every one still running when the test ends, passed or
 * failed. Their output files are named after the test, in {@code it/target/node-logs}. Register it
 * on a test class with {@code @RegisterExtension}.
 *
 * <p>Registered on a static field, it also owns what a {@code @BeforeAll} method starts, such as a
 * cluster that the tests of the class share: those processes live until the class is done, and
 * their files are named after the class. What a test starts itself is still killed when that test
 * ends.
 */
final class LaunchedProcesses
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** The environment the node reads; a test sets what it means, never what the shell had. */
  private static final List<String> NODE_ENVIRONMENT =
      List.of(
          "GATEWAY_HOST",
          "GATEWAY_PORT",
          "GATEWAY_REALM",
          "CLUSTER_HOST",
          "CLUSTER_PORT",
          "NODE_NAME",
          "SEED_NODES",
          "FOVEA_JAVA_OPTS");

  /**
   * Processes alive in this JVM. The hook kills them when the JVM is stopped in the middle of a
   * test, as Failsafe does after a timeout, so that no node keeps its ports after the build.
   */
  private static final Set<ProcessHandle> ALIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> ALIVE.forEach(LaunchedProcesses::killTree), "fovea-it-kill-leftovers"));
  }

  private final List<LaunchedProcess> launched = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private String testName = "outside-a-test";

  /** How many of {@link #launched}, from the start, belong to the class rather than to a test. */
  private int ownedByClass;

  @Override
  public void beforeAll(ExtensionContext context) {
    testName = context.getRequiredTestClass().getSimpleName();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    closeFrom(0);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    ownedByClass = launched.size();
    testName =
        context.getRequiredTestClass().getSimpleName()
            + "-"
            + context.getRequiredTestMethod().getName();
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    closeFrom(ownedByClass);
    testName = context.getRequiredTestClass().getSimpleName();
  }

  /** Kills the processes from {@code first} on that still run, the latest started first. */
  private synchronized void closeFrom(int first) throws InterruptedException {
    for (int i = launched.size() - 1; i >= first; i--) {
      LaunchedProcess process = launched.remove(i);
      names.remove(process.name());
      process.close();
    }
  }

  /** A node process to configure and start; its log is {@code <test>-<name>.log}. */
  NodeProcess.Builder node(String name) {
    return new NodeProcess.Builder(this, name);
  }

  /**
   * Runs {@code bash ./fovea ARGS} in the repository root with the environment given and nothing
   * else of the node's environment; stdout and stderr go to {@code <test>-<name>.out} and {@code
   * .err}.
   */
  FoveaCommand fovea(String name, Map<String, String> environment, List<String> arguments) {
    return FoveaCommand.start(this, name, environment, arguments);
  }

  /** A file for a process's output, in a directory made for it if need be. */
  Path outputFile(String processName, String suffix) {
    Path directory = FoveaBuild.logDirectory();
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
    return directory.resolve(testName + "-" + processName + suffix);
  }

  /**
   * Starts a process with no input, as from a terminal with nothing typed, and without the node's
   * environment variables unless {@code environment} sets them.
   *
   * @throws IllegalArgumentException if this test already started a process of that name, whose
   *     output files it would overwrite
   */
  synchronized Process start(String name, ProcessBuilder builder, Map<String, String> environment) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("this test already started a process named " + name);
    }
    NODE_ENVIRONMENT.forEach(builder.environment()::remove);
    builder.environment().putAll(environment);

    Process process;
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", builder.command()), e);
    }
    ALIVE.add(process.toHandle());
    process.onExit().thenRun(() -> ALIVE.remove(process.toHandle()));
    return process;
  }

  /** Makes a started process this test's, to be killed when the test ends. */
  synchronized <T extends LaunchedProcess> T own(T process) {
    launched.add(process);
    return process;
  }

  /** SIGKILL to a process and to every process it started that still runs. */
  static void killTree(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
