package dev.fovea.sharding.registry;

import dev.fovea.sharding.ClusterMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.ReceiveBuilder;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The providers of one procedure, named by the procedure. Every advertisement carries an expiry;
 * the entity sweeps expired providers on its own timer, so a provider whose node vanished without a
 * word is gone after its TTL at the latest. It passivates once it has no provider left.
 */
public final class ServiceEntity extends AbstractBehavior<ServiceEntity.Command> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "fovea-service");

  public interface Command extends ClusterMessage {}

  /**
   * Adds the provider, or refreshes its expiry if it is already registered, and confirms it to
   * {@code replyTo} if one is given. Sharding delivers at most once: a registration sent while the
   * entity's node is dying, or before this node has learned that it died, is lost, so a sender that
   * must know its registration landed resends it until it is confirmed.
   */
  public record Register(Provider provider, long ttlMillis, ActorRef<Registered> replyTo)
      implements Command {

    public Register(Provider provider, long ttlMillis) {
      this(provider, ttlMillis, null);
    }
  }

  /** The answer to a {@link Register} that asked for one: the entity holds the provider. */
  public record Registered(String procedure, String providerId) implements ClusterMessage {}

  public record Unregister(String providerId) implements Command {}

  /**
   * Picks one provider not in {@code excluded}, and not on a node in {@code avoidNodes} unless only
   * such providers are left.
   *
   * @param avoidNodes addresses of nodes the caller's node cannot reach at the moment
   */
  public record Select(
      long callKey,
      SelectionStrategy strategy,
      Set<String> excluded,
      String callerNode,
      ActorRef<Selection> replyTo,
      Set<String> avoidNodes)
      implements Command {

    public Select(
        long callKey,
        SelectionStrategy strategy,
        Set<String> excluded,
        String callerNode,
        ActorRef<Selection> replyTo) {
      this(callKey, strategy, excluded, callerNode, replyTo, Set.of());
    }
  }

  /**
   * The answer to {@link Select}.
   *
   * @param provider {@code null} when no provider is left to try
   * @param providerCount how many providers the procedure has, which bounds the attempts
   */
  public record Selection(long callKey, Provider provider, int providerCount)
      implements ClusterMessage {}

  public record ListProviders(ActorRef<ProviderList> replyTo) implements Command {}

  public record ProviderList(String procedure, List<ProviderView> providers)
      implements ClusterMessage {}

  public record ProviderView(String providerId, String nodeId, long expiresAtMillis)
      implements ClusterMessage {}

  /**
   * Subscribes a node's provider cache to this procedure: it receives the providers now and after
   * every change, until the entity stops. Then {@code closing} tells it that this incarnation is
   * gone: with no providers, it passivated and the watcher may forget the procedure; with
   * providers, it is moving and hands them on to its next incarnation, which the watcher should
   * watch again.
   */
  public record Watch(ActorRef<ProvidersChanged> replyTo) implements Command {}

  /** The providers of a procedure in registration order, pushed to every watcher. */
  public record ProvidersChanged(String procedure, List<Provider> providers, boolean closing)
      implements ClusterMessage {}

  /** Removes every provider of a node that left the cluster. */
  public record PurgeNode(String nodeId) implements Command {}

  private enum Sweep implements Command {
    INSTANCE
  }

  /** A provider's session stopped, or its node left the cluster. */
  private record EndpointGone(ActorRef<Invocation> endpoint) implements Command {}

  private record WatcherGone(ActorRef<ProvidersChanged> watcher) implements Command {}

  /**
   * Sent by the shard to stop a passivating entity. A registration can reach the entity after it
   * asked to passivate; it is handed on to the next incarnation instead of being lost.
   */
  public enum Stop implements Command {
    INSTANCE
  }

  public static Behavior<Command> create(
      String procedure,
      ActorRef<ClusterSharding.ShardCommand> shard,
      Duration sweepInterval,
      LongSupplier clock) {
    return create(procedure, shard, sweepInterval, clock, new LongAdder(), new LongAdder());
  }

  /**
   * @param reaped counts the providers removed without an unregister: expired, or gone with their
   *     session or node
   * @param held the providers held by the entities of this node, up and down as they change
   */
  public static Behavior<Command> create(
      String procedure,
      ActorRef<ClusterSharding.ShardCommand> shard,
      Duration sweepInterval,
      LongSupplier clock,
      LongAdder reaped,
      LongAdder held) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new ServiceEntity(
                        ctx, procedure, shard, timers, sweepInterval, clock, reaped, held)));
  }

  private final String procedure;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final LongSupplier clock;
  private final ProviderTable providers = new ProviderTable();
  private final LongAdder reaped;
  private final LongAdder held;
  private final Set<ActorRef<ProvidersChanged>> watchers = new java.util.HashSet<>();

  private ServiceEntity(
      ActorContext<Command> context,
      String procedure,
      ActorRef<ClusterSharding.ShardCommand> shard,
      TimerScheduler<Command> timers,
      Duration sweepInterval,
      LongSupplier clock,
      LongAdder reaped,
      LongAdder held) {
    super(context);
    this.reaped = reaped;
    this.held = held;
    this.procedure = procedure;
    this.shard = shard;
    this.clock = clock;
    timers.startTimerWithFixedDelay(Sweep.INSTANCE, sweepInterval);
  }

  @Override
  public Receive<Command> createReceive() {
    return receive()
        .onSignal(
            PostStop.class,
            s -> {
              held.add(-providers.size());
              return this;
            })
        .build();
  }

  private ReceiveBuilder<Command> receive() {
    return newReceiveBuilder()
        .onMessage(Register.class, this::onRegister)
        .onMessage(Unregister.class, this::onUnregister)
        .onMessage(Select.class, this::onSelect)
        .onMessage(ListProviders.class, this::onList)
        .onMessage(PurgeNode.class, this::onPurgeNode)
        .onMessage(EndpointGone.class, this::onEndpointGone)
        .onMessage(Watch.class, this::onWatch)
        .onMessage(
            WatcherGone.class,
            g -> {
              watchers.remove(g.watcher());
              return this;
            })
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .onMessageEquals(Stop.INSTANCE, this::onStop);
  }

  private Behavior<Command> onRegister(Register r) {
    if (r.replyTo() != null) {
      r.replyTo().tell(new Registered(procedure, r.provider().providerId()));
    }
    if (providers.upsert(r.provider(), clock.getAsLong() + r.ttlMillis())) {
      // Death watch removes a provider as soon as its session stops or its node is removed from
      // the cluster, without waiting for its TTL.
      getContext().watchWith(r.provider().endpoint(), new EndpointGone(r.provider().endpoint()));
      held.increment();
      getContext().getLog().debug("{} registered for {}", r.provider().providerId(), procedure);
      pushToWatchers(false);
    }
    return this;
  }

  private Behavior<Command> onWatch(Watch w) {
    if (watchers.add(w.replyTo())) {
      getContext().watchWith(w.replyTo(), new WatcherGone(w.replyTo()));
    }
    w.replyTo().tell(snapshot(false));
    return this;
  }

  private ProvidersChanged snapshot(boolean closing) {
    return new ProvidersChanged(procedure, providers.ordered(), closing);
  }

  private void pushToWatchers(boolean closing) {
    if (watchers.isEmpty()) {
      return;
    }
    ProvidersChanged change = snapshot(closing);
    for (ActorRef<ProvidersChanged> w : watchers) {
      w.tell(change);
    }
  }

  private Behavior<Command> onUnregister(Unregister u) {
    remove(u.providerId());
    pushToWatchers(false);
    return passivateIfEmpty();
  }

  private Behavior<Command> onEndpointGone(EndpointGone g) {
    for (Provider p : providers.providers()) {
      if (g.endpoint().equals(p.endpoint())) {
        providers.remove(p.providerId());
        held.decrement();
        reaped.increment();
        getContext().getLog().debug("provider {} of {} is gone", p.providerId(), procedure);
      }
    }
    pushToWatchers(false);
    return passivateIfEmpty();
  }

  private void remove(String providerId) {
    Provider p = providers.get(providerId);
    if (p != null) {
      providers.remove(providerId);
      held.decrement();
      unwatchIfUnused(p.endpoint());
    }
  }

  /** Stops watching an endpoint that no remaining provider of this procedure uses. */
  private void unwatchIfUnused(ActorRef<Invocation> endpoint) {
    if (endpoint == null) {
      return;
    }
    for (Provider other : providers.providers()) {
      if (endpoint.equals(other.endpoint())) {
        return;
      }
    }
    getContext().unwatch(endpoint);
  }

  private Behavior<Command> onSelect(Select s) {
    Provider chosen = providers.select(s.strategy(), s.excluded(), s.callerNode(), s.avoidNodes());
    s.replyTo().tell(new Selection(s.callKey(), chosen, providers.size()));
    return this;
  }

  private Behavior<Command> onList(ListProviders l) {
    List<ProviderView> views =
        providers.entries().stream()
            .map(
                e ->
                    new ProviderView(
                        e.provider().providerId(), e.provider().nodeId(), e.expiresAtMillis()))
            .toList();
    l.replyTo().tell(new ProviderList(procedure, views));
    return this;
  }

  private Behavior<Command> onPurgeNode(PurgeNode p) {
    int removed = 0;
    for (Provider provider : providers.providers()) {
      if (provider.nodeId().equals(p.nodeId())) {
        remove(provider.providerId());
        removed++;
      }
    }
    reaped.add(removed);
    if (removed > 0) {
      pushToWatchers(false);
    }
    if (removed > 0) {
      getContext().getLog().info("purged {} providers of {} on {}", removed, procedure, p.nodeId());
    }
    return passivateIfEmpty();
  }

  private Behavior<Command> onSweep() {
    int expired =
        providers.removeExpired(
            clock.getAsLong(),
            e -> {
              unwatchIfUnused(e.provider().endpoint());
              getContext()
                  .getLog()
                  .info(
                      "provider {} of {} expired without being re-asserted",
                      e.provider().providerId(),
                      procedure);
            });
    reaped.add(expired);
    held.add(-expired);
    if (expired > 0) {
      pushToWatchers(false);
    }
    // Also stops an entity that only ever answered selections for a procedure nobody serves.
    return passivateIfEmpty();
  }

  private Behavior<Command> onStop() {
    pushToWatchers(true);
    long now = clock.getAsLong();
    for (ProviderTable.Entry e : providers.entries()) {
      if (e.expiresAtMillis() > now) {
        ClusterSharding.get(getContext().getSystem())
            .entityRefFor(ENTITY_TYPE_KEY, procedure)
            .tell(new Register(e.provider(), e.expiresAtMillis() - now));
      }
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> passivateIfEmpty() {
    if (providers.isEmpty()) {
      // The next incarnation starts without watchers: they must forget this procedure and ask
      // again, or they would hold an empty list while providers register with the new one.
      pushToWatchers(true);
      watchers.clear();
      shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    }
    return this;
  }
}
