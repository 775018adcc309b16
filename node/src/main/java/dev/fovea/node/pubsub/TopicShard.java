package dev.fovea.node.pubsub;

import dev.fovea.node.gateway.Outbox;
import dev.fovea.node.gateway.OutboxMetrics;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.node.metrics.Weighted;
import dev.fovea.protocol.message.FrameType;
import dev.fovea.sharding.interest.RemoteInterest;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Delivers publishes on its share of the topics. A frame arrives encoded once; the shard finds the
 * subscribed sessions in the index and hands the same bytes to each, then queues it once for each
 * other node with interest in the topic. Shards run in parallel, and a topic always maps to the
 * same shard, so each topic's messages keep their order, locally and across nodes.
 */
public final class TopicShard {
  public interface Command {}

  /**
   * Publishes to deliver, on topics of this shard, in the order they were published. Its mailbox
   * counts it as deep as its publishes.
   *
   * @param fromRemote true when another node forwarded them: they are delivered to local sessions
   *     only
   */
  public record Deliver(List<Publication> publications, boolean fromRemote)
      implements Command, Weighted {
    @Override
    public int weight() {
      return publications.size();
    }
  }

  private TopicShard() {}

  /**
   * @param room the shard's depth and the sessions waiting for it to have room
   * @param shedOldest whether the shard itself drops the publishes it takes from its mailbox while
   *     over the high-water mark (the drop-oldest policy); under the other policies the sessions
   *     stop handing it publishes instead
   */
  public static Behavior<Command> create(
      SubscriptionIndex index,
      RemoteInterest remote,
      RemoteLinks links,
      LongAdder deliveries,
      NodeMetrics metrics,
      ShardRoom room,
      boolean shedOldest) {
    return Behaviors.setup(
        ctx ->
            new Delivering(index, remote, links, deliveries, metrics, room, shedOldest).receive());
  }

  /** The shard's loop; the counting visitor is reused so that a delivery allocates nothing. */
  private static final class Delivering implements Consumer<Outbox> {
    private final SubscriptionIndex index;
    private final RemoteInterest remote;
    private final RemoteLinks links;
    private final LongAdder deliveries;
    private final NodeMetrics metrics;
    private final ShardRoom room;
    private final boolean shedOldest;
    private Publication current;
    private int delivered;

    Delivering(
        SubscriptionIndex index,
        RemoteInterest remote,
        RemoteLinks links,
        LongAdder deliveries,
        NodeMetrics metrics,
        ShardRoom room,
        boolean shedOldest) {
      this.index = index;
      this.remote = remote;
      this.links = links;
      this.deliveries = deliveries;
      this.metrics = metrics;
      this.room = room;
      this.shedOldest = shedOldest;
    }

    Behavior<Command> receive() {
      return Behaviors.receive(Command.class).onMessage(Deliver.class, this::onDeliver).build();
    }

    private Behavior<Command> onDeliver(Deliver d) {
      delivered = 0;
      int shed = 0;
      for (Publication p : d.publications()) {
        if (shedOldest && room.isOverloaded()) {
          shed++;
          continue;
        }
        current = p;
        index.forEachSubscriber(p.topic(), this);
        if (!d.fromRemote()) {
          remote.forEachInterestedNode(
              p.topic(), node -> links.forward(node, p.topic(), p.frame()));
        }
      }
      current = null;
      if (delivered > 0) {
        deliveries.add(delivered);
        metrics.framesOut(FrameType.PUBLISH, delivered);
      }
      if (shed > 0) {
        metrics.dropped(OutboxMetrics.DropReason.SHARD_OVERLOADED, shed);
      }
      room.onBatchDone();
      return Behaviors.same();
    }

    @Override
    public void accept(Outbox session) {
      if (session.offer(current.frame())) {
        delivered++;
      }
    }
  }
}
