package dev.fovea.node.cluster;

import dev.fovea.node.session.ClientManager;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Follows the other nodes for this node's sake. While a node is unreachable, calls avoid its
 * providers, so that a crash costs calls a failover only until it is detected, not until the node
 * is removed. When a node is removed, the registry entities it hosted restart elsewhere empty, so
 * every local session re-asserts its advertisements at once instead of at its next scheduled time.
 */
public final class ClusterWatch {
  /**
   * How long calls keep avoiding a removed node's providers, which the registry entities drop only
   * when their death watch of them fires; a new member at the same address ends it sooner.
   */
  static final Duration KEEP_AVOIDING_REMOVED = Duration.ofSeconds(30);

  private ClusterWatch() {}

  /**
   * @param unreachable the addresses of unreachable nodes, read by the RPC routers
   * @param forgetNode told the address of each removed node, to drop its providers from the caches
   */
  public static Behavior<Object> create(
      Set<String> unreachable,
      ActorRef<ClientManager.Command> clientManager,
      Consumer<String> forgetNode) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  Cluster cluster = Cluster.get(ctx.getSystem());
                  cluster
                      .subscriptions()
                      .tell(
                          Subscribe.create(
                              ctx.getSelf().narrow(), ClusterEvent.ReachabilityEvent.class));
                  cluster
                      .subscriptions()
                      .tell(
                          Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.MemberEvent.class));
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          ClusterEvent.UnreachableMember.class,
                          e -> {
                            unreachable.add(e.member().address().toString());
                            ctx.getLog().warn("node {} is unreachable", e.member().address());
                            return Behaviors.same();
                          })
                      .onMessage(
                          ClusterEvent.ReachableMember.class,
                          e -> {
                            unreachable.remove(e.member().address().toString());
                            ctx.getLog().info("node {} is reachable again", e.member().address());
                            return Behaviors.same();
                          })
                      .onMessage(
                          ClusterEvent.MemberUp.class,
                          e -> {
                            // A new incarnation at the address of a removed node is welcome.
                            String address = e.member().address().toString();
                            timers.cancel(address);
                            unreachable.remove(address);
                            return Behaviors.same();
                          })
                      .onMessage(
                          ClusterEvent.MemberRemoved.class,
                          e -> {
                            if (e.member().equals(cluster.selfMember())) {
                              return Behaviors.same(); // this node is the one leaving
                            }
                            String address = e.member().address().toString();
                            ctx.getLog()
                                .info(
                                    "node {} left the cluster; re-asserting local advertisements",
                                    address);
                            // Registry entities that held the removed node's providers learn of
                            // it by their own death watch, a little later: until then their
                            // lists still name those providers, and calls keep avoiding them.
                            unreachable.add(address);
                            timers.startSingleTimer(
                                address, new ForgetRemoved(address), KEEP_AVOIDING_REMOVED);
                            forgetNode.accept(address);
                            clientManager.tell(ClientManager.ReassertAll.INSTANCE);
                            return Behaviors.same();
                          })
                      .onMessage(
                          ForgetRemoved.class,
                          f -> {
                            unreachable.remove(f.address());
                            return Behaviors.same();
                          })
                      .onAnyMessage(other -> Behaviors.same())
                      .build();
                }));
  }

  /** The time to stop avoiding a removed node's address. */
  private record ForgetRemoved(String address) {}
}
