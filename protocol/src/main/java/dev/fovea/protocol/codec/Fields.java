package dev.fovea.protocol.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The keys of the body maps, shared by the encoder and the decoder. */
final class Fields {
  static final String REALM = "realm";
  static final String CLIENT = "client";
  static final String TOKEN = "token";
  static final String SESSION_ID = "session_id";
  static final String NODE_ID = "node_id";
  static final String LIMITS = "limits";
  static final String REASON = "reason";
  static final String CODE = "code";
  static final String TOPIC = "topic";
  static final String PAYLOAD = "payload";
  static final String ACK_ID = "ack_id";
  static final String PATTERN = "pattern";
  static final String CALL_ID = "call_id";
  static final String PROCEDURE = "procedure";
  static final String TIMEOUT_MS = "timeout_ms";
  static final String ERROR = "error";
  static final String TTL_MS = "ttl_ms";
  static final String INVOCATION_ID = "invocation_id";
  static final String EXPECTS_RESULT = "expects_result";

  private static final String[] ALL = {
    REALM,
    CLIENT,
    TOKEN,
    SESSION_ID,
    NODE_ID,
    LIMITS,
    REASON,
    CODE,
    TOPIC,
    PAYLOAD,
    ACK_ID,
    PATTERN,
    CALL_ID,
    PROCEDURE,
    TIMEOUT_MS,
    ERROR,
    TTL_MS,
    INVOCATION_ID,
    EXPECTS_RESULT
  };

  // The keys by length, as ASCII bytes and as the constants above, so that a key on the wire is
  // recognised without building a string for it.
  private static final String[][] NAMES_BY_LENGTH = namesByLength();
  private static final byte[][][] BYTES_BY_LENGTH = bytesOf(NAMES_BY_LENGTH);

  private Fields() {}

  /**
   * Reads a map key and returns the constant of this class it spells, or {@code null} for a key
   * Fovea does not know; its bytes are consumed either way.
   */
  static String readKey(MsgpackReader in) {
    int length = in.readStringHeader();
    if (length < BYTES_BY_LENGTH.length) {
      byte[][] candidates = BYTES_BY_LENGTH[length];
      for (int i = 0; i < candidates.length; i++) {
        if (in.skipIfEqual(candidates[i], length)) {
          return NAMES_BY_LENGTH[length][i];
        }
      }
    }
    in.skipBytes(length);
    return null;
  }

  private static String[][] namesByLength() {
    int longest = Arrays.stream(ALL).mapToInt(String::length).max().orElse(0);
    String[][] table = new String[longest + 1][];
    for (int n = 0; n <= longest; n++) {
      int length = n;
      table[n] = Arrays.stream(ALL).filter(f -> f.length() == length).toArray(String[]::new);
    }
    return table;
  }

  private static byte[][][] bytesOf(String[][] names) {
    byte[][][] table = new byte[names.length][][];
    for (int n = 0; n < names.length; n++) {
      table[n] =
          Arrays.stream(names[n])
              .map(f -> f.getBytes(StandardCharsets.US_ASCII))
              .toArray(byte[][]::new);
    }
    return table;
  }
}
