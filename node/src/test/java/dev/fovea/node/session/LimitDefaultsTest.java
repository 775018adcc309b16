package dev.fovea.node.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.client.FoveaClient;
import dev.fovea.node.Management;
import dev.fovea.node.TestNode;
import dev.fovea.protocol.message.Connected;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node started with nothing configured has every limit at the default that {@code fovea.conf}
 * gives it, tells each client the per-session ones in CONNECTED, and publishes all of them.
 */
class LimitDefaultsTest {
  @Test
  void everyLimitHasItsDocumentedDefault() throws Exception {
    try (TestNode node = TestNode.start();
        FoveaClient client = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM)) {
      Map<String, Long> stated = client.limits();
      Management.Scrape metrics = Management.of(node).metrics();

      assertThat(stated)
          .containsEntry(Connected.Limit.MAX_FRAME_BYTES, 1_048_576L)
          .containsEntry(Connected.Limit.MAX_TOPIC_LENGTH, 256L)
          .containsEntry(Connected.Limit.MAX_TOPIC_DEPTH, 32L)
          .containsEntry(Connected.Limit.MAX_SUBSCRIPTIONS, 10_000L)
          .containsEntry(Connected.Limit.MAX_ADVERTISEMENTS, 1_000L)
          .containsEntry(Connected.Limit.MAX_PENDING_CALLS, 10_000L);
      Map<String, Double> published =
          Map.of(
              "clients", 10_000.0,
              "frame_bytes", 1_048_576.0,
              "topic_length", 256.0,
              "topic_depth", 32.0,
              "wildcard_shapes", 64.0,
              "subscriptions", 10_000.0,
              "advertisements", 1_000.0,
              "pending_calls", 10_000.0,
              "outbound_queue_frames", 16_384.0,
              "outbound_queue_bytes", 8_388_608.0);
      published.forEach(
          (limit, value) ->
              assertThat(metrics.value("fovea_limit", "limit", limit)).as(limit).isEqualTo(value));
    }
  }
}
