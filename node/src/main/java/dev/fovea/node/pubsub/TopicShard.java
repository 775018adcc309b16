package dev.fovea.node.pubsub;

import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.util.ByteString;

/**
 * Delivers publishes on its share of the topics. The frame arrives encoded once; the shard finds
 * the subscribed sessions in the index and hands the same bytes to each. Shards run in parallel,
 * and a topic always maps to the same shard, so each topic's messages keep their order.
 */
public final class TopicShard {
  public interface Command {}

  /** A publish to deliver: the topic for matching and the frame the subscribers receive. */
  public record Deliver(String topic, ByteString frame) implements Command {}

  private TopicShard() {}

  public static Behavior<Command> create(SubscriptionIndex index, LongAdder deliveries) {
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
              return Behaviors.same();
            })
        .build();
  }
}
