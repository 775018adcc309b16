package dev.fovea.bench.load.scenario;

/**
 * Payloads that carry when they were meant to be sent, so that a subscriber measures latency from
 * the intended send time ({@link System#nanoTime()} of the driver, which holds both ends).
 */
final class Stamps {
  /** Room for the stamp; scenarios refuse smaller payloads. */
  static final int MIN_PAYLOAD = 8;

  /** The stamp of messages sent only to see that routes exist; they are never measured. */
  static final long PROBE = 0;

  private Stamps() {}

  /** A new payload: a fresh array per message, since some clients send it after returning. */
  static byte[] stamped(int size, long intendedNanos) {
    byte[] payload = new byte[size];
    for (int i = 0; i < 8; i++) {
      payload[i] = (byte) (intendedNanos >>> (56 - 8 * i));
    }
    return payload;
  }

  static long stamp(byte[] payload) {
    long stamp = 0;
    for (int i = 0; i < 8; i++) {
      stamp = (stamp << 8) | (payload[i] & 0xff);
    }
    return stamp;
  }

  static void checkSize(int size) {
    if (size < MIN_PAYLOAD) {
      throw new IllegalArgumentException(
          "payloads carry an 8-byte send time, so they are at least 8 bytes, not " + size);
    }
  }
}
