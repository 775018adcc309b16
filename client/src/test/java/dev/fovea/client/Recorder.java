package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A message handler that records what it receives, as {@code topic text}, for tests to await. */
final class Recorder implements MessageHandler {
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  @Override
  public void onMessage(Delivery delivery) {
    received.add(delivery.topic() + " " + delivery.text());
  }

  /** The next message received, waiting a bounded time for it. */
  String next() throws InterruptedException {
    String next = received.poll(FakeNode.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(next).as("a message within " + FakeNode.WAIT).isNotNull();
    return next;
  }

  /** What was received and not yet taken with {@link #next()}. */
  int backlog() {
    return received.size();
  }
}
