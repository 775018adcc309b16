package dev.fovea.bench;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.topic.TopicLimits;
import dev.fovea.protocol.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Consumer;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * macula's way of reading a PUBLISH, for comparison with {@code FrameDecoder}: the body is unpacked
 * into a generic tree of values (msgpack-erlang's {@code unpack} with maps), and the fields are
 * then looked up in that map by key, as {@code maps:get(<<"topic">>, Body)} does. Every key, string
 * and binary of the body becomes an object before the message is built.
 *
 * <p>Only PUBLISH is understood, and header checks are the minimum: enough for a fair comparison,
 * not a decoder to use.
 */
final class NaiveMapDecoder {
  private static final Value TOPIC = ValueFactory.newString("topic");
  private static final Value PAYLOAD = ValueFactory.newString("payload");
  private static final Value ACK_ID = ValueFactory.newString("ack_id");

  private NaiveMapDecoder() {}

  /** Decodes one whole frame, header included. */
  static Publish decode(byte[] frame) {
    return decodeBody(frame, 0, checkHeader(frame, 0));
  }

  /**
   * Splits a buffer holding whole frames back to back, as macula's client loop does with a binary
   * match on the header, and decodes each. Frames are read in place: nothing is copied into a
   * reassembly buffer, which flatters this side a little against {@code FrameDecoder}.
   */
  static void decodeAll(byte[] stream, Consumer<? super Publish> sink) {
    int at = 0;
    while (at < stream.length) {
      int length = checkHeader(stream, at);
      sink.accept(decodeBody(stream, at, length));
      at += FrameCodec.HEADER_BYTES + length;
    }
  }

  private static int checkHeader(byte[] buf, int at) {
    if (buf[at] != FrameCodec.VERSION || (buf[at + 1] & 0xff) != FrameType.PUBLISH.code()) {
      throw new IllegalArgumentException("not a version 1 PUBLISH frame at offset " + at);
    }
    return ((buf[at + 4] & 0xff) << 24)
        | ((buf[at + 5] & 0xff) << 16)
        | ((buf[at + 6] & 0xff) << 8)
        | (buf[at + 7] & 0xff);
  }

  private static Publish decodeBody(byte[] buf, int frameStart, int length) {
    Map<Value, Value> body;
    try (MessageUnpacker in =
        MessagePack.newDefaultUnpacker(buf, frameStart + FrameCodec.HEADER_BYTES, length)) {
      body = in.unpackValue().asMapValue().map();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    String topic = body.get(TOPIC).asStringValue().asString();
    // The same validation Fovea's decoder applies, so that both sides do the same work.
    Topics.validateTopic(topic, TopicLimits.DEFAULT);
    byte[] payload = body.get(PAYLOAD).asBinaryValue().asByteArray();
    Value ackId = body.get(ACK_ID);
    return new Publish(topic, payload, ackId == null ? 0 : ackId.asIntegerValue().asLong());
  }
}
