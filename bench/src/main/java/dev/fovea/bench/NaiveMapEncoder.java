package dev.fovea.bench;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Publish;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * macula's way of writing a PUBLISH, for comparison with {@code FrameCodec.encode}: the body is
 * first built as a generic map of values ({@code #{<<"topic">> => Topic, ...}}), packed as a whole
 * ({@code msgpack:pack/1}), and the header is then put in front of the packed body, which copies it
 * once more ({@code <<Header/binary, Body/binary>>}).
 *
 * <p>The packer is kept per thread, as Fovea keeps its own, so that the comparison is about the
 * value tree and the extra copy, not about allocating a packer buffer. Only PUBLISH is written.
 */
final class NaiveMapEncoder {
  private static final Value TOPIC = ValueFactory.newString("topic");
  private static final Value PAYLOAD = ValueFactory.newString("payload");
  private static final Value ACK_ID = ValueFactory.newString("ack_id");

  private static final ThreadLocal<MessageBufferPacker> PACKERS =
      ThreadLocal.withInitial(MessagePack::newDefaultBufferPacker);

  private NaiveMapEncoder() {}

  /** The whole frame, header included. */
  static byte[] encode(Publish publish) {
    Map<Value, Value> body = new LinkedHashMap<>();
    body.put(TOPIC, ValueFactory.newString(publish.topic()));
    body.put(PAYLOAD, ValueFactory.newBinary(publish.payload()));
    if (publish.wantsAck()) {
      body.put(ACK_ID, ValueFactory.newInteger(publish.ackId()));
    }

    byte[] packed;
    MessageBufferPacker packer = PACKERS.get();
    packer.clear();
    try {
      packer.packValue(ValueFactory.newMap(body));
      packed = packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    byte[] frame = new byte[FrameCodec.HEADER_BYTES + packed.length];
    frame[0] = (byte) FrameCodec.VERSION;
    frame[1] = (byte) FrameType.PUBLISH.code();
    frame[4] = (byte) (packed.length >>> 24);
    frame[5] = (byte) (packed.length >>> 16);
    frame[6] = (byte) (packed.length >>> 8);
    frame[7] = (byte) packed.length;
    System.arraycopy(packed, 0, frame, FrameCodec.HEADER_BYTES, packed.length);
    return frame;
  }
}
