package dev.fovea.client;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscription and its serial queue: deliveries run on the shared executor one at a time and in
 * order, so a subscription never sees its messages concurrently or reordered, while different
 * subscriptions run in parallel and a slow handler holds up only its own queue. The queue is
 * bounded; a delivery beyond the bound is dropped and counted.
 */
final class LocalSubscription implements Subscription {
  private static final System.Logger LOG = System.getLogger(FoveaClient.class.getName());

  /** Deliveries run per executor task before yielding it, so that a busy queue shares threads. */
  private static final int BATCH = 64;

  private final Subscriptions owner;
  private final String pattern;
  private final MessageHandler handler;
  private final Executor executor;
  private final int maxPending;

  private final ConcurrentLinkedQueue<Delivery> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pendingCount = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private final LogThrottle dropLog = new LogThrottle();
  private final LogThrottle failureLog = new LogThrottle();
  private volatile boolean active = true;

  LocalSubscription(
      Subscriptions owner,
      String pattern,
      MessageHandler handler,
      Executor executor,
      int maxPending) {
    this.owner = owner;
    this.pattern = pattern;
    this.handler = handler;
    this.executor = executor;
    this.maxPending = maxPending;
  }

  @Override
  public String pattern() {
    return pattern;
  }

  @Override
  public boolean isActive() {
    return active && owner.isOpen();
  }

  @Override
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void unsubscribe() {
    owner.remove(this);
  }

  /** Called by the owner, under its lock, when the subscription is removed. */
  boolean deactivate() {
    boolean wasActive = active;
    active = false;
    return wasActive;
  }

  /** Queues a delivery; called from the reader thread, never blocks. */
  void offer(Delivery delivery) {
    if (!isActive()) {
      return;
    }
    if (pendingCount.incrementAndGet() > maxPending) {
      pendingCount.decrementAndGet();
      dropped.incrementAndGet();
      long held = dropLog.acquire();
      if (held >= 0) {
        LOG.log(
            Level.WARNING,
            () ->
                "subscription "
                    + pattern
                    + " has "
                    + maxPending
                    + " messages waiting for its handler; dropped one on "
                    + delivery.topic()
                    + LogThrottle.heldBack(held));
      }
      return;
    }
    pending.add(delivery);
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        // The client is closing and its executor is shut down; nothing more will be delivered.
        scheduled.set(false);
      }
    }
  }

  private void drain() {
    try {
      for (int i = 0; i < BATCH; i++) {
        Delivery delivery = pending.poll();
        if (delivery == null) {
          break;
        }
        pendingCount.decrementAndGet();
        if (isActive()) {
          deliver(delivery);
        }
      }
    } finally {
      scheduled.set(false);
      if (!pending.isEmpty()) {
        schedule();
      }
    }
  }

  private void deliver(Delivery delivery) {
    try {
      handler.onMessage(delivery);
    } catch (Exception e) {
      if (!isActive()) {
        return; // interrupted or failing because the client is closing: not the handler's fault
      }
      long held = failureLog.acquire();
      if (held >= 0) {
        LOG.log(
            Level.WARNING,
            () ->
                "the handler of subscription "
                    + pattern
                    + " failed on a message on "
                    + delivery.topic()
                    + "; delivery continues"
                    + LogThrottle.heldBack(held),
            e);
      }
    }
  }

  @Override
  public String toString() {
    return "Subscription[" + pattern + (active ? "" : ", inactive") + "]";
  }
}
