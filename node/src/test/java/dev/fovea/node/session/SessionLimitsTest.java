package dev.fovea.node.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fovea.client.CallException;
import dev.fovea.client.FoveaClient;
import dev.fovea.node.Management;
import dev.fovea.node.RawClient;
import dev.fovea.node.TestNode;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Subscribe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each per-session limit at its edge: exactly the limit is served, one more is refused with its
 * code, and the refusal is counted in {@code /metrics}.
 */
class SessionLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int MAX_FRAME_BYTES = 1024;
  private static TestNode node;
  private static Management management;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @BeforeAll
  static void startNode() {
    node =
        TestNode.start(
            "fovea.session.max-subscriptions", 3,
            "fovea.session.max-advertisements", 2,
            "fovea.session.max-pending-calls", 2,
            "fovea.topics.max-length", 16,
            "fovea.topics.max-depth", 3,
            "fovea.gateway.max-frame-bytes", MAX_FRAME_BYTES);
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
  void fourthSubscriptionIsRefusedAndClosesTheConnection() throws Exception {
    RawClient client = raw("subscriber");
    double refusedBefore = refused("too_many_subscriptions");
    for (String pattern : List.of("subs.a", "subs.b.*", "subs.c.**")) {
      client.send(new Subscribe(pattern));
    }
    client.send(new Subscribe("subs.a")); // already held: not a fourth
    assertAnswered(client);
    client.send(new Publish("subs.b.x", bytes("third still served")));
    assertThat(client.receive(WAIT)).isInstanceOf(Publish.class);

    client.send(new Subscribe("subs.d"));

    assertRefused(client, "too_many_subscriptions");
    assertThat(refused("too_many_subscriptions") - refusedBefore).isEqualTo(1);
  }

  @Test
  void thirdAdvertisementIsRefusedAndClosesTheConnection() throws Exception {
    RawClient client = raw("advertiser");
    double refusedBefore = refused("too_many_advertisements");
    client.send(new Advertise("adv.one", 0));
    client.send(new Advertise("adv.two", 0));
    client.send(new Advertise("adv.one", 0)); // a refresh, not a third
    assertAnswered(client);
    JsonNode session = management.session("advertiser");
    assertThat(texts(session.path("advertisements"))).containsExactly("adv.one", "adv.two");

    client.send(new Advertise("adv.three", 0));

    assertRefused(client, "too_many_advertisements");
    assertThat(refused("too_many_advertisements") - refusedBefore).isEqualTo(1);
    await().atMost(WAIT).until(() -> management.session("advertiser") == null);
  }

  @Test
  void callOverThePendingLimitIsRefusedWhileTheSessionStaysOpen() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger held = new AtomicInteger();
    FoveaClient provider = client();
    provider.advertise(
        "calls.hold",
        call -> {
          held.incrementAndGet();
          release.await(10, TimeUnit.SECONDS);
          return call.payload();
        });
    provider.flush();
    FoveaClient caller = client();
    double okBefore = calls("ok");
    double refusedBefore = refused("too_many_pending_calls");

    CompletableFuture<String> first = caller.callText("calls.hold", "first", WAIT);
    CompletableFuture<String> second = caller.callText("calls.hold", "second", WAIT);
    await().atMost(WAIT).until(() -> held.get() == 2);
    CompletableFuture<String> third = caller.callText("calls.hold", "third", WAIT);

    CallException refused = callError(third);
    assertThat(refused.code()).isEqualTo("too_many_pending_calls");
    assertThat(refused.reason()).contains("2");
    assertThat(caller.isOpen()).isTrue();
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(refused("too_many_pending_calls") - refusedBefore).isEqualTo(1);
    assertThat(held("pending_calls")).as("the caller holds the limit's worth").isEqualTo(2);
    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
    assertThat(caller.callText("calls.hold", "again", WAIT).get(5, TimeUnit.SECONDS))
        .isEqualTo("again");
    assertThat(calls("ok") - okBefore).as("the refused call was never routed").isEqualTo(3);
  }

  @Test
  void eachLimitIsPublishedWithTheMostThatOneSessionHolds() throws Exception {
    RawClient busy = raw("busy");
    RawClient quiet = raw("quiet");
    busy.send(new Subscribe("held.a"));
    busy.send(new Subscribe("held.b"));
    busy.send(new Advertise("held.proc", 0));
    quiet.send(new Subscribe("held.a"));
    assertAnswered(busy);
    assertAnswered(quiet);

    Management.Scrape metrics = management.metrics();

    assertThat(metrics.value("fovea_limit", "limit", "subscriptions")).isEqualTo(3);
    assertThat(metrics.value("fovea_limit", "limit", "advertisements")).isEqualTo(2);
    assertThat(metrics.value("fovea_limit", "limit", "pending_calls")).isEqualTo(2);
    assertThat(metrics.value("fovea_limit", "limit", "topic_length")).isEqualTo(16);
    assertThat(metrics.value("fovea_limit", "limit", "topic_depth")).isEqualTo(3);
    assertThat(metrics.value("fovea_limit", "limit", "frame_bytes")).isEqualTo(MAX_FRAME_BYTES);
    assertThat(metrics.value("fovea_session_held_max", "limit", "subscriptions")).isEqualTo(2);
    assertThat(metrics.value("fovea_session_held_max", "limit", "advertisements")).isEqualTo(1);
  }

  @Test
  void topicOfExactlyTheMaximumLengthIsServedAndOneCharacterMoreIsRefused() throws Exception {
    String longest = "abcdefgh.ijklmno";
    assertThat(longest).hasSize(16);
    RawClient client = raw("long-topics");
    double refusedBefore = refused("invalid_topic");

    client.send(new Subscribe(longest));
    client.send(new Publish(longest, bytes("fits")));

    Message delivered = client.receive(WAIT);
    assertThat(delivered).isInstanceOf(Publish.class);
    assertThat(((Publish) delivered).topic()).isEqualTo(longest);
    client.send(new Publish(longest + "p", bytes("one too long")));
    assertRefused(client, "invalid_topic");
    assertThat(refused("invalid_topic") - refusedBefore).isEqualTo(1);
  }

  @Test
  void topicOfExactlyTheMaximumDepthIsServedAndOneSegmentMoreIsRefused() throws Exception {
    RawClient client = raw("deep-topics");
    double refusedBefore = refused("invalid_topic");

    client.send(new Subscribe("d1.d2.*"));
    client.send(new Publish("d1.d2.d3", bytes("fits")));

    Message delivered = client.receive(WAIT);
    assertThat(delivered).isInstanceOf(Publish.class);
    assertThat(((Publish) delivered).topic()).isEqualTo("d1.d2.d3");
    client.send(new Publish("d1.d2.d3.d4", bytes("one too deep")));
    assertRefused(client, "invalid_topic");
    assertThat(refused("invalid_topic") - refusedBefore).isEqualTo(1);
  }

  @Test
  void frameOfExactlyTheMaximumSizeIsServedAndOneByteMoreIsRefused() throws Exception {
    String topic = "frame.edge";
    byte[] largest = publishWithBodyOf(topic, MAX_FRAME_BYTES);
    byte[] tooLarge = publishWithBodyOf(topic, MAX_FRAME_BYTES + 1);
    RawClient client = raw("large-frames");
    double refusedBefore = refused("frame_too_large");

    client.send(new Subscribe(topic));
    client.sendBytes(largest);

    Message delivered = client.receive(WAIT);
    assertThat(delivered).isInstanceOf(Publish.class);
    assertThat(FrameCodec.encode(delivered)).hasSize(largest.length);
    client.sendBytes(tooLarge);
    ErrorMessage error = assertRefused(client, "frame_too_large");
    assertThat(error.reason()).contains(Integer.toString(MAX_FRAME_BYTES + 1));
    assertThat(refused("frame_too_large") - refusedBefore).isEqualTo(1);
  }

  /** A whole PUBLISH frame whose body is exactly {@code bodyBytes} long. */
  private static byte[] publishWithBodyOf(String topic, int bodyBytes) {
    int guess = bodyBytes - 64;
    int overhead = FrameCodec.encode(new Publish(topic, new byte[guess])).length - guess;
    byte[] frame =
        FrameCodec.encode(
            new Publish(topic, new byte[bodyBytes + FrameCodec.HEADER_BYTES - overhead]));
    assertThat(frame.length - FrameCodec.HEADER_BYTES).isEqualTo(bodyBytes);
    return frame;
  }

  private RawClient raw(String name) throws Exception {
    RawClient client = RawClient.connected(new RawClient(node.port()), name);
    resources.add(client);
    return client;
  }

  private FoveaClient client() {
    FoveaClient client = FoveaClient.connect("127.0.0.1", node.port(), TestNode.REALM);
    resources.add(client);
    return client;
  }

  /** The node has handled everything sent before, without refusing any of it. */
  private static void assertAnswered(RawClient client) throws Exception {
    client.send(Ping.INSTANCE);
    assertThat(client.receive(WAIT)).isEqualTo(Pong.INSTANCE);
  }

  private static ErrorMessage assertRefused(RawClient client, String code) throws Exception {
    Message m = client.receive(WAIT);
    assertThat(m).as("an ERROR frame").isInstanceOf(ErrorMessage.class);
    ErrorMessage error = (ErrorMessage) m;
    assertThat(error.code()).isEqualTo(code);
    assertThat(client.awaitClosedByPeer(WAIT)).as("the connection closes").isTrue();
    return error;
  }

  private static CallException callError(CompletableFuture<?> call) throws Exception {
    try {
      call.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(CallException.class);
      return (CallException) e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  private static double refused(String code) {
    return management.metrics().value("fovea_refused_total", "code", code);
  }

  private static double held(String limit) {
    return management.metrics().value("fovea_session_held_max", "limit", limit);
  }

  private static double calls(String outcome) {
    return management.metrics().value("fovea_rpc_calls_total", "outcome", outcome);
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
