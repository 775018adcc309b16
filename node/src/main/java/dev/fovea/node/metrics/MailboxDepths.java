package dev.fovea.node.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/** The mailbox depth of every actor that uses a {@link CountingMailbox}, by family. */
public final class MailboxDepths implements Extension {
  private static final Id ID = new Id();

  private final Map<String, Map<String, AtomicInteger>> families = new ConcurrentHashMap<>();

  /** One actor's depth at one moment. */
  public record Depth(String family, String actor, int depth) {}

  public static MailboxDepths get(ActorSystem system) {
    return ID.get(system);
  }

  public static MailboxDepths get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return ID.get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
  }

  AtomicInteger register(String family, String actorPath) {
    return families
        .computeIfAbsent(family, f -> new ConcurrentHashMap<>())
        .computeIfAbsent(actorPath, p -> new AtomicInteger());
  }

  void unregister(String family, String actorPath) {
    Map<String, AtomicInteger> actors = families.get(family);
    if (actors != null) {
      actors.remove(actorPath);
    }
  }

  /** The live depth counter of one actor, for the actor to read its own backlog cheaply. */
  public AtomicInteger depthOf(String family, String actorPath) {
    return register(family, actorPath);
  }

  /** The deepest mailbox of a family now, 0 when it has no actor. */
  public int maxDepth(String family) {
    int max = 0;
    for (AtomicInteger d : families.getOrDefault(family, Map.of()).values()) {
      max = Math.max(max, d.get());
    }
    return max;
  }

  /** Every actor whose mailbox holds more than {@code mark} messages now. */
  public List<Depth> above(int mark) {
    List<Depth> result = new ArrayList<>();
    families.forEach(
        (family, actors) ->
            actors.forEach(
                (actor, depth) -> {
                  int d = depth.get();
                  if (d > mark) {
                    result.add(new Depth(family, actor, d));
                  }
                }));
    return result;
  }

  private static final class Id extends AbstractExtensionId<MailboxDepths>
      implements ExtensionIdProvider {
    @Override
    public MailboxDepths createExtension(ExtendedActorSystem system) {
      return new MailboxDepths();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }
}
