package dev.fovea.node.pubsub;

import dev.fovea.node.gateway.OutboxMetrics;
import dev.fovea.node.metrics.NodeMetrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;

/** The node's topic shards, and which of them owns a topic. */
public final class TopicShards {
  private final List<ActorRef<TopicShard.Command>> shards;
  private final AtomicInteger[] depths;
  private final int highWaterMark;
  private final NodeMetrics metrics;

  /**
   * @param depths the mailbox depth of each shard
   * @param highWaterMark the depth above which a shard is overloaded
   */
  public TopicShards(
      List<ActorRef<TopicShard.Command>> shards,
      List<AtomicInteger> depths,
      int highWaterMark,
      NodeMetrics metrics) {
    this.shards = List.copyOf(shards);
    this.depths = depths.toArray(new AtomicInteger[0]);
    this.highWaterMark = highWaterMark;
    this.metrics = metrics;
  }

  public ActorRef<TopicShard.Command> forTopic(String topic) {
    return shards.get(indexOf(topic));
  }

  private int indexOf(String topic) {
    return Math.floorMod(topic.hashCode(), shards.size());
  }

  /** Whether the topic's shard has more publishes queued than its high-water mark. */
  public boolean isOverloaded(String topic) {
    return depths[indexOf(topic)].get() > highWaterMark;
  }

  /** A publish from a local session: delivered here and forwarded to interested nodes. */
  public void deliver(String topic, ByteString frame) {
    shards.get(indexOf(topic)).tell(new TopicShard.Deliver(topic, frame, false));
  }

  /** Counts a publish that a session dropped because the topic's shard was overloaded. */
  public void shed() {
    metrics.dropped(OutboxMetrics.DropReason.SHARD_OVERLOADED);
  }

  /** A publish another node forwarded: delivered to this node's sessions only. */
  public void deliverLocally(String topic, ByteString frame) {
    forTopic(topic).tell(new TopicShard.Deliver(topic, frame, true));
  }
}
