package dev.fovea.node.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.Delivery;
import dev.fovea.client.FoveaClient;
import dev.fovea.client.Subscription;
import dev.fovea.node.Management;
import dev.fovea.node.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fovea.topics.max-wildcard-shapes} at its edge, through a real node: the index looks up the
 * first shape's patterns by shape and walks a trie for the second's, publishes reach the
 * subscribers of both, and {@code fovea_patterns_walked} counts what went to the trie.
 */
class WildcardShapeLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static TestNode node;
  private static Management management;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("fovea.topics.max-wildcard-shapes", 1);
    management = Management.of(node);
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }

  @Test
  void patternsPastTheLimitAreWalkedAndStillMatch() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    try (FoveaClient subscriber = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM);
        FoveaClient publisher = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM)) {
      Subscription byShape = subscriber.subscribe("shape.*", d -> received.add(said(d, "one")));
      Subscription walked = subscriber.subscribe("*.limit", d -> received.add(said(d, "two")));
      Subscription threeGlobstars =
          subscriber.subscribe("**.a.**.b.**", d -> received.add(said(d, "three")));
      subscriber.subscribe("shape.limit", d -> received.add(said(d, "exact")));
      subscriber.flush();

      assertThat(management.metrics().value("fovea_limit", "limit", "wildcard_shapes"))
          .isEqualTo(1.0);
      assertThat(management.metrics().value("fovea_patterns_walked"))
          .as("the second wildcard shape and the pattern of three **")
          .isEqualTo(2.0);

      publisher.publish("shape.limit", "to the first three");
      publisher.publish("x.a.y.b", "to the third");
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(received)
                      .containsExactlyInAnyOrder(
                          "one shape.limit",
                          "two shape.limit",
                          "exact shape.limit",
                          "three x.a.y.b"));

      walked.unsubscribe();
      threeGlobstars.unsubscribe();
      byShape.unsubscribe();
      subscriber.flush();
      await().atMost(WAIT).until(() -> management.metrics().value("fovea_patterns_walked") == 0.0);
    }
  }

  private static String said(Delivery delivery, String subscription) {
    return subscription + " " + delivery.topic();
  }
}
