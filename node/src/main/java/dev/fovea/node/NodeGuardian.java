package dev.fovea.node;

import dev.fovea.node.cluster.ClusterWatch;
import dev.fovea.node.metrics.MailboxDepths;
import dev.fovea.node.metrics.MailboxWatch;
import dev.fovea.node.metrics.NodeHealth;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.node.pubsub.ClusterInterest;
import dev.fovea.node.pubsub.RemoteLinks;
import dev.fovea.node.pubsub.ShardRoom;
import dev.fovea.node.pubsub.ShedPolicy;
import dev.fovea.node.pubsub.SubscriptionIndex;
import dev.fovea.node.pubsub.TopicRelay;
import dev.fovea.node.pubsub.TopicShard;
import dev.fovea.node.pubsub.TopicShards;
import dev.fovea.node.rpc.Diagnostics;
import dev.fovea.node.rpc.ProviderDirectory;
import dev.fovea.node.rpc.RpcRouter;
import dev.fovea.node.rpc.RpcRouters;
import dev.fovea.node.session.ClientManager;
import dev.fovea.node.session.LiveSessions;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.MailboxSelector;
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
  record Parts(
      ActorRef<ClientManager.Command> clientManager,
      SubscriptionIndex subscriptions,
      ProviderDirectory directory) {}

  /** What the guardian is given to start the node with. */
  record Inputs(
      NodeSettings settings,
      String nodeId,
      NodeStats stats,
      NodeMetrics metrics,
      NodeHealth health,
      LiveSessions live,
      Supplier<String> nodeInfo) {}

  static Behavior<Void> create(Inputs in, CompletableFuture<Parts> parts) {
    return Behaviors.setup(
        ctx -> {
          NodeSettings settings = in.settings();
          NodeStats stats = in.stats();
          initRegistry(ctx, settings, stats);

          ClusterInterest interest = new ClusterInterest();
          SubscriptionIndex index = new SubscriptionIndex(interest, settings.maxWildcardShapes());
          RemoteLinks links =
              new RemoteLinks(
                  ctx.getSystem(),
                  settings.linkQueueFrames(),
                  settings.linkMaxBatch(),
                  settings.linkMaxBatchBytes(),
                  settings.linkInFlight(),
                  stats.forwarded,
                  stats.forwardDropped);
          RemoteInterest remote = new RemoteInterest(links::retainOnly);
          TopicShards shards = startTopicShards(ctx, in, index, remote, links);
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
          RpcRouters routers = startRouters(ctx, in, unreachable, directory);

          SessionServices services =
              new SessionServices(
                  settings,
                  in.nodeId(),
                  index,
                  shards,
                  routers,
                  stats.publishes,
                  in.metrics(),
                  in.live());
          ActorRef<ClientManager.Command> manager =
              ctx.spawn(
                  ClientManager.create(
                      settings.realm(), settings.maxClients(), services, stats.sessions),
                  "clients");
          ctx.spawn(
              ClusterWatch.create(unreachable, manager, directory::forgetNode), "cluster-watch");
          ClusterSingleton.get(ctx.getSystem())
              .init(SingletonActor.of(Reaper.create(stats.reaped), "fovea-reaper"));
          ctx.spawn(
              MailboxWatch.create(
                  MailboxDepths.get(ctx.getSystem()),
                  in.health(),
                  settings.highWaterMark(),
                  settings.supervisionInterval(),
                  settings.warnInterval()),
              "mailbox-watch");
          parts.complete(new Parts(manager, index, directory));
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
                            System::currentTimeMillis,
                            stats.reaped,
                            stats.providers))
                .withStopMessage(ServiceEntity.Stop.INSTANCE));
  }

  private static TopicShards startTopicShards(
      ActorContext<Void> ctx,
      Inputs in,
      SubscriptionIndex index,
      RemoteInterest remote,
      RemoteLinks links) {
    NodeSettings settings = in.settings();
    MailboxDepths depths = MailboxDepths.get(ctx.getSystem());
    List<AtomicInteger> shardDepths = new ArrayList<>();
    for (int i = 0; i < settings.topicShards(); i++) {
      shardDepths.add(depths.depthOf("topic-shard", shardPath(ctx, i)));
    }
    ShardRoom[] rooms = TopicShards.rooms(shardDepths, settings.highWaterMark());
    List<ActorRef<TopicShard.Command>> shards = new ArrayList<>();
    for (int i = 0; i < settings.topicShards(); i++) {
      shards.add(
          ctx.spawn(
              TopicShard.create(
                  index,
                  remote,
                  links,
                  in.stats().deliveries,
                  in.metrics(),
                  rooms[i],
                  settings.shedPolicy() == ShedPolicy.DROP_OLDEST),
              shardName(i),
              MailboxSelector.fromConfig("fovea-mailbox.topic-shard")));
    }
    return new TopicShards(shards, rooms, in.metrics());
  }

  private static String shardName(int i) {
    return "topic-shard-" + i;
  }

  /** The path a shard's counting mailbox registers its depth under, known before it is spawned. */
  private static String shardPath(ActorContext<Void> ctx, int i) {
    return ctx.getSelf().path().child(shardName(i)).toString();
  }

  private static RpcRouters startRouters(
      ActorContext<Void> ctx, Inputs in, Set<String> unreachable, ProviderDirectory directory) {
    NodeSettings settings = in.settings();
    RpcRouter.Settings routerSettings =
        new RpcRouter.Settings(
            in.nodeId(),
            settings.strategy(),
            settings.defaultCallTimeout(),
            settings.maxAttempts(),
            new Diagnostics(in.nodeInfo()),
            ctx.getSystem()
                .dispatchers()
                .lookup(DispatcherSelector.fromConfig("fovea-diagnostics-dispatcher")),
            unreachable,
            directory);
    List<ActorRef<RpcRouter.Command>> workers = new ArrayList<>();
    for (int i = 0; i < settings.routers(); i++) {
      workers.add(
          ctx.spawn(
              RpcRouter.create(routerSettings, in.metrics(), settings.highWaterMark()),
              "rpc-router-" + i,
              MailboxSelector.fromConfig("fovea-mailbox.rpc-router")));
    }
    return new RpcRouters(workers);
  }
}
