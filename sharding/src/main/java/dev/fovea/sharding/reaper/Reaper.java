package dev.fovea.sharding.reaper;

import dev.fovea.sharding.interest.InterestTable;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.ORMultiMap;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * A cluster singleton that removes the interest of nodes that left or were downed, so that no node
 * goes on forwarding publishes to a node that is gone. It also sweeps once when it starts, since it
 * may have been started because the node that ran it died.
 *
 * <p>Providers need no reaping here: each registry entity watches its providers' sessions, and
 * death watch reports the sessions of a removed node as terminated.
 */
public final class Reaper {
  public interface Command {}

  private record Removed(ClusterEvent.MemberRemoved event) implements Command {}

  private enum SweepNow implements Command {
    INSTANCE
  }

  private record Written(Replicator.UpdateResponse<ORMultiMap<String, String>> response)
      implements Command {}

  private Reaper() {}

  /**
   * @param reaped counts the interest entries removed
   */
  public static Behavior<Command> create(LongAdder reaped) {
    return Behaviors.setup(
        ctx ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator) -> {
                  Cluster cluster = Cluster.get(ctx.getSystem());
                  cluster
                      .subscriptions()
                      .tell(
                          Subscribe.create(
                              ctx.messageAdapter(ClusterEvent.MemberRemoved.class, Removed::new),
                              ClusterEvent.MemberRemoved.class));
                  SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
                  Replicator.WriteConsistency writeAll =
                      new Replicator.WriteAll(Duration.ofSeconds(3));
                  ctx.getSelf().tell(SweepNow.INSTANCE);
                  ctx.getLog().info("reaper started on {}", cluster.selfMember().address());
                  return Behaviors.receive(Command.class)
                      .onMessage(
                          Removed.class,
                          r -> {
                            Address gone = r.event().member().address();
                            purge(replicator, self, writeAll, reaped, key -> ownedBy(key, gone));
                            ctx.getLog().info("reaping the interest of {}, which left", gone);
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          SweepNow.INSTANCE,
                          () -> {
                            Set<String> members = new HashSet<>();
                            for (Member m : cluster.state().getMembers()) {
                              if (m.status() != MemberStatus.removed()) {
                                members.add(m.address().toString());
                              }
                            }
                            purge(
                                replicator,
                                self,
                                writeAll,
                                reaped,
                                key -> !members.contains(addressOf(key)));
                            return Behaviors.same();
                          })
                      .onMessage(Written.class, w -> Behaviors.same())
                      .build();
                }));
  }

  private static void purge(
      ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator,
      SelfUniqueAddress self,
      Replicator.WriteConsistency writeAll,
      LongAdder reaped,
      java.util.function.Predicate<String> doomed) {
    replicator.askUpdate(
        replyTo ->
            new Replicator.Update<>(
                InterestTable.KEY,
                ORMultiMap.create(),
                writeAll,
                replyTo,
                map -> {
                  ORMultiMap<String, String> result = map;
                  for (String key : map.getEntries().keySet()) {
                    if (doomed.test(key)) {
                      result = result.remove(self, key);
                      reaped.increment();
                    }
                  }
                  return result;
                }),
        Written::new);
  }

  static boolean ownedBy(String nodeKey, Address address) {
    return addressOf(nodeKey).equals(address.toString());
  }

  /** The address part of an actor path such as {@code pekko://fovea@host:port/user/x#1}. */
  static String addressOf(String nodeKey) {
    int pathStart = nodeKey.indexOf('/', nodeKey.indexOf("://") + 3);
    return pathStart < 0 ? nodeKey : nodeKey.substring(0, pathStart);
  }
}
