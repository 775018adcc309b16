package dev.fovea.protocol.codec;

import static dev.fovea.protocol.codec.Frames.body;
import static dev.fovea.protocol.codec.Frames.concat;
import static dev.fovea.protocol.codec.Frames.frame;
import static dev.fovea.protocol.codec.Frames.header;
import static dev.fovea.protocol.codec.Frames.packed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.Disconnect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Reply;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.topic.TopicLimits;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

class FrameDecoderTest {
  private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

  private static final List<Message> SESSION =
      List.of(
          new Connect("com.example.realm", "client-1", "token"),
          new Connected("s-1", "node-a", Map.of(Connected.Limit.MAX_FRAME_BYTES, 1L << 20)),
          new Subscribe("sensor.**"),
          new Publish("sensor.kitchen.temp", PAYLOAD, 3),
          Ping.INSTANCE,
          Pong.INSTANCE,
          new Call(17, "math.add", new byte[0], 250),
          Reply.error(17, ErrorCode.NO_PROVIDERS, "nobody serves math.add"),
          new Advertise("math.add", 0),
          new Invoke(5, "math.add", PAYLOAD, true),
          Result.ok(5, PAYLOAD),
          new Disconnect("bye"));

  private static final byte[] STREAM = Frames.encodeAll(SESSION);

  private final FrameDecoder decoder = new FrameDecoder(FrameLimits.DEFAULT);

  @Test
  void decodesAStreamSplitInTwoAtEveryByteOffset() {
    for (int split = 0; split <= STREAM.length; split++) {
      FrameDecoder fresh = new FrameDecoder(FrameLimits.DEFAULT);
      List<Message> decoded = new ArrayList<>(fresh.feed(Arrays.copyOfRange(STREAM, 0, split)));
      assertThat(fresh.buffered()).as("buffered after %d bytes", split).isLessThanOrEqualTo(split);

      decoded.addAll(fresh.feed(Arrays.copyOfRange(STREAM, split, STREAM.length)));

      assertThat(decoded).as("split at %d", split).isEqualTo(SESSION);
      assertThat(fresh.buffered()).isZero();
    }
  }

  @Test
  void decodesAStreamFedOneByteAtATime() {
    List<Message> decoded = new ArrayList<>();
    for (byte b : STREAM) {
      decoded.addAll(decoder.feed(new byte[] {b}));
    }

    assertThat(decoded).isEqualTo(SESSION);
    assertThat(decoder.buffered()).isZero();
  }

  @Test
  void decodesEveryFrameOfAStreamGivenInOneChunk() {
    assertThat(decoder.feed(STREAM)).isEqualTo(SESSION);
    assertThat(decoder.buffered()).isZero();
  }

  @Test
  void holdsNoBufferWhileWholeFramesArriveAndDropsALargeOneOnceItIsDecoded() {
    decoder.feed(STREAM);
    assertThat(decoder.capacity()).as("whole frames are read in place").isZero();

    byte[] large = FrameCodec.encode(new Publish("a", new byte[100_000]));
    decoder.feed(Arrays.copyOfRange(large, 0, 50_000));
    assertThat(decoder.capacity()).isGreaterThanOrEqualTo(50_000);
    assertThat(decoder.feed(Arrays.copyOfRange(large, 50_000, large.length))).hasSize(1);

    assertThat(decoder.capacity()).as("the buffer of the large frame is let go").isZero();
  }

  @Test
  void countsTheBytesOfAnIncompleteFrameAsBuffered() {
    byte[] frame = FrameCodec.encode(new Publish("a", PAYLOAD));

    assertThat(decoder.feed(Arrays.copyOf(frame, 5))).isEmpty();
    assertThat(decoder.buffered()).isEqualTo(5);
    assertThat(decoder.feed(Arrays.copyOfRange(frame, 5, frame.length - 1))).isEmpty();
    assertThat(decoder.buffered()).isEqualTo(frame.length - 1);
    assertThat(decoder.feed(new byte[] {frame[frame.length - 1]}))
        .containsExactly(new Publish("a", PAYLOAD));
    assertThat(decoder.buffered()).isZero();
  }

  @Test
  void readsFromTheBufferPositionAndConsumesTheWholeBuffer() {
    ByteBuffer chunk = ByteBuffer.allocateDirect(STREAM.length + 10);
    chunk.put(new byte[10]).put(STREAM).flip().position(10);
    List<Message> decoded = new ArrayList<>();

    decoder.feed(chunk.asReadOnlyBuffer(), decoded::add);

    assertThat(decoded).isEqualTo(SESSION);
  }

