package dev.fovea.node.gateway;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Message;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;

/**
 * The frames waiting to be written to one client. Any thread may offer to it without blocking: the
 * session, and every topic shard delivering to the session at once. It is bounded; a frame that
 * does not fit is dropped and counted, so one client that stops reading cannot make the node hold
 * messages without end.
 */
public final class Outbox {
  private final BoundedSourceQueue<ByteString> queue;
  private final LongAdder dropped = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();

  Outbox(BoundedSourceQueue<ByteString> queue) {
    this.queue = queue;
  }

  /** Queues an encoded frame; false when it was dropped or the connection is closing. */
  public boolean offer(ByteString frame) {
    QueueOfferResult result = queue.offer(frame);
    if (result == QueueOfferResult.enqueued()) {
      return true;
    }
    if (result == QueueOfferResult.dropped()) {
      dropped.increment();
    }
    return false;
  }

  /** Encodes and queues one message for this client alone. */
  public boolean send(Message message) {
    return offer(ByteString.fromArrayUnsafe(FrameCodec.encode(message)));
  }

  /** Frames queued and not yet handed to the socket. */
  public int depth() {
    return queue.size();
  }

  public long dropped() {
    return dropped.sum();
  }

  /** Writes what is queued, then closes the connection. */
  public void close() {
    if (closed.compareAndSet(false, true)) {
      queue.complete();
    }
  }
}
