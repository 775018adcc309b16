package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fovea.protocol.message.Disconnect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionTest {
  private FakeNode node;

  @BeforeEach
  void startNode() throws Exception {
    node = new FakeNode("com.example.realm");
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  @Test
  void connectsAndReportsTheSessionTheNodeAssigned() {
    node.limits = Map.of("max_subscriptions", 10L);

    try (FoveaClient client = node.client().connect()) {
      assertThat(client.isOpen()).isTrue();
      assertThat(client.sessionId()).isEqualTo("session-1");
      assertThat(client.nodeId()).isEqualTo("fake-node");
      assertThat(client.limits()).containsEntry("max_subscriptions", 10L);
    }
  }

  @Test
  void connectWithTheStaticShortcutJoinsTheGivenRealm() {
    try (FoveaClient client = FoveaClient.connect("127.0.0.1", node.port(), "com.example.realm")) {
      assertThat(client.sessionId()).isNotBlank();
    }
  }

  @Test
  void aRefusedRealmFailsConnectWithTheNodesCodeAndReason() {
    assertThatThrownBy(() -> node.client().realm("org.other.realm").connect())
        .isInstanceOfSatisfying(
            FoveaException.class,
            e -> {
              assertThat(e.code()).isEqualTo("realm_mismatch");
              assertThat(e.reason()).contains("org.other.realm");
            });
  }

  @Test
  void nothingListeningFailsConnectWithConnectFailed() throws Exception {
    int port;
    try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = unused.getLocalPort();
    }

    assertThatThrownBy(() -> FoveaClient.builder("127.0.0.1", port).connect())
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("connect_failed"));
  }

  @Test
  void aNodeThatNeverAnswersConnectTimesOut() throws Exception {
    // The kernel completes the TCP handshake from the backlog; nobody ever reads the CONNECT.
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      FoveaClient.Builder builder =
          FoveaClient.builder("127.0.0.1", silent.getLocalPort())
              .connectTimeout(Duration.ofMillis(200));

      assertThatThrownBy(builder::connect)
          .isInstanceOfSatisfying(
              FoveaException.class, e -> assertThat(e.code()).isEqualTo("timeout"));
    }
  }

  @Test
  void closeSaysGoodbyeRunsTheListenerOnceAndIsIdempotent() throws Exception {
    FoveaClient client = node.client().connect();
    CompletableFuture<FoveaException> closed = new CompletableFuture<>();
    client.onClose(closed::complete);

    client.close();
    client.close();

    assertThat(node.expect(Disconnect.class)).isNotNull();
    assertThat(closed.get(5, TimeUnit.SECONDS).code()).isEqualTo("client_closed");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void aClosedClientRefusesWorkWithTheReasonItClosed() throws Exception {
    FoveaClient client = node.client().connect();
    client.close();

    assertThatThrownBy(() -> client.publish("a.b", "x"))
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("client_closed"));
    assertThatThrownBy(() -> client.subscribe("a.*", d -> {})).isInstanceOf(FoveaException.class);
    assertThatThrownBy(() -> client.call("echo", new byte[0]).get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(FoveaException.class);
  }

  @Test
  void aListenerAddedAfterCloseRunsAtOnce() {
    FoveaClient client = node.client().connect();
    client.close();

    CompletableFuture<FoveaException> closed = new CompletableFuture<>();
    client.onClose(closed::complete);

    assertThat(closed).isCompleted();
  }

  @Test
  void anErrorFrameFromTheNodeClosesTheClientWithItsCode() throws Exception {
    FoveaClient client = node.client().connect();
    CompletableFuture<FoveaException> closed = new CompletableFuture<>();
    client.onClose(closed::complete);

    node.send(new ErrorMessage("slow_consumer", "the outbound queue is full"));

    FoveaException cause = closed.get(5, TimeUnit.SECONDS);
    assertThat(cause.code()).isEqualTo("slow_consumer");
    assertThat(cause.reason()).isEqualTo("the outbound queue is full");
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void aDroppedConnectionIsReportedAsConnectionLost() throws Exception {
    FoveaClient client = node.client().connect();
    CompletableFuture<FoveaException> closed = new CompletableFuture<>();
    client.onClose(closed::complete);

    node.dropConnections();

    assertThat(closed.get(5, TimeUnit.SECONDS).code()).isEqualTo("connection_lost");
  }

  @Test
  void answersThePingOfTheNode() throws Exception {
    try (FoveaClient client = node.client().connect()) {
      node.send(Ping.INSTANCE);

      assertThat(node.expect(Pong.class)).isNotNull();
    }
  }

  @Test
  void pingMeasuresTheRoundTrip() throws Exception {
    try (FoveaClient client = node.client().connect()) {
      Duration roundTrip = client.ping().get(5, TimeUnit.SECONDS);

      assertThat(roundTrip).isPositive();
      assertThat(node.expect(Ping.class)).isNotNull();
    }
  }
}
