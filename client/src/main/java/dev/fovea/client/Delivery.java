package dev.fovea.client;

import java.nio.charset.StandardCharsets;

/**
 * A message delivered to a subscription. When several subscriptions match a topic they are handed
 * the same instance, so its payload must not be modified.
 */
public final class Delivery {
  private final String topic;
  private final byte[] payload;

  public Delivery(String topic, byte[] payload) {
    this.topic = topic;
    this.payload = payload;
  }

  /** The topic it was published on. */
  public String topic() {
    return topic;
  }

  /** The payload as published; shared, not copied. */
  public byte[] payload() {
    return payload;
  }

  /** The payload decoded as UTF-8. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Delivery[topic=" + topic + ", payload=" + payload.length + " bytes]";
  }
}
