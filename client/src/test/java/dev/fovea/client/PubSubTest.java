package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.message.Unsubscribe;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PubSubTest {
  private FakeNode node;
  private FoveaClient client;

  @BeforeEach
  void connect() throws Exception {
    node = new FakeNode("com.example.realm");
    client = node.client().connect();
  }

  @AfterEach
  void close() throws Exception {
    client.close();
    node.close();
  }

  @Test
  void deliversEachMessageOnceToEveryMatchingSubscription() throws Exception {
    Recorder firstStar = new Recorder();
    Recorder secondStar = new Recorder();
    Recorder globstar = new Recorder();
    Recorder other = new Recorder();
    client.subscribe("sensor.*", firstStar);
    client.subscribe("sensor.*", secondStar);
    client.subscribe("sensor.**", globstar);
    client.subscribe("other.*", other);
    client.flush();

    client.publish("sensor.temp", "21");
    client.publish("sensor.end", "");
    client.publish("other.end", "");

    // A duplicate of the first message would be queued before the second in its subscription.
    for (Recorder sensor : List.of(firstStar, secondStar, globstar)) {
      assertThat(sensor.next()).isEqualTo("sensor.temp 21");
      assertThat(sensor.next()).isEqualTo("sensor.end ");
    }
    assertThat(other.next()).isEqualTo("other.end ");
  }

  @Test
  void subscribesAtTheNodeOncePerPattern() throws Exception {
    client.subscribe("sensor.*", d -> {});
    client.subscribe("sensor.*", d -> {});
    client.subscribe("sensor.**", d -> {});
    client.flush();

    assertThat(node.expect(Subscribe.class).pattern()).isEqualTo("sensor.*");
    assertThat(node.expect(Subscribe.class).pattern()).isEqualTo("sensor.**");
    assertThat(node.expect(Ping.class)).isNotNull();
  }

  @Test
  void unsubscribesAtTheNodeOnlyWhenTheLastSubscriptionOfThePatternGoes() throws Exception {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Subscription a = client.subscribe("room.*", first);
    Subscription b = client.subscribe("room.*", second);
    client.flush();
    node.expect(Subscribe.class);
    node.expect(Ping.class);

    a.unsubscribe();
    a.unsubscribe();
    client.flush();

    assertThat(a.isActive()).isFalse();
    assertThat(node.expect(Ping.class)).as("no UNSUBSCRIBE while b uses the pattern").isNotNull();

    client.publish("room.one", "hi");
    assertThat(second.next()).isEqualTo("room.one hi");
    node.expect(Publish.class);

    b.close();
    client.flush();

    assertThat(node.expect(Unsubscribe.class).pattern()).isEqualTo("room.*");
    assertThat(node.expect(Ping.class)).isNotNull();
    assertThat(first.backlog()).isZero();
  }

  @Test
  void aBlockedHandlerDoesNotHoldUpAnotherSubscription() throws Exception {
    ExecutorService twoThreads = Executors.newFixedThreadPool(2);
    try (FoveaClient pooled = node.client().executor(twoThreads).connect()) {
      CountDownLatch slowStarted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      pooled.subscribe(
          "slow.*",
          d -> {
            slowStarted.countDown();
            release.await(10, TimeUnit.SECONDS);
          });
      Recorder fast = new Recorder();
      pooled.subscribe("fast.*", fast);
      pooled.flush();

      pooled.publish("slow.a", "");
      assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 200; i++) {
        pooled.publish("fast." + i, "");
      }

      for (int i = 0; i < 200; i++) {
        assertThat(fast.next()).isEqualTo("fast." + i + " ");
      }
      release.countDown();
    } finally {
      twoThreads.shutdown();
      assertThat(twoThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aHandlerThatThrowsStillGetsTheNextMessage() throws Exception {
    Recorder survivors = new Recorder();
    client.subscribe(
        "job.*",
        d -> {
          if (d.text().equals("boom")) {
            throw new IllegalStateException("handler failed on purpose");
          }
          survivors.onMessage(d);
        });
    client.flush();

    client.publish("job.1", "boom");
    client.publish("job.2", "ok");

    assertThat(survivors.next()).isEqualTo("job.2 ok");
  }

  @Test
  void publishWithAckCompletesWhenTheNodeAcknowledges() throws Exception {
    client.publishWithAck("audit.login", "alice").get(5, TimeUnit.SECONDS);

    Publish sent = node.expect(Publish.class);
    assertThat(sent.wantsAck()).isTrue();
    assertThat(sent.topic()).isEqualTo("audit.login");
  }

  @Test
  void aBurstFromOneThreadArrivesCompleteAndInOrder() throws Exception {
    int count = 20_000;
    for (int i = 0; i < count - 1; i++) {
      client.publish("burst.data", ByteBuffer.allocate(4).putInt(i).array());
    }
    client
        .publishWithAck("burst.data", ByteBuffer.allocate(4).putInt(count - 1).array())
        .get(10, TimeUnit.SECONDS);

    List<Integer> received = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      received.add(ByteBuffer.wrap(node.expect(Publish.class).payload()).getInt());
    }
    for (int i = 0; i < count; i++) {
      assertThat(received.get(i)).isEqualTo(i);
    }
  }

  @Test
  void concurrentPublishersEachKeepTheirOrder() throws Exception {
    int threads = 4;
    int each = 2_000;
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String topic = "thread.t" + t;
      publishers.add(
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  client.publish(topic, ByteBuffer.allocate(4).putInt(i).array());
                }
              }));
    }
    publishers.forEach(Thread::start);
    for (Thread publisher : publishers) {
      publisher.join(10_000);
    }
    client.flush();

    int[] next = new int[threads];
    for (int n = 0; n < threads * each; n++) {
      Publish p = node.expect(Publish.class);
      int thread = p.topic().charAt(p.topic().length() - 1) - '0';
      assertThat(ByteBuffer.wrap(p.payload()).getInt()).isEqualTo(next[thread]++);
    }
  }

  @Test
  void refusesABadTopicOrPatternBeforeSendingIt() {
    assertThatThrownBy(() -> client.publish("sensor..temp", "x"))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC));
    assertThatThrownBy(() -> client.publish("sensor.*", "x"))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC));
    assertThatThrownBy(() -> client.subscribe("sensor.te*", d -> {}))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN));
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void refusesAPayloadOverTheNodesFrameLimitBeforeSendingIt() throws Exception {
    node.limits = Map.of("max_frame_bytes", 1024L);
    try (FoveaClient limited = node.client().connect()) {
      assertThatThrownBy(() -> limited.publish("big.blob", new byte[2048]))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));

      limited.publishWithAck("small.blob", new byte[16]).get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingTheClientDropsDeliveriesStillQueued() throws Exception {
    ExecutorService oneThread = Executors.newSingleThreadExecutor();
    FoveaClient owned = node.client().executor(oneThread).connect();
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> handled = new ArrayList<>();
    owned.subscribe(
        "q.*",
        d -> {
          synchronized (handled) {
            handled.add(d.topic());
          }
          first.countDown();
          release.await(5, TimeUnit.SECONDS);
        });
    owned.flush();
    owned.publish("q.1", "");
    owned.publish("q.2", "");
    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    owned.flush(); // q.2 is now queued behind the blocked handler

    owned.close();
    release.countDown();
    oneThread.shutdown();

    assertThat(oneThread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    synchronized (handled) {
      assertThat(handled).containsExactly("q.1");
    }
  }
}
