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
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Valid messages of every frame type drawn from a seeded {@link Random}: names that pass
 * validation, free text with non-ASCII characters, ids across the whole range of a long, and small
 * payloads so that a frame stays well under a 4 KiB body limit.
 */
final class RandomMessages {
  private static final String NAME_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
  private static final int[] TEXT_CODE_POINTS = {
    'a', 'Z', '0', ' ', '.', '"', '\n', 0xe9, 0xdf, 0x3bb, 0x416, 0x65e5, 0x2713, 0x1f680, 0x1f4a5
  };

  private final Random random;

  RandomMessages(Random random) {
    this.random = random;
  }

  Message next() {
    FrameType[] types = FrameType.values();
    return of(types[random.nextInt(types.length)]);
  }

  Message of(FrameType type) {
    return switch (type) {
      case CONNECT -> new Connect(name(), text(), random.nextBoolean() ? null : text());
      case CONNECTED -> new Connected(text(), text(), limits());
      case DISCONNECT -> new Disconnect(random.nextBoolean() ? null : text());
      case PING -> Ping.INSTANCE;
      case PONG -> Pong.INSTANCE;
      case ERROR -> new ErrorMessage(text(), text());
      case PUBLISH -> new Publish(name(), payload(), random.nextBoolean() ? 0 : id());
      case PUBACK -> new PubAck(id());
      case SUBSCRIBE -> new Subscribe(pattern());
      case UNSUBSCRIBE -> new Unsubscribe(pattern());
      case CALL -> new Call(id(), name(), payload(), random.nextBoolean() ? 0 : duration());
      case REPLY ->
          random.nextBoolean() ? Reply.ok(id(), payload()) : Reply.error(id(), text(), text());
      case CAST -> new Cast(name(), payload());
      case ADVERTISE -> new Advertise(name(), random.nextBoolean() ? 0 : duration());
      case UNADVERTISE -> new Unadvertise(name());
      case INVOKE -> new Invoke(id(), name(), payload(), random.nextBoolean());
      case RESULT ->
          random.nextBoolean() ? Result.ok(id(), payload()) : Result.error(id(), text(), text());
    };
  }

  /** A valid topic or procedure name of one to six segments. */
  String name() {
    int segments = 1 + random.nextInt(6);
    StringBuilder name = new StringBuilder();
    for (int s = 0; s < segments; s++) {
      if (s > 0) {
        name.append('.');
      }
      int length = 1 + random.nextInt(8);
      for (int i = 0; i < length; i++) {
        name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
      }
    }
    return name.toString();
  }

  /** A valid pattern: a name with some segments replaced by {@code *} or {@code **}. */
  String pattern() {
    String[] segments = name().split("\\.");
    for (int s = 0; s < segments.length; s++) {
      int roll = random.nextInt(4);
      if (roll == 0) {
        segments[s] = "*";
      } else if (roll == 1) {
        segments[s] = "**";
      }
    }
    return String.join(".", segments);
  }

  String text() {
    int length = random.nextInt(12);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(TEXT_CODE_POINTS[random.nextInt(TEXT_CODE_POINTS.length)]);
    }
    return text.toString();
  }

  byte[] payload() {
    byte[] payload = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(300)];
    random.nextBytes(payload);
    return payload;
  }

  /** Ids come from the whole range: small, zero, negative and extreme values all travel. */
  long id() {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextInt(1000);
      case 1 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
      default -> random.nextLong();
    };
  }

  private long duration() {
    return 1 + random.nextInt(600_000);
  }

  private Map<String, Long> limits() {
    Map<String, Long> limits = new HashMap<>();
    int n = random.nextInt(10);
    for (int i = 0; i < n; i++) {
      limits.put(text(), id());
    }
    return limits;
  }
}
