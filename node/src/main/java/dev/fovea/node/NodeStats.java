package dev.fovea.node;

import dev.fovea.node.rpc.RpcMetrics;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters the node keeps of its own traffic. */
public final class NodeStats {
  final LongAdder publishes = new LongAdder();
  final LongAdder deliveries = new LongAdder();
  final AtomicInteger sessions = new AtomicInteger();
  final RpcMetrics rpc = new RpcMetrics();

  public long publishes() {
    return publishes.sum();
  }

  public long deliveries() {
    return deliveries.sum();
  }

  public int sessions() {
    return sessions.get();
  }

  public RpcMetrics rpc() {
    return rpc;
  }
}
