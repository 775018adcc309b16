package dev.fovea.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads MessagePack values in place from one frame body. Every read is checked against the body's
 * end, and every size a value declares against the bytes left, before anything is allocated: a
 * header claiming 2 GiB in a 20-byte body is refused, not attempted. Malformed input ends in {@link
 * Malformed}, never in another exception.
 *
 * <p>It exists because decoding is on every frame's path, in the node and in the client; a general
 * unpacker costs several times what reading a small PUBLISH in place does.
 *
 * <p>Not thread-safe; {@link FrameCodec} keeps one per thread and resets it onto each body.
 */
final class MsgpackReader {
  /** What a value is, named as the MessagePack specification names its types. */
  enum Kind {
    NIL,
    BOOLEAN,
    INTEGER,
    FLOAT,
    STRING,
    BINARY,
    ARRAY,
    MAP,
    EXTENSION,
    NEVER_USED;

    String describe() {
      return this == NEVER_USED
          ? "the reserved byte 0xc1"
          : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The body is not valid MessagePack. Carries no stack trace: it is an answer, not a bug. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }

  /** An integer that does not fit in a signed 64-bit long. */
  static final class Overflow extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Overflow() {
      super("an unsigned 64-bit integer over Long.MAX_VALUE", null, false, false);
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private byte[] buf = EMPTY;
  private int start;
  private int pos;
  private int end;

  void reset(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.start = offset;
    this.pos = offset;
    this.end = offset + length;
  }

  /** Drops the reference to the last body, so that a large one is not kept alive by the thread. */
  void release() {
    buf = EMPTY;
    start = pos = end = 0;
  }

  boolean hasNext() {
    return pos < end;
  }

  /** Bytes of the body read so far. */
  int consumed() {
    return pos - start;
  }

  /** Bytes of the body not read yet. */
  int remaining() {
    return end - pos;
  }

  Kind nextKind() {
    need(1);
    return kindOf(buf[pos] & 0xff);
  }

  private static Kind kindOf(int b) {
    if (b <= 0x7f || b >= 0xe0) {
      return Kind.INTEGER;
    }
    if (b <= 0x8f) {
      return Kind.MAP;
    }
    if (b <= 0x9f) {
      return Kind.ARRAY;
    }
    if (b <= 0xbf) {
      return Kind.STRING;
    }
    return switch (b) {
      case 0xc0 -> Kind.NIL;
      case 0xc1 -> Kind.NEVER_USED;
      case 0xc2, 0xc3 -> Kind.BOOLEAN;
      case 0xc4, 0xc5, 0xc6 -> Kind.BINARY;
      case 0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> Kind.EXTENSION;
      case 0xca, 0xcb -> Kind.FLOAT;
      case 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3 -> Kind.INTEGER;
      case 0xd9, 0xda, 0xdb -> Kind.STRING;
      case 0xdc, 0xdd -> Kind.ARRAY;
      default -> Kind.MAP; // 0xde, 0xdf
    };
  }

  /** The number of entries of a map; the caller reads that many keys and values. */
  int readMapHeader() {
    int b = readByte();
    if (b >= 0x80 && b <= 0x8f) {
      return b & 0x0f;
    }
    return switch (b) {
      case 0xde -> readUint16();
      case 0xdf -> readSize32();
      default -> throw wrongKind(b, "a map");
    };
  }

  /** The length in bytes of a string, whose bytes follow. */
  int readStringHeader() {
    int b = readByte();
    if (b >= 0xa0 && b <= 0xbf) {
      return b & 0x1f;
    }
    return switch (b) {
      case 0xd9 -> readByte();
      case 0xda -> readUint16();
      case 0xdb -> readSize32();
      default -> throw wrongKind(b, "a string");
    };
  }

  /** The length of a binary value, whose bytes follow. */
  int readBinaryHeader() {
    int b = readByte();
    return switch (b) {
      case 0xc4 -> readByte();
      case 0xc5 -> readUint16();
      case 0xc6 -> readSize32();
      default -> throw wrongKind(b, "binary");
    };
  }

