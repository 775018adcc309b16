package dev.fovea.node.cluster;

import dev.fovea.node.session.ClientManager;
import java.util.Set;
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
  private ClusterWatch() {}

  /**
   * @param unreachable the addresses of unreachable nodes, read by the RPC routers
   */
  public static Behavior<ClusterEvent.ClusterDomainEvent> create(
      Set<String> unreachable,
      ActorRef<ClientManager.Command> clientManager,
      Runnable forgetProviders) {
    return Behaviors.setup(
        ctx -> {
          Cluster cluster = Cluster.get(ctx.getSystem());
          cluster
              .subscriptions()
              .tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.ReachabilityEvent.class));
          cluster
              .subscriptions()
              .tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.MemberRemoved.class));
          return Behaviors.receive(ClusterEvent.ClusterDomainEvent.class)
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
                  ClusterEvent.MemberRemoved.class,
                  e -> {
                    unreachable.remove(e.member().address().toString());
                    if (e.member().equals(cluster.selfMember())) {
                      return Behaviors.same(); // this node is the one leaving
                    }
                    ctx.getLog()
                        .info(
                            "node {} left the cluster; re-asserting local advertisements",
                            e.member().address());
                    forgetProviders.run();
                    clientManager.tell(ClientManager.ReassertAll.INSTANCE);
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
