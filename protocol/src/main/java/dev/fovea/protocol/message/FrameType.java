package dev.fovea.protocol.message;

/**
 * The frame types and their one-byte codes. The codes macula defines keep their values so that a
 * macula frame dump reads the same; the types Fovea adds take codes macula never used.
 */
public enum FrameType {
  CONNECT(0x01),
  DISCONNECT(0x02),
  PING(0x03),
  PONG(0x04),
  CONNECTED(0x05),
  ERROR(0x06),
  PUBLISH(0x10),
  SUBSCRIBE(0x11),
  UNSUBSCRIBE(0x12),
  PUBACK(0x14),
  CALL(0x20),
  REPLY(0x21),
  CAST(0x22),
  ADVERTISE(0x26),
  UNADVERTISE(0x27),
  INVOKE(0x28),
  RESULT(0x29);

  private static final FrameType[] BY_CODE = new FrameType[256];

  static {
    for (FrameType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;

  FrameType(int code) {
    this.code = code;
  }

  /** The code written in the second byte of the frame header. */
  public int code() {
    return code;
  }

  /** The type with this code, or {@code null} for a code no frame type has. */
  public static FrameType fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