  /** A string, decoded as UTF-8; malformed sequences become U+FFFD, as a lenient reader does. */
  String readString() {
    int length = readStringHeader();
    need(length);
    String s = new String(buf, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }

  /** The next {@code length} bytes, copied. */
  byte[] readBytes(int length) {
    need(length);
    byte[] copy = Arrays.copyOfRange(buf, pos, pos + length);
    pos += length;
    return copy;
  }

  /** Skips the next {@code length} bytes, the content of a string or binary value. */
  void skipBytes(int length) {
    need(length);
    pos += length;
  }

  /** Whether the next {@code length} bytes are exactly {@code expected}; consumes them if so. */
  boolean skipIfEqual(byte[] expected, int length) {
    if (length != expected.length) {
      return false;
    }
    need(length);
    if (!Arrays.equals(buf, pos, pos + length, expected, 0, length)) {
      return false;
    }
    pos += length;
    return true;
  }

  long readLong() {
    int b = readByte();
    if (b <= 0x7f) {
      return b;
    }
    if (b >= 0xe0) {
      return (byte) b;
    }
    return switch (b) {
      case 0xcc -> readByte();
      case 0xcd -> readUint16();
      case 0xce -> readInt32() & 0xffffffffL;
      case 0xcf -> {
        long v = readInt64();
        if (v < 0) {
          throw new Overflow();
        }
        yield v;
      }
      case 0xd0 -> (byte) readByte();
      case 0xd1 -> (short) readUint16();
      case 0xd2 -> readInt32();
      case 0xd3 -> readInt64();
      default -> throw wrongKind(b, "an integer");
    };
  }

  boolean readBoolean() {
    int b = readByte();
    return switch (b) {
      case 0xc2 -> false;
      case 0xc3 -> true;
      default -> throw wrongKind(b, "a boolean");
    };
  }

  /**
   * Skips one value, however deeply nested, without recursion: a count of the values still to skip
   * replaces the call stack, so a body of nested arrays cannot overflow it. Each value read takes
   * at least one byte, so the loop ends within the body's length.
   */
  void skipValue() {
    long toSkip = 1;
    while (toSkip > 0) {
      toSkip--;
      int b = readByte();
      if (b <= 0x7f || b >= 0xe0) {
        continue;
      }
      if (b <= 0x8f) {
        toSkip += 2L * (b & 0x0f);
        continue;
      }
      if (b <= 0x9f) {
        toSkip += b & 0x0f;
        continue;
      }
      if (b <= 0xbf) {
        skip(b & 0x1f);
        continue;
      }
      switch (b) {
        case 0xc0, 0xc2, 0xc3 -> {}
        case 0xc1 -> throw new Malformed("it holds the reserved byte 0xc1");
        case 0xc4, 0xd9 -> skip(readByte());
        case 0xc5, 0xda -> skip(readUint16());
        case 0xc6, 0xdb -> skip(readSize32());
        case 0xc7 -> skip(readByte() + 1L);
        case 0xc8 -> skip(readUint16() + 1L);
        case 0xc9 -> skip(readSize32() + 1L);
        case 0xca -> skip(4);
        case 0xcb -> skip(8);
        case 0xcc, 0xd0 -> skip(1);
        case 0xcd, 0xd1 -> skip(2);
        case 0xce, 0xd2 -> skip(4);
        case 0xcf, 0xd3 -> skip(8);
        case 0xd4 -> skip(2);
        case 0xd5 -> skip(3);
        case 0xd6 -> skip(5);
        case 0xd7 -> skip(9);
        case 0xd8 -> skip(17);
        case 0xdc -> toSkip += readUint16();
        case 0xdd -> toSkip += readSize32();
        case 0xde -> toSkip += 2L * readUint16();
        default -> toSkip += 2L * readSize32(); // 0xdf
      }
    }
  }

  private void skip(long n) {
    if (n > end - pos) {
      throw truncated();
    }
    pos += (int) n;
  }

  private int readByte() {
    need(1);
    return buf[pos++] & 0xff;
  }

  private int readUint16() {
    need(2);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  private int readInt32() {
    need(4);
    int v =
        ((buf[pos] & 0xff) << 24)
            | ((buf[pos + 1] & 0xff) << 16)
            | ((buf[pos + 2] & 0xff) << 8)
            | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  private long readInt64() {
    long high = readInt32();
    return (high << 32) | (readInt32() & 0xffffffffL);
  }

  /** A 32-bit size: sizes over 2^31 cannot fit in a body, so they are refused as such. */
  private int readSize32() {
    int v = readInt32();
    if (v < 0) {
      throw truncated();
    }
    return v;
  }

  private void need(int n) {
    if (n > end - pos) {
      throw truncated();
    }
  }

  private static Malformed truncated() {
    return new Malformed("it ends inside a value");
  }

  private Malformed wrongKind(int b, String expected) {
    pos--; // leave the value where it was, as a peek would have
    return new Malformed("expected " + expected + ", found " + kindOf(b).describe());
  }
}
