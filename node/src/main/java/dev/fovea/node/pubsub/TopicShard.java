package dev.fovea.node.pubsub;

import dev.fovea.sharding.interest.RemoteInterest;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;

/**
 * Delivers publishes on its share of the topics. The frame arrives encoded once; the shard finds
 * the subscribed sessions in the index and hands the same bytes to each, then queues it once for
 * each other node with interest in the topic. Shards run in parallel, and a topic always maps to
 * the same shard, so each topic's messages keep their order, locally and across nodes.
 */
public final class TopicShard {
  public interface Command {}

  /**
   * A publish to deliver.
   *
   * @param fromRemote true when another node forwarded it: it is delivered to local sessions only
   */
  public record Deliver(String topic, ByteString frame, boolean fromRemote) implements Command {}

  private TopicShard() {}

  public static Behavior<Command> create(
      SubscriptionIndex index, RemoteInterest remote, RemoteLinks links, LongAdder deliveries) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Deliver.class,
            d -> {
              index.forEachSubscriber(
                  d.topic(),
                  session -> {
                    if (session.offer(d.frame())) {
                      deliveries.increment();
                    }
                  });
              if (!d.fromRemote()) {
                remote.forEachInterestedNode(
                    d.topic(), node -> links.forward(node, d.topic(), d.frame()));
              }
              return Behaviors.same();
            })
        .build();
  }
}
