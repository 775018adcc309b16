package dev.fovea.node.pubsub;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;

/** The node's topic shards, and which of them owns a topic. */
public final class TopicShards {
  private final List<ActorRef<TopicShard.Command>> shards;

  public TopicShards(List<ActorRef<TopicShard.Command>> shards) {
    this.shards = List.copyOf(shards);
  }

  public ActorRef<TopicShard.Command> forTopic(String topic) {
    return shards.get(Math.floorMod(topic.hashCode(), shards.size()));
  }

  /** A publish from a local session: delivered here and forwarded to interested nodes. */
  public void deliver(String topic, ByteString frame) {
    forTopic(topic).tell(new TopicShard.Deliver(topic, frame, false));
  }

  /** A publish another node forwarded: delivered to this node's sessions only. */
  public void deliverLocally(String topic, ByteString frame) {
    forTopic(topic).tell(new TopicShard.Deliver(topic, frame, true));
  }
}
