package dev.fovea.bench.load;

import static dev.fovea.bench.load.Driver.figure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster scenario against three Fovea nodes in this JVM: messages cross nodes. */
class ClusterScenarioSmokeTest {
  @TempDir Path dir;

  @Test
  void messagesPublishedOnTheFirstNodeReachSubscribersOnTheOthers() throws Exception {
    try (InProcessNodes cluster = InProcessNodes.start(3)) {
      JsonNode result =
          Driver.run(
              dir,
              "cluster",
              "--server",
              cluster.servers(),
              "--metrics",
              cluster.metrics(),
              "--warmup",
              "0.3",
              "--duration",
              "1",
              "--window",
              "256");

      assertThat(figure(result, "cross_node_per_s")).isPositive();
      assertThat(figure(result, "delivered")).isEqualTo(2 * figure(result, "published"));
      assertThat(figure(result, "node_drops")).isZero();
    }
  }
}
