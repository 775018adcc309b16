package dev.fovea.protocol.codec;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.FrameType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.value.ValueType;

/**
 * The fields of one body map, read in a single pass. Every key has one type wherever it appears, so
 * the map can be read without knowing the frame type; keys Fovea does not know are skipped so that
 * a newer peer may add fields.
 */
final class Body {
  private final FrameType type;
  private final int length;

  String realm;
  String client;
  String token;
  String sessionId;
  String nodeId;
  Map<String, Long> limits;
  String reason;
  String code;
  String topic;
  byte[] payload;
  Long ackId;
  String pattern;
  Long callId;
  String procedure;
  Long timeoutMs;
  String errorCode;
  String errorReason;
  Long ttlMs;
  Long invocationId;
  Boolean expectsResult;

  private Body(FrameType type, int length) {
    this.type = type;
    this.length = length;
  }

  /** Reads the body map from {@code in}, which holds exactly the {@code length} bytes of a body. */
  static Body read(FrameType type, MessageUnpacker in, int length) throws IOException {
    Body body = new Body(type, length);
    if (!in.hasNext()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY, "the body of " + type + " is empty; it must be a map");
    }
    if (in.getNextFormat().getValueType() != ValueType.MAP) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY,
          "the body of " + type + " must be a map, not " + describe(in.getNextFormat()));
    }
    int entries = in.unpackMapHeader();
    for (int i = 0; i < entries; i++) {
      if (in.getNextFormat().getValueType() != ValueType.STRING) {
        throw new ProtocolException(
            ErrorCode.MALFORMED_BODY, "the keys of a " + type + " body must be strings");
      }
      body.readField(body.utf8("key", in), in);
    }
    if (in.hasNext()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY, "the body of " + type + " has bytes after its map");
    }
    return body;
  }

  private void readField(String key, MessageUnpacker in) throws IOException {
    switch (key) {
      case Fields.REALM -> realm = string(key, in);
      case Fields.CLIENT -> client = string(key, in);
      case Fields.TOKEN -> token = string(key, in);
      case Fields.SESSION_ID -> sessionId = string(key, in);
      case Fields.NODE_ID -> nodeId = string(key, in);
      case Fields.LIMITS -> limits = limitMap(key, in);
      case Fields.REASON -> reason = string(key, in);
      case Fields.CODE -> code = string(key, in);
      case Fields.TOPIC -> topic = string(key, in);
      case Fields.PAYLOAD -> payload = bytes(key, in);
      case Fields.ACK_ID -> ackId = integer(key, in);
      case Fields.PATTERN -> pattern = string(key, in);
      case Fields.CALL_ID -> callId = integer(key, in);
      case Fields.PROCEDURE -> procedure = string(key, in);
      case Fields.TIMEOUT_MS -> timeoutMs = nonNegative(key, integer(key, in));
      case Fields.ERROR -> errorMap(key, in);
      case Fields.TTL_MS -> ttlMs = nonNegative(key, integer(key, in));
      case Fields.INVOCATION_ID -> invocationId = integer(key, in);
      case Fields.EXPECTS_RESULT -> expectsResult = bool(key, in);
      default -> in.skipValue();
    }
  }

  private String string(String key, MessageUnpacker in) throws IOException {
    expect(key, in, ValueType.STRING, "a string");
    return utf8(key, in);
  }

  /**
   * The next string, decoded straight from the body's bytes, malformed UTF-8 replaced as msgpack's
   * {@code unpackString} does. That method sets up a charset decoder and a 16 KiB buffer the first
   * time an unpacker reads a string, and each body has an unpacker of its own: it was most of what
   * a small frame cost to decode.
   */
  private String utf8(String key, MessageUnpacker in) throws IOException {
    int size = present(key, in.unpackRawStringHeader(), in);
    MessageBuffer bytes = in.readPayloadAsReference(size);
    return bytes.hasArray()
        ? new String(bytes.array(), bytes.arrayOffset(), size, StandardCharsets.UTF_8)
        : new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  /** Binary is the payload's type; a string is taken as its UTF-8 bytes, for simple clients. */
  private byte[] bytes(String key, MessageUnpacker in) throws IOException {
    ValueType vt = in.getNextFormat().getValueType();
    if (vt == ValueType.BINARY) {
      return in.readPayload(present(key, in.unpackBinaryHeader(), in));
    }
    if (vt == ValueType.STRING) {
      return in.readPayload(present(key, in.unpackRawStringHeader(), in));
    }
    throw mistyped(key, "binary", in);
  }

  /**
   * Checks a declared size against the bytes left in the body before anything is allocated for it:
   * msgpack allocates the declared size first, so a header claiming 2 GiB in a 20-byte frame would
   * otherwise exhaust the heap.
   */
  private int present(String key, int size, MessageUnpacker in) {
    long left = length - in.getTotalReadBytes();
    if (size > left) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY,
          "field '"
              + key
              + "' of "
              + type
              + " declares "
              + size
              + " bytes but the body has "
              + left
              + " left");
    }
    return size;
  }

  private Long integer(String key, MessageUnpacker in) throws IOException {
    expect(key, in, ValueType.INTEGER, "an integer");
    try {
      return in.unpackLong();
    } catch (MessageIntegerOverflowException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "field '" + key + "' of " + type + " does not fit in 64 bits");
    }
  }

  private Boolean bool(String key, MessageUnpacker in) throws IOException {
    expect(key, in, ValueType.BOOLEAN, "a boolean");
    return in.unpackBoolean();
  }

  private Map<String, Long> limitMap(String key, MessageUnpacker in) throws IOException {
    expect(key, in, ValueType.MAP, "a map");
    int n = in.unpackMapHeader();
    // Not presized from n: a map header may claim a billion entries that the body does not hold.
    Map<String, Long> result = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String name = string(key, in);
      result.put(name, integer(key + "." + name, in));
    }
    return result;
  }

  private void errorMap(String key, MessageUnpacker in) throws IOException {
    expect(key, in, ValueType.MAP, "a map");
    int n = in.unpackMapHeader();
    for (int i = 0; i < n; i++) {
      String name = string(key, in);
      switch (name) {
        case Fields.CODE -> errorCode = string(key + ".code", in);
        case Fields.REASON -> errorReason = string(key + ".reason", in);
        default -> in.skipValue();
      }
    }
    if (errorCode == null) {
      throw missing(key + ".code");
    }
  }

  private Long nonNegative(String key, Long value) {
    if (value < 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD,
          "field '" + key + "' of " + type + " must not be negative, was " + value);
    }
    return value;
  }

  private void expect(String key, MessageUnpacker in, ValueType expected, String what)
      throws IOException {
    if (in.getNextFormat().getValueType() != expected) {
      throw mistyped(key, what, in);
    }
  }

  private ProtocolException mistyped(String key, String what, MessageUnpacker in)
      throws IOException {
    return new ProtocolException(
        ErrorCode.INVALID_FIELD,
        "field '"
            + key
            + "' of "
            + type
            + " must be "
            + what
            + ", not "
            + describe(in.getNextFormat()));
  }

  ProtocolException missing(String key) {
    return new ProtocolException(
        ErrorCode.MISSING_FIELD, type + " is missing its required field '" + key + "'");
  }

  private static String describe(MessageFormat format) {
    return format.getValueType().name().toLowerCase(java.util.Locale.ROOT);
  }

  // Required-field accessors used by the decoder once the map is read.

  String require(String value, String key) {
    if (value == null) {
      throw missing(key);
    }
    return value;
  }

  long require(Long value, String key) {
    if (value == null) {
      throw missing(key);
    }
    return value;
  }

  long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
