package dev.fovea.node.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.client.FoveaClient;
import dev.fovea.node.Management;
import dev.fovea.node.RawClient;
import dev.fovea.node.TestNode;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.Subscribe;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One topic shard flooded past its high-water mark: health reports it degraded, naming the shard,
 * and recovers by itself once the flood ends. Under drop-newest the node sheds publishes and counts
 * them; under the default backpressure nothing is lost.
 */
class TopicShardFloodTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int HIGH_WATER_MARK = 50;
  // Each publish costs the publishing session one encode, and the shard one offer per subscribed
  // session: with a hundred of them the single shard falls behind a single publisher at once.
  private static final int SUBSCRIBERS = 100;
  private static final int FLOOD = 30_000;
  // Under backpressure the shard is held at the mark, and the publisher's session resumes each
  // time the shard works back under it: the flood is slowed to the shard's pace.
  private static final int BACKPRESSURE_FLOOD = 10_000;
  private static final int PAYLOAD_BYTES = 256;

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final AtomicBoolean degradedSeen = new AtomicBoolean();
  private TestNode node;
  private Management management;

  @AfterEach
  void cleanUp() throws Exception {
    degradedSeen.set(true); // ends a flood that is still waiting for it
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void dropNewestShedsPublishesWhileTheShardIsOverloadedAndHealthRecovers() throws Exception {
    start("drop-newest");
    subscribeIdleSessions();

    CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> flood(FLOOD));

    JsonNode degraded = awaitDegraded();
    int sent = flood.get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
    assertDegradedByTheTopicShard(degraded);
    Management.Scrape metrics = management.metrics();
    double shed = metrics.value("fovea_drops_total", "reason", "shard_overloaded");
    double accepted = metrics.value("fovea_publishes_total");
    assertThat(shed).isPositive();
    assertThat(accepted + shed).as("each publish is delivered or counted as shed").isEqualTo(sent);
    await()
        .atMost(WAIT)
        .until(
            () -> management.metrics().value("fovea_deliveries_total") == accepted * SUBSCRIBERS);
    awaitHealthy();
  }

  @Test
  void backpressureLosesNothingWhileTheShardIsOverloaded() throws Exception {
    start("backpressure");
    subscribeIdleSessions();
    List<Integer> received = new ArrayList<>();
    FoveaClient reader = client();
    reader.subscribe(
        "flood.**",
        d -> {
          synchronized (received) {
            received.add(ByteBuffer.wrap(d.payload()).getInt());
          }
        });
    reader.flush();

    CompletableFuture<Integer> flood =
        CompletableFuture.supplyAsync(() -> flood(BACKPRESSURE_FLOOD));

    JsonNode degraded = awaitDegraded();
    int sent = flood.get(WAIT.toSeconds() + 10, TimeUnit.SECONDS);
    assertDegradedByTheTopicShard(degraded);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              synchronized (received) {
                return received.size() == sent;
              }
            });
    synchronized (received) {
      for (int i = 0; i < sent; i++) {
        assertThat(received.get(i)).as("message %d", i).isEqualTo(i);
      }
    }
    Management.Scrape metrics = management.metrics();
    assertThat(metrics.value("fovea_drops_total", "reason", "shard_overloaded")).isZero();
    assertThat(metrics.value("fovea_publishes_total")).isEqualTo(sent);
    awaitHealthy();
  }

  private void start(String shedPolicy) {
    node =
        TestNode.start(
            "fovea.topics.shards",
            1,
            "fovea.supervision.high-water-mark",
            HIGH_WATER_MARK,
            "fovea.supervision.check-interval",
            "50ms",
            "fovea.supervision.topic-shed-policy",
            shedPolicy);
    resources.add(node);
    management = Management.of(node);
  }

  /** Sessions that subscribe and then never read: each costs the shard one offer per publish. */
  private void subscribeIdleSessions() throws Exception {
    for (int i = 0; i < SUBSCRIBERS; i++) {
      RawClient idle = RawClient.connected(new RawClient(node.port(), 4096), "idle-" + i);
      resources.add(idle);
      idle.send(new Subscribe("flood.**"));
      idle.send(Ping.INSTANCE);
      assertThat(idle.receive(WAIT)).isEqualTo(Pong.INSTANCE);
    }
  }

  /**
   * Publishes {@code count} messages, and on until health was seen degraded or the wait ran out;
   * returns how many. Every few hundred it waits for the node to catch up (PING, PONG), so that the
   * count is what the node handled and not what waits in the client's queue.
   */
  private int flood(int count) {
    FoveaClient publisher = client();
    byte[] payload = new byte[PAYLOAD_BYTES];
    long deadline = System.nanoTime() + WAIT.toNanos();
    int sent = 0;
    while (sent < count || (!degradedSeen.get() && System.nanoTime() < deadline)) {
      ByteBuffer.wrap(payload).putInt(0, sent);
      publisher.publish("flood.data", payload);
      sent++;
      if (sent % 500 == 0) {
        publisher.flush(WAIT);
      }
    }
    publisher.flush(WAIT);
    return sent;
  }

  /** Polls /health until it answers 503, and returns that answer. */
  private JsonNode awaitDegraded() {
    JsonNode[] seen = new JsonNode[1];
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              Management.Response health = management.get("health");
              if (health.status() == 503) {
                seen[0] = health.json();
                return true;
              }
              return false;
            });
    degradedSeen.set(true);
    return seen[0];
  }

  private static void assertDegradedByTheTopicShard(JsonNode health) {
    assertThat(health.path("status").asText()).isEqualTo("degraded");
    JsonNode reasons = health.path("degraded");
    assertThat(reasons).isNotEmpty();
    JsonNode first = reasons.get(0);
    assertThat(first.path("check").asText()).isEqualTo("mailboxes");
    assertThat(first.path("reason").asText())
        .contains("topic-shard")
        .contains("topic-shard-0")
        .contains("high-water mark of " + HIGH_WATER_MARK);
  }

  private void awaitHealthy() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Management.Response health = management.get("health");
              assertThat(health.status()).isEqualTo(200);
              assertThat(health.json().path("status").asText()).isEqualTo("ok");
              assertThat(health.json().path("degraded")).isEmpty();
            });
  }

  private FoveaClient client() {
    FoveaClient client = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM);
    resources.add(client);
    return client;
  }
}
