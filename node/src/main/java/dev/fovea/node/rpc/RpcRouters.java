package dev.fovea.node.rpc;

import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/** The pool of router workers; calls are spread over them by a key of the caller's choosing. */
public final class RpcRouters {
  private final List<ActorRef<RpcRouter.Command>> workers;

  public RpcRouters(List<ActorRef<RpcRouter.Command>> workers) {
    this.workers = List.copyOf(workers);
  }

  public ActorRef<RpcRouter.Command> pick(long key) {
    return workers.get((int) Math.floorMod(key, (long) workers.size()));
  }
}
