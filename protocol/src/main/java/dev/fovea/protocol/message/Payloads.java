package dev.fovea.protocol.message;

import java.util.Arrays;
import java.util.Objects;

/** Checks shared by the records that carry an opaque payload. */
final class Payloads {
  static final byte[] EMPTY = new byte[0];

  private Payloads() {}

  static byte[] orEmpty(byte[] payload) {
    return payload == null ? EMPTY : payload;
  }

  static String requireText(String value, String field) {
    return Objects.requireNonNull(value, () -> field + " must not be null");
  }

  /** A short printable form for toString: payloads may be large and binary. */
  static String describe(byte[] payload) {
    return payload.length + " bytes";
  }

  static int hash(byte[] payload) {
    return Arrays.hashCode(payload);
  }
}
