package dev.fovea.it;

import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Node processes that form one cluster: the first joins itself, the others join it as their seed.
 * Each node is named {@code node-<n>}, counted from 1 in the order the cluster was given them.
 */
final class NodeCluster {
  static final String REALM = "macula.default";

  /** Joining takes a second or two; this allows for a loaded two-core machine. */
  static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A killed node is unreachable about 3 s after its last heartbeat, and downed 2 s after that,
   * instead of the defaults' 4 s and 20 s.
   */
  static final Map<String, String> FAST_FAILURE_DETECTION =
      Map.of(
          "pekko.cluster.failure-detector.heartbeat-interval", "500ms",
          "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "2s",
          "pekko.cluster.split-brain-resolver.stable-after", "2s");

  private final LaunchedProcesses launched;
  private final Map<String, String> settings;
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();

  private NodeCluster(LaunchedProcesses launched, Map<String, String> settings) {
    this.launched = launched;
    this.settings = settings;
  }

  /**
   * Starts the first node, then the others at once, and returns when every one is up in the
   * cluster.
   *
   * @param settings {@code -D} settings that every node is started with
   */
  static NodeCluster start(LaunchedProcesses launched, int size, Map<String, String> settings)
      throws InterruptedException {
    NodeCluster cluster = new NodeCluster(launched, new LinkedHashMap<>(settings));
    NodeProcess seed = cluster.builder("node-1").start();
    cluster.nodes.add(seed);
    List<String> names = new ArrayList<>();
    for (int n = 2; n <= size; n++) {
      names.add("node-" + n);
    }
    cluster.startJoined(names);
    return cluster;
  }

  /** The {@code n}th node, counted from 1. */
  NodeProcess node(int n) {
    return nodes.get(n - 1);
  }

  /**
   * Starts one more node, owned by whatever the launcher is running now (a test, when called from
   * one), and returns once it is up in the cluster.
   */
  NodeProcess join(String name) throws InterruptedException {
    return startJoined(List.of(name)).get(0);
  }

  /** Waits until a surviving node's log says that {@code gone} was removed from the cluster. */
  void awaitRemovedBy(NodeProcess survivor, NodeProcess gone, Duration timeout) {
    survivor.awaitLog("node " + gone.clusterAddress() + " left the cluster", timeout);
  }

  static FoveaClient connect(NodeProcess node) {
    return FoveaClient.connect("127.0.0.1", node.gatewayPort(), REALM);
  }

  private NodeProcess.Builder builder(String name) {
    NodeProcess.Builder builder = launched.node(name);
    settings.forEach(builder::set);
    return builder;
  }

  private List<NodeProcess> startJoined(List<String> names) throws InterruptedException {
    NodeProcess seed = nodes.get(0);
    ExecutorService starter = Executors.newFixedThreadPool(names.size());
    List<NodeProcess> started = new ArrayList<>();
    try {
      List<Future<NodeProcess>> starts = new ArrayList<>();
      for (String name : names) {
        starts.add(starter.submit(() -> builder(name).seed(seed).start()));
      }
      for (Future<NodeProcess> start : starts) {
        started.add(result(start));
      }
    } finally {
      starter.shutdownNow();
    }
    nodes.addAll(started);
    for (NodeProcess node : started) {
      awaitUp(node);
    }
    return started;
  }

  /**
   * Waits until the cluster's leader, whichever node that is, moved the node to Up. The leader is
   * the lowest address among the members, which depends on the ports they were given.
   */
  private void awaitUp(NodeProcess node) {
    String moved = "Leader is moving node [" + node.clusterAddress() + "] to [Up]";
    await(node + " is up in the cluster")
        .atMost(JOIN_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .failFast(node + " exited", () -> !node.isAlive())
        .until(() -> nodes.stream().anyMatch(member -> member.log().contains(moved)));
  }

  private static NodeProcess result(Future<NodeProcess> start) throws InterruptedException {
    try {
      return start.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AssertionError failure) {
        throw failure;
      }
      throw new AssertionError("a node did not start", e.getCause());
    }
  }
}
