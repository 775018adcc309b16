package dev.fovea.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.FoveaException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that leaves the cluster on SIGTERM while calls and publishes run between the two others:
 * the registry entities it hosted move, and no registration of the remaining nodes is lost.
 */
@Timeout(180)
class ClusterGracefulLeaveIT {
  /**
   * The procedure of the scenario and a few more: each has a registry entity of its own, placed on
   * whichever node the shard allocation picks, so that some are likely to live on the node that
   * leaves and be handed off.
   */
  private static final List<String> PROCEDURES =
      List.of("svc.stay", "svc.stay.a", "svc.stay.b", "svc.stay.c", "svc.stay.d", "svc.stay.e");

  private static final String TICKS = "stay.tick";
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REMOVAL_TIMEOUT = Duration.ofSeconds(30);

  /** Traffic goes on this long after the removal, to show that it keeps working. */
  private static final Duration AFTER_REMOVAL = Duration.ofSeconds(3);

  @RegisterExtension final LaunchedProcesses launched = new LaunchedProcesses();

  @Test
  void callsAndPublishesBetweenTheRemainingNodesGoOnWhileANodeLeaves() throws Exception {
    NodeCluster cluster =
        NodeCluster.start(launched, 3, Map.of("fovea.rpc.strategy", "round_robin"));
    NodeProcess one = cluster.node(1);
    NodeProcess two = cluster.node(2);
    NodeProcess three = cluster.node(3);
    Inbox ticks = new Inbox();
    try (FoveaClient providerOne = NodeCluster.connect(one);
        FoveaClient providerThree = NodeCluster.connect(three);
        FoveaClient subscriber = NodeCluster.connect(three);
        FoveaClient caller = NodeCluster.connect(one);
        FoveaClient publisher = NodeCluster.connect(one)) {
      for (FoveaClient provider : List.of(providerOne, providerThree)) {
        for (String procedure : PROCEDURES) {
          provider.advertise(procedure, i -> provider.nodeId().getBytes(UTF_8));
        }
        provider.flush();
      }
      subscriber.subscribe("stay.**", ticks);
      subscriber.flush();
      for (String procedure : PROCEDURES) {
        Probes.awaitAnswers(caller, procedure, List.of("node-1", "node-3"));
      }
      Probes.awaitForwarded(publisher, "stay.probe", ticks);

      CallLoop calls = CallLoop.start(caller, PROCEDURES, CALL_TIMEOUT, 2);
      PublishLoop publishes = PublishLoop.start(publisher, TICKS);
      await().atMost(Duration.ofSeconds(10)).until(() -> calls.calls().size() >= 50);
      long leaveAt = System.nanoTime();
      assertThat(two.stop())
          .as("exit code of node-2\n%s", two.outputTail())
          .isEqualTo(LaunchedProcess.EXIT_ON_SIGTERM);
      long exitedAt = System.nanoTime();
      cluster.awaitRemovedBy(one, two, REMOVAL_TIMEOUT);
      cluster.awaitRemovedBy(three, two, REMOVAL_TIMEOUT);
      long removedAt = System.nanoTime();
      long lastIssue = removedAt + AFTER_REMOVAL.toNanos();
      await().atMost(Duration.ofSeconds(20)).until(() -> calls.lastIssuedAt() > lastIssue);
      int published = publishes.stop();
      List<CallLoop.Call> made = calls.stop();
      // Each topic keeps its order, so once the last tick is there every other one is too.
      await("the subscriber on node-3 has the last tick")
          .atMost(Duration.ofSeconds(20))
          .until(() -> ticks.has(TICKS, Integer.toString(published)));

      Map<String, Long> errors = CallLoop.errorsByCode(made, Long.MIN_VALUE);
      System.out.printf(
          "ClusterGracefulLeaveIT: %d calls, %d publishes; node-2 exited %d ms after SIGTERM and"
              + " was removed at +%d ms; call errors %s%n",
          made.size(),
          published,
          TimeUnit.NANOSECONDS.toMillis(exitedAt - leaveAt),
          TimeUnit.NANOSECONDS.toMillis(removedAt - leaveAt),
          errors);
      System.out.printf(
          "ClusterGracefulLeaveIT: failed calls, from SIGTERM to node-2:%n%s",
          CallLoop.describe(made, leaveAt, call -> !call.succeeded()));
      assertSoftly(
          softly -> {
            softly
                .assertThat(CallLoop.describe(made, leaveAt, CallLoop.Call::incomplete))
                .as("calls the client never completed")
                .isEmpty();
            // A registration lost, even for a moment, shows as no_providers; a call that waited
            // for an entity in hand-off longer than its timeout, as timeout.
            softly
                .assertThat(errors.keySet())
                .as("codes of the calls that failed while node-2 left")
                .isSubsetOf(FoveaException.TIMEOUT);
            softly
                .assertThat(made.stream().filter(call -> call.issuedAt() > removedAt).count())
                .as("calls made after node-2 was removed")
                .isPositive();
            softly
                .assertThat(
                    CallLoop.describe(
                        made, leaveAt, call -> call.issuedAt() > removedAt && !call.succeeded()))
                .as("calls made after node-2 was removed that failed")
                .isEmpty();
            softly
                .assertThat(
                    made.stream()
                        .filter(call -> call.issuedAt() > removedAt)
                        .filter(call -> call.procedure().equals("svc.stay"))
                        .map(CallLoop.Call::answer))
                .as("providers of svc.stay that answered after node-2 was removed")
                .contains("node-1", "node-3");
            softly
                .assertThat(ticks.texts(TICKS))
                .as("ticks received on node-3")
                .isEqualTo(
                    IntStream.rangeClosed(1, published).mapToObj(Integer::toString).toList());
          });
    }
  }
}
