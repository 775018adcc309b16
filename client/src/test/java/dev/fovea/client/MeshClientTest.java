package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Cast;
import dev.fovea.protocol.message.Disconnect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Subscribe;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshClientTest {
  private static final String REALM = "com.example.realm";

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Events events = new Events();
  private FakeNode a;
  private FakeNode b;

  @BeforeEach
  void startNodes() throws Exception {
    a = node("node-a");
    b = node("node-b");
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void failsOverAndReplaysSubscriptionsAndAdvertisementsOnEveryNewNode() throws Exception {
    FakeNode c = node("node-c");
    MeshClient mesh = connect(List.of(a, b, c), builder -> builder);
    Recorder sensors = new Recorder();
    mesh.subscribe("sensor.*", sensors);
    mesh.advertise("math.double", Duration.ofSeconds(30), MeshClientTest::doubled);
    mesh.flush();
    assertThat(a.expect(Subscribe.class).pattern()).isEqualTo("sensor.*");
    assertThat(a.expect(Advertise.class).ttlMs()).isEqualTo(30_000);

    for (FakeNode[] step : new FakeNode[][] {{a, b}, {b, c}}) {
      FakeNode dying = step[0];
      FakeNode next = step[1];
      dying.close();

      assertThat(events.next()).isEqualTo("disconnected " + dying.endpoint() + " connection_lost");
      assertThat(events.next()).isEqualTo("reconnected " + next.endpoint() + " " + next.nodeId());
      assertThat(mesh.currentEndpoint()).isEqualTo(next.endpoint());
      assertThat(mesh.currentNodeId()).isEqualTo(next.nodeId());
      assertThat(next.expect(Subscribe.class).pattern()).isEqualTo("sensor.*");
      Advertise replayed = next.expect(Advertise.class);
      assertThat(replayed.procedure()).isEqualTo("math.double");
      assertThat(replayed.ttlMs()).isEqualTo(30_000);

      // The handlers registered once still work, through the new node.
      mesh.publish("sensor.kitchen", "21");
      assertThat(sensors.next()).isEqualTo("sensor.kitchen 21");
      next.expect(Publish.class);
      next.send(new Invoke(1, "math.double", utf8("21"), true));
      assertThat(text(next.expect(Result.class).payload())).isEqualTo("42");
    }
    assertThat(mesh.reconnects()).isEqualTo(2);
  }

  @Test
  void callsAndAcknowledgedPublishesInFlightFailWithConnectionLostWhenTheNodeDies()
      throws Exception {
    MeshClient mesh = connect(List.of(a, b), builder -> builder);
    a.calls = call -> null;
    a.acknowledges = false;
    CompletableFuture<byte[]> call = mesh.call("slow.op", utf8("x"), Duration.ofSeconds(30));
    CompletableFuture<Void> acked = mesh.publishWithAck("audit.login", "alice");
    a.expect(Call.class);
    a.expect(Publish.class);

    a.close();

    // Far sooner than the 91 s safety timer of a 30 s call.
    for (CompletableFuture<?> inFlight : List.of(call, acked)) {
      assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              FoveaException.class,
              e -> {
                assertThat(e).isNotInstanceOf(CallException.class);
                assertThat(e.code()).isEqualTo("connection_lost");
              });
    }
    // Nothing was retried on the next node.
    assertThat(events.next()).startsWith("disconnected");
    assertThat(events.next()).startsWith("reconnected " + b.endpoint());
    mesh.flush();
    assertThat(b.expect(Ping.class)).isNotNull();
  }

  @Test
  void callsAndPublishesWhileDisconnectedWaitForTheNextSessionInOrder() throws Exception {
    MeshClient mesh = connect(List.of(a, b), builder -> builder);
    b.refuseWith = "max_clients";
    a.close();
    assertThat(events.next()).startsWith("disconnected " + a.endpoint());
    assertThat(mesh.isConnected()).isFalse();

    mesh.publish("audit.one", "1");
    mesh.cast("log.write", "2");
    CompletableFuture<String> call = mesh.callText("echo", "3", Duration.ofSeconds(5));
    assertThat(call).isNotDone();
    b.refuseWith = null;

    assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo("3");
    assertThat(text(b.expect(Publish.class).payload())).isEqualTo("1");
    assertThat(b.expect(Cast.class).procedure()).isEqualTo("log.write");
    assertThat(b.expect(Call.class).procedure()).isEqualTo("echo");
    assertThat(mesh.droppedPublishes()).isZero();
  }

  @Test
  void aCallWhileDisconnectedFailsWithConnectionLostOnceItsTimeoutPasses() throws Exception {
    MeshClient mesh = connect(List.of(a, b), builder -> builder);
    b.refuseWith = "max_clients";
    a.close();
    assertThat(events.next()).startsWith("disconnected");

    CompletableFuture<byte[]> call = mesh.call("echo", utf8("x"), Duration.ofMillis(100));

    assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            FoveaException.class,
            e -> {
              assertThat(e.code()).isEqualTo("connection_lost");
              assertThat(e.reason()).contains("no session");
            });
  }

  @Test
  void publishesBeyondTheReconnectBufferAreDroppedAndCounted() throws Exception {
    // One message of 3 + 9 + 32 bytes fits in 60; a second does not.
    MeshClient mesh = connect(List.of(a, b), builder -> builder.reconnectBufferBytes(60));
    b.refuseWith = "max_clients";
    a.close();
    assertThat(events.next()).startsWith("disconnected");

    for (int i = 0; i < 3; i++) {
      mesh.publish("t.a", "message-" + i);
    }
    b.refuseWith = null;
    assertThat(events.next()).startsWith("reconnected");
    mesh.flush();

    assertThat(mesh.droppedPublishes()).isEqualTo(2);
    assertThat(text(b.expect(Publish.class).payload())).isEqualTo("message-0");
    assertThat(b.expect(Ping.class)).isNotNull();
  }

  @Test
  void registrationsChangedWhileDisconnectedTakeEffectAtTheNextSession() throws Exception {
    MeshClient mesh = connect(List.of(a, b), builder -> builder);
    Subscription dropped = mesh.subscribe("old.*", d -> {});
    Advertisement withdrawn = mesh.advertise("old.proc", inv -> null);
    b.refuseWith = "max_clients";
    a.close();
    assertThat(events.next()).startsWith("disconnected");

    dropped.unsubscribe();
    withdrawn.unadvertise();
    Subscription added = mesh.subscribe("new.*", d -> {});
    mesh.advertise("new.proc", inv -> null);
    assertThat(added.isActive()).isTrue();
    assertThat(dropped.isActive()).isFalse();
    b.refuseWith = null;
    mesh.flush();

    assertThat(b.expect(Subscribe.class).pattern()).isEqualTo("new.*");
    assertThat(b.expect(Advertise.class).procedure()).isEqualTo("new.proc");
    assertThat(b.expect(Ping.class)).isNotNull();
  }

  @Test
  void aNodeThatStopsAnsweringPingsIsLeftForTheNext() throws Exception {
    MeshClient mesh =
        connect(
            List.of(a, b),
            builder -> builder.pingInterval(Duration.ofMillis(50)).maxMissedPings(2));

    a.lastConnection().silence();

    assertThat(events.next()).startsWith("disconnected " + a.endpoint() + " connection_lost");
    assertThat(events.lastCause.reason()).contains("PING");
    assertThat(events.next()).startsWith("reconnected " + b.endpoint());
    assertThat(a.awaitEnded()).isNotNull();
    assertThat(mesh.isConnected()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"slow_consumer", "idle_timeout", "shutting_down", "internal"})
  void anErrorThatEndsOnlyTheSessionReconnects(String code) throws Exception {
    MeshClient mesh = connect(List.of(a, b), builder -> builder);
    a.calls = call -> null;
    CompletableFuture<byte[]> inFlight = mesh.call("slow.op", utf8("x"), Duration.ofSeconds(30));
    a.expect(Call.class);

    a.send(new ErrorMessage(code, "goodbye"));

    assertThat(events.next()).isEqualTo("disconnected " + a.endpoint() + " " + code);
    assertThat(events.next()).startsWith("reconnected " + b.endpoint());
    assertThat(mesh.isClosed()).isFalse();
    assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            FoveaException.class,
            e -> {
              assertThat(e.code()).isEqualTo("connection_lost");
              assertThat(e.reason()).contains(code);
            });
  }

  @Test
  void anUnauthorizedErrorEndsTheClientForGood() throws Exception {
    MeshClient mesh = connect(List.of(a, b), builder -> builder);

    a.send(new ErrorMessage("unauthorized", "the token was revoked"));

    assertThat(events.next()).isEqualTo("disconnected " + a.endpoint() + " unauthorized");
    assertThat(events.next()).isEqualTo("closed unauthorized");
    assertThat(mesh.isClosed()).isTrue();
    assertThat(b.connectionCount()).isZero();
    assertThatThrownBy(() -> mesh.publish("a.b", "x"))
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("unauthorized"));
  }

  @Test
  void aNodeOfAnotherRealmStopsTheReconnectLoop() throws Exception {
    FakeNode foreign = node("node-x", "org.other.realm");
    MeshClient mesh = connect(List.of(a, foreign, b), builder -> builder);

    a.close();
    assertThat(events.next()).startsWith("disconnected");
    assertThat(events.next()).isEqualTo("closed realm_mismatch");
    CompletableFuture<byte[]> waiting = mesh.call("echo", utf8("x"));

    assertThat(mesh.isClosed()).isTrue();
    assertThat(b.connectionCount()).as("never tried after the refusal").isZero();
    assertThatThrownBy(waiting::join)
        .cause()
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("realm_mismatch"));
  }

  @Test
  void connectSkipsAnEndpointThatIsDown() throws Exception {
    String down = "127.0.0.1:" + unusedPort();
    MeshClient mesh =
        track(
            MeshClient.builder(List.of(down, a.endpoint()))
                .realm(REALM)
                .pingInterval(Duration.ofMinutes(1))
                .connect());

    assertThat(mesh.currentEndpoint()).isEqualTo(a.endpoint());
    assertThat(mesh.endpoints()).containsExactly(down, a.endpoint());
  }

  @Test
  void connectFailsNamingEveryEndpointWhenNoneAdmits() throws Exception {
    String down = "127.0.0.1:" + unusedPort();
    a.refuseWith = "max_clients";

    assertThatThrownBy(() -> MeshClient.connect(List.of(a.endpoint(), down), REALM))
        .isInstanceOfSatisfying(
            FoveaException.class,
            e -> {
              assertThat(e.code()).isEqualTo("connect_failed");
              assertThat(e.reason()).contains(a.endpoint(), "max_clients", down);
            });
  }

  @Test
  void connectStopsAtARefusalForGood() {
    assertThatThrownBy(
            () -> MeshClient.connect(List.of(a.endpoint(), b.endpoint()), "org.other.realm"))
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("realm_mismatch"));
  }

  @Test
  void closeSaysGoodbyeAndStopsReconnecting() throws Exception {
    MeshClient mesh = connect(List.of(a, b), builder -> builder);
    Subscription subscription = mesh.subscribe("room.*", d -> {});
    a.expect(Subscribe.class);

    mesh.close();
    mesh.close();

    assertThat(a.expect(Disconnect.class)).isNotNull();
    assertThat(events.next()).isEqualTo("closed client_closed");
    assertThat(subscription.isActive()).isFalse();
    assertThat(mesh.isConnected()).isFalse();
    assertThatThrownBy(() -> mesh.publish("room.a", "x"))
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("client_closed"));
    assertThat(b.connectionCount()).isZero();
  }

  @Test
  void refusesBadEndpoints() {
    assertThatThrownBy(() -> MeshClient.builder(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MeshClient.builder(List.of("localhost")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'localhost'");
  }

  // --- Helpers -----------------------------------------------------------------------------------

  private FakeNode node(String nodeId) throws Exception {
    return node(nodeId, REALM);
  }

  private FakeNode node(String nodeId, String realm) throws Exception {
    return track(new FakeNode(realm, nodeId));
  }

  /**
   * A client of the nodes, in order, that reconnects fast, pings rarely enough not to get in the
   * way of the frames a test expects, and reports its events to {@link #events}.
   */
  private MeshClient connect(List<FakeNode> nodes, UnaryOperator<MeshClient.Builder> options) {
    MeshClient.Builder builder =
        MeshClient.builder(nodes.stream().map(FakeNode::endpoint).toList())
            .realm(REALM)
            .clientOptions(b -> b.clientName("mesh-test"))
            .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .pingInterval(Duration.ofMinutes(1))
            .listener(events);
    return track(options.apply(builder).connect());
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static int unusedPort() throws Exception {
    try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return unused.getLocalPort();
    }
  }

  private static byte[] doubled(Invocation invocation) {
    return utf8(String.valueOf(2 * Integer.parseInt(invocation.text())));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** Records the listener's events as text, for tests to await in order. */
  private static final class Events implements MeshClient.Listener {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    volatile FoveaException lastCause;

    @Override
    public void onDisconnected(String endpoint, FoveaException cause) {
      lastCause = cause;
      events.add("disconnected " + endpoint + " " + cause.code());
    }

    @Override
    public void onReconnected(String endpoint, String nodeId) {
      events.add("reconnected " + endpoint + " " + nodeId);
    }

    @Override
    public void onClosed(FoveaException cause) {
      events.add("closed " + cause.code());
    }

    String next() throws InterruptedException {
      String next = events.poll(FakeNode.WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(next).as("an event within " + FakeNode.WAIT).isNotNull();
      return next;
    }
  }
}
