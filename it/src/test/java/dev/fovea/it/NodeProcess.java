package dev.fovea.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node running in a JVM of its own, started from {@code node/target/fovea.jar} with the command
 * line an operator types. Its stdout and stderr go to one log file, which is how a test sees what
 * it does. Start one with {@link LaunchedProcesses#node(String)}.
 */
final class NodeProcess extends LaunchedProcess {
  /** The line a node logs once its gateway listens. */
  static final String SERVES = "serves realm";

  /** The line a node logs when SIGTERM started its shutdown. */
  static final String STOPS_ACCEPTING = "stops accepting clients";

  /** Start-up takes a few seconds; this allows for a loaded two-core CI machine. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** What a node needs on a small machine, and what keeps several of them beside the build. */
  static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final int gatewayPort;
  private final int clusterPort;
  private final OutputFile log;

  private NodeProcess(
      String name, Process process, int gatewayPort, int clusterPort, OutputFile log) {
    super(name, process);
    this.gatewayPort = gatewayPort;
    this.clusterPort = clusterPort;
    this.log = log;
  }

  /** The port clients connect to, on 127.0.0.1. */
  int gatewayPort() {
    return gatewayPort;
  }

  /** The port other nodes join by, on 127.0.0.1. */
  int clusterPort() {
    return clusterPort;
  }

  /** Its address in the cluster, as the cluster's log lines name it. */
  String clusterAddress() {
    return "pekko://fovea@127.0.0.1:" + clusterPort;
  }

  /** The log: the node's stdout and stderr. */
  Path logFile() {
    return log.path();
  }

  /** Everything the node logged so far. */
  String log() {
    return log.text();
  }

  /** Waits until the log contains {@code fragment}; fails early if the node exits first. */
  void awaitLog(String fragment, Duration timeout) {
    log.await(fragment, timeout, this);
  }

  @Override
  String outputTail() {
    return log.tail();
  }

  /** The options of {@code fovea node}; unset ports are free ones picked on start. */
  static final class Builder {
    private final LaunchedProcesses owner;
    private final String name;
    private int gatewayPort;
    private int clusterPort;
    private final List<Integer> seedPorts = new ArrayList<>();
    private final Map<String, String> settings = new LinkedHashMap<>();

    Builder(LaunchedProcesses owner, String name) {
      this.owner = owner;
      this.name = name;
    }

    Builder gatewayPort(int port) {
      this.gatewayPort = port;
      return this;
    }

    Builder clusterPort(int port) {
      this.clusterPort = port;
      return this;
    }

    /** Joins the cluster through {@code seed}: {@code --seed 127.0.0.1:<its cluster port>}. */
    Builder seed(NodeProcess seed) {
      return seed(seed.clusterPort());
    }

    /** Joins the cluster through the node on this cluster port; repeat for several. */
    Builder seed(int clusterPort) {
      seedPorts.add(clusterPort);
      return this;
    }

    /** A configuration key: {@code -D key=value}. */
    Builder set(String key, String value) {
      settings.put(key, value);
      return this;
    }

    /**
     * Starts the node and returns once it logged that it serves its realm.
     *
     * @throws AssertionError with the log's tail if it exits or is not ready within {@link
     *     #START_TIMEOUT}; it is killed then
     */
    NodeProcess start() throws InterruptedException {
      int gateway = gatewayPort == 0 ? FreePorts.next() : gatewayPort;
      int cluster = clusterPort == 0 ? FreePorts.next() : clusterPort;
      OutputFile log = new OutputFile(owner.outputFile(name, ".log"));
      ProcessBuilder builder =
          new ProcessBuilder(command(gateway, cluster))
              .directory(FoveaBuild.home().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.path().toFile());

      Process process = owner.start(name, builder, Map.of());
      NodeProcess node = owner.own(new NodeProcess(name, process, gateway, cluster, log));
      try {
        node.awaitLog(SERVES, START_TIMEOUT);
      } catch (AssertionError e) {
        node.kill();
        throw e;
      }
      return node;
    }

    private List<String> command(int gateway, int cluster) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(JVM_OPTIONS);
      command.addAll(List.of("-jar", FoveaBuild.jar().toString(), "node"));
      command.addAll(List.of("--port", Integer.toString(gateway)));
      command.addAll(List.of("--cluster-port", Integer.toString(cluster)));
      // Several nodes share this machine: each needs its own management port too.
      command.addAll(List.of("--management-port", Integer.toString(FreePorts.next())));
      command.addAll(List.of("--name", name));
      for (int seedPort : seedPorts) {
        command.addAll(List.of("--seed", "127.0.0.1:" + seedPort));
      }
      settings.forEach((key, value) -> command.addAll(List.of("-D", key + "=" + value)));
      return command;
    }
  }
}
