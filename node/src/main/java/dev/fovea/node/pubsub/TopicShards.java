package dev.fovea.node.pubsub;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** The node's topic shards, and which of them owns a topic. */
public final class TopicShards {
  private final List<ActorRef<TopicShard.Command>> shards;

  public TopicShards(List<ActorRef<TopicShard.Command>> shards) {
    this.shards = List.copyOf(shards);
  }

  public ActorRef<TopicShard.Command> forTopic(String topic) {
    return shards.get(Math.floorMod(topic.hashCode(), shards.size()));
  }

  public void deliver(String topic, org.apache.pekko.util.ByteString frame) {
    forTopic(topic).tell(new TopicShard.Deliver(topic, frame));
  }
}
