package dev.fovea.node.session;

import dev.fovea.node.gateway.Outbox;
import dev.fovea.node.gateway.SlowConsumerPolicy;
import dev.fovea.node.metrics.MailboxDepths;
import dev.fovea.node.metrics.ThrottledLog;
import dev.fovea.node.pubsub.PublishBatch;
import dev.fovea.node.rpc.RpcRouter;
import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Cast;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.PubAck;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Reply;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.message.Unadvertise;
import dev.fovea.protocol.message.Unsubscribe;
import dev.fovea.sharding.registry.Invocation;
import dev.fovea.sharding.registry.InvocationOutcome;
import dev.fovea.sharding.registry.Provider;
import dev.fovea.sharding.registry.ServiceEntity;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.util.ByteString;

/**
 * One client connection. The gateway's stream hands it decoded frames in batches, one batch per
 * read from the socket, and waits for an acknowledgement before sending the next: a session that
 * falls behind slows its own client's reads and nobody else's.
 *
 * <p>The session owns what its client created: subscriptions in the node's index, advertisements in
 * the registry, invocations it was asked to run. When the connection ends, for whatever reason, it
 * removes all of them.
 */
public final class Session extends AbstractBehavior<Session.Command> {

  public interface Command {}

  /** The stream is ready; frames follow. */
  public record StreamStarted(ActorRef<StreamAck> ackTo) implements Command {}

  /**
   * The frames decoded from one read. {@code refusal} is set when the read also held bytes that
   * could not be decoded: the frames before them are handled, then the connection is refused.
   */
  public record Inbound(List<Message> frames, ProtocolException refusal, ActorRef<StreamAck> ackTo)
      implements Command {}

  public enum StreamAck {
    INSTANCE
  }

  /** The client closed the connection, or it failed. */
  public enum StreamEnded implements Command {
    INSTANCE
  }

  record Admitted(String sessionId) implements Command {}

  record Refused(ErrorCode code, String reason) implements Command {}

  private record CallAnswered(Reply reply) implements Command {}

  private record InvocationRequested(Invocation invocation) implements Command {}

  private record RegistrationConfirmed(String procedure) implements Command {}

  /** Send again the registrations the registry has not confirmed. */
  private enum RetryRegistrations implements Command {
    INSTANCE
  }

  private enum Reassert implements Command {
    INSTANCE
  }

  /** Re-assert every advertisement now: the registry may have lost it with a node. */
  public enum ReassertNow implements Command {
    INSTANCE
  }

  private enum CloseTimedOut implements Command {
    INSTANCE
  }

  /** The outbox is full and the policy is to disconnect. */
  private enum SlowConsumer implements Command {
    INSTANCE
  }

  private enum IdleCheck implements Command {
    INSTANCE
  }

  /** The overloaded topic shard a publish waited for has room again. */
  private enum ResumeBatch implements Command {
    INSTANCE
  }

  /**
   * A session waiting for a shard is woken by the shard; this timer is only a safety net, in case
   * the wake-up raced with the shard draining and was lost.
   */
  private static final Duration SHARD_RETRY = Duration.ofMillis(100);

  // A registration is lost when it goes to the region of a node that is dying or was just removed;
  // once the cluster has moved the entity, the next attempt lands. The delay doubles so that a long
  // outage costs each session a few messages, not one per second per advertisement.
  private static final Duration REGISTRATION_RETRY_FIRST = Duration.ofSeconds(1);
  private static final Duration REGISTRATION_RETRY_MAX = Duration.ofSeconds(8);

  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
  private static final ThrottledLog REFUSALS_LOG = new ThrottledLog(Duration.ofSeconds(10));

