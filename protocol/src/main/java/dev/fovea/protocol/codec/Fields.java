package dev.fovea.protocol.codec;

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

  private Fields() {}
}
