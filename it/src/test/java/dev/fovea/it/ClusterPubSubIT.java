package dev.fovea.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publish and subscribe across three node processes: a subscription made on one node is served by
 * publishers on every other node, including one that joins later, until it is unsubscribed.
 */
@Timeout(180)
class ClusterPubSubIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MESSAGES_PER_PUBLISHER = 500;
  private static final String KITCHEN = "sensor.kitchen.temp";

  @RegisterExtension static final LaunchedProcesses launched = new LaunchedProcesses();

  private static NodeCluster cluster;

  @BeforeAll
  static void startCluster() throws InterruptedException {
    cluster = NodeCluster.start(launched, 3, Map.of());
  }

  @Test
  void subscribersGetPublishesOfOtherNodesOncePerSubscriptionInOrder() throws Exception {
    Inbox oneSegment = new Inbox();
    Inbox anyDepth = new Inbox();
    Inbox otherClient = new Inbox();
    try (FoveaClient subscriber = NodeCluster.connect(cluster.node(1));
        FoveaClient second = NodeCluster.connect(cluster.node(1));
        FoveaClient onTwo = NodeCluster.connect(cluster.node(2));
        FoveaClient onThree = NodeCluster.connect(cluster.node(3))) {
      List<Subscription> subscriptions =
          List.of(
              subscriber.subscribe("sensor.*.temp", oneSegment),
              subscriber.subscribe("sensor.**", anyDepth),
              second.subscribe("sensor.**", otherClient));
      subscriber.flush();
      second.flush();
      // Matches sensor.** only, which is then known to both publishing nodes; sensor.*.temp need
      // not be, since a node forwards a publish once whichever of a node's patterns it matches.
      Probes.awaitForwarded(onTwo, "sensor.probe.ready", otherClient);
      Probes.awaitForwarded(onThree, "sensor.probe.ready", otherClient);

      for (FoveaClient publisher : List.of(onTwo, onThree)) {
        publisher.publish("actuator.kitchen.temp", publisher.nodeId());
        publisher.publish("sensor.kitchen.humidity", publisher.nodeId());
      }
      // Once sensor.** handled them, sensor.*.temp was offered them too if they matched it, so
      // its later messages show that it did not get them.
      await().atMost(WAIT).until(() -> anyDepth.texts("sensor.kitchen.humidity").size() == 2);
      List<CompletableFuture<Void>> publishing = new ArrayList<>();
      for (FoveaClient publisher : List.of(onTwo, onThree)) {
        publishing.add(CompletableFuture.runAsync(() -> publishSequence(publisher)));
      }
      CompletableFuture.allOf(publishing.toArray(CompletableFuture[]::new))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);

      int expected = 2 * MESSAGES_PER_PUBLISHER;
      for (Inbox inbox : List.of(oneSegment, anyDepth, otherClient)) {
        await().atMost(WAIT).until(() -> inbox.texts(KITCHEN).size() >= expected);
      }
      // Anything extra, such as a duplicate, arrives right behind the rest: a round trip through
      // each publishing node lets it land before the counts are checked.
      onTwo.flush();
      onThree.flush();
      subscriber.flush();
      second.flush();
      for (Inbox inbox : List.of(oneSegment, anyDepth, otherClient)) {
        List<String> kitchen = inbox.texts(KITCHEN);
        assertThat(kitchen).hasSize(expected).doesNotHaveDuplicates();
        assertThat(sequenceOf(kitchen, onTwo.nodeId())).isEqualTo(oneToN());
        assertThat(sequenceOf(kitchen, onThree.nodeId())).isEqualTo(oneToN());
        assertThat(inbox.hasTopic("actuator.kitchen.temp")).isFalse();
      }
      assertThat(oneSegment.hasTopic("sensor.kitchen.humidity")).isFalse();
      assertThat(otherClient.texts("sensor.kitchen.humidity"))
          .containsExactlyInAnyOrder(onTwo.nodeId(), onThree.nodeId());
      assertThat(subscriptions).allSatisfy(s -> assertThat(s.dropped()).isZero());
    }
  }

  @Test
  void aNodeThatJoinsLaterServesTheSubscriptionsThatExist() throws Exception {
    Inbox inbox = new Inbox();
    try (FoveaClient subscriber = NodeCluster.connect(cluster.node(1));
        FoveaClient onTwo = NodeCluster.connect(cluster.node(2))) {
      subscriber.subscribe("late.**", inbox);
      subscriber.flush();
      Probes.awaitForwarded(onTwo, "late.before", inbox);

      NodeProcess late = cluster.join("node-4");
      try (FoveaClient onLate = NodeCluster.connect(late)) {
        long joined = System.nanoTime();
        Probes.awaitForwarded(onLate, "late.news", inbox);
        System.out.printf(
            "a publisher on the node that joined late reached the subscriber %d ms after the node"
                + " was up%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined));
      }
      assertThat(late.stop())
          .as("exit code of the late node\n%s", late.outputTail())
          .isEqualTo(LaunchedProcess.EXIT_ON_SIGTERM);
    }
  }

  @Test
  void unsubscribingStopsDeliveryOfOtherNodesPublishesAndSubscribingAgainRestoresIt()
      throws Exception {
    Inbox gone = new Inbox();
    Inbox kept = new Inbox();
    Inbox again = new Inbox();
    try (FoveaClient subscriber = NodeCluster.connect(cluster.node(1));
        FoveaClient bystander = NodeCluster.connect(cluster.node(1));
        FoveaClient onTwo = NodeCluster.connect(cluster.node(2))) {
      Subscription subscription = subscriber.subscribe("unsub.**", gone);
      bystander.subscribe("kept.**", kept);
      subscriber.flush();
      bystander.flush();
      Probes.awaitForwarded(onTwo, "unsub.before", gone);
      Probes.awaitForwarded(onTwo, "kept.before", kept);

      subscription.unsubscribe();
      subscriber.flush();
      // The bystander's publishes travel the same link from node 2 to node 1 after each of the
      // others, so once one arrived the publish before it on the other topic was handled too.
      for (int i = 0; i < 20; i++) {
        onTwo.publish("unsub.after", Integer.toString(i));
        onTwo.publish("kept.after", Integer.toString(i));
      }
      await().atMost(WAIT).until(() -> kept.texts("kept.after").size() == 20);
      subscriber.flush();
      assertThat(gone.hasTopic("unsub.after")).isFalse();

      subscriber.subscribe("unsub.**", again);
      subscriber.flush();
      Probes.awaitForwarded(onTwo, "unsub.again", again);
      assertThat(gone.hasTopic("unsub.again")).isFalse();
    }
  }

  private static void publishSequence(FoveaClient publisher) {
    for (int seq = 1; seq <= MESSAGES_PER_PUBLISHER; seq++) {
      publisher.publish(KITCHEN, publisher.nodeId() + "-" + seq);
    }
    publisher.flush();
  }

  /** The sequence numbers of one publisher's messages, in the order they were received. */
  private static List<Integer> sequenceOf(List<String> texts, String nodeId) {
    String prefix = nodeId + "-";
    return texts.stream()
        .filter(text -> text.startsWith(prefix))
        .map(text -> Integer.parseInt(text.substring(prefix.length())))
        .toList();
  }

  private static List<Integer> oneToN() {
    return IntStream.rangeClosed(1, MESSAGES_PER_PUBLISHER).boxed().toList();
  }
}
