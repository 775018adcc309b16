package dev.fovea.node.pubsub;

import dev.fovea.node.gateway.OutboxMetrics;
import dev.fovea.node.metrics.NodeMetrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/** The node's topic shards, which of them owns a topic, and how full each is. */
public final class TopicShards {
  private final List<ActorRef<TopicShard.Command>> shards;
  private final ShardRoom[] rooms;
  private final NodeMetrics metrics;

  /** The room of each shard, created before the shards that report to them. */
  public static ShardRoom[] rooms(List<AtomicInteger> depths, int highWaterMark) {
    return depths.stream().map(d -> new ShardRoom(d, highWaterMark)).toArray(ShardRoom[]::new);
  }

  /**
   * @param rooms the room of each shard, in the same order
   */
  public TopicShards(
      List<ActorRef<TopicShard.Command>> shards, ShardRoom[] rooms, NodeMetrics metrics) {
    this.shards = List.copyOf(shards);
    this.rooms = rooms.clone();
    this.metrics = metrics;
  }

  int size() {
    return shards.size();
  }

  int shardOf(String topic) {
    return Math.floorMod(topic.hashCode(), shards.size());
  }

  void send(int shard, TopicShard.Deliver deliver) {
    shards.get(shard).tell(deliver);
  }

  /** A batch for a session's publishes: delivered here and forwarded to interested nodes. */
  public PublishBatch localBatch() {
    return new PublishBatch(this, false);
  }

  /** A batch for publishes another node forwarded: delivered to this node's sessions only. */
  public PublishBatch relayBatch() {
    return new PublishBatch(this, true);
  }

  /** Whether the topic's shard has more publishes queued than its high-water mark. */
  public boolean isOverloaded(String topic) {
    return rooms[shardOf(topic)].isOverloaded();
  }

  /** Runs {@code resume}, on the shard's thread or this one, once the topic's shard has room. */
  public void awaitRoom(String topic, Runnable resume) {
    rooms[shardOf(topic)].awaitRoom(resume);
  }

  /** Counts a publish that a session dropped because the topic's shard was overloaded. */
  public void shed() {
    metrics.dropped(OutboxMetrics.DropReason.SHARD_OVERLOADED);
  }
}
