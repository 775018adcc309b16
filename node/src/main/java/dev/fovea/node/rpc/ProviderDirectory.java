package dev.fovea.node.rpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
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
 * <p>Entries expire after a while all the same (TTL measured from when they were written), and the
 * whole cache is dropped when a node leaves, since registry entities that lived there restart
 * elsewhere without their watchers.
 */
public final class ProviderDirectory {
  private final Cache<String, ProviderSet> cache;
  // Procedures asked for and not yet answered; forgotten after a while in case the request was
  // lost with an entity that was moving, so that a later lookup asks again.
  private final Cache<String, Boolean> loading =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(2)).build();
  private final ClusterSharding sharding;
  private final Map<String, List<Runnable>> waiters = new ConcurrentHashMap<>();
  private volatile ActorRef<ServiceEntity.ProvidersChanged> listener;

  public ProviderDirectory(ClusterSharding sharding, Duration ttl, long maxProcedures) {
    this.sharding = sharding;
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .maximumSize(maxProcedures)
            .recordStats()
            .build();
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
                    loading.invalidate(change.procedure());
                    if (change.closing()) {
                      cache.invalidate(change.procedure());
                    } else {
                      cache.put(change.procedure(), new ProviderSet(change.providers()));
                    }
                    List<Runnable> waiting = waiters.remove(change.procedure());
                    if (waiting != null) {
                      waiting.forEach(Runnable::run);
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /**
   * The cached providers of a procedure, or {@code null} on a miss. On a miss the directory watches
   * the procedure and runs {@code onLoaded} once its providers are known, so that the caller can
   * look again.
   */
  public ProviderSet lookup(String procedure, Runnable onLoaded) {
    ProviderSet set = cache.getIfPresent(procedure);
    if (set != null) {
      return set;
    }
    waiters.computeIfAbsent(procedure, p -> new CopyOnWriteArrayList<>()).add(onLoaded);
    if (listener != null && loading.asMap().putIfAbsent(procedure, Boolean.TRUE) == null) {
      sharding
          .entityRefFor(ServiceEntity.ENTITY_TYPE_KEY, procedure)
          .tell(new ServiceEntity.Watch(listener));
    }
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

  /** Forgets everything, so that each procedure is watched afresh. */
  public void invalidateAll() {
    loading.invalidateAll();
    cache.invalidateAll();
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
