package dev.fovea.node.rpc;

import dev.fovea.node.metrics.MailboxDepths;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.message.Reply;
import dev.fovea.sharding.registry.Invocation;
import dev.fovea.sharding.registry.InvocationOutcome;
import dev.fovea.sharding.registry.Provider;
import dev.fovea.sharding.registry.ProviderSet;
import dev.fovea.sharding.registry.SelectionStrategy;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One worker of the node's RPC routing pool. For each call it asks the procedure's registry entity
 * to pick a provider not yet tried, sends the provider an invocation, and relays the outcome to the
 * caller. When a provider does not answer in time, or disconnects before answering, the call fails
 * over to another one, for at most min(max attempts, providers) attempts. An error the provider's
 * handler returns is relayed as it is: retrying it elsewhere would run a failing request several
 * times.
 *
 * <p>Nothing here blocks: every step is a message, so one worker keeps thousands of calls in
 * flight.
 */
public final class RpcRouter extends AbstractBehavior<RpcRouter.Command> {

  public interface Command {}

  /** A CALL from a local session. */
  public record Route(
      long callId, String procedure, byte[] payload, long timeoutMs, ActorRef<Reply> replyTo)
      implements Command {}

  /** A CAST from a local session: one provider runs it, nothing is answered. */
  public record CastTo(String procedure, byte[] payload) implements Command {}

  private record Answered(InvocationOutcome outcome) implements Command {}

  /** Time to check the deadlines of the attempts in flight. */
  private enum Tick implements Command {
    INSTANCE
  }

  /**
   * How often deadlines are checked: an attempt times out at most this much after its timeout. The
   * tick runs only while attempts are in flight.
   */
  static final Duration TICK = Duration.ofMillis(10);

  private record ProvidersLoaded(long callKey, int attempt) implements Command {}

  private record BuiltInDone(
      long callId, byte[] result, Throwable error, ActorRef<Reply> replyTo, long startNanos)
      implements Command {}

  /** What the router needs from the node. */
  public record Settings(
      String nodeId,
      SelectionStrategy strategy,
      Duration defaultTimeout,
      int maxAttempts,
      Diagnostics diagnostics,
      Executor diagnosticsExecutor,
      Set<String> unreachableNodes,
      ProviderDirectory directory) {}

  /** One call in flight. */
  private static final class Call {
    final Route route;
    final boolean isCast;
    final Duration timeout;
    final long startNanos;
    final Set<String> tried = new HashSet<>(4);
    int attempt;
    int attemptLimit = Integer.MAX_VALUE;
    Provider current;
    boolean lastFailureWasTimeout;
    AttemptDeadlines.Entry deadline;

    Call(Route route, boolean isCast, Duration timeout, long startNanos) {
      this.route = route;
      this.isCast = isCast;
      this.timeout = timeout;
      this.startNanos = startNanos;
    }
  }

