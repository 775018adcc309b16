package dev.fovea.node.rpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.fovea.sharding.registry.Provider;
import dev.fovea.sharding.registry.ProviderSet;
import dev.fovea.sharding.registry.ServiceEntity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node's cache of who provides what. The RPC routers read it directly, from their own threads;
 * a miss makes the directory watch the procedure's registry entity, which then pushes the provider
 * list now and after every change. A steady stream of calls therefore selects from memory, and sees
 * a provider come or go as soon as the entity does.
 *
 * <p>Entries expire after a while all the same (TTL measured from when they were written).
 *
 * <p>When a registry entity moves (its shard is handed off, or its node is removed), its next
 * incarnation starts without watchers and without providers until the registrations come back,
 * handed on by the old incarnation or re-asserted by the sessions' nodes. The directory keeps
 * serving its last list meanwhile, less the providers of a removed node, watches the procedure
 * again, and for {@link #RECOVERY_WINDOW} does not take an empty list from the new incarnation for
 * the truth: calls go on to the providers that are still there instead of failing with {@code
 * no_providers} while the registrations travel.
 *
 * <p>Sharding delivers at most once, and a Watch sent while the cluster is still removing a node
 * may go to the region of the dead node. Until the new incarnation has answered, each lookup of the
 * procedure asks again, at most once per {@link #REASK_INTERVAL}; otherwise a lost Watch would
 * leave the directory serving a stale list, deaf to the entity, until the list expired.
 */
public final class ProviderDirectory {
  /** How long after a move an empty list from the entity is not believed over the cached one. */
  static final Duration RECOVERY_WINDOW = Duration.ofSeconds(5);

  /** How long an unanswered Watch is given before a lookup sends it again. */
  static final Duration REASK_INTERVAL = Duration.ofSeconds(2);

  private final Cache<String, ProviderSet> cache;
  // Procedures asked for and not yet answered; forgotten after a while in case the request was
  // lost with an entity that was moving, so that a later lookup asks again.
  private final Cache<String, Boolean> loading =
      Caffeine.newBuilder().expireAfterWrite(REASK_INTERVAL).build();
  // Cached procedures watched again whose entity has not answered yet; kept no longer than the
  // lists themselves.
  private final Cache<String, Boolean> unanswered;
  private final ClusterSharding sharding;
  private final Map<String, List<Runnable>> waiters = new ConcurrentHashMap<>();
  // Procedures whose entity moved, for the recovery window.
  private final Cache<String, Boolean> recovering =
      Caffeine.newBuilder().expireAfterWrite(RECOVERY_WINDOW).build();
  private volatile ActorRef<ServiceEntity.ProvidersChanged> listener;

  public ProviderDirectory(ClusterSharding sharding, Duration ttl, long maxProcedures) {
    this.sharding = sharding;
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .maximumSize(maxProcedures)
            .recordStats()
            .build();
    this.unanswered = Caffeine.newBuilder().expireAfterWrite(ttl).build();
  }

  /** The actor that receives the entities' pushes. Spawn it once, then the directory works. */
  public Behavior<ServiceEntity.ProvidersChanged> listener() {
    return Behaviors.setup(
        ctx -> {
          listener = ctx.getSelf();
          return Behaviors.receive(ServiceEntity.ProvidersChanged.class)
              .onMessage(
                  ServiceEntity.ProvidersChanged.class,
                  change -> {
                    onChange(change);
                    List<Runnable> waiting = waiters.remove(change.procedure());
                    if (waiting != null) {
                      waiting.forEach(Runnable::run);
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private void onChange(ServiceEntity.ProvidersChanged change) {
    String procedure = change.procedure();
    loading.invalidate(procedure);
    unanswered.invalidate(procedure);
    if (change.closing()) {
      if (change.providers().isEmpty() && isRecoveringWithProviders(procedure)) {
        // A new incarnation after a move passivated on its first sweep, before the registrations
        // travelling to it arrived: that is no news. Keep serving the list, and ask the next
        // incarnation, without extending the recovery window.
        unanswered.put(procedure, Boolean.TRUE);
        loading.invalidate(procedure);
        watch(procedure);
      } else if (change.providers().isEmpty()) {
        // Passivating for want of providers: nothing to keep, nothing to watch.
        recovering.invalidate(procedure);
        cache.invalidate(procedure);
      } else {
        // Moving with its providers, which it hands on to its next incarnation: keep serving
        // them, and watch the next incarnation.
        cache.put(procedure, new ProviderSet(change.providers()));
        rewatch(procedure);
      }
      return;
    }
    if (change.providers().isEmpty() && isRecoveringWithProviders(procedure)) {
      return; // a new incarnation that has not received its registrations yet
    }
    recovering.invalidate(procedure);
    cache.put(procedure, new ProviderSet(change.providers()));
  }

  private boolean isRecoveringWithProviders(String procedure) {
    if (recovering.getIfPresent(procedure) == null) {
      return false;
    }
    ProviderSet cached = cache.getIfPresent(procedure);
    return cached != null && cached.size() > 0;
  }

  private void rewatch(String procedure) {
    recovering.put(procedure, Boolean.TRUE);
    unanswered.put(procedure, Boolean.TRUE);
    loading.invalidate(procedure);
    watch(procedure);
  }

  /**
   * Sends a Watch for the procedure unless one was sent within the last {@link #REASK_INTERVAL}.
   */
  private void watch(String procedure) {
    ActorRef<ServiceEntity.ProvidersChanged> self = listener;
    if (self != null && loading.asMap().putIfAbsent(procedure, Boolean.TRUE) == null) {
      sharding
          .entityRefFor(ServiceEntity.ENTITY_TYPE_KEY, procedure)
          .tell(new ServiceEntity.Watch(self));
    }
  }

  /**
   * A node was removed from the cluster: its providers are dropped from every cached list, and
   * every cached procedure is watched again, since its entity may have lived on that node.
   *
   * @param address the removed node's address, as {@code Address.toString()} gives it
   */
  public void forgetNode(String address) {
    for (Map.Entry<String, ProviderSet> entry : cache.asMap().entrySet()) {
      List<Provider> remaining =
          entry.getValue().providers().stream()
              .filter(p -> !address.equals(p.endpoint().path().address().toString()))
              .toList();
      if (remaining.size() != entry.getValue().size()) {
        cache.put(entry.getKey(), new ProviderSet(remaining));
      }
      rewatch(entry.getKey());
    }
  }

  /**
   * The cached providers of a procedure, or {@code null} on a miss. On a miss the directory watches
   * the procedure and runs {@code onLoaded} once its providers are known, so that the caller can
   * look again.
   */
  public ProviderSet lookup(String procedure, Runnable onLoaded) {
    ProviderSet set = cache.getIfPresent(procedure);
    if (set != null) {
      if (unanswered.getIfPresent(procedure) != null) {
        watch(procedure);
      }
      return set;
    }
    waiters.computeIfAbsent(procedure, p -> new CopyOnWriteArrayList<>()).add(onLoaded);
    watch(procedure);
    // The answer may have landed between the first look and registering the waiter.
    set = cache.getIfPresent(procedure);
    if (set != null) {
      List<Runnable> waiting = waiters.remove(procedure);
      if (waiting != null) {
        waiting.forEach(Runnable::run);
      }
    }
    return null;
  }

  /** The procedures with a cached provider list. */
  public java.util.Set<String> cachedProcedures() {
    return java.util.Set.copyOf(cache.asMap().keySet());
  }

  /** Reports the cache's size, hits, misses and evictions under {@code cache="..."}. */
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(
        registry, cache, "provider-directory");
  }

  public CacheStats stats() {
    return cache.stats();
  }

  public long size() {
    return cache.estimatedSize();
  }
}
