package dev.fovea.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the MessagePack that frame bodies use (maps, strings, binary, integers, booleans) into a
 * growable array, each value in its shortest form as the specification asks. It exists because
 * encoding is on every publish's path, in the client and in the node: writing straight into an
 * array, with topics and keys copied as the ASCII they are, costs a fraction of a general packer.
 *
 * <p>Not thread-safe; {@link FrameCodec} keeps one per thread and reuses it.
 */
final class MsgpackWriter {
  private static final int KEEP_AT_MOST = 64 * 1024;

  private byte[] buf = new byte[512];
  private int pos;

  /** Starts a new frame, leaving room for its header. */
  void reset(int headerBytes) {
    if (buf.length > KEEP_AT_MOST) {
      // One large payload should not pin a large buffer to the thread for ever.
      buf = new byte[512];
    }
    pos = headerBytes;
  }

  /** A copy of what was written, header room included. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  void packMapHeader(int entries) {
    if (entries < 16) {
      put((byte) (0x80 | entries));
    } else if (entries < 0x10000) {
      ensure(3);
      buf[pos++] = (byte) 0xde;
      putShort(entries);
    } else {
      ensure(5);
      buf[pos++] = (byte) 0xdf;
      putInt(entries);
    }
  }

  void packString(String s) {
    int n = s.length();
    if (isAscii(s, n)) {
      packRawStringHeader(n);
      ensure(n);
      s.getBytes(0, n, buf, pos); // ASCII: one byte per char, no encoder needed
      pos += n;
    } else {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      packRawStringHeader(utf8.length);
      writePayload(utf8);
    }
  }

  private static boolean isAscii(String s, int n) {
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private void packRawStringHeader(int length) {
    if (length < 32) {
      put((byte) (0xa0 | length));
    } else if (length < 0x100) {
      ensure(2);
      buf[pos++] = (byte) 0xd9;
      buf[pos++] = (byte) length;
    } else if (length < 0x10000) {
      ensure(3);
      buf[pos++] = (byte) 0xda;
      putShort(length);
    } else {
      ensure(5);
      buf[pos++] = (byte) 0xdb;
      putInt(length);
    }
  }

  void packBinaryHeader(int length) {
    if (length < 0x100) {
      ensure(2);
      buf[pos++] = (byte) 0xc4;
      buf[pos++] = (byte) length;
    } else if (length < 0x10000) {
      ensure(3);
      buf[pos++] = (byte) 0xc5;
      putShort(length);
    } else {
      ensure(5);
      buf[pos++] = (byte) 0xc6;
      putInt(length);
    }
  }

  void writePayload(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, pos, bytes.length);
    pos += bytes.length;
  }

  void packBoolean(boolean b) {
    put((byte) (b ? 0xc3 : 0xc2));
  }

  void packLong(long v) {
    ensure(9);
    if (v < -(1L << 5)) {
      if (v < -(1L << 15)) {
        if (v < -(1L << 31)) {
          buf[pos++] = (byte) 0xd3;
          putLong(v);
        } else {
          buf[pos++] = (byte) 0xd2;
          putInt((int) v);
        }
      } else if (v < -(1 << 7)) {
        buf[pos++] = (byte) 0xd1;
        putShort((int) v);
      } else {
        buf[pos++] = (byte) 0xd0;
        buf[pos++] = (byte) v;
      }
    } else if (v < (1 << 7)) {
      buf[pos++] = (byte) v; // positive or negative fixint
    } else if (v < (1L << 16)) {
      if (v < (1 << 8)) {
        buf[pos++] = (byte) 0xcc;
        buf[pos++] = (byte) v;
      } else {
        buf[pos++] = (byte) 0xcd;
        putShort((int) v);
      }
    } else if (v < (1L << 32)) {
      buf[pos++] = (byte) 0xce;
      putInt((int) v);
    } else {
      buf[pos++] = (byte) 0xcf;
      putLong(v);
    }
  }

  private void put(byte b) {
    ensure(1);
    buf[pos++] = b;
  }

  private void putShort(int v) {
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putInt(int v) {
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  private void ensure(int more) {
    if (buf.length - pos < more) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
