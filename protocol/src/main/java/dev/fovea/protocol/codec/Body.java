package dev.fovea.protocol.codec;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.codec.MsgpackReader.Kind;
import dev.fovea.protocol.message.FrameType;
import java.util.HashMap;
import java.util.Map;

/**
 * The fields of one body map, read in a single pass. Every key has one type wherever it appears, so
 * the map can be read without knowing the frame type; keys Fovea does not know are skipped so that
 * a newer peer may add fields.
 */
final class Body {
  private final FrameType type;

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

  private Body(FrameType type) {
    this.type = type;
  }

  /** Reads the body map from {@code in}, which holds exactly the bytes of one body. */
  static Body read(FrameType type, MsgpackReader in) {
    Body body = new Body(type);
    if (!in.hasNext()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY, "the body of " + type + " is empty; it must be a map");
    }
    if (in.nextKind() != Kind.MAP) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY,
          "the body of " + type + " must be a map, not " + in.nextKind().describe());
    }
    int entries = in.readMapHeader();
    for (int i = 0; i < entries; i++) {
      if (in.nextKind() != Kind.STRING) {
        throw new ProtocolException(
            ErrorCode.MALFORMED_BODY, "the keys of a " + type + " body must be strings");
      }
      String key = Fields.readKey(in);
      if (key == null) {
        in.skipValue(); // a field of a newer protocol
      } else {
        body.readField(key, in);
      }
    }
    if (in.hasNext()) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_BODY, "the body of " + type + " has bytes after its map");
    }
    return body;
  }

  private void readField(String key, MsgpackReader in) {
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
      default -> throw new AssertionError("a key of Fields is not read: " + key);
    }
  }

  private String string(String key, MsgpackReader in) {
    expect(key, in, Kind.STRING, "a string");
    return in.readString();
  }

  /** Binary is the payload's type; a string is taken as its UTF-8 bytes, for simple clients. */
  private byte[] bytes(String key, MsgpackReader in) {
    Kind kind = in.nextKind();
    if (kind == Kind.BINARY) {
      return in.readBytes(present(key, in.readBinaryHeader(), in));
    }
    if (kind == Kind.STRING) {
      return in.readBytes(present(key, in.readStringHeader(), in));
    }
    throw mistyped(key, "binary", in);
  }

  /**
   * Checks a declared size against the bytes left in the body before anything is allocated for it,
   * so that a header claiming 2 GiB in a 20-byte frame is refused with a reason that names it.
   */
  private int present(String key, int size, MsgpackReader in) {
    long left = in.remaining();
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

  private Long integer(String key, MsgpackReader in) {
    expect(key, in, Kind.INTEGER, "an integer");
    try {
      return in.readLong();
    } catch (MsgpackReader.Overflow e) {
      throw new ProtocolException(
          ErrorCode.INVALID_FIELD, "field '" + key + "' of " + type + " does not fit in 64 bits");
    }
  }

  private Boolean bool(String key, MsgpackReader in) {
    expect(key, in, Kind.BOOLEAN, "a boolean");
    return in.readBoolean();
  }

  private Map<String, Long> limitMap(String key, MsgpackReader in) {
    expect(key, in, Kind.MAP, "a map");
    int n = in.readMapHeader();
    // Not presized from n: a map header may claim a billion entries that the body does not hold.
    Map<String, Long> result = new HashMap<>();
    for (int i = 0; i < n; i++) {
      String name = string(key, in);
      result.put(name, integer(key + "." + name, in));
    }
    return result;
  }

  private void errorMap(String key, MsgpackReader in) {
    expect(key, in, Kind.MAP, "a map");
    int n = in.readMapHeader();
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

  private void expect(String key, MsgpackReader in, Kind expected, String what) {
    if (in.nextKind() != expected) {
      throw mistyped(key, what, in);
    }
  }

  private ProtocolException mistyped(String key, String what, MsgpackReader in) {
    return new ProtocolException(
        ErrorCode.INVALID_FIELD,
        "field '"
            + key
            + "' of "
            + type
            + " must be "
            + what
            + ", not "
            + in.nextKind().describe());
  }

  ProtocolException missing(String key) {
    return new ProtocolException(
        ErrorCode.MISSING_FIELD, type + " is missing its required field '" + key + "'");
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
