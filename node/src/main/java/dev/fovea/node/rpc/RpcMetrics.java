package dev.fovea.node.rpc;

import dev.fovea.protocol.message.Reply;
import java.util.concurrent.atomic.LongAdder;

/** Counts of the calls the node routed, by outcome. */
public final class RpcMetrics {
  private final LongAdder started = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder failovers = new LongAdder();

  void callStarted() {
    started.increment();
  }

  void callFinished(Reply reply) {
    (reply.isError() ? failed : succeeded).increment();
  }

  void failover() {
    failovers.increment();
  }

  public long started() {
    return started.sum();
  }

  public long succeeded() {
    return succeeded.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long failovers() {
    return failovers.sum();
  }
}