  @Test
  void acceptsABodyExactlyAtTheDefaultLimit() {
    byte[] frame = publishWithBodyOf(FrameLimits.DEFAULT_MAX_BODY_BYTES);

    List<Message> decoded = decoder.feed(frame);

    assertThat(decoded).hasSize(1);
    assertThat(((Publish) decoded.get(0)).payload()).hasSizeGreaterThan(1_000_000);
  }

  @Test
  void refusesABodyOneByteOverTheLimitFromTheHeaderAlone() {
    byte[] frame = publishWithBodyOf(FrameLimits.DEFAULT_MAX_BODY_BYTES + 1);
    byte[] headerOnly = Arrays.copyOf(frame, FrameCodec.HEADER_BYTES);

    assertRefused(() -> decoder.feed(headerOnly), ErrorCode.FRAME_TOO_LARGE)
        .contains("1048577 bytes", "limit of 1048576");
    assertThat(decoder.buffered()).isLessThanOrEqualTo(FrameCodec.HEADER_BYTES);
  }

  @Test
  void appliesAConfiguredBodyLimit() {
    FrameDecoder small = new FrameDecoder(new FrameLimits(100, TopicLimits.DEFAULT));

    assertThat(small.feed(publishWithBodyOf(100))).hasSize(1);
    assertRefused(() -> small.feed(header(FrameType.PING, 101)), ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void readsTheLengthAsUnsigned() {
    byte[] header = header(FrameType.PUBLISH, 0xffff_ffffL);

    assertRefused(() -> decoder.feed(header), ErrorCode.FRAME_TOO_LARGE).contains("4294967295");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 3, 0x10, 0xff})
  void refusesAnyVersionButOne(int version) {
    byte[] frame = frame(version, FrameType.PING.code(), body());

    assertRefused(() -> decoder.feed(frame), ErrorCode.UNSUPPORTED_VERSION)
        .contains("version " + version);
  }

  static IntStream unknownTypeCodes() {
    return IntStream.range(0, 256).filter(code -> FrameType.fromCode(code) == null);
  }

  @ParameterizedTest
  @MethodSource("unknownTypeCodes")
  void refusesATypeCodeNoFrameTypeHas(int code) {
    byte[] frame = frame(FrameCodec.VERSION, code, body());

    assertRefused(() -> decoder.feed(frame), ErrorCode.UNKNOWN_TYPE)
        .contains(String.format("0x%02x", code));
  }

  static Stream<Arguments> bodiesThatAreNotMaps() {
    return Stream.of(
        arguments("empty", new byte[0]),
        arguments("array", packed(out -> out.packArrayHeader(1).packString("topic"))),
        arguments("integer", packed(out -> out.packInt(7))),
        arguments("string", packed(out -> out.packString("topic"))),
        arguments("nil", packed(out -> out.packNil())),
        arguments("truncated map", Arrays.copyOf(body("topic", "a", "payload", PAYLOAD), 9)),
        arguments(
            "map with an integer key", packed(out -> out.packMapHeader(1).packInt(1).packInt(2))),
        arguments("reserved byte 0xc1", new byte[] {(byte) 0xc1}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodiesThatAreNotMaps")
  void refusesABodyThatIsNotOneMap(String name, byte[] body) {
    assertRefused(() -> decoder.feed(frame(FrameType.PUBLISH, body)), ErrorCode.MALFORMED_BODY)
        .contains("PUBLISH");
  }

  @Test
  void refusesBytesAfterTheBodyMap() {
    byte[] body = concat(body("topic", "a", "payload", PAYLOAD), packed(out -> out.packInt(0)));

    assertRefused(() -> decoder.feed(frame(FrameType.PUBLISH, body)), ErrorCode.MALFORMED_BODY)
        .contains("bytes after its map");
  }

  static Stream<Arguments> bodiesMissingARequiredField() {
    return Stream.of(
        arguments(FrameType.CONNECT, body("client", "c"), "realm"),
        arguments(FrameType.CONNECT, body("realm", "r", "token", "t"), "client"),
        arguments(FrameType.CONNECTED, body("node_id", "n"), "session_id"),
        arguments(FrameType.CONNECTED, body("session_id", "s", "limits", Map.of()), "node_id"),
        arguments(FrameType.ERROR, body("reason", "why"), "code"),
        arguments(FrameType.PUBLISH, body("payload", PAYLOAD, "ack_id", 1), "topic"),
        arguments(FrameType.PUBACK, body(), "ack_id"),
        arguments(FrameType.SUBSCRIBE, body("topic", "a"), "pattern"),
        arguments(FrameType.UNSUBSCRIBE, body(), "pattern"),
        arguments(FrameType.CALL, body("procedure", "p", "payload", PAYLOAD), "call_id"),
        arguments(FrameType.CALL, body("call_id", 1, "payload", PAYLOAD), "procedure"),
        arguments(FrameType.REPLY, body("payload", PAYLOAD), "call_id"),
        arguments(
            FrameType.REPLY, body("call_id", 1, "error", Map.of("reason", "r")), "error.code"),
        arguments(FrameType.CAST, body("payload", PAYLOAD), "procedure"),
        arguments(FrameType.ADVERTISE, body("ttl_ms", 10), "procedure"),
        arguments(FrameType.UNADVERTISE, body(), "procedure"),
        arguments(FrameType.INVOKE, body("procedure", "p", "payload", PAYLOAD), "invocation_id"),
        arguments(FrameType.INVOKE, body("invocation_id", 1), "procedure"),
        arguments(FrameType.RESULT, body("payload", PAYLOAD), "invocation_id"));
  }

  @ParameterizedTest(name = "{0} without {2}")
  @MethodSource("bodiesMissingARequiredField")
  void refusesABodyMissingARequiredFieldNamingIt(FrameType type, byte[] body, String field) {
    assertRefused(() -> decoder.feed(frame(type, body)), ErrorCode.MISSING_FIELD)
        .isEqualTo(type + " is missing its required field '" + field + "'");
  }

  static Stream<Arguments> bodiesWithAMistypedField() {
    return Stream.of(
        arguments(FrameType.PUBLISH, body("topic", 12, "payload", PAYLOAD), "topic"),
        arguments(FrameType.PUBLISH, body("topic", "a", "payload", 12), "payload"),
        arguments(FrameType.PUBLISH, body("topic", "a", "payload", List.of()), "payload"),
        arguments(FrameType.PUBLISH, body("topic", "a", "ack_id", "1"), "ack_id"),
        arguments(FrameType.PUBLISH, body("topic", "a", "ack_id", 1.5), "ack_id"),
        arguments(FrameType.CALL, body("call_id", "17", "procedure", "p"), "call_id"),
        arguments(
            FrameType.CALL, body("call_id", 1, "procedure", "p", "timeout_ms", -1), "timeout_ms"),
        arguments(
            FrameType.CALL, body("call_id", 1, "procedure", "p", "timeout_ms", true), "timeout_ms"),
        arguments(FrameType.CONNECT, body("realm", "r", "client", "c", "token", 5), "token"),
        arguments(
            FrameType.CONNECTED, body("session_id", "s", "node_id", "n", "limits", 5), "limits"),
        arguments(
            FrameType.CONNECTED,
            body("session_id", "s", "node_id", "n", "limits", Map.of("max_frame_bytes", "big")),
            "limits.max_frame_bytes"),
        arguments(FrameType.SUBSCRIBE, body("pattern", PAYLOAD), "pattern"),
        arguments(FrameType.ADVERTISE, body("procedure", "p", "ttl_ms", -5), "ttl_ms"),
        arguments(FrameType.REPLY, body("call_id", 1, "error", "timeout"), "error"),
        arguments(FrameType.REPLY, body("call_id", 1, "error", Map.of("code", 3)), "error.code"),
        arguments(
            FrameType.INVOKE,
            body("invocation_id", 1, "procedure", "p", "expects_result", 1),
            "expects_result"),
        arguments(FrameType.RESULT, body("invocation_id", null), "invocation_id"),
        arguments(FrameType.PUBACK, body("ack_id", List.of(1)), "ack_id"));
  }

  @ParameterizedTest(name = "{0} with a mistyped {2}")
  @MethodSource("bodiesWithAMistypedField")
  void refusesAMistypedFieldNamingIt(FrameType type, byte[] body, String field) {
    assertRefused(() -> decoder.feed(frame(type, body)), ErrorCode.INVALID_FIELD)
        .startsWith("field '" + field + "' of " + type);
  }

  @Test
  void refusesAnIntegerThatDoesNotFitInSixtyFourBits() {
    byte[] body =
        packed(
            out ->
                out.packMapHeader(1)
                    .packString("ack_id")
                    .packBigInteger(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)));

    assertRefused(() -> decoder.feed(frame(FrameType.PUBACK, body)), ErrorCode.INVALID_FIELD)
        .contains("'ack_id'", "64 bits");
  }

  @Test
  void ignoresFieldsItDoesNotKnow() {
    byte[] body =
        body(
            "future_flag",
            true,
            "topic",
            "a.b",
            "nested",
            Map.of("x", List.of(1, "two", PAYLOAD, Map.of())),
            "payload",
            PAYLOAD,
            "nothing",
            null,
            "ratio",
            0.5,
            "ack_id",
            9);

    assertThat(decoder.feed(frame(FrameType.PUBLISH, body)))
        .containsExactly(new Publish("a.b", PAYLOAD, 9));
  }

  @Test
  void ignoresUnknownKeysInsideTheErrorMap() {
    byte[] body =
        body("call_id", 4, "error", Map.of("code", "timeout", "reason", "slow", "retry_in", 10));

    assertThat(decoder.feed(frame(FrameType.REPLY, body)))
        .containsExactly(Reply.error(4, ErrorCode.TIMEOUT, "slow"));
  }

  @Test
  void takesAPayloadSentAsAStringAsItsUtf8Bytes() {
    byte[] body = body("topic", "chat.room", "payload", "héllo ✓");

    assertThat(decoder.feed(frame(FrameType.PUBLISH, body)))
        .containsExactly(new Publish("chat.room", "héllo ✓".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void replacesMalformedUtf8InAStringAsMsgpackDoes() throws Exception {
    byte[] malformed = {'f', (byte) 0xc3, '(', (byte) 0xff};
    byte[] body =
        packed(
            out -> {
              out.packMapHeader(2);
              out.packString("code");
              out.packString("internal");
              out.packString("reason");
              out.packRawStringHeader(malformed.length);
              out.writePayload(malformed);
            });
    String asMsgpackReadsIt;
    try (MessageUnpacker in =
        MessagePack.newDefaultUnpacker(
            packed(
                out -> {
                  out.packRawStringHeader(malformed.length);
                  out.writePayload(malformed);
                }))) {
      asMsgpackReadsIt = in.unpackString();
    }

    assertThat(decoder.feed(frame(FrameType.ERROR, body)))
        .containsExactly(new ErrorMessage("internal", asMsgpackReadsIt));
    assertThat(asMsgpackReadsIt).contains("\ufffd");
  }

  @Test
  void givesAbsentOptionalFieldsTheirDefaults() {
    byte[] stream =
        concat(
            frame(FrameType.CONNECT, body("realm", "r", "client", "c")),
            frame(FrameType.CONNECTED, body("session_id", "s", "node_id", "n")),
            frame(FrameType.DISCONNECT, body()),
            frame(FrameType.ERROR, body("code", "internal")),
            frame(FrameType.PUBLISH, body("topic", "a")),
            frame(FrameType.CALL, body("call_id", 1, "procedure", "p")),
            frame(FrameType.REPLY, body("call_id", 1)),
            frame(FrameType.REPLY, body("call_id", 2, "error", Map.of("code", "timeout"))),
            frame(FrameType.ADVERTISE, body("procedure", "p")),
            frame(FrameType.INVOKE, body("invocation_id", 3, "procedure", "p")));

    assertThat(decoder.feed(stream))
        .containsExactly(
            new Connect("r", "c", null),
            new Connected("s", "n", Map.of()),
            new Disconnect(null),
            new ErrorMessage("internal", ""),
            new Publish("a", new byte[0], 0),
            new Call(1, "p", new byte[0], 0),
            Reply.ok(1, new byte[0]),
            Reply.error(2, "timeout", ""),
            new Advertise("p", 0),
            new Invoke(3, "p", new byte[0], true));
  }

  @Test
  void refusesAPayloadLengthBeyondTheBodyWithoutAllocatingIt() {
    byte[] body =
        packed(
            out ->
                out.packMapHeader(2)
                    .packString("topic")
                    .packString("a")
                    .packString("payload")
                    .packBinaryHeader(Integer.MAX_VALUE));

    assertRefused(() -> decoder.feed(frame(FrameType.PUBLISH, body)), ErrorCode.MALFORMED_BODY)
        .contains("'payload'", "2147483647 bytes");
  }

  @Test
  void refusesAStringPayloadLengthBeyondTheBodyWithoutAllocatingIt() {
    byte[] body =
        packed(
            out ->
                out.packMapHeader(1).packString("payload").packRawStringHeader(Integer.MAX_VALUE));

    assertRefused(() -> decoder.feed(frame(FrameType.CAST, body)), ErrorCode.MALFORMED_BODY);
  }

  @Test
  void refusesALimitsMapClaimingMoreEntriesThanTheBodyHolds() {
    byte[] body =
        packed(
            out ->
                out.packMapHeader(3)
                    .packString("session_id")
                    .packString("s")
                    .packString("node_id")
                    .packString("n")
                    .packString("limits")
                    .packMapHeader(0x3fff_ffff)
                    .packString("max_frame_bytes")
                    .packInt(1));

    assertRefused(() -> decoder.feed(frame(FrameType.CONNECTED, body)), ErrorCode.MALFORMED_BODY);
  }

  @Test
  void staysFailedAfterARefusalAndThrowsTheSameError() {
    ProtocolException first =
        catchProtocolException(() -> decoder.feed(frame(9, FrameType.PING.code(), body())));

    ProtocolException again = catchProtocolException(() -> decoder.feed(STREAM));
    ProtocolException viaBuffer =
        catchProtocolException(() -> decoder.feed(ByteBuffer.allocate(0), m -> {}));

    assertThat(first.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    assertThat(again).isSameAs(first);
    assertThat(viaBuffer).isSameAs(first);
  }

  @Test
  void deliversTheFramesBeforeARefusedOneInTheSameChunk() {
    byte[] chunk =
        concat(
            FrameCodec.encode(new Subscribe("a.*")),
            FrameCodec.encode(new Publish("a.b", PAYLOAD)),
            frame(FrameType.PUBLISH, body("topic", 5)),
            FrameCodec.encode(Ping.INSTANCE));
    List<Message> delivered = new ArrayList<>();

    assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(chunk), delivered::add))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD));
    assertThat(delivered).containsExactly(new Subscribe("a.*"), new Publish("a.b", PAYLOAD));
  }

  @Test
  void refusesAnInvalidTopicWithTheTopicCode() {
    byte[] frame = frame(FrameType.PUBLISH, body("topic", "a..b", "payload", PAYLOAD));

    assertRefused(() -> decoder.feed(frame), ErrorCode.INVALID_TOPIC).contains("\"a..b\"");
  }

  @Test
  void refusesATopicOverTheConfiguredLengthOrDepth() {
    FrameLimits strict = new FrameLimits(4096, new TopicLimits(8, 2));

    assertRefused(
            () ->
                new FrameDecoder(strict).feed(FrameCodec.encode(new Publish("abcdefghi", PAYLOAD))),
            ErrorCode.INVALID_TOPIC)
        .contains("9 characters, over the limit of 8");
    assertRefused(
            () -> new FrameDecoder(strict).feed(FrameCodec.encode(new Subscribe("a.b.c"))),
            ErrorCode.INVALID_PATTERN)
        .contains("3 segments, over the limit of 2");
  }

  @Test
  void emptiesItsBufferAfterABigFrameAndKeepsDecoding() {
    byte[] big = FrameCodec.encode(new Publish("bulk", new byte[900 * 1024]));
    List<Message> decoded = new ArrayList<>();
    for (int at = 0; at < big.length; at += 64 * 1024) {
      decoded.addAll(
          decoder.feed(Arrays.copyOfRange(big, at, Math.min(big.length, at + 64 * 1024))));
    }

    assertThat(decoded).hasSize(1);
    assertThat(decoder.buffered()).isZero();
    assertThat(decoder.feed(STREAM)).isEqualTo(SESSION);
    assertThat(decoder.buffered()).isZero();
  }

  /** A PUBLISH frame whose body is exactly {@code bodyBytes} long. */
  private static byte[] publishWithBodyOf(int bodyBytes) {
    int payload = bodyBytes;
    for (int attempt = 0; attempt < 4; attempt++) {
      byte[] frame = FrameCodec.encode(new Publish("t", new byte[payload]));
      int body = frame.length - FrameCodec.HEADER_BYTES;
      if (body == bodyBytes) {
        return frame;
      }
      payload += bodyBytes - body;
    }
    throw new AssertionError("no PUBLISH body is exactly " + bodyBytes + " bytes");
  }

  private static AbstractStringAssert<?> assertRefused(ThrowingCallable call, ErrorCode code) {
    ProtocolException e = catchProtocolException(call);
    assertThat(e.code()).as("code of %s", e).isEqualTo(code);
    return assertThat(e.reason());
  }

  private static ProtocolException catchProtocolException(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ProtocolException.class);
    return (ProtocolException) thrown;
  }
}