  public static Behavior<Command> create(
      SessionServices services,
      ActorRef<ClientManager.Command> clientManager,
      Outbox outbox,
      String remote) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Session(ctx, timers, services, clientManager, outbox, remote)));
  }

  private final TimerScheduler<Command> timers;
  private final SessionServices services;
  private final ActorRef<ClientManager.Command> clientManager;
  private final Outbox outbox;
  private final String remote;
  private final ClusterSharding sharding;
  private final ActorRef<Reply> replyAdapter;
  private final ActorRef<Invocation> invocationEndpoint;
  private final ActorRef<ServiceEntity.Registered> registrationAdapter;

  private final Set<String> subscriptions = new HashSet<>();
  private final Map<String, Long> advertisements = new HashMap<>();
  private final Map<Long, Invocation> invocations = new HashMap<>();
  // This read's publishes, grouped by topic shard; sent once the read is handled.
  private final PublishBatch publishes;
  // Advertised procedures whose latest registration the registry has not confirmed.
  private final Set<String> unconfirmed = new HashSet<>();
  private Duration registrationRetry = REGISTRATION_RETRY_FIRST;
  private final java.util.concurrent.atomic.AtomicInteger mailboxDepth;
  private long nextInvocationId = 1;
  private int pendingCalls;
  private long lastHeardNanos = System.nanoTime();
  private boolean pinged;

  private String sessionId;
  private SessionView view;
  private Connect connect;
  private boolean admitting;
  // Set while a publish waits for its overloaded topic shard (backpressure policy).
  private boolean waitingForShard;
  private boolean closing;
  // The batch being handled, kept while admission of a CONNECT is awaited.
  private Inbound batch;
  private int batchIndex;

  private Session(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      SessionServices services,
      ActorRef<ClientManager.Command> clientManager,
      Outbox outbox,
      String remote) {
    super(context);
    this.timers = timers;
    this.services = services;
    this.clientManager = clientManager;
    this.outbox = outbox;
    this.remote = remote;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.publishes = services.topicShards().localBatch();
    this.replyAdapter = context.messageAdapter(Reply.class, CallAnswered::new);
    this.invocationEndpoint = context.messageAdapter(Invocation.class, InvocationRequested::new);
    this.registrationAdapter =
        context.messageAdapter(
            ServiceEntity.Registered.class, r -> new RegistrationConfirmed(r.procedure()));
    this.mailboxDepth =
        MailboxDepths.get(context.getSystem())
            .depthOf("session", context.getSelf().path().toString());
    ActorRef<Command> self = context.getSelf();
    outbox.onSlowConsumer(() -> self.tell(SlowConsumer.INSTANCE));
    Duration idle = services.settings().idleTimeout();
    if (!idle.isZero()) {
      timers.startTimerWithFixedDelay(IdleCheck.INSTANCE, idle.dividedBy(4));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StreamStarted.class, s -> ack(s.ackTo()))
        .onMessage(Inbound.class, this::onInbound)
        .onMessageEquals(StreamEnded.INSTANCE, this::onStreamEnded)
        .onMessage(Admitted.class, this::onAdmitted)
        .onMessage(Refused.class, this::onRefused)
        .onMessage(CallAnswered.class, this::onCallAnswered)
        .onMessage(InvocationRequested.class, this::onInvocationRequested)
        .onMessageEquals(Reassert.INSTANCE, this::onReassert)
        .onMessageEquals(ReassertNow.INSTANCE, this::onReassert)
        .onMessage(RegistrationConfirmed.class, this::onRegistrationConfirmed)
        .onMessageEquals(RetryRegistrations.INSTANCE, this::onRetryRegistrations)
        .onMessageEquals(CloseTimedOut.INSTANCE, () -> Behaviors.stopped())
        .onMessageEquals(SlowConsumer.INSTANCE, this::onSlowConsumer)
        .onMessageEquals(IdleCheck.INSTANCE, this::onIdleCheck)
        .onMessageEquals(ResumeBatch.INSTANCE, this::onResumeBatch)
        .onSignal(PostStop.class, s -> onStop())
        .build();
  }

  // The inbound stream.

  private Behavior<Command> onInbound(Inbound in) {
    if (closing) {
      return ack(in.ackTo());
    }
    lastHeardNanos = System.nanoTime();
    pinged = false;
    batch = in;
    batchIndex = 0;
    return continueBatch();
  }

  /** Handles frames of the current batch until it is done or a CONNECT awaits admission. */
  private Behavior<Command> continueBatch() {
    List<Message> frames = batch.frames();
    while (batchIndex < frames.size() && !closing) {
      handle(frames.get(batchIndex++));
      if (admitting) {
        return this;
      }
      if (waitingForShard) {
        // The frame is handled again once its shard has room; until then the batch is not
        // acknowledged, so the stream reads nothing more from this client.
        batchIndex--;
        publishes.flush();
        ActorRef<Command> self = getContext().getSelf();
        Publish waiting = (Publish) frames.get(batchIndex);
        services.topicShards().awaitRoom(waiting.topic(), () -> self.tell(ResumeBatch.INSTANCE));
        timers.startSingleTimer(ResumeBatch.INSTANCE, SHARD_RETRY);
        return this;
      }
    }
    publishes.flush();
    if (batch.refusal() != null && !closing) {
      refuse(batch.refusal().code(), batch.refusal().reason());
    }
    ActorRef<StreamAck> ackTo = batch.ackTo();
    batch = null;
    return ack(ackTo);
  }

  private Behavior<Command> ack(ActorRef<StreamAck> ackTo) {
    ackTo.tell(StreamAck.INSTANCE);
    return this;
  }

  private void handle(Message m) {
    if (sessionId == null) {
      if (m instanceof Connect c) {
        admitting = true;
        connect = c;
        clientManager.tell(new ClientManager.Admit(c, remote, getContext().getSelf()));
      } else {
        refuse(ErrorCode.NOT_CONNECTED, "the first frame must be CONNECT, got " + m.type());
      }
      return;
    }
    switch (m.type()) {
      case PUBLISH -> onPublish((Publish) m);
      case SUBSCRIBE -> onSubscribe((Subscribe) m);
      case UNSUBSCRIBE -> onUnsubscribe((Unsubscribe) m);
      case CALL -> onCall((Call) m);
      case CAST -> onCast((Cast) m);
      case RESULT -> onResult((Result) m);
      case ADVERTISE -> onAdvertise((Advertise) m);
      case UNADVERTISE -> onUnadvertise((Unadvertise) m);
      case PING -> outbox.send(Pong.INSTANCE);
      case PONG -> {}
      case DISCONNECT -> close();
      case CONNECT -> refuse(ErrorCode.ALREADY_CONNECTED, "this session is already connected");
      default -> refuse(ErrorCode.UNEXPECTED_FRAME, m.type() + " is sent by a node, not a client");
    }
  }

  // Admission.

  private Behavior<Command> onAdmitted(Admitted a) {
    sessionId = a.sessionId();
    admitting = false;
    view = new SessionView(sessionId, connect.client(), connect.realm(), remote, outbox);
    services.live().add(view);
    outbox.send(new Connected(sessionId, services.nodeId(), services.settings().sessionLimits()));
    return batch == null ? this : continueBatch();
  }

  private Behavior<Command> onRefused(Refused r) {
    admitting = false;
    refuse(r.code(), r.reason());
    return batch == null ? this : continueBatch();
  }

  // Publish and subscribe.

  private Behavior<Command> onResumeBatch() {
    if (!waitingForShard) {
      return this; // the shard's wake-up and the safety timer both came
    }
    waitingForShard = false;
    timers.cancel(ResumeBatch.INSTANCE);
    return batch == null || closing ? this : continueBatch();
  }

  private void onPublish(Publish p) {
    if (services.topicShards().isOverloaded(p.topic())) {
      switch (services.settings().shedPolicy()) {
        case BACKPRESSURE -> {
          waitingForShard = true;
          return;
        }
        case DROP_NEWEST -> {
          // Not acknowledged: a PUBACK says the publish was accepted for delivery.
          services.topicShards().shed();
          return;
        }
        case DROP_OLDEST -> {}
      }
    }
    // Encoded once here; every subscriber's connection is handed the same bytes.
    Publish delivery = p.wantsAck() ? new Publish(p.topic(), p.payload()) : p;
    publishes.add(p.topic(), ByteString.fromArrayUnsafe(FrameCodec.encode(delivery)));
    services.publishes().increment();
    if (p.wantsAck()) {
      outbox.send(new PubAck(p.ackId()));
    }
  }

  private void onSubscribe(Subscribe s) {
    if (subscriptions.contains(s.pattern())) {
      return;
    }
    if (subscriptions.size() >= services.settings().maxSubscriptions()) {
      refuse(
          ErrorCode.TOO_MANY_SUBSCRIPTIONS,
          "a session may hold " + services.settings().maxSubscriptions() + " subscriptions");
      return;
    }
    subscriptions.add(s.pattern());
    view.liveSubscriptions().add(s.pattern());
    services.subscriptions().add(s.pattern(), outbox);
  }

  private void onUnsubscribe(Unsubscribe u) {
    if (subscriptions.remove(u.pattern())) {
      view.liveSubscriptions().remove(u.pattern());
      services.subscriptions().remove(u.pattern(), outbox);
    }
  }

  // Calls made by this client.

  private void onCall(Call c) {
    if (pendingCalls >= services.settings().maxPendingCalls()) {
      // Refused without closing the session: the client may go on once its calls are answered.
      services.metrics().refused(ErrorCode.TOO_MANY_PENDING_CALLS.code());
      outbox.send(
          Reply.error(
              c.callId(),
              ErrorCode.TOO_MANY_PENDING_CALLS,
              "a session may have " + services.settings().maxPendingCalls() + " calls in flight"));
      return;
    }
    pendingCalls++;
    view.pendingCalls(pendingCalls);
    services
        .routers()
        .pick(c.callId() ^ getContext().getSelf().hashCode())
        .tell(
            new RpcRouter.Route(
                c.callId(), c.procedure(), c.payload(), c.timeoutMs(), replyAdapter));
  }

  private void onCast(Cast c) {
    services.routers().pick(c.hashCode()).tell(new RpcRouter.CastTo(c.procedure(), c.payload()));
  }

  private Behavior<Command> onCallAnswered(CallAnswered answered) {
    pendingCalls--;
    view.pendingCalls(pendingCalls);
    if (!closing) {
      outbox.send(answered.reply());
    }
    return this;
  }

  // Procedures this client provides.

  private void onAdvertise(Advertise a) {
    if (!advertisements.containsKey(a.procedure())
        && advertisements.size() >= services.settings().maxAdvertisements()) {
      refuse(
          ErrorCode.TOO_MANY_ADVERTISEMENTS,
          "a session may advertise " + services.settings().maxAdvertisements() + " procedures");
      return;
    }
    long ttl = a.ttlMs() > 0 ? a.ttlMs() : services.settings().defaultTtl().toMillis();
    advertisements.put(a.procedure(), ttl);
    view.liveAdvertisements().add(a.procedure());
    register(a.procedure(), ttl);
    scheduleReassert();
  }

  private void onUnadvertise(Unadvertise u) {
    if (advertisements.remove(u.procedure()) != null) {
      view.liveAdvertisements().remove(u.procedure());
      unconfirmed.remove(u.procedure());
      unregister(u.procedure());
      scheduleReassert();
    }
  }

  private Behavior<Command> onReassert() {
    advertisements.forEach(this::register);
    return this;
  }

  /** Re-asserts at a third of the shortest TTL, so that two re-assertions may be lost in a row. */
  private void scheduleReassert() {
    if (advertisements.isEmpty() || !services.settings().reassert()) {
      timers.cancel(Reassert.INSTANCE);
      return;
    }
    long shortest = advertisements.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    Duration every = Duration.ofMillis(Math.max(100, shortest / 3));
    timers.startTimerWithFixedDelay(Reassert.INSTANCE, every);
  }

  private void register(String procedure, long ttlMillis) {
    sendRegistration(procedure, ttlMillis);
    unconfirmed.add(procedure);
    registrationRetry = REGISTRATION_RETRY_FIRST;
    timers.startSingleTimer(RetryRegistrations.INSTANCE, registrationRetry);
  }

  private void sendRegistration(String procedure, long ttlMillis) {
    sharding
        .entityRefFor(ServiceEntity.ENTITY_TYPE_KEY, procedure)
        .tell(new ServiceEntity.Register(provider(), ttlMillis, registrationAdapter));
  }

  private Behavior<Command> onRegistrationConfirmed(RegistrationConfirmed c) {
    unconfirmed.remove(c.procedure());
    if (unconfirmed.isEmpty()) {
      timers.cancel(RetryRegistrations.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onRetryRegistrations() {
    if (closing || unconfirmed.isEmpty()) {
      return this;
    }
    for (String procedure : unconfirmed) {
      sendRegistration(procedure, advertisements.get(procedure));
    }
    registrationRetry = min(registrationRetry.multipliedBy(2), REGISTRATION_RETRY_MAX);
    timers.startSingleTimer(RetryRegistrations.INSTANCE, registrationRetry);
    return this;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void unregister(String procedure) {
    sharding
        .entityRefFor(ServiceEntity.ENTITY_TYPE_KEY, procedure)
        .tell(new ServiceEntity.Unregister(providerId()));
  }

  private Provider provider() {
    return new Provider(providerId(), services.nodeId(), invocationEndpoint);
  }

  private String providerId() {
    return services.nodeId() + "/" + sessionId;
  }

  private Behavior<Command> onInvocationRequested(InvocationRequested r) {
    Invocation i = r.invocation();
    if (closing) {
      if (i.expectsOutcome()) {
        i.replyTo().tell(InvocationOutcome.gone(i));
      }
      return this;
    }
    if (mailboxDepth.get() > services.settings().highWaterMark()) {
      // This provider's client is not keeping up: apply the slow-consumer policy to it.
      if (services.settings().slowConsumerPolicy() == SlowConsumerPolicy.DISCONNECT) {
        onSlowConsumer();
      } else if (i.expectsOutcome()) {
        i.replyTo()
            .tell(
                InvocationOutcome.error(
                    i, ErrorCode.OVERLOADED.code(), "the provider's session is overloaded"));
      }
      return this;
    }
    long id = nextInvocationId++;
    if (i.expectsOutcome()) {
      invocations.put(id, i);
    }
    outbox.send(new Invoke(id, i.procedure(), i.payload(), i.expectsOutcome()));
    return this;
  }

  private void onResult(Result r) {
    Invocation i = invocations.remove(r.invocationId());
    if (i == null) {
      return; // an answer for an invocation that was never sent, or already answered
    }
    i.replyTo()
        .tell(
            r.isError()
                ? InvocationOutcome.error(i, r.errorCode(), r.errorReason())
                : InvocationOutcome.ok(i, r.payload()));
  }

  // Closing.

  private Behavior<Command> onSlowConsumer() {
    if (!closing) {
      String reason =
          "the client did not read its messages fast enough; "
              + outbox.dropped()
              + " frames were dropped";
      services.metrics().refused(ErrorCode.SLOW_CONSUMER.code());
      if (REFUSALS_LOG.admit(ErrorCode.SLOW_CONSUMER.code()) >= 0) {
        getContext().getLog().info("disconnecting slow consumer {} session {}", remote, sessionId);
      }
      outbox.replaceAllWith(new ErrorMessage(ErrorCode.SLOW_CONSUMER, reason));
      close();
    }
    return this;
  }

  /** Closes a client that sent nothing for the idle timeout, after one PING it did not answer. */
  private Behavior<Command> onIdleCheck() {
    Duration idle = services.settings().idleTimeout();
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (closing) {
      return this;
    }
    if (silentNanos >= idle.toNanos()) {
      refuse(
          ErrorCode.IDLE_TIMEOUT,
          "nothing received for " + idle.toMillis() + " ms, not even an answer to PING");
    } else if (silentNanos >= idle.toNanos() / 2 && !pinged && sessionId != null) {
      pinged = true;
      outbox.send(Ping.INSTANCE);
    }
    return this;
  }

  /** Tells the client why, then closes its connection. */
  private void refuse(ErrorCode code, String reason) {
    services.metrics().refused(code.code());
    getContext()
        .getLog()
        .info(
            "refusing {} session {}: {} {}",
            remote,
            sessionId == null ? "-" : sessionId,
            code.code(),
            reason);
    outbox.sendLast(new ErrorMessage(code, reason));
    close();
  }

  /**
   * Releases what the session holds at once, and closes the connection once the queued frames are
   * written. The actor stays until the stream ends, so that the stream never writes to a stopped
   * actor; a timer bounds that wait.
   */
  private void close() {
    if (closing) {
      return;
    }
    closing = true;
    releaseAll();
    outbox.close();
    timers.startSingleTimer(CloseTimedOut.INSTANCE, CLOSE_GRACE);
  }

  private Behavior<Command> onStreamEnded() {
    return Behaviors.stopped();
  }

  private Behavior<Command> onStop() {
    releaseAll();
    outbox.close();
    return this;
  }

  private void releaseAll() {
    if (sessionId != null) {
      services.live().remove(sessionId);
    }
    for (String pattern : subscriptions) {
      services.subscriptions().remove(pattern, outbox);
    }
    subscriptions.clear();
    for (String procedure : advertisements.keySet()) {
      unregister(procedure);
    }
    advertisements.clear();
    unconfirmed.clear();
    timers.cancel(Reassert.INSTANCE);
    timers.cancel(RetryRegistrations.INSTANCE);
    for (Invocation i : invocations.values()) {
      i.replyTo().tell(InvocationOutcome.gone(i));
    }
    invocations.clear();
  }
}
