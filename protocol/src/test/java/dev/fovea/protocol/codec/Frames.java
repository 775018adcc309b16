package dev.fovea.protocol.codec;

import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/** Hand-built frames and bodies, for input the encoder would never produce. */
final class Frames {
  private Frames() {}

  /** Writes raw MessagePack; lets a test build a body that is not a well-formed map. */
  @FunctionalInterface
  interface Packing {
    void writeTo(MessagePacker out) throws IOException;
  }

  static byte[] header(int version, int typeCode, long bodyLength) {
    return new byte[] {
      (byte) version,
      (byte) typeCode,
      0,
      0,
      (byte) (bodyLength >>> 24),
      (byte) (bodyLength >>> 16),
      (byte) (bodyLength >>> 8),
      (byte) bodyLength
    };
  }

  static byte[] header(FrameType type, long bodyLength) {
    return header(FrameCodec.VERSION, type.code(), bodyLength);
  }

  static byte[] frame(FrameType type, byte[] body) {
    return concat(header(type, body.length), body);
  }

  static byte[] frame(int version, int typeCode, byte[] body) {
    return concat(header(version, typeCode, body.length), body);
  }

  static byte[] packed(Packing packing) {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      packing.writeTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A body map from alternating keys and values. Values may be strings, integers, booleans, byte
   * arrays (packed as binary), maps, lists or null.
   */
  static byte[] body(Object... keysAndValues) {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return packed(out -> pack(out, map));
  }

  static void pack(MessagePacker out, Object value) throws IOException {
    if (value == null) {
      out.packNil();
    } else if (value instanceof String s) {
      out.packString(s);
    } else if (value instanceof Integer i) {
      out.packInt(i);
    } else if (value instanceof Long l) {
      out.packLong(l);
    } else if (value instanceof Boolean b) {
      out.packBoolean(b);
    } else if (value instanceof Double d) {
      out.packDouble(d);
    } else if (value instanceof byte[] bytes) {
      out.packBinaryHeader(bytes.length);
      out.writePayload(bytes);
    } else if (value instanceof Map<?, ?> map) {
      out.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        pack(out, e.getKey());
        pack(out, e.getValue());
      }
    } else if (value instanceof List<?> list) {
      out.packArrayHeader(list.size());
      for (Object element : list) {
        pack(out, element);
      }
    } else {
      throw new IllegalArgumentException("cannot pack " + value.getClass());
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] encodeAll(List<? extends Message> messages) {
    return concat(messages.stream().map(FrameCodec::encode).toArray(byte[][]::new));
  }
}
