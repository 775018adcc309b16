package dev.fovea.node.pubsub;

import dev.fovea.sharding.interest.RemoteBatch;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;

/**
 * Receives the publishes other nodes forward to this one and delivers them through this node's
 * topic shards, to local sessions only: a forwarded publish is never forwarded again.
 */
public final class TopicRelay {
  private TopicRelay() {}

  public static Behavior<RemoteBatch> create(TopicShards shards, LongAdder received) {
    PublishBatch relayed = shards.relayBatch();
    return Behaviors.receive(RemoteBatch.class)
        .onMessage(
            RemoteBatch.class,
            batch -> {
              List<String> topics = batch.topics();
              List<byte[]> frames = batch.frames();
              for (int i = 0; i < topics.size(); i++) {
                relayed.add(topics.get(i), ByteString.fromArrayUnsafe(frames.get(i)));
              }
              relayed.flush();
              received.add(topics.size());
              batch.replyTo().tell(RemoteBatch.Ack.INSTANCE);
              return Behaviors.same();
            })
        .build();
  }
}
