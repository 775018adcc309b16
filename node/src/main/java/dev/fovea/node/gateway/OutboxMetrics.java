package dev.fovea.node.gateway;

import dev.fovea.protocol.message.FrameType;

/** What outboxes report: frames by type, bytes written, and frames dropped with the reason. */
public interface OutboxMetrics {
  enum DropReason {
    SLOW_CONSUMER_OLDEST("slow_consumer_oldest"),
    SLOW_CONSUMER_DISCONNECT("slow_consumer_disconnect"),
    SHARD_OVERLOADED("shard_overloaded"),
    LINK_FULL("link_full");

    private final String tag;

    DropReason(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  void frameOut(FrameType type);

  void bytesOut(int bytes);

  void dropped(DropReason reason, int count);

  OutboxMetrics NONE =
      new OutboxMetrics() {
        @Override
        public void frameOut(FrameType type) {}

        @Override
        public void bytesOut(int bytes) {}

        @Override
        public void dropped(DropReason reason, int count) {}
      };
}
