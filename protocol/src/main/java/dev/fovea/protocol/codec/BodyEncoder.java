package dev.fovea.protocol.codec;

import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Cast;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.Disconnect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Outcome;
import dev.fovea.protocol.message.PubAck;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Reply;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.message.Unadvertise;
import dev.fovea.protocol.message.Unsubscribe;
import java.util.Map;

/** Writes a message's body map. Optional fields that are absent are left out of the map. */
final class BodyEncoder {
  private BodyEncoder() {}

  static void write(Message message, MsgpackWriter out) {
    switch (message.type()) {
      case CONNECT -> connect((Connect) message, out);
      case CONNECTED -> connected((Connected) message, out);
      case DISCONNECT -> disconnect((Disconnect) message, out);
      case PING, PONG -> out.packMapHeader(0);
      case ERROR -> error((ErrorMessage) message, out);
      case PUBLISH -> publish((Publish) message, out);
      case PUBACK -> {
        out.packMapHeader(1);
        longField(out, Fields.ACK_ID, ((PubAck) message).ackId());
      }
      case SUBSCRIBE -> singleString(out, Fields.PATTERN, ((Subscribe) message).pattern());
      case UNSUBSCRIBE -> singleString(out, Fields.PATTERN, ((Unsubscribe) message).pattern());
      case CALL -> call((Call) message, out);
      case REPLY -> outcome(out, Fields.CALL_ID, ((Reply) message).callId(), (Reply) message);
      case CAST -> cast((Cast) message, out);
      case ADVERTISE -> advertise((Advertise) message, out);
      case UNADVERTISE -> singleString(out, Fields.PROCEDURE, ((Unadvertise) message).procedure());
      case INVOKE -> invoke((Invoke) message, out);
      case RESULT -> {
        Result r = (Result) message;
        outcome(out, Fields.INVOCATION_ID, r.invocationId(), r);
      }
    }
  }

  private static void connect(Connect m, MsgpackWriter out) {
    out.packMapHeader(m.token() == null ? 2 : 3);
    stringField(out, Fields.REALM, m.realm());
    stringField(out, Fields.CLIENT, m.client());
    if (m.token() != null) {
      stringField(out, Fields.TOKEN, m.token());
    }
  }

  private static void connected(Connected m, MsgpackWriter out) {
    out.packMapHeader(3);
    stringField(out, Fields.SESSION_ID, m.sessionId());
    stringField(out, Fields.NODE_ID, m.nodeId());
    out.packString(Fields.LIMITS);
    out.packMapHeader(m.limits().size());
    for (Map.Entry<String, Long> limit : m.limits().entrySet()) {
      longField(out, limit.getKey(), limit.getValue());
    }
  }

  private static void disconnect(Disconnect m, MsgpackWriter out) {
    if (m.reason() == null) {
      out.packMapHeader(0);
    } else {
      singleString(out, Fields.REASON, m.reason());
    }
  }

  private static void error(ErrorMessage m, MsgpackWriter out) {
    out.packMapHeader(2);
    stringField(out, Fields.CODE, m.code());
    stringField(out, Fields.REASON, m.reason());
  }

  private static void publish(Publish m, MsgpackWriter out) {
    out.packMapHeader(m.wantsAck() ? 3 : 2);
    stringField(out, Fields.TOPIC, m.topic());
    binaryField(out, Fields.PAYLOAD, m.payload());
    if (m.wantsAck()) {
      longField(out, Fields.ACK_ID, m.ackId());
    }
  }

  private static void call(Call m, MsgpackWriter out) {
    out.packMapHeader(m.timeoutMs() == 0 ? 3 : 4);
    longField(out, Fields.CALL_ID, m.callId());
    stringField(out, Fields.PROCEDURE, m.procedure());
    binaryField(out, Fields.PAYLOAD, m.payload());
    if (m.timeoutMs() != 0) {
      longField(out, Fields.TIMEOUT_MS, m.timeoutMs());
    }
  }

  private static void cast(Cast m, MsgpackWriter out) {
    out.packMapHeader(2);
    stringField(out, Fields.PROCEDURE, m.procedure());
    binaryField(out, Fields.PAYLOAD, m.payload());
  }

  private static void advertise(Advertise m, MsgpackWriter out) {
    out.packMapHeader(m.ttlMs() == 0 ? 1 : 2);
    stringField(out, Fields.PROCEDURE, m.procedure());
    if (m.ttlMs() != 0) {
      longField(out, Fields.TTL_MS, m.ttlMs());
    }
  }

  private static void invoke(Invoke m, MsgpackWriter out) {
    out.packMapHeader(4);
    longField(out, Fields.INVOCATION_ID, m.invocationId());
    stringField(out, Fields.PROCEDURE, m.procedure());
    binaryField(out, Fields.PAYLOAD, m.payload());
    out.packString(Fields.EXPECTS_RESULT);
    out.packBoolean(m.expectsResult());
  }

  /** REPLY and RESULT: the id, then either the payload or an error map. */
  private static void outcome(MsgpackWriter out, String idField, long id, Outcome o) {
    out.packMapHeader(2);
    longField(out, idField, id);
    if (o.isError()) {
      out.packString(Fields.ERROR);
      out.packMapHeader(2);
      stringField(out, Fields.CODE, o.errorCode());
      stringField(out, Fields.REASON, o.errorReason());
    } else {
      binaryField(out, Fields.PAYLOAD, o.payload());
    }
  }

  private static void singleString(MsgpackWriter out, String key, String value) {
    out.packMapHeader(1);
    stringField(out, key, value);
  }

  private static void stringField(MsgpackWriter out, String key, String value) {
    out.packString(key);
    out.packString(value);
  }

  private static void longField(MsgpackWriter out, String key, long value) {
    out.packString(key);
    out.packLong(value);
  }

  private static void binaryField(MsgpackWriter out, String key, byte[] value) {
    out.packString(key);
    out.packBinaryHeader(value.length);
    out.writePayload(value);
  }
}
