package dev.fovea.node.pubsub;

import dev.fovea.sharding.interest.InterestTable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Tells the node's interest table of patterns gaining their first local subscriber or losing their
 * last. The table starts after the index that reports to it (it needs the topic relay, which needs
 * the shards, which need the index), hence the late binding.
 */
public final class ClusterInterest implements SubscriptionIndex.InterestListener {
  private final AtomicReference<ActorRef<InterestTable.Command>> table = new AtomicReference<>();

  public void bind(ActorRef<InterestTable.Command> interestTable) {
    table.set(interestTable);
  }

  @Override
  public void firstSubscriber(String pattern) {
    table.get().tell(new InterestTable.Add(pattern));
  }

  @Override
  public void lastSubscriberGone(String pattern) {
    table.get().tell(new InterestTable.Remove(pattern));
  }
}
