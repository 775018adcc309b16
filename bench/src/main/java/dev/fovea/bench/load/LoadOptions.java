package dev.fovea.bench.load;

import dev.fovea.bench.load.target.FoveaTarget;
import dev.fovea.bench.load.target.MqttTarget;
import dev.fovea.bench.load.target.NatsTarget;
import dev.fovea.bench.load.target.Target;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every scenario takes: which system, where, for how long, and where results go. */
public final class LoadOptions {
  @Option(
      names = "--system",
      defaultValue = "fovea",
      description = "fovea, nats, mosquitto, or pekko (cluster only). Default: ${DEFAULT-VALUE}.")
  public String system;

  @Option(
      names = "--server",
      split = ",",
      paramLabel = "HOST:PORT",
      description =
          "Each node of the system, comma-separated or repeated. Defaults: fovea"
              + " 127.0.0.1:9443, nats 127.0.0.1:4222, mosquitto 127.0.0.1:1883, pekko (its nodes'"
              + " control ports) 127.0.0.1:28083.")
  public List<String> servers = new ArrayList<>();

  @Option(
      names = "--realm",
      defaultValue = "macula.default",
      description = "Fovea realm. Default: ${DEFAULT-VALUE}.")
  public String realm;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Seconds of load before measuring. Default: ${DEFAULT-VALUE}.")
  public double warmupSeconds;

  @Option(
      names = "--duration",
      defaultValue = "10",
      description = "Seconds measured. Default: ${DEFAULT-VALUE}.")
  public double durationSeconds;

  @Option(names = "--label", description = "Names the run in results (default: the scenario).")
  public String label;

  @Option(names = "--out", description = "Appends the result to this file as one JSON line.")
  public Path out;

  @Option(
      names = "--metrics",
      split = ",",
      paramLabel = "URL",
      description =
          "Fovea management /metrics of each node, to report the node's own drop counters.")
  public List<URI> metrics = new ArrayList<>();

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of topics and patterns. Default: ${DEFAULT-VALUE}.")
  public long seed;

  public Duration warmup() {
    return seconds(warmupSeconds);
  }

  public Duration duration() {
    return seconds(durationSeconds);
  }

  /** The label results carry: the one given, else the scenario's name. */
  public String label(String scenario) {
    return label == null ? scenario : label;
  }

  /** The system's nodes, or its default address when none was given. */
  public List<InetSocketAddress> servers() {
    List<String> given = servers.isEmpty() ? List.of(defaultServer()) : servers;
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String hostPort : given) {
      int colon = hostPort.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("a server is host:port, not '" + hostPort + "'");
      }
      addresses.add(
          InetSocketAddress.createUnresolved(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
    }
    return addresses;
  }

  /** The system to drive through its own client. */
  public Target target() {
    return switch (system) {
      case "fovea" -> new FoveaTarget(servers(), realm);
      case "nats" -> new NatsTarget(servers());
      case "mosquitto" -> new MqttTarget(servers());
      default ->
          throw new IllegalArgumentException(
              "--system is fovea, nats or mosquitto here, not '" + system + "'");
    };
  }

  private String defaultServer() {
    return switch (system) {
      case "nats" -> "127.0.0.1:4222";
      case "mosquitto" -> "127.0.0.1:1883";
      case "pekko" -> "127.0.0.1:28083";
      default -> "127.0.0.1:9443";
    };
  }

  private static Duration seconds(double seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("seconds must not be negative, was " + seconds);
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
