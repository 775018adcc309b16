package dev.fovea.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Measures how long the cluster takes to spread a subscription and to route calls around a killed
 * node, and writes the figures to {@code it/target/cluster-timings.md}. A measurement, not a
 * benchmark: it fails only when something takes far longer than it should. The kill comes last,
 * since it costs the cluster a node.
 */
@Timeout(180)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTimingsIT {
  private static final int PROBES = 20;
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(5);
  private static final Duration GENEROUS = Duration.ofSeconds(10);
  private static final Duration CALL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration REMOVAL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration AFTER_REMOVAL = Duration.ofSeconds(2);

  private static final Map<String, String> SETTINGS = settings();

  @RegisterExtension static final LaunchedProcesses launched = new LaunchedProcesses();

  private static NodeCluster cluster;
  private static final List<Long> propagationMillis = new ArrayList<>();
  private static final Map<String, String> failover = new LinkedHashMap<>();

  @BeforeAll
  static void startCluster() throws InterruptedException {
    cluster = NodeCluster.start(launched, 3, SETTINGS);
  }

  @AfterAll
  static void writeFigures() throws IOException {
    String table = table();
    Path file = FoveaBuild.home().resolve("it").resolve("target").resolve("cluster-timings.md");
    Files.writeString(file, table, UTF_8);
    System.out.println(table);
  }

  @Test
  @Order(1)
  void aSubscriptionOnOneNodeReachesThePublishersOfAnother() throws Exception {
    try (FoveaClient subscriber = NodeCluster.connect(cluster.node(1));
        FoveaClient publisher = NodeCluster.connect(cluster.node(2))) {
      for (int i = 0; i < PROBES; i++) {
        Inbox inbox = new Inbox();
        String topic = "probe." + i + ".x";
        subscriber.subscribe("probe." + i + ".**", inbox);
        subscriber.flush();
        long subscribedAt = System.nanoTime();
        await("a publish on " + topic + " arrives")
            .atMost(GENEROUS)
            .pollDelay(Duration.ZERO)
            .pollInterval(PROBE_INTERVAL)
            .until(
                () -> {
                  publisher.publish(topic, "probe");
                  return inbox.hasTopic(topic);
                });
        long receivedAt = inbox.messages().get(0).receivedAt();
        propagationMillis.add(TimeUnit.NANOSECONDS.toMillis(receivedAt - subscribedAt));
      }
    }
    assertThat(propagationMillis).hasSize(PROBES);
  }

  @Test
  @Order(2)
  void callsGoToTheOtherProviderSoonAfterANodeIsKilled() throws Exception {
    NodeProcess one = cluster.node(1);
    NodeProcess three = cluster.node(3);
    try (FoveaClient onTwo = NodeCluster.connect(cluster.node(2));
        FoveaClient onThree = NodeCluster.connect(three);
        FoveaClient caller = NodeCluster.connect(one)) {
      for (FoveaClient provider : List.of(onTwo, onThree)) {
        provider.advertise("timing.work", i -> provider.nodeId().getBytes(UTF_8));
        provider.flush();
      }
      Probes.awaitAnswers(caller, "timing.work", List.of("node-2", "node-3"));

      CallLoop loop = CallLoop.start(caller, List.of("timing.work"), CALL_TIMEOUT, 1);
      await().atMost(GENEROUS).until(() -> loop.calls().size() >= 20);
      long killedAt = System.nanoTime();
      three.kill();
      one.awaitLog("node " + three.clusterAddress() + " is unreachable", REMOVAL_TIMEOUT);
      long unreachableAt = System.nanoTime();
      cluster.awaitRemovedBy(one, three, REMOVAL_TIMEOUT);
      long removedAt = System.nanoTime();
      long lastIssue = removedAt + AFTER_REMOVAL.toNanos();
      await().atMost(GENEROUS).until(() -> loop.lastIssuedAt() > lastIssue);
      List<CallLoop.Call> calls = loop.stop();

      Predicate<CallLoop.Call> firstAttemptAnswer =
          call -> call.succeeded() && call.latency().compareTo(CALL_TIMEOUT) < 0;
      Duration settled = CallLoop.troubleAfter(calls, killedAt, firstAttemptAnswer);
      Duration gap = CallLoop.longestGapBetweenSuccesses(calls, killedAt - GENEROUS.toNanos());
      long failedOver =
          calls.stream()
              .filter(
                  c -> c.answeredAt() > killedAt && c.succeeded() && !firstAttemptAnswer.test(c))
              .count();
      failover.put("node-3 marked unreachable (node-1's log)", millis(unreachableAt - killedAt));
      failover.put("node-3 removed (node-1's log)", millis(removedAt - killedAt));
      failover.put("longest gap between two successful replies", gap.toMillis() + " ms");
      failover.put(
          "every call answered by node-2 at the first attempt", settled.toMillis() + " ms");
      failover.put("calls answered by node-2 only after a failover", Long.toString(failedOver));
      failover.put("calls failed", CallLoop.errorsByCode(calls, killedAt).toString());

      System.out.printf(
          "ClusterTimingsIT: calls after the kill that were not answered at the first attempt:%n%s",
          CallLoop.describe(
              calls, killedAt, c -> c.answeredAt() > killedAt && !firstAttemptAnswer.test(c)));
      assertThat(settled).isLessThan(GENEROUS);
      assertThat(gap).isLessThan(GENEROUS);
    }
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>(NodeCluster.FAST_FAILURE_DETECTION);
    settings.put("fovea.rpc.strategy", "round_robin");
    return settings;
  }

  private static String millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
  }

  private static String table() {
    StringBuilder md = new StringBuilder();
    md.append("# Cluster timings\n\n");
    md.append(
        String.format(
            "Measured by ClusterTimingsIT at %s on a machine with %d processors (nproc), three"
                + " node processes on 127.0.0.1 with %s.%n%n",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            Runtime.getRuntime().availableProcessors(),
            String.join(" ", NodeProcess.JVM_OPTIONS)));
    md.append("Configuration of every node: ");
    List<String> keys = new ArrayList<>(SETTINGS.keySet());
    keys.sort(null);
    for (String key : keys) {
      md.append("`").append(key).append("=").append(SETTINGS.get(key)).append("` ");
    }
    md.append(String.format("; calls with a timeout of %d ms.%n%n", CALL_TIMEOUT.toMillis()));

    md.append(
        String.format(
            "## Subscription propagation%n%nFrom the subscriber's flush on node-1 to the first"
                + " publish from node-2 received, publishing every %d ms, %d patterns.%n%n",
            PROBE_INTERVAL.toMillis(), PROBES));
    md.append("| min | median | p90 | max |\n|---|---|---|---|\n");
    if (propagationMillis.isEmpty()) {
      md.append("| not measured | | | |\n");
    } else {
      List<Long> sorted = new ArrayList<>(propagationMillis);
      sorted.sort(null);
      md.append(
          String.format(
              "| %d ms | %d ms | %d ms | %d ms |%n",
              sorted.get(0),
              percentile(sorted, 50),
              percentile(sorted, 90),
              sorted.get(sorted.size() - 1)));
    }

    md.append(
        "\n## A provider's node killed\n\nProviders on node-2 and node-3, one caller on node-1"
            + " calling in a loop; node-3 killed with SIGKILL. Times from the kill.\n\n");
    md.append("| measurement | value |\n|---|---|\n");
    if (failover.isEmpty()) {
      md.append("| not measured | |\n");
    }
    failover.forEach(
        (what, value) -> md.append("| ").append(what).append(" | ").append(value).append(" |\n"));
    return md.toString();
  }

  /** The nearest-rank percentile of sorted values. */
  private static long percentile(List<Long> sorted, int percent) {
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
