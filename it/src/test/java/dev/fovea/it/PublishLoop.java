package dev.fovea.it;

import dev.fovea.client.FoveaClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes the numbers 1, 2, 3... as texts on one topic, one after the other, until stopped:
 * traffic whose gaps and duplicates a subscriber can see.
 */
final class PublishLoop {
  /** The pause between two publishes, which keeps the traffic from taking the machine. */
  private static final Duration PACE = Duration.ofMillis(10);

  private final FoveaClient publisher;
  private final String topic;
  private final AtomicInteger published = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;

  private PublishLoop(FoveaClient publisher, String topic) {
    this.publisher = publisher;
    this.topic = topic;
    this.thread = new Thread(this::run, "publish-loop-" + topic);
    thread.setDaemon(true);
  }

  static PublishLoop start(FoveaClient publisher, String topic) {
    PublishLoop loop = new PublishLoop(publisher, topic);
    loop.thread.start();
    return loop;
  }

  /** How many were published so far. */
  int published() {
    return published.get();
  }

  /**
   * Stops publishing and waits until the node has taken every publish.
   *
   * @return how many were published: the last number
   */
  int stop() throws InterruptedException {
    running = false;
    thread.join(Duration.ofSeconds(10).toMillis());
    if (thread.isAlive()) {
      thread.interrupt();
      throw new AssertionError(thread.getName() + " did not stop");
    }
    publisher.flush();
    return published.get();
  }

  private void run() {
    try {
      while (running) {
        publisher.publish(topic, Integer.toString(published.get() + 1));
        published.incrementAndGet();
        TimeUnit.NANOSECONDS.sleep(PACE.toNanos());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
