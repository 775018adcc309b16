package dev.fovea.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.CallException;
import dev.fovea.client.FoveaClient;
import dev.fovea.client.FoveaException;
import dev.fovea.client.MeshClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link MeshClient} given the gateways of two nodes survives {@code kill -9} of the node it is
 * connected to: the call it had in flight there fails at once with {@code connection_lost}, and on
 * the other node it receives on its subscription and serves its procedure again, registered once.
 */
@Timeout(180)
class MeshClientFailoverIT {
  private static final String PATTERN = "mesh.**";

  /**
   * The mesh client's procedures: each has a registry entity of its own, placed on either node, so
   * that some are likely to have lived on the node that dies and must move.
   */
  private static final List<String> PROCEDURES =
      List.of("mesh.served", "mesh.served.a", "mesh.served.b", "mesh.served.c", "mesh.served.d");

  private static final String SLOW_PROCEDURE = "mesh.slow";

  /** Far longer than the test waits for the in-flight call to fail: it must not time out. */
  private static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(60);

  /** A broken socket is seen at once; this only bounds the wait on a loaded machine. */
  private static final Duration LOSS_TIMEOUT = Duration.ofSeconds(10);

  /**
   * After the kill the survivor must down the dead node before the registry entities it hosted
   * move, and the replayed advertisement reaches its entity; with fast failure detection that takes
   * seconds.
   */
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(40);

  @RegisterExtension final LaunchedProcesses launched = new LaunchedProcesses();

  @Test
  void meshClientReconnectsToTheOtherNodeAndKeepsItsSubscriptionAndProcedureAfterAKill()
      throws Exception {
    NodeCluster cluster = NodeCluster.start(launched, 2, NodeCluster.FAST_FAILURE_DETECTION);
    // With two nodes, keep-majority keeps the side with the lowest address when one goes: the
    // node on the higher cluster port is the one that may die without taking the other along.
    NodeProcess doomed = higherClusterPort(cluster.node(1), cluster.node(2));
    NodeProcess survivor = doomed == cluster.node(1) ? cluster.node(2) : cluster.node(1);
    String doomedEndpoint = "127.0.0.1:" + doomed.gatewayPort();
    String survivorEndpoint = "127.0.0.1:" + survivor.gatewayPort();
    CountDownLatch slowCallArrived = new CountDownLatch(1);
    CountDownLatch releaseSlowCall = new CountDownLatch(1);
    Inbox inbox = new Inbox();

    try (FoveaClient slowProvider = NodeCluster.connect(survivor);
        FoveaClient other = NodeCluster.connect(survivor);
        MeshClient mesh =
            MeshClient.builder(List.of(doomedEndpoint, survivorEndpoint))
                .realm(NodeCluster.REALM)
                .pingInterval(Duration.ofSeconds(1))
                .connect()) {
      slowProvider.advertise(
          SLOW_PROCEDURE,
          call -> {
            if (call.text().equals("hold")) {
              slowCallArrived.countDown();
              releaseSlowCall.await(IN_FLIGHT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            return call.payload();
          });
      slowProvider.flush();
      assertThat(mesh.currentEndpoint()).isEqualTo(doomedEndpoint);
      mesh.subscribe(PATTERN, inbox);
      for (String procedure : PROCEDURES) {
        mesh.advertise(procedure, call -> ("served " + call.procedure()).getBytes(UTF_8));
      }
      mesh.flush();

      // Across the cluster before the kill: the other node's client reaches the mesh client's
      // subscription and procedure, and the mesh client reaches the slow provider.
      Probes.awaitForwarded(other, "mesh.before", inbox);
      awaitServed(other);
      await("the mesh client reaches " + SLOW_PROCEDURE)
          .atMost(Probes.SPREAD_TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> mesh.callText(SLOW_PROCEDURE, "ready").get(5, TimeUnit.SECONDS),
              "ready"::equals);
      CompletableFuture<String> inFlight = mesh.callText(SLOW_PROCEDURE, "hold", IN_FLIGHT_TIMEOUT);
      assertThat(slowCallArrived.await(LOSS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
          .as("the held call reached its provider")
          .isTrue();

      doomed.kill();

      FoveaException lost = failureOf(inFlight);
      assertThat(lost).as("not an error reply of the node").isNotInstanceOf(CallException.class);
      assertThat(lost.code()).isEqualTo(FoveaException.CONNECTION_LOST);
      releaseSlowCall.countDown();
      await("the mesh client reconnects to " + survivorEndpoint)
          .atMost(LOSS_TIMEOUT)
          .until(() -> survivorEndpoint.equals(mesh.currentEndpoint()) && mesh.isConnected());
      assertThat(mesh.reconnects()).isEqualTo(1);
      assertThat(mesh.currentNodeId()).isEqualTo(survivor.name());

      // The subscription and the advertisement were replayed by the client, not made again; with
      // the first node dead, only the replayed advertisement can answer.
      Probes.awaitForwarded(other, "mesh.after", inbox);
      awaitServed(other);
      // A procedure whose registry entity lived on the dead node answers once the survivor has
      // removed that node and moved the entity.
      await("the mesh client reaches " + SLOW_PROCEDURE + " on its new session")
          .atMost(RECOVERY_TIMEOUT)
          .ignoreExceptions()
          .until(
              () -> mesh.callText(SLOW_PROCEDURE, "after").get(10, TimeUnit.SECONDS),
              "after"::equals);
    } finally {
      releaseSlowCall.countDown();
    }
  }

  private static void awaitServed(FoveaClient caller) {
    for (String procedure : PROCEDURES) {
      Probes.awaitAnswers(caller, procedure, List.of("served " + procedure));
    }
  }

  private static NodeProcess higherClusterPort(NodeProcess a, NodeProcess b) {
    return a.clusterPort() > b.clusterPort() ? a : b;
  }

  /** The failure of a call that must fail within {@link #LOSS_TIMEOUT}, not time out. */
  private static FoveaException failureOf(CompletableFuture<?> call) throws Exception {
    try {
      Object value = call.get(LOSS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("the call in flight on the killed node was answered: " + value);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the call in flight on the killed node still waits " + LOSS_TIMEOUT.toSeconds() + " s on",
          e);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FoveaException.class);
      return (FoveaException) e.getCause();
    }
  }
}
