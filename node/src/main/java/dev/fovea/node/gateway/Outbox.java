package dev.fovea.node.gateway;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Message;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;

/**
 * The frames waiting to be written to one client, bounded in frames and in bytes. Any thread may
 * offer to it without blocking: the session, and every topic shard delivering to the session at
 * once. When a client reads slower than its messages arrive, the queue fills and the node's
 * slow-consumer policy decides: drop the oldest frames (counted), or disconnect the client. Either
 * way one client that stops reading costs the node a bounded amount of memory, and the clients that
 * keep up are not affected.
 *
 * <p>The bounds hold to within one frame per concurrent writer, since writers check and add without
 * a lock.
 */
public final class Outbox {
  private final ConcurrentLinkedQueue<ByteString> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger frames = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final int maxFrames;
  private final long maxBytes;
  private final SlowConsumerPolicy policy;
  private final OutboxMetrics metrics;
  private final AtomicBoolean slowConsumerReported = new AtomicBoolean();
  private final LongAdder dropped = new LongAdder();
  private volatile Runnable onSlowConsumer = () -> {};
  private volatile boolean closed;
  // Set by the stream stage that writes to the socket.
  private volatile OutboxSource.Waker waker;

  public Outbox(int maxFrames, long maxBytes, SlowConsumerPolicy policy, OutboxMetrics metrics) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
    this.policy = policy;
    this.metrics = metrics;
  }

  /** What to do when the policy is to disconnect and this client fell behind. Set once. */
  public void onSlowConsumer(Runnable action) {
    this.onSlowConsumer = action;
  }

  /** Queues an encoded frame; false when it was dropped or the connection is closing. */
  public boolean offer(ByteString frame) {
    if (closed) {
      return false;
    }
    if (frames.get() >= maxFrames || bytes.get() + frame.size() > maxBytes) {
      if (policy == SlowConsumerPolicy.DISCONNECT) {
        dropped.increment();
        metrics.dropped(OutboxMetrics.DropReason.SLOW_CONSUMER_DISCONNECT);
        if (slowConsumerReported.compareAndSet(false, true)) {
          onSlowConsumer.run();
        }
        return false;
      }
      evictOldestFor(frame.size());
    }
    queue.add(frame);
    frames.incrementAndGet();
    bytes.addAndGet(frame.size());
    wake();
    return true;
  }

  /** Encodes and queues one message for this client alone. */
  public boolean send(Message message) {
    metrics.frameOut(message.type());
    return offer(ByteString.fromArrayUnsafe(FrameCodec.encode(message)));
  }

  /**
   * Discards what is queued and sends this message last: for an ERROR to a client that is being
   * dropped for not reading, whose backlog it would never get through.
   */
  public void replaceAllWith(Message message) {
    ByteString frame;
    while ((frame = queue.poll()) != null) {
      frames.decrementAndGet();
      bytes.addAndGet(-frame.size());
    }
    queue.add(ByteString.fromArrayUnsafe(FrameCodec.encode(message)));
    frames.incrementAndGet();
    metrics.frameOut(message.type());
    wake();
  }

  private void evictOldestFor(int incoming) {
    while (frames.get() >= maxFrames || bytes.get() + incoming > maxBytes) {
      ByteString oldest = queue.poll();
      if (oldest == null) {
        return;
      }
      frames.decrementAndGet();
      bytes.addAndGet(-oldest.size());
      dropped.increment();
      metrics.dropped(OutboxMetrics.DropReason.SLOW_CONSUMER_OLDEST);
    }
  }

  /** The next frame to write, or {@code null} when none is queued. For the stream stage. */
  ByteString poll() {
    ByteString frame = queue.poll();
    if (frame != null) {
      frames.decrementAndGet();
      bytes.addAndGet(-frame.size());
      metrics.bytesOut(frame.size());
    }
    return frame;
  }

  /**
   * The next frame if it is no larger than {@code room} bytes, else {@code null}: the writer stops
   * joining frames at the one that would overflow its write, and leaves it for the next.
   */
  ByteString pollIfFits(int room) {
    ByteString next = queue.peek();
    if (next == null || next.size() > room) {
      return null;
    }
    // A producer evicting the oldest frame may take the head between the peek and the poll; then
    // this returns the frame after it, which at worst makes one write a frame larger.
    return poll();
  }

  void attach(OutboxSource.Waker waker) {
    this.waker = waker;
  }

  private void wake() {
    OutboxSource.Waker w = waker;
    if (w != null) {
      w.wake();
    }
  }

  boolean isClosed() {
    return closed;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Frames queued and not yet handed to the socket. */
  public int depth() {
    return frames.get();
  }

  /** Bytes queued and not yet handed to the socket. */
  public long queuedBytes() {
    return bytes.get();
  }

  /** Frames this client lost to the slow-consumer policy. */
  public long dropped() {
    return dropped.sum();
  }

  /** Writes what is queued, then closes the connection. Idempotent. */
  public void close() {
    closed = true;
    wake();
  }
}
