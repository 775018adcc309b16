package dev.fovea.node.gateway;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Message;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.util.ByteString;

/**
 * The frames waiting to be written to one client, bounded in frames and in bytes. Any thread may
 * offer to it: the session, and every topic shard delivering to the session at once. When a client
 * reads slower than its messages arrive, the queue fills and the node's slow-consumer policy
 * decides: drop the oldest frames (counted), or disconnect the client. Either way one client that
 * stops reading costs the node a bounded amount of memory, and the clients that keep up are not
 * affected.
 *
 * <p><b>Why a lock.</b> Frames are offered one at a time from many threads and taken by the writer
 * many at a time: the writer takes everything that fits in one socket write under a single lock
 * hold. A lock-free queue made each frame cost the writer a contended read of a node the producer
 * had just written, and the bounds could only be kept approximately; under the lock they are exact
 * and each side touches shared memory once per call. Holds are a few hundred nanoseconds at most,
 * nobody blocks on the network while holding it, and producers never wait for the socket.
 */
public final class Outbox {
  private final ArrayDeque<ByteString> queue = new ArrayDeque<>();
  private final int maxFrames;
  private final long maxBytes;
  private final SlowConsumerPolicy policy;
  private final OutboxMetrics metrics;
  private final AtomicBoolean slowConsumerReported = new AtomicBoolean();
  private final LongAdder dropped = new LongAdder();
  // Written under the lock; volatile so that views and metrics read them without it.
  private volatile int frames;
  private volatile long bytes;
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
    int evicted = 0;
    synchronized (queue) {
      // Checked again under the lock: a delivery that raced a close must not land after the
      // message that ended the session.
      if (closed) {
        return false;
      }
      if (frames >= maxFrames || bytes + frame.size() > maxBytes) {
        if (policy == SlowConsumerPolicy.DISCONNECT) {
          evicted = -1;
        } else {
          evicted = evictOldestFor(frame.size());
        }
      }
      if (evicted >= 0) {
        add(frame);
      }
    }
    if (evicted < 0) {
      onFull();
      return false;
    }
    if (evicted > 0) {
      dropped.add(evicted);
      metrics.dropped(OutboxMetrics.DropReason.SLOW_CONSUMER_OLDEST, evicted);
    }
    wake();
    return true;
  }

  private void onFull() {
    dropped.increment();
    metrics.dropped(OutboxMetrics.DropReason.SLOW_CONSUMER_DISCONNECT, 1);
    if (slowConsumerReported.compareAndSet(false, true)) {
      onSlowConsumer.run();
    }
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
    ByteString last = ByteString.fromArrayUnsafe(FrameCodec.encode(message));
    synchronized (queue) {
      queue.clear();
      frames = 0;
      bytes = 0;
      add(last);
      closed = true;
    }
    metrics.frameOut(message.type());
    wake();
  }

  /**
   * Queues this message as the last one the client receives and closes: for the ERROR that ends a
   * session. Nothing a topic shard delivers afterwards goes behind it, however it races the close.
   * It is queued even when the queue is at its bounds, one frame over them, so that the client
   * learns why it is closed. Does nothing once the outbox is closed.
   */
  public void sendLast(Message message) {
    ByteString last = ByteString.fromArrayUnsafe(FrameCodec.encode(message));
    synchronized (queue) {
      if (closed) {
        return;
      }
      add(last);
      closed = true;
    }
    metrics.frameOut(message.type());
    wake();
  }

  // Under the lock.
  private void add(ByteString frame) {
    queue.addLast(frame);
    frames = frames + 1;
    bytes = bytes + frame.size();
  }

  // Under the lock; returns how many frames it dropped.
  private int evictOldestFor(int incoming) {
    int evicted = 0;
    while (!queue.isEmpty() && (frames >= maxFrames || bytes + incoming > maxBytes)) {
      ByteString oldest = queue.pollFirst();
      frames = frames - 1;
      bytes = bytes - oldest.size();
      evicted++;
    }
    return evicted;
  }

  /**
   * Takes the queued frames that fit in one write of {@code maxWriteBytes} into {@code into}, in
   * order, and returns their bytes; 0 when none is queued. A frame larger than the write is taken
   * alone. For the stream stage, which joins them outside the lock.
   */
  int takeWrite(int maxWriteBytes, List<ByteString> into) {
    int takenBytes;
    synchronized (queue) {
      ByteString first = queue.pollFirst();
      if (first == null) {
        return 0;
      }
      into.add(first);
      takenBytes = first.size();
      ByteString next;
      while ((next = pollIfFits(maxWriteBytes - takenBytes)) != null) {
        into.add(next);
        takenBytes += next.size();
      }
      frames = frames - into.size();
      bytes = bytes - takenBytes;
    }
    metrics.bytesOut(takenBytes);
    return takenBytes;
  }

  // Under the lock.
  private ByteString pollIfFits(int room) {
    ByteString next = queue.peekFirst();
    return next == null || next.size() > room ? null : queue.pollFirst();
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
    return frames == 0;
  }

  /** Frames queued and not yet handed to the socket. */
  public int depth() {
    return frames;
  }

  /** Bytes queued and not yet handed to the socket. */
  public long queuedBytes() {
    return bytes;
  }

  /** Frames this client lost to the slow-consumer policy. */
  public long dropped() {
    return dropped.sum();
  }

  /** Writes what is queued, then closes the connection. Idempotent. */
  public void close() {
    synchronized (queue) {
      closed = true;
    }
    wake();
  }
}
