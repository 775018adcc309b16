package dev.fovea.it;

import dev.fovea.client.Delivery;
import dev.fovea.client.MessageHandler;
import java.util.ArrayList;
import java.util.List;

/** What one subscription received, in the order its handler was called. */
final class Inbox implements MessageHandler {
  /** One delivery, with when it was handled ({@link System#nanoTime()}). */
  record Message(String topic, String text, long receivedAt) {}

  private final List<Message> messages = new ArrayList<>();

  @Override
  public void onMessage(Delivery delivery) {
    Message message = new Message(delivery.topic(), delivery.text(), System.nanoTime());
    synchronized (messages) {
      messages.add(message);
    }
  }

  List<Message> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  /** The texts received on one topic, in order. */
  List<String> texts(String topic) {
    List<String> texts = new ArrayList<>();
    for (Message m : messages()) {
      if (m.topic().equals(topic)) {
        texts.add(m.text());
      }
    }
    return texts;
  }

  boolean has(String topic, String text) {
    return messages().stream().anyMatch(m -> m.topic().equals(topic) && m.text().equals(text));
  }

  boolean hasTopic(String topic) {
    return messages().stream().anyMatch(m -> m.topic().equals(topic));
  }
}