  public static Behavior<Command> create(
      Settings settings, NodeMetrics metrics, int highWaterMark) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new RpcRouter(ctx, timers, settings, metrics, highWaterMark)));
  }

  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final NodeMetrics metrics;
  private final int highWaterMark;
  private final AtomicInteger mailboxDepth;
  private final ActorRef<Command> self;
  private final ActorRef<InvocationOutcome> outcomeAdapter;
  private final Map<Long, Call> calls = new HashMap<>();
  private final AttemptDeadlines deadlines = new AttemptDeadlines();
  private boolean ticking;
  private long nextCallKey;

  private RpcRouter(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Settings settings,
      NodeMetrics metrics,
      int highWaterMark) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.metrics = metrics;
    this.highWaterMark = highWaterMark;
    this.mailboxDepth =
        MailboxDepths.get(context.getSystem())
            .depthOf("rpc-router", context.getSelf().path().toString());
    this.self = context.getSelf();
    this.outcomeAdapter = context.messageAdapter(InvocationOutcome.class, Answered::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Route.class, this::onRoute)
        .onMessage(CastTo.class, this::onCast)
        .onMessage(Answered.class, this::onAnswered)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(ProvidersLoaded.class, this::onProvidersLoaded)
        .onMessage(BuiltInDone.class, this::onBuiltInDone)
        .build();
  }

  private Behavior<Command> onRoute(Route route) {
    long startNanos = System.nanoTime();
    if (mailboxDepth.get() > highWaterMark) {
      // Refusing at once drains the backlog fast; queueing more would only make every call late.
      Reply refused =
          Reply.error(
              route.callId(),
              ErrorCode.OVERLOADED,
              "the node's call router has over " + highWaterMark + " messages queued");
      metrics.callFinished(ErrorCode.OVERLOADED.code(), 0);
      route.replyTo().tell(refused);
      return this;
    }
    if (Diagnostics.isBuiltIn(route.procedure())) {
      runBuiltIn(route, startNanos);
      return this;
    }
    Duration timeout =
        route.timeoutMs() > 0 ? Duration.ofMillis(route.timeoutMs()) : settings.defaultTimeout();
    Call call = new Call(route, false, timeout, startNanos);
    long key = nextCallKey++;
    calls.put(key, call);
    selectProvider(key, call);
    return this;
  }

  private Behavior<Command> onCast(CastTo cast) {
    Route asRoute = new Route(0, cast.procedure(), cast.payload(), 0, null);
    Call call = new Call(asRoute, true, settings.defaultTimeout(), System.nanoTime());
    long key = nextCallKey++;
    calls.put(key, call);
    selectProvider(key, call);
    return this;
  }

  private void selectProvider(long key, Call call) {
    call.attempt++;
    call.current = null;
    // One deadline covers both the selection and the provider's answer: a registry entity that is
    // moving between nodes is as much a reason to give up on this attempt as a silent provider.
    deadlines.remove(call.deadline);
    call.deadline = deadlines.add(key, call.timeout.toNanos(), System.nanoTime());
    if (!ticking) {
      ticking = true;
      timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
    }
    Set<String> avoid =
        settings.unreachableNodes().isEmpty() ? Set.of() : Set.copyOf(settings.unreachableNodes());
    int attempt = call.attempt;
    ProviderSet cached =
        settings
            .directory()
            .lookup(call.route.procedure(), () -> self.tell(new ProvidersLoaded(key, attempt)));
    if (cached != null) {
      onSelection(
          key,
          call,
          cached.select(settings.strategy(), call.tried, settings.nodeId(), avoid),
          cached.size());
    }
  }

  /** The directory now knows the procedure's providers: select for the attempt that waited. */
  private Behavior<Command> onProvidersLoaded(ProvidersLoaded loaded) {
    Call call = calls.get(loaded.callKey());
    if (call == null || call.attempt != loaded.attempt() || call.current != null) {
      return this;
    }
    call.attempt--; // selectProvider counts the attempt again
    selectProvider(loaded.callKey(), call);
    return this;
  }

  private void onSelection(long key, Call call, Provider provider, int providerCount) {
    if (provider == null) {
      if (call.tried.isEmpty()) {
        finish(key, call, ErrorCode.NO_PROVIDERS, "no provider serves " + call.route.procedure());
      } else {
        exhausted(key, call);
      }
      return;
    }
    if (call.attempt == 1) {
      call.attemptLimit = Math.min(settings.maxAttempts(), Math.max(1, providerCount));
    }
    call.current = provider;
    if (call.isCast) {
      provider
          .endpoint()
          .tell(
              new Invocation(
                  key, call.attempt, call.route.procedure(), call.route.payload(), null));
      deadlines.remove(call.deadline);
      calls.remove(key);
      return;
    }
    provider
        .endpoint()
        .tell(
            new Invocation(
                key, call.attempt, call.route.procedure(), call.route.payload(), outcomeAdapter));
  }

  private Behavior<Command> onAnswered(Answered answered) {
    InvocationOutcome o = answered.outcome();
    Call call = calls.get(o.callKey());
    if (call == null || o.attempt() != call.attempt) {
      return this; // the answer of an attempt already given up on
    }
    if (o.providerGone()) {
      call.lastFailureWasTimeout = false;
      failOver(o.callKey(), call);
    } else if (o.isError()) {
      finish(o.callKey(), call, Reply.error(call.route.callId(), o.errorCode(), o.errorReason()));
    } else {
      finish(o.callKey(), call, Reply.ok(call.route.callId(), o.payload()));
    }
    return this;
  }

  private Behavior<Command> onTick() {
    deadlines.expire(System.nanoTime(), this::onAttemptTimedOut);
    if (deadlines.isEmpty()) {
      ticking = false;
      timers.cancel(Tick.INSTANCE);
    }
    return this;
  }

  private void onAttemptTimedOut(long key) {
    Call call = calls.get(key);
    if (call == null) {
      return;
    }
    call.deadline = null;
    if (call.isCast) {
      calls.remove(key);
      return;
    }
    call.lastFailureWasTimeout = true;
    if (call.current == null) {
      // The registry did not answer: no provider was reached, so there is nobody to fail over to.
      finish(
          key,
          call,
          ErrorCode.TIMEOUT,
          "the registry did not answer within " + call.timeout.toMillis() + " ms");
      return;
    }
    failOver(key, call);
  }

  private void failOver(long key, Call call) {
    if (call.current != null) {
      call.tried.add(call.current.providerId());
    }
    metrics.failover();
    if (call.tried.size() >= call.attemptLimit) {
      exhausted(key, call);
    } else {
      selectProvider(key, call);
    }
  }

  private void exhausted(long key, Call call) {
    if (call.tried.size() <= 1 && call.lastFailureWasTimeout) {
      finish(
          key,
          call,
          ErrorCode.TIMEOUT,
          "the provider of "
              + call.route.procedure()
              + " did not answer within "
              + call.timeout.toMillis()
              + " ms");
    } else {
      finish(
          key,
          call,
          ErrorCode.ALL_PROVIDERS_FAILED,
          call.tried.size()
              + " providers of "
              + call.route.procedure()
              + " were tried and none answered");
    }
  }

  private void finish(long key, Call call, ErrorCode code, String reason) {
    finish(key, call, Reply.error(call.route.callId(), code, reason));
  }

  private void finish(long key, Call call, Reply reply) {
    deadlines.remove(call.deadline);
    calls.remove(key);
    metrics.callFinished(outcomeOf(reply), System.nanoTime() - call.startNanos);
    if (call.route.replyTo() != null) {
      call.route.replyTo().tell(reply);
    }
  }

  private static String outcomeOf(Reply reply) {
    return reply.isError() ? reply.errorCode() : "ok";
  }

  private void runBuiltIn(Route route, long startNanos) {
    ActorRef<Command> self = getContext().getSelf();
    CompletableFuture.supplyAsync(
            () -> settings.diagnostics().run(route.procedure(), route.payload()),
            settings.diagnosticsExecutor())
        .whenComplete(
            (result, error) ->
                self.tell(
                    new BuiltInDone(route.callId(), result, error, route.replyTo(), startNanos)));
  }

  private Behavior<Command> onBuiltInDone(BuiltInDone done) {
    Reply reply =
        done.error() == null
            ? Reply.ok(done.callId(), done.result())
            : Reply.error(
                done.callId(), ErrorCode.HANDLER_ERROR, String.valueOf(done.error().getMessage()));
    metrics.callFinished(outcomeOf(reply), System.nanoTime() - done.startNanos());
    done.replyTo().tell(reply);
    return this;
  }
}
