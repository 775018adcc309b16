package dev.fovea.node;

import dev.fovea.node.cluster.ClusterWatch;
import dev.fovea.node.pubsub.ClusterInterest;
import dev.fovea.node.pubsub.RemoteLinks;
import dev.fovea.node.pubsub.SubscriptionIndex;
import dev.fovea.node.pubsub.TopicRelay;
import dev.fovea.node.pubsub.TopicShard;
import dev.fovea.node.pubsub.TopicShards;
import dev.fovea.node.rpc.Diagnostics;
import dev.fovea.node.rpc.ProviderDirectory;
import dev.fovea.node.rpc.RpcMetrics;
import dev.fovea.node.rpc.RpcRouter;
import dev.fovea.node.rpc.RpcRouters;
import dev.fovea.node.session.ClientManager;
import dev.fovea.node.session.SessionServices;
import dev.fovea.sharding.interest.InterestTable;
import dev.fovea.sharding.interest.RemoteBatch;
import dev.fovea.sharding.interest.RemoteInterest;
import dev.fovea.sharding.reaper.Reaper;
import dev.fovea.sharding.registry.ServiceEntity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/** The root of the node's actors: starts each family once and hands the node their handles. */
final class NodeGuardian {
  private NodeGuardian() {}

  /** The handles the node needs after start-up. */
  record Parts(ActorRef<ClientManager.Command> clientManager, SubscriptionIndex subscriptions) {}

  static Behavior<Void> create(
      NodeSettings settings,
      String nodeId,
      NodeStats stats,
      Supplier<String> nodeInfo,
      CompletableFuture<Parts> parts) {
    return Behaviors.setup(
        ctx -> {
          initRegistry(ctx, settings, stats);

          ClusterInterest interest = new ClusterInterest();
          SubscriptionIndex index = new SubscriptionIndex(interest);
          RemoteLinks links =
              new RemoteLinks(
                  ctx.getSystem(),
                  settings.linkQueueFrames(),
                  settings.linkMaxBatch(),
                  stats.forwarded,
                  stats.forwardDropped);
          RemoteInterest remote = new RemoteInterest(links::retainOnly);
          TopicShards shards =
              startTopicShards(ctx, settings, index, remote, links, stats.deliveries);
          ActorRef<RemoteBatch> relay =
              ctx.spawn(TopicRelay.create(shards, stats.relayed), "topic-relay");
          String selfKey = ActorRefResolver.get(ctx.getSystem()).toSerializationFormat(relay);
          interest.bind(
              ctx.spawn(
                  InterestTable.create(selfKey, remote, settings.interestWriteTimeout()),
                  "interest-table"));
          Set<String> unreachable = ConcurrentHashMap.newKeySet();
          ProviderDirectory directory =
              new ProviderDirectory(
                  ClusterSharding.get(ctx.getSystem()),
                  settings.providerCacheTtl(),
                  settings.providerCacheSize());
          ctx.spawn(directory.listener(), "provider-directory");
          RpcRouters routers =
              startRouters(ctx, settings, nodeId, nodeInfo, stats.rpc, unreachable, directory);

          SessionServices services =
              new SessionServices(settings, nodeId, index, shards, routers, stats.publishes);
          ActorRef<ClientManager.Command> manager =
              ctx.spawn(
                  ClientManager.create(
                      settings.realm(), settings.maxClients(), services, stats.sessions),
                  "clients");
          ctx.spawn(
              ClusterWatch.create(unreachable, manager, directory::invalidateAll), "cluster-watch");
          ClusterSingleton.get(ctx.getSystem())
              .init(SingletonActor.of(Reaper.create(stats.reaped), "fovea-reaper"));
          parts.complete(new Parts(manager, index));
          return Behaviors.empty();
        });
  }

  private static void initRegistry(ActorContext<Void> ctx, NodeSettings settings, NodeStats stats) {
    ClusterSharding.get(ctx.getSystem())
        .init(
            Entity.of(
                    ServiceEntity.ENTITY_TYPE_KEY,
                    entity ->
                        ServiceEntity.create(
                            entity.getEntityId(),
                            entity.getShard(),
                            settings.sweepInterval(),
                            System::currentTimeMillis))
                .withStopMessage(ServiceEntity.Stop.INSTANCE));
  }

  private static TopicShards startTopicShards(
      ActorContext<Void> ctx,
      NodeSettings settings,
      SubscriptionIndex index,
      RemoteInterest remote,
      RemoteLinks links,
      LongAdder deliveries) {
    List<ActorRef<TopicShard.Command>> shards = new ArrayList<>();
    for (int i = 0; i < settings.topicShards(); i++) {
      shards.add(
          ctx.spawn(TopicShard.create(index, remote, links, deliveries), "topic-shard-" + i));
    }
    return new TopicShards(shards);
  }

  private static RpcRouters startRouters(
      ActorContext<Void> ctx,
      NodeSettings settings,
      String nodeId,
      Supplier<String> nodeInfo,
      RpcMetrics metrics,
      Set<String> unreachable,
      ProviderDirectory directory) {
    RpcRouter.Settings routerSettings =
        new RpcRouter.Settings(
            nodeId,
            settings.strategy(),
            settings.defaultCallTimeout(),
            settings.maxAttempts(),
            new Diagnostics(nodeInfo),
            ctx.getSystem()
                .dispatchers()
                .lookup(DispatcherSelector.fromConfig("fovea-diagnostics-dispatcher")),
            unreachable,
            directory);
    List<ActorRef<RpcRouter.Command>> workers = new ArrayList<>();
    for (int i = 0; i < settings.routers(); i++) {
      workers.add(ctx.spawn(RpcRouter.create(routerSettings, metrics), "rpc-router-" + i));
    }
    return new RpcRouters(workers);
  }
}
