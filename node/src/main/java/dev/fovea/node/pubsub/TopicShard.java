package dev.fovea.node.pubsub;

import dev.fovea.node.gateway.OutboxMetrics;
import dev.fovea.node.metrics.MailboxDepths;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.sharding.interest.RemoteInterest;
import java.util.concurrent.atomic.AtomicInteger;
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

  /**
   * @param shedOldest whether the shard itself drops the publishes it takes from its mailbox while
   *     over the high-water mark (the drop-oldest policy); under drop-newest the sessions stop
   *     handing it publishes instead
   */
  public static Behavior<Command> create(
      SubscriptionIndex index,
      RemoteInterest remote,
      RemoteLinks links,
      LongAdder deliveries,
      NodeMetrics metrics,
      boolean shedOldest,
      int highWaterMark) {
    return Behaviors.setup(
        ctx -> {
          AtomicInteger depth =
              MailboxDepths.get(ctx.getSystem())
                  .depthOf("topic-shard", ctx.getSelf().path().toString());
          return behavior(
              index, remote, links, deliveries, metrics, shedOldest ? depth : null, highWaterMark);
        });
  }

  private static Behavior<Command> behavior(
      SubscriptionIndex index,
      RemoteInterest remote,
      RemoteLinks links,
      LongAdder deliveries,
      NodeMetrics metrics,
      AtomicInteger sheddingDepth,
      int highWaterMark) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Deliver.class,
            d -> {
              if (sheddingDepth != null && sheddingDepth.get() > highWaterMark) {
                metrics.dropped(OutboxMetrics.DropReason.SHARD_OVERLOADED);
                return Behaviors.same();
              }
              index.forEachSubscriber(
                  d.topic(),
                  session -> {
                    if (session.offer(d.frame())) {
                      deliveries.increment();
                      metrics.frameOut(FrameType.PUBLISH);
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
