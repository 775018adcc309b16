package dev.fovea.protocol.codec;

import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Cast;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.Disconnect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.PubAck;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Reply;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.message.Unadvertise;
import dev.fovea.protocol.message.Unsubscribe;
import dev.fovea.protocol.topic.TopicLimits;
import dev.fovea.protocol.topic.Topics;
import java.util.Map;

/** Builds a message from a body's fields, checking what is required and validating names. */
final class BodyDecoder {
  private BodyDecoder() {}

  static Message toMessage(FrameType type, Body b, TopicLimits names) {
    return switch (type) {
      case CONNECT ->
          new Connect(
              b.require(b.realm, Fields.REALM), b.require(b.client, Fields.CLIENT), b.token);
      case CONNECTED ->
          new Connected(
              b.require(b.sessionId, Fields.SESSION_ID),
              b.require(b.nodeId, Fields.NODE_ID),
              b.limits == null ? Map.of() : b.limits);
      case DISCONNECT -> new Disconnect(b.reason);
      case PING -> Ping.INSTANCE;
      case PONG -> Pong.INSTANCE;
      case ERROR ->
          new ErrorMessage(b.require(b.code, Fields.CODE), b.reason == null ? "" : b.reason);
      case PUBLISH -> publish(b, names);
      case PUBACK -> new PubAck(b.require(b.ackId, Fields.ACK_ID));
      case SUBSCRIBE -> new Subscribe(pattern(b, names));
      case UNSUBSCRIBE -> new Unsubscribe(pattern(b, names));
      case CALL ->
          new Call(
              b.require(b.callId, Fields.CALL_ID),
              procedure(b, names),
              b.payload,
              b.orZero(b.timeoutMs));
      case REPLY ->
          new Reply(b.require(b.callId, Fields.CALL_ID), b.payload, b.errorCode, b.errorReason);
      case CAST -> new Cast(procedure(b, names), b.payload);
      case ADVERTISE -> new Advertise(procedure(b, names), b.orZero(b.ttlMs));
      case UNADVERTISE -> new Unadvertise(procedure(b, names));
      case INVOKE ->
          new Invoke(
              b.require(b.invocationId, Fields.INVOCATION_ID),
              procedure(b, names),
              b.payload,
              b.expectsResult == null || b.expectsResult);
      case RESULT ->
          new Result(
              b.require(b.invocationId, Fields.INVOCATION_ID),
              b.payload,
              b.errorCode,
              b.errorReason);
    };
  }

  private static Publish publish(Body b, TopicLimits names) {
    String topic = b.require(b.topic, Fields.TOPIC);
    Topics.validateTopic(topic, names);
    return new Publish(topic, b.payload, b.orZero(b.ackId));
  }

  private static String pattern(Body b, TopicLimits names) {
    String pattern = b.require(b.pattern, Fields.PATTERN);
    Topics.validatePattern(pattern, names);
    return pattern;
  }

  private static String procedure(Body b, TopicLimits names) {
    String procedure = b.require(b.procedure, Fields.PROCEDURE);
    Topics.validateProcedure(procedure, names);
    return procedure;
  }
}
