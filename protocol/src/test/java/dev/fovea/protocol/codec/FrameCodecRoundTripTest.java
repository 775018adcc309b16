package dev.fovea.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Cast;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.Disconnect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.PubAck;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Reply;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.message.Unadvertise;
import dev.fovea.protocol.message.Unsubscribe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

class FrameCodecRoundTripTest {
  private static final byte[] SMALL = "hello".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LARGE = patterned(900 * 1024);
  private static final byte[] EMPTY = new byte[0];

  private static final Map<String, Long> LIMITS =
      Map.of(
          Connected.Limit.MAX_FRAME_BYTES, 1L << 20,
          Connected.Limit.MAX_TOPIC_LENGTH, 256L,
          Connected.Limit.MAX_TOPIC_DEPTH, 32L,
          Connected.Limit.MAX_SUBSCRIPTIONS, 1000L,
          Connected.Limit.MAX_ADVERTISEMENTS, 100L,
          Connected.Limit.MAX_PENDING_CALLS, 1000L,
          Connected.Limit.IDLE_TIMEOUT_MS, 60_000L,
          Connected.Limit.DEFAULT_CALL_TIMEOUT_MS, 5_000L,
          Connected.Limit.DEFAULT_TTL_MS, 300_000L);

  static Stream<Arguments> messagesOfEveryType() {
    return Stream.of(
        arguments("connect without token", new Connect("com.example.realm", "sensor-7")),
        arguments("connect with token", new Connect("com.example.realm", "sensor-7", "s3cr3t")),
        arguments("connect with a unicode client name", new Connect("realm", "Küche 台所 🍳")),
        arguments("connected without limits", new Connected("s-1", "node-a", Map.of())),
        arguments("connected with limits", new Connected("s-1", "node-a", LIMITS)),
        arguments(
            "connected with extreme limits",
            new Connected("s-1", "node-a", Map.of("min", Long.MIN_VALUE, "max", Long.MAX_VALUE))),
        arguments("disconnect without reason", new Disconnect(null)),
        arguments("disconnect with reason", new Disconnect("shutting down")),
        arguments("disconnect with an empty reason", new Disconnect("")),
        arguments("disconnect with a unicode reason", new Disconnect("au revoir — à bientôt ✓")),
        arguments("ping", Ping.INSTANCE),
        arguments("pong", Pong.INSTANCE),
        arguments("error", new ErrorMessage(ErrorCode.REALM_MISMATCH, "this node serves x")),
        arguments("error with an unknown code", new ErrorMessage("from_the_future", "?")),
        arguments("error with a unicode reason", new ErrorMessage("internal", "échec — 失败")),
        arguments("publish", new Publish("sensor.kitchen.temp", SMALL)),
        arguments("publish with ack id", new Publish("sensor.kitchen.temp", SMALL, 42)),
        arguments("publish with negative ack id", new Publish("a", SMALL, -1)),
        arguments("publish with empty payload", new Publish("a", EMPTY)),
        arguments("publish with large payload", new Publish("bulk.upload", LARGE, 9)),
        arguments("puback", new PubAck(42)),
        arguments("puback with largest id", new PubAck(Long.MAX_VALUE)),
        arguments("subscribe", new Subscribe("sensor.*.temp")),
        arguments("subscribe with multi-segment wildcard", new Subscribe("a.**.z")),
        arguments("unsubscribe", new Unsubscribe("**")),
        arguments("call without timeout", new Call(1, "math.add", SMALL, 0)),
        arguments("call with timeout", new Call(2, "math.add", SMALL, 250)),
        arguments("call with empty payload", new Call(3, "info", EMPTY, 0)),
        arguments("call with large payload", new Call(4, "blob.store", LARGE, 0)),
        arguments("reply success", Reply.ok(1, SMALL)),
        arguments("reply success with empty payload", Reply.ok(1, EMPTY)),
        arguments("reply success with large payload", Reply.ok(1, LARGE)),
        arguments("reply error", Reply.error(1, ErrorCode.NO_PROVIDERS, "nobody serves x")),
        arguments("reply error with empty reason", Reply.error(1, ErrorCode.TIMEOUT, "")),
        arguments("reply error with unicode reason", Reply.error(1, "handler_error", "💥 боль")),
        arguments("cast", new Cast("log.write", SMALL)),
        arguments("cast with empty payload", new Cast("log.write", EMPTY)),
        arguments("advertise without ttl", new Advertise("math.add", 0)),
        arguments("advertise with ttl", new Advertise("math.add", 30_000)),
        arguments("unadvertise", new Unadvertise("math.add")),
        arguments("invoke expecting a result", new Invoke(7, "math.add", SMALL, true)),
        arguments("invoke for a cast", new Invoke(8, "log.write", SMALL, false)),
        arguments("invoke with large payload", new Invoke(9, "blob.store", LARGE, true)),
        arguments("result success", Result.ok(7, SMALL)),
        arguments("result success with empty payload", Result.ok(7, EMPTY)),
        arguments("result success with large payload", Result.ok(7, LARGE)),
        arguments("result error", Result.error(7, ErrorCode.HANDLER_ERROR, "division by zero")),
        arguments("result error with custom code", Result.error(7, "app.denied", "nope")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesOfEveryType")
  void decodingAnEncodedFrameGivesAnEqualMessage(String name, Message message) {
    byte[] frame = FrameCodec.encode(message);

    Message decoded = FrameCodec.decode(frame, FrameLimits.DEFAULT);

    assertThat(decoded).isEqualTo(message).hasSameHashCodeAs(message);
    assertThat(decoded.type()).isEqualTo(message.type());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesOfEveryType")
  void writesVersionTypeZeroFlagsAndTheBigEndianBodyLength(String name, Message message) {
    byte[] frame = FrameCodec.encode(message);

    ByteBuffer header = ByteBuffer.wrap(frame, 0, FrameCodec.HEADER_BYTES);
    assertThat(header.get()).isEqualTo((byte) 1);
    assertThat(header.get() & 0xff).isEqualTo(message.type().code());
    assertThat(header.get()).as("flags").isZero();
    assertThat(header.get()).as("reserved").isZero();
    assertThat(header.getInt()).isEqualTo(frame.length - FrameCodec.HEADER_BYTES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesOfEveryType")
  void writesTheBodyAsOneMessagePackMapWithNothingAfterIt(String name, Message message)
      throws IOException {
    byte[] frame = FrameCodec.encode(message);

    try (MessageUnpacker in =
        MessagePack.newDefaultUnpacker(
            frame, FrameCodec.HEADER_BYTES, frame.length - FrameCodec.HEADER_BYTES)) {
      assertThat(in.unpackValue().isMapValue()).isTrue();
      assertThat(in.hasNext()).isFalse();
    }
  }

  @Test
  void theRoundTripCasesCoverEveryFrameType() {
    Set<FrameType> covered = EnumSet.noneOf(FrameType.class);
    messagesOfEveryType().forEach(a -> covered.add(((Message) a.get()[1]).type()));

    assertThat(covered).containsExactlyInAnyOrder(FrameType.values());
  }

  @ParameterizedTest
  @CsvSource({
    "CONNECT, 0x01",
    "DISCONNECT, 0x02",
    "PING, 0x03",
    "PONG, 0x04",
    "CONNECTED, 0x05",
    "ERROR, 0x06",
    "PUBLISH, 0x10",
    "SUBSCRIBE, 0x11",
    "UNSUBSCRIBE, 0x12",
    "PUBACK, 0x14",
    "CALL, 0x20",
    "REPLY, 0x21",
    "CAST, 0x22",
    "ADVERTISE, 0x26",
    "UNADVERTISE, 0x27",
    "INVOKE, 0x28",
    "RESULT, 0x29",
  })
  void frameTypeCodesMatchTheProtocolReference(FrameType type, String code) {
    assertThat(type.code()).isEqualTo(Integer.decode(code));
    assertThat(FrameType.fromCode(Integer.decode(code))).isSameAs(type);
  }

  @Test
  void everyFrameTypeHasItsOwnCodeAndNoOtherCodeNamesAType() {
    Set<Integer> codes = new HashSet<>();
    for (FrameType type : FrameType.values()) {
      assertThat(codes.add(type.code())).as("code of %s is unique", type).isTrue();
    }

    for (int code = -1; code <= 256; code++) {
      assertThat(FrameType.fromCode(code) != null)
          .as("code %d", code)
          .isEqualTo(codes.contains(code));
    }
    assertThat(FrameType.values()).hasSize(17);
  }

  @Test
  void largePayloadSurvivesByteForByte() {
    Publish decoded =
        (Publish)
            FrameCodec.decode(FrameCodec.encode(new Publish("a", LARGE)), FrameLimits.DEFAULT);

    assertThat(decoded.payload()).hasSize(900 * 1024);
    assertThat(Arrays.mismatch(decoded.payload(), LARGE)).isEqualTo(-1);
  }

  @Test
  void encodingAfterALargePayloadStillProducesExactSmallFrames() {
    FrameCodec.encode(new Publish("a", LARGE));

    byte[] small = FrameCodec.encode(new Publish("a", SMALL));

    assertThat(small)
        .hasSize(FrameCodec.HEADER_BYTES + Frames.body("topic", "a", "payload", SMALL).length);
    assertThat(FrameCodec.decode(small, FrameLimits.DEFAULT)).isEqualTo(new Publish("a", SMALL));
  }

  @Test
  void leavesAbsentOptionalFieldsOutOfTheBody() throws IOException {
    assertThat(keys(new Connect("r", "c"))).containsExactly("realm", "client");
    assertThat(keys(new Connect("r", "c", "t"))).containsExactly("realm", "client", "token");
    assertThat(keys(new Disconnect(null))).isEmpty();
    assertThat(keys(new Disconnect("bye"))).containsExactly("reason");
    assertThat(keys(new Publish("a", SMALL))).containsExactly("topic", "payload");
    assertThat(keys(new Publish("a", SMALL, 3))).containsExactly("topic", "payload", "ack_id");
    assertThat(keys(new Call(1, "p", SMALL, 0))).containsExactly("call_id", "procedure", "payload");
    assertThat(keys(new Call(1, "p", SMALL, 9)))
        .containsExactly("call_id", "procedure", "payload", "timeout_ms");
    assertThat(keys(new Advertise("p", 0))).containsExactly("procedure");
    assertThat(keys(new Advertise("p", 9))).containsExactly("procedure", "ttl_ms");
    assertThat(keys(Reply.ok(1, SMALL))).containsExactly("call_id", "payload");
    assertThat(keys(Reply.error(1, "timeout", "slow"))).containsExactly("call_id", "error");
    assertThat(keys(Result.ok(1, SMALL))).containsExactly("invocation_id", "payload");
    assertThat(keys(new Invoke(1, "p", SMALL, false)))
        .containsExactly("invocation_id", "procedure", "payload", "expects_result");
  }

  /** The frames shown in docs/PROTOCOL.md; if this fails, the document is wrong. */
  @Test
  void encodesTheDocumentedExampleFramesByteForByte() {
    byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);

    assertThat(hex(Ping.INSTANCE)).isEqualTo("01 03 00 00 00 00 00 01 80");
    assertThat(hex(Pong.INSTANCE)).isEqualTo("01 04 00 00 00 00 00 01 80");
    assertThat(hex(new Publish("room.a", hi, 1)))
        .isEqualTo(
            "01 10 00 00 00 00 00 22 83 a5 74 6f 70 69 63 a6 72 6f 6f 6d 2e 61 a7 70 61 79 6c 6f"
                + " 61 64 c4 02 68 69 a6 61 63 6b 5f 69 64 01");
    assertThat(hex(new PubAck(1))).isEqualTo("01 14 00 00 00 00 00 09 81 a6 61 63 6b 5f 69 64 01");
    assertThat(hex(new Publish("room.a", hi)))
        .isEqualTo(
            "01 10 00 00 00 00 00 1a 82 a5 74 6f 70 69 63 a6 72 6f 6f 6d 2e 61 a7 70 61 79 6c 6f"
                + " 61 64 c4 02 68 69");
  }

  @Test
  void ignoresFlagsAndReservedBytesOnReceipt() {
    Message message = new Publish("a.b", SMALL, 5);
    byte[] frame = FrameCodec.encode(message);
    frame[2] = (byte) 0xff;
    frame[3] = (byte) 0x5a;

    assertThat(FrameCodec.decode(frame, FrameLimits.DEFAULT)).isEqualTo(message);
  }

  static Stream<Arguments> messagesWithNonAsciiNames() {
    return Stream.of(
        arguments(new Publish("température.salon", SMALL), ErrorCode.INVALID_TOPIC),
        arguments(new Publish("sensor.ünit", SMALL, 1), ErrorCode.INVALID_TOPIC),
        arguments(new Subscribe("sensor.*.température"), ErrorCode.INVALID_PATTERN),
        arguments(new Unsubscribe("**.日本"), ErrorCode.INVALID_PATTERN),
        arguments(new Call(1, "math.ädd", SMALL, 0), ErrorCode.INVALID_PROCEDURE),
        arguments(new Cast("log.wrïte", SMALL), ErrorCode.INVALID_PROCEDURE),
        arguments(new Advertise("math.ädd", 0), ErrorCode.INVALID_PROCEDURE),
        arguments(new Unadvertise("math.ädd"), ErrorCode.INVALID_PROCEDURE),
        arguments(new Invoke(1, "math.ädd", SMALL, true), ErrorCode.INVALID_PROCEDURE));
  }

  @ParameterizedTest
  @MethodSource("messagesWithNonAsciiNames")
  void encodesNonAsciiNamesButRefusesThemOnDecoding(Message message, ErrorCode expected) {
    byte[] frame = FrameCodec.encode(message);

    assertThatThrownBy(() -> FrameCodec.decode(frame, FrameLimits.DEFAULT))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(expected);
              assertThat(e.reason()).contains("outside [A-Za-z0-9_-]");
            });
  }

  @Test
  void refusesAFrameShorterThanAHeader() {
    assertThatThrownBy(() -> FrameCodec.decode(new byte[] {1, 3, 0, 0, 0}, FrameLimits.DEFAULT))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_BODY));
  }

  @Test
  void refusesAFrameWhoseHeaderLengthDisagreesWithItsBody() {
    byte[] frame = FrameCodec.encode(new Publish("a", SMALL));
    byte[] longer = Arrays.copyOf(frame, frame.length + 1);
    byte[] shorter = Arrays.copyOf(frame, frame.length - 1);

    for (byte[] wrong : List.of(longer, shorter)) {
      assertThatThrownBy(() -> FrameCodec.decode(wrong, FrameLimits.DEFAULT))
          .isInstanceOfSatisfying(
              ProtocolException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_BODY);
                assertThat(e.reason()).contains("states a body of");
              });
    }
  }

  private static List<String> keys(Message message) throws IOException {
    byte[] frame = FrameCodec.encode(message);
    try (MessageUnpacker in =
        MessagePack.newDefaultUnpacker(
            frame, FrameCodec.HEADER_BYTES, frame.length - FrameCodec.HEADER_BYTES)) {
      List<String> keys = new ArrayList<>();
      for (int n = in.unpackMapHeader(); n > 0; n--) {
        keys.add(in.unpackString());
        in.skipValue();
      }
      return keys;
    }
  }

  private static String hex(Message message) {
    return HexFormat.ofDelimiter(" ").formatHex(FrameCodec.encode(message));
  }

  private static byte[] patterned(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 8));
    }
    return bytes;
  }
}
