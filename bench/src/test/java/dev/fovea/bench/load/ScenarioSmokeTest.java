package dev.fovea.bench.load;

import static dev.fovea.bench.load.Driver.figure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each single-node scenario, for about a second with small counts, against a Fovea node in this
 * JVM: the driver must not rot between comparison runs. Figures are only checked to be sane.
 */
class ScenarioSmokeTest {
  private static final String[] BRIEF = {"--warmup", "0.3", "--duration", "1"};

  private static InProcessNodes node;

  @TempDir Path dir;

  @BeforeAll
  static void startNode() {
    node = InProcessNodes.start(1);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private JsonNode run(String... args) throws Exception {
    String[] all = new String[args.length + BRIEF.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(BRIEF, 0, all, args.length, BRIEF.length);
    int at = args.length + BRIEF.length;
    all[at] = "--server";
    all[at + 1] = node.servers();
    all[at + 2] = "--metrics";
    all[at + 3] = node.metrics();
    return Driver.run(dir, all);
  }

  @Test
  void pubsubAtFullSpeedDeliversEveryMessageAndMeasuresLatency() throws Exception {
    JsonNode result = run("pubsub", "--publishers", "2", "--subscribers", "2", "--window", "256");

    assertThat(figure(result, "delivered_per_s")).isPositive();
    assertThat(figure(result, "delivered")).isEqualTo(2 * figure(result, "published"));
    assertThat(figure(result, "lost")).isZero();
    assertThat(figure(result, "latency_samples")).isPositive();
    assertThat(figure(result, "latency_p99_us"))
        .isGreaterThanOrEqualTo(figure(result, "latency_p50_us"));
    assertThat(figure(result, "node_drops")).isZero();
  }

  @Test
  void pubsubWithWildcardsAtAFixedRateOffersThatRate() throws Exception {
    JsonNode result = run("pubsub", "--patterns", "wildcard", "--rate", "2000", "--label", "rate");

    assertThat(result.path("label").asText()).isEqualTo("rate");
    assertThat(figure(result, "published_per_s")).isBetween(1000.0, 3000.0);
    assertThat(figure(result, "latency_samples")).isGreaterThan(1000);
  }

  @Test
  void fanoutReachesEverySubscriber() throws Exception {
    JsonNode result = run("fanout", "--subscribers", "4", "--window", "128");

    assertThat(figure(result, "deliveries_per_s")).isPositive();
    assertThat(figure(result, "delivered")).isEqualTo(4 * figure(result, "published"));
  }

  @Test
  void rpcAnswersEveryCall() throws Exception {
    JsonNode result = run("rpc", "--callers", "2", "--in-flight", "4", "--providers", "2");

    assertThat(figure(result, "calls_per_s")).isPositive();
    assertThat(figure(result, "failed_calls")).isZero();
    assertThat(figure(result, "rtt_p50_us")).isPositive();
  }

  @Test
  void patternsCountsPublishesTheNodeProcessed() throws Exception {
    JsonNode result =
        run("patterns", "--subscriptions", "2000", "--connections", "2", "--topics", "512");

    assertThat(figure(result, "publishes_per_s")).isPositive();
    assertThat(figure(result, "lost")).isZero();
    assertThat(figure(result, "matched_deliveries")).isPositive();
  }

  @Test
  void connectionsAdmitsEveryClientAndMeasuresTheNodesHeap() throws Exception {
    long self = ProcessHandle.current().pid(); // the node runs in this JVM
    JsonNode result = run("connections", "--clients", "200", "--pid", Long.toString(self));

    assertThat(figure(result, "admitted")).isEqualTo(200);
    assertThat(figure(result, "accept_per_s")).isPositive();
    assertThat(result.path("figures").has("heap_per_session_bytes")).isTrue();
    assertThat(figure(result, "closed_by_server")).isZero();
  }
}
