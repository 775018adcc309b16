package dev.fovea.node;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters the node keeps of its own traffic. */
public final class NodeStats {
  final LongAdder publishes = new LongAdder();
  final LongAdder deliveries = new LongAdder();
  final AtomicInteger sessions = new AtomicInteger();
  final LongAdder forwarded = new LongAdder();
  final LongAdder forwardDropped = new LongAdder();
  final LongAdder relayed = new LongAdder();
  final LongAdder reaped = new LongAdder();
  final LongAdder providers = new LongAdder();

  /** Providers held by the registry entities that live on this node. */
  public long providers() {
    return providers.sum();
  }

  /** Providers and interest entries removed because they expired or their owner was gone. */
  public long reaped() {
    return reaped.sum();
  }

  /** Publishes queued for other nodes, one per interested node. */
  public long forwarded() {
    return forwarded.sum();
  }

  /** Publishes for other nodes dropped because a link was full or did not acknowledge. */
  public long forwardDropped() {
    return forwardDropped.sum();
  }

  /** Publishes received from other nodes. */
  public long relayed() {
    return relayed.sum();
  }

  public long publishes() {
    return publishes.sum();
  }

  public long deliveries() {
    return deliveries.sum();
  }

  public int sessions() {
    return sessions.get();
  }
}
