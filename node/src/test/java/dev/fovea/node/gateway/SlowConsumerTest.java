package dev.fovea.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.client.FoveaClient;
import dev.fovea.node.Management;
import dev.fovea.node.RawClient;
import dev.fovea.node.TestNode;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.Subscribe;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading costs the node a bounded queue and nothing more: under drop-oldest
 * its queue stays within the configured bounds and loses its oldest frames, under disconnect it is
 * closed with {@code slow_consumer}; either way a subscriber that reads receives every message, in
 * order.
 */
class SlowConsumerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int MESSAGES = 20_000;
  private static final int PAYLOAD_BYTES = 1024;
  private static final int QUEUE_FRAMES = 200;
  private static final long QUEUE_BYTES = 256 * 1024;
  private static final String PATTERN = "flow.**";
  private static final String TOPIC = "flow.data";
  // How far the publisher may run ahead of the reading subscriber: under the queue bound, so that
  // the reader is never the one the policy acts on. Unpaced, a publisher on loopback outruns even a
  // reading client's 200-frame queue, and the reader loses messages too, as the policy says.
  private static final int WINDOW = QUEUE_FRAMES / 2;

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final List<Integer> received = new ArrayList<>();
  private final Semaphore window = new Semaphore(WINDOW);

  private TestNode node;
  private Management management;

  @AfterEach
  void cleanUp() throws Exception {
    sampler.shutdownNow();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void dropOldestKeepsTheSlowQueueWithinBoundsAndTheReaderLosesNothing() throws Exception {
    start("drop-oldest");
    RawClient slow = slowSubscriber();
    FoveaClient reader = readingSubscriber();
    QueueSamples samples = sampleSlowQueue();

    publishAll();

    awaitEverythingReceivedInOrder();
    JsonNode slowSession = management.session("slow-consumer");
    assertThat(slowSession).as("the slow session is still connected").isNotNull();
    assertThat(samples.count.get()).as("samples taken while publishing").isPositive();
    assertThat(samples.maxDepth.get()).isGreaterThan(0).isLessThanOrEqualTo(QUEUE_FRAMES);
    assertThat(samples.maxBytes.get()).isLessThanOrEqualTo(QUEUE_BYTES);
    assertThat(slowSession.path("dropped").asLong()).isPositive();
    assertThat(management.session("reader").path("dropped").asLong()).isZero();
    Management.Scrape metrics = management.metrics();
    assertThat(metrics.value("fovea_drops_total", "reason", "slow_consumer_oldest"))
        .isEqualTo(slowSession.path("dropped").asDouble());
    assertThat(metrics.value("fovea_refused_total", "code", "slow_consumer")).isZero();
    assertThat(reader.isOpen()).isTrue();
    assertThat(slow.awaitClosedByPeer(Duration.ofMillis(200))).isFalse();
  }

  @Test
  void disconnectPolicyClosesTheSlowSessionAndTheReaderLosesNothing() throws Exception {
    start("disconnect");
    RawClient slow = slowSubscriber();
    FoveaClient reader = readingSubscriber();

    CompletableFuture<Void> publishing = CompletableFuture.runAsync(this::publishAll);

    await().atMost(WAIT).until(() -> management.session("slow-consumer") == null);
    Message last = slow.lastFrameBeforeClose(WAIT);
    assertThat(last).as("the last frame before the close").isInstanceOf(ErrorMessage.class);
    assertThat(((ErrorMessage) last).code()).isEqualTo("slow_consumer");
    publishing.get(30, TimeUnit.SECONDS);
    awaitEverythingReceivedInOrder();
    assertThat(reader.isOpen()).isTrue();
    Management.Scrape metrics = management.metrics();
    assertThat(metrics.value("fovea_refused_total", "code", "slow_consumer")).isEqualTo(1);
    assertThat(metrics.value("fovea_drops_total", "reason", "slow_consumer_disconnect"))
        .isPositive();
    await().atMost(WAIT).until(() -> management.metrics().value("fovea_sessions") == 2);
  }

  private void start(String policy) {
    node =
        TestNode.start(
            "fovea.gateway.outbound-queue-frames", QUEUE_FRAMES,
            "fovea.gateway.outbound-queue-bytes", QUEUE_BYTES,
            "fovea.gateway.slow-consumer-policy", policy);
    resources.add(node);
    management = Management.of(node);
  }

  /** Subscribes with a tiny receive buffer, then never reads again. */
  private RawClient slowSubscriber() throws Exception {
    RawClient slow = RawClient.connected(new RawClient(node.port(), 4096), "slow-consumer");
    resources.add(slow);
    slow.send(new Subscribe(PATTERN));
    slow.send(Ping.INSTANCE);
    assertThat(slow.receive(WAIT)).isEqualTo(Pong.INSTANCE);
    return slow;
  }

  private FoveaClient readingSubscriber() {
    FoveaClient reader = client("reader");
    reader.subscribe(
        PATTERN,
        d -> {
          synchronized (received) {
            received.add(ByteBuffer.wrap(d.payload()).getInt());
          }
          window.release();
        });
    reader.flush();
    return reader;
  }

  private void publishAll() {
    FoveaClient publisher = client("publisher");
    byte[] payload = new byte[PAYLOAD_BYTES];
    try {
      for (int i = 0; i < MESSAGES; i++) {
        if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
          throw new AssertionError("the reader stopped receiving after " + i + " messages");
        }
        ByteBuffer.wrap(payload).putInt(0, i);
        publisher.publish(TOPIC, payload);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while publishing", e);
    }
  }

  private void awaitEverythingReceivedInOrder() {
    await().atMost(WAIT).until(() -> receivedCount() == MESSAGES);
    synchronized (received) {
      for (int i = 0; i < MESSAGES; i++) {
        assertThat(received.get(i)).as("message %d", i).isEqualTo(i);
      }
    }
  }

  private int receivedCount() {
    synchronized (received) {
      return received.size();
    }
  }

  /** The slow session's queue as {@code /view/sessions} shows it, sampled every 10 ms. */
  private static final class QueueSamples {
    final AtomicLong count = new AtomicLong();
    final AtomicLong maxDepth = new AtomicLong();
    final AtomicLong maxBytes = new AtomicLong();
  }

  private QueueSamples sampleSlowQueue() {
    QueueSamples samples = new QueueSamples();
    sampler.scheduleWithFixedDelay(
        () -> {
          JsonNode s = management.session("slow-consumer");
          if (s != null) {
            samples.count.incrementAndGet();
            samples.maxDepth.accumulateAndGet(s.path("queue_depth").asLong(), Math::max);
            samples.maxBytes.accumulateAndGet(s.path("queued_bytes").asLong(), Math::max);
          }
        },
        0,
        10,
        TimeUnit.MILLISECONDS);
    return samples;
  }

  private FoveaClient client(String name) {
    FoveaClient client =
        FoveaClient.builder("127.0.0.1", node.port())
            .realm(TestNode.REALM)
            .clientName(name)
            .connect();
    resources.add(client);
    return client;
  }
}
