package dev.fovea.node.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fovea.client.FoveaClient;
import dev.fovea.node.Management;
import dev.fovea.node.RawClient;
import dev.fovea.node.TestNode;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With an idle timeout of one second, a client that sends nothing is PINGed halfway through and
 * closed with {@code idle_timeout} at the end; a client that answers PING stays connected.
 */
class IdleTimeoutTest {
  private static final Duration IDLE = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static TestNode node;
  private static Management management;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    node = TestNode.start("fovea.session.idle-timeout", "1s");
    management = Management.of(node);
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void silentClientIsPingedThenClosedWithIdleTimeout() throws Exception {
    double refusedBefore = refusedIdle();
    RawClient silent = raw();
    silent.send(new Connect(TestNode.REALM, "silent"));
    long connectedAt = System.nanoTime();
    assertThat(silent.receive(WAIT)).isInstanceOf(Connected.class);

    Message ping = silent.receive(WAIT);
    long pingedAfter = millisSince(connectedAt);
    Message error = silent.receive(WAIT);
    long refusedAfter = millisSince(connectedAt);

    assertThat(ping).isEqualTo(Ping.INSTANCE);
    assertThat(pingedAfter).as("PING at half the timeout").isBetween(IDLE.toMillis() / 2, 2_000L);
    assertThat(error).isInstanceOf(ErrorMessage.class);
    assertThat(((ErrorMessage) error).code()).isEqualTo("idle_timeout");
    assertThat(refusedAfter).as("closed at the timeout").isBetween(IDLE.toMillis(), 3_000L);
    assertThat(silent.awaitClosedByPeer(WAIT)).isTrue();
    assertThat(refusedIdle() - refusedBefore).isEqualTo(1);
  }

  @Test
  void connectionThatNeverSendsConnectIsClosedWithIdleTimeout() throws Exception {
    RawClient mute = raw();
    long openedAt = System.nanoTime();

    Message error = mute.receive(WAIT);

    assertThat(error).as("no PING before CONNECT, only the ERROR").isInstanceOf(ErrorMessage.class);
    assertThat(((ErrorMessage) error).code()).isEqualTo("idle_timeout");
    assertThat(millisSince(openedAt)).isGreaterThanOrEqualTo(IDLE.toMillis());
    assertThat(mute.awaitClosedByPeer(WAIT)).isTrue();
  }

  @Test
  void clientsThatAnswerPingStayConnected() throws Exception {
    FoveaClient client =
        FoveaClient.builder("127.0.0.1", node.port())
            .realm(TestNode.REALM)
            .clientName("idle-but-alive")
            .connect();
    resources.add(client);
    RawClient answering = RawClient.connected(new RawClient(node.port()), "raw-but-alive");
    resources.add(answering);
    long start = System.nanoTime();
    int pingsAnswered = 0;

    // The raw client answers each PING and sends nothing else, for three idle timeouts.
    while (millisSince(start) < 3 * IDLE.toMillis()) {
      Message m = answering.receive(Duration.ofMillis(100));
      assertThat(m).as("nothing but PING").isIn(null, Ping.INSTANCE);
      if (m != null) {
        answering.send(Pong.INSTANCE);
        pingsAnswered++;
      }
    }

    assertThat(pingsAnswered).isGreaterThanOrEqualTo(2);
    assertThat(client.isOpen()).isTrue();
    client.flush();
    answering.send(Ping.INSTANCE);
    assertThat(answering.receive(WAIT)).isEqualTo(Pong.INSTANCE);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(management.session("idle-but-alive")).isNotNull();
              assertThat(management.session("raw-but-alive")).isNotNull();
            });
  }

  private RawClient raw() throws Exception {
    RawClient client = new RawClient(node.port());
    resources.add(client);
    return client;
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static double refusedIdle() {
    return management.metrics().value("fovea_refused_total", "code", "idle_timeout");
  }
}
