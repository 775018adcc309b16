package dev.fovea.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.fovea.node.gateway.Gateway;
import dev.fovea.node.management.NodeHandle;
import dev.fovea.node.metrics.NodeHealth;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.node.session.LiveSessions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.apache.pekko.stream.javadsl.Tcp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: its actor system, which is a Pekko cluster member, and its gateway. With no seed
 * nodes configured the node joins itself and is a complete one-node cluster.
 */
public final class FoveaNode {
  private static final Logger log = LoggerFactory.getLogger(FoveaNode.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  public static final String VERSION = "0.1.0";

  private final ActorSystem<Void> system;
  private final NodeSettings settings;
  private final String nodeId;
  private final NodeStats stats;
  private final Tcp.ServerBinding gateway;
  private final Instant startedAt;
  private final URI management;

  private FoveaNode(
      ActorSystem<Void> system,
      NodeSettings settings,
      String nodeId,
      NodeStats stats,
      Tcp.ServerBinding gateway,
      Instant startedAt,
      URI management) {
    this.system = system;
    this.settings = settings;
    this.nodeId = nodeId;
    this.stats = stats;
    this.gateway = gateway;
    this.startedAt = startedAt;
    this.management = management;
  }

  /** The base address of the management HTTP endpoint, with the bound port. */
  public URI managementUri() {
    return management;
  }

  /** Starts a node with the default configuration. */
  public static FoveaNode start() {
    return start(ConfigFactory.empty());
  }

  /**
   * Starts a node and returns once its gateway listens.
   *
   * @param settings overrides of the configuration, such as {@code fovea.gateway.port = 0}
   */
  public static FoveaNode start(Config settings) {
    Instant startedAt = Instant.now();
    Config config = NodeConfig.load(settings);
    NodeSettings node = NodeSettings.from(config.getConfig("fovea"));
    NodeStats stats = new NodeStats();
    NodeMetrics metrics = new NodeMetrics();
    NodeHealth health = new NodeHealth();
    LiveSessions live = new LiveSessions();
    CompletableFuture<NodeGuardian.Parts> parts = new CompletableFuture<>();
    String[] nodeIdHolder = new String[1];

    // The node id defaults to the cluster address, which is known only once the system runs;
    // the guardian's setup runs after that, so it can read it.
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.setup(
                ctx -> {
                  String id = nodeId(node, Cluster.get(ctx.getSystem()).selfMember().address());
                  nodeIdHolder[0] = id;
                  return NodeGuardian.create(
                      new NodeGuardian.Inputs(
                          node,
                          id,
                          stats,
                          metrics,
                          health,
                          live,
                          () -> infoJson(id, node, stats, startedAt)),
                      parts);
                }),
            NodeConfig.SYSTEM_NAME,
            config);
    try {
      joinSelfIfAlone(system, config);
      NodeGuardian.Parts started = parts.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      NodeHandle handle = NodeHandle.get(system);
      handle.attach(
          new NodeHandle.Parts(
              nodeIdHolder[0],
              node,
              metrics,
              health,
              live,
              started.subscriptions(),
              started.directory(),
              () -> NodeMetricsBinding.countMembers(system),
              startedAt));
      NodeMetricsBinding.bind(metrics, stats, started, system);
      NodeMetricsBinding.bindLimits(metrics, node, live);
      URI management =
          URI.create(
              PekkoManagement.get(system)
                  .start()
                  .toCompletableFuture()
                  .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                  .toString());
      Tcp.ServerBinding binding =
          Gateway.bind(system, node, metrics, started.clientManager())
              .toCompletableFuture()
              .get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      handle.gatewayListening(true);
      FoveaNode fovea =
          new FoveaNode(system, node, nodeIdHolder[0], stats, binding, startedAt, management);
      fovea.unbindOnShutdown();
      log.info(
          "Fovea node {} serves realm {} on {} (cluster address {}, management {})",
          fovea.nodeId,
          node.realm(),
          fovea.gatewayAddress(),
          Cluster.get(system).selfMember().address(),
          management);
      return fovea;
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("the node did not start: " + e.getMessage(), e);
    }
  }

  private static String nodeId(NodeSettings settings, Address address) {
    if (!settings.nodeName().isBlank()) {
      return settings.nodeName();
    }
    return address.host().get() + ":" + address.port().get();
  }

  private static void joinSelfIfAlone(ActorSystem<Void> system, Config config) {
    if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
  }

  private void unbindOnShutdown() {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceUnbind(),
            "fovea-gateway-unbind",
            () -> {
              log.info("Fovea node {} stops accepting clients", nodeId);
              NodeHandle.get(system).gatewayListening(false);
              return gateway.unbind().thenApply(unit -> Done.getInstance());
            });
  }

  private static String infoJson(
      String nodeId, NodeSettings settings, NodeStats stats, Instant startedAt) {
    return "{\"node\":\""
        + nodeId
        + "\",\"realm\":\""
        + settings.realm()
        + "\",\"version\":\""
        + VERSION
        + "\",\"uptime_ms\":"
        + Duration.between(startedAt, Instant.now()).toMillis()
        + ",\"sessions\":"
        + stats.sessions()
        + "}";
  }

  public String nodeId() {
    return nodeId;
  }

  public NodeSettings settings() {
    return settings;
  }

  public NodeStats stats() {
    return stats;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Where the gateway listens; the port is the bound one when port 0 was asked for. */
  public InetSocketAddress gatewayAddress() {
    return gateway.localAddress();
  }

  public int gatewayPort() {
    return gateway.localAddress().getPort();
  }

  /** Stops the node through its coordinated shutdown; completes when it has stopped. */
  public CompletionStage<Done> stop() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
  }

  /** Blocks until the node has stopped. */
  public void awaitTermination() throws InterruptedException {
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
