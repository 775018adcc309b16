package dev.fovea.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node killed while calls run: the calls move to the provider that survives within seconds, each
 * one is answered, and once the cluster has removed the dead node nothing of it is left in use.
 */
@Timeout(180)
class ClusterFailoverIT {
  /**
   * The procedure of the scenario and a few more: each has a registry entity of its own, placed on
   * whichever node the shard allocation picks, so that some are likely to die with the node.
   */
  private static final List<String> PROCEDURES =
      List.of("svc.work", "svc.work.a", "svc.work.b", "svc.work.c", "svc.work.d", "svc.work.e");

  /** How long each provider has to answer a call. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);

  /** From the kill until every call is answered by the survivor at the first attempt. */
  private static final Duration RECOVERY_BOUND = Duration.ofSeconds(5);

  private static final Duration REMOVAL_TIMEOUT = Duration.ofSeconds(30);

  /** Calls go on this long after the removal, to show that they keep going to the survivor. */
  private static final Duration AFTER_REMOVAL = Duration.ofSeconds(3);

  @RegisterExtension final LaunchedProcesses launched = new LaunchedProcesses();

  @Test
  void callsMoveToTheSurvivingProviderWithinSecondsOfAKillAndTheDeadNodeIsForgotten()
      throws Exception {
    NodeCluster cluster = NodeCluster.start(launched, 3, NodeCluster.FAST_FAILURE_DETECTION);
    NodeProcess one = cluster.node(1);
    NodeProcess two = cluster.node(2);
    NodeProcess three = cluster.node(3);
    Inbox onTwo = new Inbox();
    Inbox onThree = new Inbox();
    try (FoveaClient providerTwo = NodeCluster.connect(two);
        FoveaClient providerThree = NodeCluster.connect(three);
        FoveaClient caller = NodeCluster.connect(one);
        FoveaClient publisher = NodeCluster.connect(one)) {
      for (FoveaClient provider : List.of(providerTwo, providerThree)) {
        for (String procedure : PROCEDURES) {
          provider.advertise(procedure, i -> provider.nodeId().getBytes(UTF_8));
        }
        provider.subscribe("fail.**", provider == providerTwo ? onTwo : onThree);
        provider.flush();
      }
      for (String procedure : PROCEDURES) {
        Probes.awaitAnswers(caller, procedure, List.of("node-2", "node-3"));
      }
      Probes.awaitForwarded(publisher, "fail.before", onTwo);
      Probes.awaitForwarded(publisher, "fail.before", onThree);

      CallLoop loop = CallLoop.start(caller, PROCEDURES, CALL_TIMEOUT, 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> answeredBy(loop, "node-3") >= 10);
      long killedAt = System.nanoTime();
      three.kill();
      long deadAt = System.nanoTime();
      one.awaitLog("node " + three.clusterAddress() + " is unreachable", REMOVAL_TIMEOUT);
      long unreachableAt = System.nanoTime();
      cluster.awaitRemovedBy(one, three, REMOVAL_TIMEOUT);
      cluster.awaitRemovedBy(two, three, REMOVAL_TIMEOUT);
      long removedAt = System.nanoTime();
      String reaping = "reaping the interest of " + three.clusterAddress();
      await("a survivor reaps the interest of node-3")
          .atMost(REMOVAL_TIMEOUT)
          .until(() -> one.log().contains(reaping) || two.log().contains(reaping));
      long lastIssue = removedAt + AFTER_REMOVAL.toNanos();
      await().atMost(Duration.ofSeconds(20)).until(() -> loop.lastIssuedAt() > lastIssue);
      List<CallLoop.Call> calls = loop.stop();

      // A call that went to node 3 waits out its timeout before it fails over to node 2.
      Predicate<CallLoop.Call> firstAttemptAnswer =
          call -> call.succeeded() && call.latency().compareTo(CALL_TIMEOUT) < 0;
      Duration recovery = CallLoop.troubleAfter(calls, killedAt, firstAttemptAnswer);
      report(calls, killedAt, unreachableAt, removedAt, recovery, one);
      System.out.printf(
          "ClusterFailoverIT: calls after the kill that were not answered at the first attempt:%n%s",
          CallLoop.describe(
              calls, killedAt, c -> c.answeredAt() > killedAt && !firstAttemptAnswer.test(c)));

      // The reaper removed node 3's interest; what node 1 publishes still reaches node 2.
      Probes.awaitForwarded(publisher, "fail.after", onTwo);

      assertSoftly(
          softly -> {
            softly
                .assertThat(CallLoop.describe(calls, killedAt, CallLoop.Call::incomplete))
                .as("calls the client never completed")
                .isEmpty();
            softly
                .assertThat(
                    CallLoop.describe(
                        calls,
                        killedAt,
                        call -> call.issuedAt() > deadAt && "node-3".equals(call.answer())))
                .as("calls made after the kill and answered by node-3")
                .isEmpty();
            softly
                .assertThat(calls.stream().filter(call -> call.issuedAt() > removedAt).count())
                .as("calls made after node-3 was removed")
                .isPositive();
            softly
                .assertThat(
                    CallLoop.describe(
                        calls,
                        killedAt,
                        call -> call.issuedAt() > removedAt && !"node-2".equals(call.answer())))
                .as("calls made after node-3 was removed and not answered by node-2")
                .isEmpty();
            softly
                .assertThat(recovery)
                .as(
                    "time from the kill until every call is answered by node-2 at the first"
                        + " attempt; errors: %s",
                    CallLoop.errorsByCode(calls, killedAt))
                .isLessThan(RECOVERY_BOUND);
          });
    }
  }

  private static void report(
      List<CallLoop.Call> calls,
      long killedAt,
      long unreachableAt,
      long removedAt,
      Duration recovery,
      NodeProcess one) {
    long failedOver =
        calls.stream()
            .filter(c -> c.answeredAt() > killedAt && c.latency().compareTo(CALL_TIMEOUT) >= 0)
            .count();
    System.out.printf(
        "ClusterFailoverIT: %d calls; after the kill: node-3 unreachable at +%d ms, removed at +%d"
            + " ms, every call answered by node-2 at the first attempt from +%d ms; %d calls"
            + " answered only after a failover; errors %s; node-1 logged %d unacknowledged"
            + " forwards%n",
        calls.size(),
        TimeUnit.NANOSECONDS.toMillis(unreachableAt - killedAt),
        TimeUnit.NANOSECONDS.toMillis(removedAt - killedAt),
        recovery.toMillis(),
        failedOver,
        CallLoop.errorsByCode(calls, killedAt),
        one.log().lines().filter(line -> line.contains("were not acknowledged")).count());
  }

  private static long answeredBy(CallLoop loop, String node) {
    return loop.calls().stream().filter(call -> node.equals(call.answer())).count();
  }
}
