package dev.fovea.client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Writes a connection's frames from one dedicated thread.
 *
 * <p><b>Why a thread.</b> The simpler design, callers writing under a lock and the last one in
 * flushing, batches only when several threads write at once: a single thread publishing in a tight
 * loop is always the last one in, so it pays a system call and a TCP segment per message. Here a
 * caller encodes its frame on its own thread and appends it to a queue, which costs a lock hand-off
 * and no system call; the writer thread takes everything queued in one swap, copies it into a
 * buffered stream, and flushes only when the queue is empty. A burst therefore leaves in as few
 * writes as the socket buffer allows, while a lone frame, such as a call, is flushed as soon as the
 * writer wakes for it, a thread wake-up of latency rather than a timer.
 *
 * <p><b>Bounded.</b> The queue holds at most {@code maxQueuedBytes}; a caller that would exceed it
 * waits for the writer, so a publisher faster than the network slows down instead of filling the
 * heap. A single frame larger than the bound is still accepted when the queue is empty.
 */
final class FrameWriter {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final OutputStream out;
  private final long maxQueuedBytes;
  private final Consumer<IOException> onFailure;
  private final Thread thread;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();

  // Guarded by lock. The writer swaps the two queues so that callers never wait on a socket write.
  private ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private ArrayDeque<byte[]> spare = new ArrayDeque<>();
  private long queuedBytes;
  private boolean writerIdle;
  private boolean finishing;
  private boolean aborted;

  FrameWriter(
      OutputStream socketOut, String name, long maxQueuedBytes, Consumer<IOException> onFailure) {
    this.out = new BufferedOutputStream(socketOut, BUFFER_BYTES);
    this.maxQueuedBytes = maxQueuedBytes;
    this.onFailure = onFailure;
    this.thread = ClientThreads.daemon("fovea-client-writer-" + name, this::run);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a frame for writing, waiting while the queue is full.
   *
   * @return false when the writer has stopped and the frame was not queued
   * @throws FoveaException with {@link FoveaException#INTERRUPTED} if interrupted while waiting
   */
  boolean send(byte[] frame) {
    lock.lock();
    try {
      while (!stopped() && queuedBytes > 0 && queuedBytes + frame.length > maxQueuedBytes) {
        notFull.await();
      }
      if (stopped()) {
        return false;
      }
      enqueue(frame);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoveaException(
          FoveaException.INTERRUPTED, "interrupted while waiting to send a frame", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a small control frame without waiting for room, for threads that must never block on the
   * network: the reader answering PING, and PING itself, which is sent under a lock.
   *
   * @return false when the writer has stopped and the frame was not queued
   */
  boolean offer(byte[] frame) {
    lock.lock();
    try {
      if (stopped()) {
        return false;
      }
      enqueue(frame);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues a last frame, lets the writer send everything queued and stop, and waits up to {@code
   * grace} for it to finish. Later sends are refused.
   */
  void finish(byte[] lastFrame, Duration grace) {
    lock.lock();
    try {
      if (stopped()) {
        return;
      }
      enqueue(lastFrame);
      finishing = true;
      notFull.signalAll();
    } finally {
      lock.unlock();
    }

    try {
      thread.join(grace.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Drops whatever is queued and stops the writer; a write in progress ends when the socket does.
   */
  void abort() {
    lock.lock();
    try {
      aborted = true;
      queue.clear();
      queuedBytes = 0;
      notEmpty.signal();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean stopped() {
    return finishing || aborted;
  }

  private void enqueue(byte[] frame) {
    queue.add(frame);
    queuedBytes += frame.length;
    if (writerIdle) {
      notEmpty.signal();
    }
  }

  private void run() {
    try {
      while (true) {
        ArrayDeque<byte[]> batch;
        lock.lock();
        try {
          while (queue.isEmpty() && !stopped()) {
            writerIdle = true;
            notEmpty.awaitUninterruptibly();
            writerIdle = false;
          }
          if (aborted || queue.isEmpty()) {
            return;
          }
          batch = queue;
          queue = spare;
          spare = batch;
        } finally {
          lock.unlock();
        }

        long written = 0;
        for (byte[] frame : batch) {
          out.write(frame);
          written += frame.length;
        }
        batch.clear();

        boolean more;
        lock.lock();
        try {
          queuedBytes = Math.max(0, queuedBytes - written);
          notFull.signalAll();
          more = !queue.isEmpty();
        } finally {
          lock.unlock();
        }
        if (!more) {
          out.flush();
        }
      }
    } catch (IOException e) {
      abort();
      onFailure.accept(e);
    }
  }
}
