package dev.fovea.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.node.RawClient;
import dev.fovea.node.TestNode;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Subscribe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input gets an ERROR frame naming its code, and that connection closes, while a
 * bystander connected to the same node keeps receiving as if nothing happened.
 */
class BadInputTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static TestNode node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("fovea.gateway.max-frame-bytes", 4096);
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.close();
  }

  @Test
  void undecodableFrameIsRefusedWithMalformedBody() throws Exception {
    byte[] notAMap = {1, 0x10, 0, 0, 0, 0, 0, 1, (byte) 0x93};
    assertRefusedAfterConnect(notAMap, "malformed_body");
  }

  @Test
  void unknownFrameTypeIsRefused() throws Exception {
    byte[] unknown = {1, 0x7f, 0, 0, 0, 0, 0, 1, (byte) 0x80};
    assertRefusedAfterConnect(unknown, "unknown_type");
  }

  @Test
  void wrongVersionIsRefused() throws Exception {
    byte[] version9 = {9, 0x03, 0, 0, 0, 0, 0, 1, (byte) 0x80};
    assertRefusedAfterConnect(version9, "unsupported_version");
  }

  @Test
  void frameOverTheLimitIsRefusedBeforeItsBodyArrives() throws Exception {
    byte[] header = {1, 0x10, 0, 0, 0, 0, 0x10, 0x01}; // announces 4097 bytes, sends none
    assertRefusedAfterConnect(header, "frame_too_large");
  }

  @Test
  void invalidTopicIsRefused() throws Exception {
    byte[] frame = FrameCodec.encode(new Publish("bad..topic", new byte[] {1}));
    assertRefusedAfterConnect(frame, "invalid_topic");
  }

  @Test
  void invalidPatternIsRefused() throws Exception {
    byte[] frame = FrameCodec.encode(new Subscribe("a.b*"));
    assertRefusedAfterConnect(frame, "invalid_pattern");
  }

  @Test
  void frameBeforeConnectIsRefusedWithNotConnected() throws Exception {
    try (RawClient bystander = subscribedBystander("bystander.one");
        RawClient offender = new RawClient(node.port())) {
      offender.send(Ping.INSTANCE);
      assertError(offender, "not_connected");
      assertThat(offender.awaitClosedByPeer(WAIT)).isTrue();
      assertBystanderStillServed(bystander, "bystander.one");
    }
  }

  @Test
  void connectForAnotherRealmIsRefusedWithRealmMismatch() throws Exception {
    try (RawClient bystander = subscribedBystander("bystander.two");
        RawClient offender = new RawClient(node.port())) {
      offender.send(new Connect("com.example.other", "intruder"));
      ErrorMessage error = assertError(offender, "realm_mismatch");
      assertThat(error.reason()).contains("com.example.other");
      assertThat(offender.awaitClosedByPeer(WAIT)).isTrue();
      assertBystanderStillServed(bystander, "bystander.two");
    }
  }

  @Test
  void secondConnectIsRefused() throws Exception {
    try (RawClient offender = RawClient.connected(node.port())) {
      offender.send(new Connect(TestNode.REALM, "again"));
      assertError(offender, "already_connected");
      assertThat(offender.awaitClosedByPeer(WAIT)).isTrue();
    }
  }

  @Test
  void pingIsAnsweredWithPong() throws Exception {
    try (RawClient client = RawClient.connected(node.port())) {
      client.send(Ping.INSTANCE);
      assertThat(client.receive(WAIT)).isEqualTo(Pong.INSTANCE);
    }
  }

  private void assertRefusedAfterConnect(byte[] bad, String code) throws Exception {
    String topic = "bystander." + code.replace('_', '-');
    try (RawClient bystander = subscribedBystander(topic);
        RawClient offender = RawClient.connected(node.port())) {
      offender.sendBytes(bad);
      assertError(offender, code);
      assertThat(offender.awaitClosedByPeer(WAIT)).as("the offender's connection closes").isTrue();
      assertBystanderStillServed(bystander, topic);
    }
  }

  private static RawClient subscribedBystander(String topic) throws Exception {
    RawClient bystander = RawClient.connected(node.port());
    bystander.send(new Subscribe(topic));
    bystander.send(Ping.INSTANCE);
    assertThat(bystander.receive(WAIT)).isEqualTo(Pong.INSTANCE);
    return bystander;
  }

  private static void assertBystanderStillServed(RawClient bystander, String topic)
      throws Exception {
    bystander.send(new Publish(topic, "still here".getBytes(StandardCharsets.UTF_8)));
    Message delivered = bystander.receive(WAIT);
    assertThat(delivered).isInstanceOf(Publish.class);
    assertThat(new String(((Publish) delivered).payload(), StandardCharsets.UTF_8))
        .isEqualTo("still here");
  }

  private static ErrorMessage assertError(RawClient client, String code) throws Exception {
    Message m = client.receive(WAIT);
    assertThat(m).as("an ERROR frame").isInstanceOf(ErrorMessage.class);
    ErrorMessage error = (ErrorMessage) m;
    assertThat(error.code()).isEqualTo(code);
    assertThat(error.reason()).isNotBlank();
    return error;
  }
}
