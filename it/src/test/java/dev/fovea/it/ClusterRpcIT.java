package dev.fovea.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.client.FoveaClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls across three node processes: a caller on any node reaches providers on any other, in turn
 * when the nodes select round robin, and so does a caller on a node that joined after the providers
 * advertised.
 */
@Timeout(180)
class ClusterRpcIT {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension static final LaunchedProcesses launched = new LaunchedProcesses();

  private static NodeCluster cluster;

  @BeforeAll
  static void startCluster() throws InterruptedException {
    cluster = NodeCluster.start(launched, 3, Map.of("fovea.rpc.strategy", "round_robin"));
  }

  @Test
  void aCallOnOneNodeReachesAProviderOnAnotherAndTheReplyComesBack() throws Exception {
    try (FoveaClient provider = NodeCluster.connect(cluster.node(3));
        FoveaClient caller = NodeCluster.connect(cluster.node(1))) {
      provider.advertise("rpc.greet", i -> ("hello " + i.text() + " from node 3").getBytes(UTF_8));
      provider.flush();
      Probes.awaitAnswers(caller, "rpc.greet", List.of("hello  from node 3"));

      assertThat(call(caller, "rpc.greet", "world")).isEqualTo("hello world from node 3");
    }
  }

  @Test
  void roundRobinAlternatesStrictlyBetweenProvidersOnTwoOtherNodes() throws Exception {
    try (FoveaClient onTwo = NodeCluster.connect(cluster.node(2));
        FoveaClient onThree = NodeCluster.connect(cluster.node(3));
        FoveaClient caller = NodeCluster.connect(cluster.node(1))) {
      for (FoveaClient provider : List.of(onTwo, onThree)) {
        provider.advertise("rpc.turns", i -> provider.nodeId().getBytes(UTF_8));
        provider.flush();
      }
      Probes.awaitAnswers(caller, "rpc.turns", List.of("node-2", "node-3"));

      List<String> answers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        answers.add(call(caller, "rpc.turns", ""));
      }
      assertThat(answers).containsOnly("node-2", "node-3");
      for (int i = 1; i < answers.size(); i++) {
        assertThat(answers.get(i)).as("answers %s", answers).isNotEqualTo(answers.get(i - 1));
      }
    }
  }

  @Test
  void aCallerOnANodeThatJoinedAfterTheProvidersAdvertisedReachesThem() throws Exception {
    try (FoveaClient onTwo = NodeCluster.connect(cluster.node(2));
        FoveaClient onThree = NodeCluster.connect(cluster.node(3));
        FoveaClient onOne = NodeCluster.connect(cluster.node(1))) {
      for (FoveaClient provider : List.of(onTwo, onThree)) {
        provider.advertise("rpc.early", i -> provider.nodeId().getBytes(UTF_8));
        provider.flush();
      }
      // Registered with the procedure's entity, wherever that lives, before the node joins.
      Probes.awaitAnswers(onOne, "rpc.early", List.of("node-2", "node-3"));

      NodeProcess late = cluster.join("node-4");
      try (FoveaClient caller = NodeCluster.connect(late)) {
        // The first call already: the node is up, and the providers have been there all along.
        long start = System.nanoTime();
        assertThat(call(caller, "rpc.early", "")).isIn("node-2", "node-3");
        System.out.printf(
            "the first call on the node that joined late took %d ms%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        Probes.awaitAnswers(caller, "rpc.early", List.of("node-2", "node-3"));
      }
      assertThat(late.stop())
          .as("exit code of the late node\n%s", late.outputTail())
          .isEqualTo(LaunchedProcess.EXIT_ON_SIGTERM);
    }
  }

  private static String call(FoveaClient caller, String procedure, String text) throws Exception {
    return caller
        .callText(procedure, text, CALL_TIMEOUT)
        .get(CALL_TIMEOUT.multipliedBy(4).toSeconds(), TimeUnit.SECONDS);
  }
}
