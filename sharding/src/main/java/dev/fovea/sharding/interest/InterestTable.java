package dev.fovea.sharding.interest;

import dev.fovea.sharding.ClusterMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORMultiMap;
import org.apache.pekko.cluster.ddata.ORMultiMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

/**
 * One per node: keeps this node's patterns in the cluster-wide table, and the node's view of every
 * other node's patterns up to date.
 *
 * <p>The table is an {@code ORMultiMap} from a node's key (the address of its topic relay) to the
 * patterns its sessions subscribe. A node writes only its own entry, and writes it to every node at
 * once rather than waiting for gossip, so that a new subscription reaches publishers on other nodes
 * within milliseconds. The entry of a node that left is removed by the reaper.
 */
public final class InterestTable {
  public static final Key<ORMultiMap<String, String>> KEY = ORMultiMapKey.create("fovea-interest");

  public interface Command extends ClusterMessage {}

  /** The first local session subscribed this pattern. */
  public record Add(String pattern) implements Command {}

  /** The last local session unsubscribed this pattern. */
  public record Remove(String pattern) implements Command {}

  /** Removes the entry of a node that left the cluster. */
  public record PurgeNode(String nodeKey) implements Command {}

  private record Changed(Replicator.SubscribeResponse<ORMultiMap<String, String>> change)
      implements Command {}

  private record Written(Replicator.UpdateResponse<ORMultiMap<String, String>> response)
      implements Command {}

  private InterestTable() {}

  /**
   * @param selfKey this node's key in the table
   * @param view the view of other nodes' interest to keep current
   * @param writeTimeout how long a write waits for every node before it is left to gossip
   */
  public static Behavior<Command> create(
      String selfKey, RemoteInterest view, Duration writeTimeout) {
    return Behaviors.setup(
        ctx ->
            DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator) -> {
                  replicator.subscribe(KEY, Changed::new);
                  SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
                  Replicator.WriteConsistency writeAll = new Replicator.WriteAll(writeTimeout);
                  return Behaviors.receive(Command.class)
                      .onMessage(
                          Add.class,
                          a -> {
                            replicator.askUpdate(
                                replyTo ->
                                    new Replicator.Update<>(
                                        KEY,
                                        ORMultiMap.create(),
                                        writeAll,
                                        replyTo,
                                        map -> map.addBindingBy(selfKey, a.pattern(), self)),
                                Written::new);
                            return Behaviors.same();
                          })
                      .onMessage(
                          Remove.class,
                          r -> {
                            replicator.askUpdate(
                                replyTo ->
                                    new Replicator.Update<>(
                                        KEY,
                                        ORMultiMap.create(),
                                        writeAll,
                                        replyTo,
                                        map -> map.removeBindingBy(selfKey, r.pattern(), self)),
                                Written::new);
                            return Behaviors.same();
                          })
                      .onMessage(
                          PurgeNode.class,
                          p -> {
                            replicator.askUpdate(
                                replyTo ->
                                    new Replicator.Update<>(
                                        KEY,
                                        ORMultiMap.create(),
                                        writeAll,
                                        replyTo,
                                        map -> map.remove(self, p.nodeKey())),
                                Written::new);
                            return Behaviors.same();
                          })
                      .onMessage(
                          Changed.class,
                          c -> {
                            if (c.change()
                                instanceof Replicator.Changed<ORMultiMap<String, String>> changed) {
                              view.replaceWith(othersOf(changed.dataValue(), selfKey));
                            }
                            return Behaviors.same();
                          })
                      .onMessage(Written.class, w -> Behaviors.same())
                      .build();
                }));
  }

  private static Map<String, Set<String>> othersOf(ORMultiMap<String, String> map, String selfKey) {
    Map<String, Set<String>> result = new HashMap<>();
    for (Map.Entry<String, Set<String>> e : map.getEntries().entrySet()) {
      if (!e.getKey().equals(selfKey)) {
        result.put(e.getKey(), new HashSet<>(e.getValue()));
      }
    }
    return result;
  }
}
