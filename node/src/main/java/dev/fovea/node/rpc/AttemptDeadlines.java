package dev.fovea.node.rpc;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The deadlines of a router's attempts in flight. A scheduler timer per attempt costs a task on the
 * scheduler to start and another to cancel, on every call; here an attempt costs a few pointer
 * writes, and the router checks the deadlines on one periodic tick.
 *
 * <p>Attempts with the same timeout expire in the order they started, so each timeout has its own
 * lane, a doubly linked list in deadline order: adding is at the tail, removing a finished attempt
 * is in place, and expiring reads from the heads. Almost every call takes the node's default
 * timeout, so there are few lanes; a lane is dropped when it empties.
 *
 * <p>Owned by one router actor; not thread-safe.
 */
final class AttemptDeadlines {
  /** One attempt's place in its lane. */
  static final class Entry {
    final long callKey;
    final long deadline;
    private final Lane lane;
    private Entry prev;
    private Entry next;
    private boolean linked = true;

    private Entry(long callKey, long deadline, Lane lane) {
      this.callKey = callKey;
      this.deadline = deadline;
      this.lane = lane;
    }
  }

  private static final class Lane {
    final long timeout;
    Entry head;
    Entry tail;

    Lane(long timeout) {
      this.timeout = timeout;
    }
  }

  private final Map<Long, Lane> lanes = new HashMap<>();
  private int size;

  /** Adds an attempt that started at {@code now} and times out {@code timeoutNanos} later. */
  Entry add(long callKey, long timeoutNanos, long now) {
    Lane lane = lanes.computeIfAbsent(timeoutNanos, Lane::new);
    Entry e = new Entry(callKey, now + timeoutNanos, lane);
    e.prev = lane.tail;
    if (lane.tail == null) {
      lane.head = e;
    } else {
      lane.tail.next = e;
    }
    lane.tail = e;
    size++;
    return e;
  }

  /** Removes an attempt that ended; removing one already removed or expired does nothing. */
  void remove(Entry e) {
    if (e == null || !e.linked) {
      return;
    }
    unlink(e);
    if (e.lane.head == null) {
      lanes.remove(e.lane.timeout);
    }
  }

  /**
   * Removes every attempt whose deadline is not after {@code now}, then hands on their call keys,
   * in deadline order within each lane. The consumer may add and remove attempts.
   */
  void expire(long now, LongConsumer timedOut) {
    long[] expired = null;
    int count = 0;
    Iterator<Lane> it = lanes.values().iterator();
    while (it.hasNext()) {
      Lane lane = it.next();
      while (lane.head != null && lane.head.deadline - now <= 0) {
        Entry e = lane.head;
        unlink(e);
        if (expired == null) {
          expired = new long[8];
        } else if (count == expired.length) {
          expired = Arrays.copyOf(expired, count * 2);
        }
        expired[count++] = e.callKey;
      }
      if (lane.head == null) {
        it.remove();
      }
    }
    for (int i = 0; i < count; i++) {
      timedOut.accept(expired[i]);
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  private void unlink(Entry e) {
    Lane lane = e.lane;
    if (e.prev == null) {
      lane.head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      lane.tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
    e.linked = false;
    size--;
  }
}
