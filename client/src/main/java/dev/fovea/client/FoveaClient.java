package dev.fovea.client;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Cast;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.Disconnect;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.PubAck;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Reply;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.topic.TopicLimits;
import dev.fovea.protocol.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A connection to a Fovea node: publish and subscribe to topics, call procedures, and provide them.
 *
 * <p><b>Threads.</b> Each client has one reader thread, which decodes frames and dispatches them
 * without ever blocking, and one writer thread, which batches frames onto the socket (see {@link
 * FrameWriter}). Message and procedure handlers run on the handler executor: by default a cached
 * pool of daemon threads that the client owns and stops on close. Each subscription's messages are
 * handled one at a time and in order; different subscriptions, and invocations, run in parallel.
 *
 * <p>The futures this client returns are completed on its reader thread (or, when a safety timer
 * fires, on the shared timer thread). A dependent stage that blocks, or that waits for this same
 * client, must be attached with an {@code ...Async} method; a blocking {@code get()} or {@code
 * join()} from any other thread, handlers included, is safe.
 *
 * <p>The client does not reconnect: when the connection is lost every call in flight fails with
 * {@link FoveaException#CONNECTION_LOST}, the client closes, and the {@link #onClose} listeners
 * run. A {@link MeshClient} reconnects, to any of several nodes, and replays its subscriptions and
 * advertisements; a {@link ConnectionPool} keeps connections to several nodes.
 */
public final class FoveaClient implements AutoCloseable {
  /** The realm a client joins unless told otherwise. */
  public static final String DEFAULT_REALM = "macula.default";

  private static final System.Logger LOG = System.getLogger(FoveaClient.class.getName());

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * A call is failed locally after this many times its timeout plus {@link #SAFETY_GRACE}: the node
   * tries up to three providers in turn, each for the full timeout, before it replies.
   */
  private static final int SAFETY_ATTEMPTS = 3;

  private static final Duration SAFETY_GRACE = Duration.ofSeconds(1);
  private static final Duration SWEEP_EVERY = Duration.ofMillis(250);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
  private static final long MAX_QUEUED_BYTES = 8L << 20;
  private static final int READ_BUFFER_BYTES = 64 * 1024;

  /**
   * What the client accepts from a node. Generous on purpose: a node enforces its own, smaller,
   * limits on what it relays, and a client that refused a node's frame would have to drop the
   * connection.
   */
  private static final FrameLimits INBOUND =
      new FrameLimits(64 << 20, new TopicLimits(64 * 1024, 1024));

  private static final byte[] PING_FRAME = FrameCodec.encode(Ping.INSTANCE);
  private static final byte[] PONG_FRAME = FrameCodec.encode(Pong.INSTANCE);
  private static final byte[] DISCONNECT_FRAME = FrameCodec.encode(new Disconnect(null));

  private final String address;
  private final Socket socket;
  private final InputStream in;
  private final FrameDecoder decoder;
  private final Connected connected;
  private final TopicLimits names;
  private final long maxBodyBytes;
  private final Duration callTimeout;
  private final Duration defaultTimeout;
  private final Executor executor;
  private final ExecutorService ownedExecutor;
  private final FrameWriter writer;
  private final Subscriptions subscriptions;
  private final Providers providers;
  private final Thread reader;

  private final ConcurrentHashMap<Long, PendingCall> calls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, PendingAck> acks = new ConcurrentHashMap<>();
  private final ArrayDeque<PendingPing> pings = new ArrayDeque<>();
  private final AtomicLong lastCallId = new AtomicLong();
  private final AtomicLong lastAckId = new AtomicLong();
  private final LogThrottle unexpectedFrameLog = new LogThrottle();

  private final Object closeLock = new Object();
  private final List<Consumer<FoveaException>> closeListeners = new ArrayList<>();
  private volatile FoveaException closedBy;
  // The safety-net sweep of unanswered requests, started by the first one, stopped on close.
  private volatile ScheduledFuture<?> sweeper;

  // Written by the reader thread only; read by liveness checks (see MeshClient).
  private volatile long reads;

  private FoveaClient(Builder options, Handshake handshake) {
    Connected connected = handshake.connected();
    this.address = handshake.address();
    this.socket = handshake.socket();
    this.in = handshake.in();
    this.decoder = handshake.decoder();
    this.connected = connected;
    this.names =
        new TopicLimits(
            positiveInt(
                connected, Connected.Limit.MAX_TOPIC_LENGTH, TopicLimits.DEFAULT.maxLength()),
            positiveInt(
                connected, Connected.Limit.MAX_TOPIC_DEPTH, TopicLimits.DEFAULT.maxDepth()));
    this.maxBodyBytes =
        connected.limit(Connected.Limit.MAX_FRAME_BYTES, FrameLimits.DEFAULT_MAX_BODY_BYTES);
    this.callTimeout = options.callTimeout;
    this.defaultTimeout =
        options.callTimeout != null
            ? options.callTimeout
            : Duration.ofMillis(
                connected.limit(
                    Connected.Limit.DEFAULT_CALL_TIMEOUT_MS, DEFAULT_TIMEOUT.toMillis()));
    if (options.executor != null) {
      this.executor = options.executor;
      this.ownedExecutor = null;
    } else {
      this.ownedExecutor =
          Executors.newCachedThreadPool(
              ClientThreads.daemons("fovea-client-handler-" + options.clientName));
      this.executor = ownedExecutor;
    }
    this.writer =
        new FrameWriter(
            handshake.out(), options.clientName, MAX_QUEUED_BYTES, this::onWriteFailure);
    this.subscriptions = new Subscriptions(this::send, executor, options.maxPendingDeliveries);
    this.providers = new Providers(this::send, this::answer, executor);
    this.reader =
        ClientThreads.daemon(
            "fovea-client-reader-" + options.clientName, () -> readLoop(handshake.early()));
  }

  /** Connects to a node with the default options, blocking until the node admits the client. */
  public static FoveaClient connect(String host, int port, String realm) {
    return builder(host, port).realm(realm).connect();
  }

  /** Options for a connection to {@code host:port}; {@link Builder#connect()} opens it. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  // --- Session -----------------------------------------------------------------------------------

  /** The session id the node assigned. */
  public String sessionId() {
    return connected.sessionId();
  }

  /** The id of the node this client is connected to. */
  public String nodeId() {
    return connected.nodeId();
  }

  /** The limits the node stated for this session, by name (see {@link Connected.Limit}). */
  public Map<String, Long> limits() {
    return connected.limits();
  }

  /** Whether the client is still connected. */
  public boolean isOpen() {
    return closedBy == null;
  }

  /**
   * Registers a listener for the end of the connection. It receives why: code {@link
   * FoveaException#CLIENT_CLOSED} after {@link #close()}, {@link FoveaException#CONNECTION_LOST},
   * or the code of the node's ERROR frame. If the client is already closed it runs at once.
   */
  public void onClose(Consumer<FoveaException> listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (closeLock) {
      if (closedBy == null) {
        closeListeners.add(listener);
        return;
      }
    }
    listener.accept(closedBy);
  }

  /**
   * Sends PING and completes with the round trip when the PONG arrives. The node handles a
   * session's frames in order, so by then it has applied every frame this client sent before.
   */
  public CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> pong = new CompletableFuture<>();
    synchronized (pings) {
      if (closedBy != null) {
        pong.completeExceptionally(closedException());
        return pong;
      }
      pings.add(new PendingPing(System.nanoTime(), pong));
      if (!writer.offer(PING_FRAME)) {
        pings.removeLast();
        pong.completeExceptionally(closedException());
      }
    }
    return pong;
  }

  /**
   * Waits until the node has applied everything sent so far, in particular every SUBSCRIBE: the
   * protocol has no subscribe receipt, so call this after {@link #subscribe} when the next thing
   * must already be delivered. Waits at most the default call timeout.
   *
   * @throws FoveaException if the client closes or the node does not answer in time
   */
  public void flush() {
    flush(defaultTimeout);
  }

  /** {@link #flush()}, waiting at most {@code timeout}. */
  public void flush(Duration timeout) {
    await(ping(), positive(timeout, "timeout"), "PONG from " + address);
  }

  /** Sends DISCONNECT and closes the connection; handlers stop. Idempotent. */
  @Override
  public void close() {
    terminate(new FoveaException(FoveaException.CLIENT_CLOSED, "the client was closed"), true);
  }

  /**
   * How many reads from the socket brought bytes: a count that stands still across PING intervals
   * means the node has gone silent.
   */
  long reads() {
    return reads;
  }

  /** Drops the connection at once, without a goodbye, as if it had broken. */
  void abort(String reason) {
    terminate(lost(reason, null), false);
  }

  // --- Publish and subscribe ---------------------------------------------------------------------

  /**
   * Publishes a message. It is queued for the socket and the method returns; use {@link
   * #publishWithAck} to learn that the node accepted it.
   *
   * @throws ProtocolException if the topic is not a valid name or the payload is over the node's
   *     frame limit
   * @throws FoveaException if the client is closed
   */
  public void publish(String topic, byte[] payload) {
    Topics.validateTopic(topic, names);
    if (!writer.send(encode(new Publish(topic, payload)))) {
      throw closedException();
    }
  }

  /** Publishes the text as UTF-8. */
  public void publish(String topic, String text) {
    publish(topic, utf8(text));
  }

  /**
   * Publishes a message and completes when the node acknowledges it with PUBACK: it was accepted
   * for delivery. Fails with {@link FoveaException#TIMEOUT} if no PUBACK comes within three times
   * the default call timeout plus a second.
   *
   * @throws ProtocolException if the topic is not a valid name or the payload is too large
   */
  public CompletableFuture<Void> publishWithAck(String topic, byte[] payload) {
    Topics.validateTopic(topic, names);
    long ackId = lastAckId.incrementAndGet();
    byte[] frame = encode(new Publish(topic, payload, ackId));

    CompletableFuture<Void> acked = new CompletableFuture<>();
    long limit = safetyLimitNanos(defaultTimeout.toNanos());
    acks.put(ackId, new PendingAck(topic, acked, System.nanoTime() + limit, limit));
    startSweeping();
    enqueue(frame, acked);
    return acked;
  }

  /** {@link #publishWithAck(String, byte[])} with the text as UTF-8. */
  public CompletableFuture<Void> publishWithAck(String topic, String text) {
    return publishWithAck(topic, utf8(text));
  }

  /**
   * Subscribes to a pattern: {@code *} stands for one segment, {@code **} for any number. The
   * handler receives each matching message once, however many of this client's patterns match it.
   * The SUBSCRIBE is queued when this returns; {@link #flush()} waits until the node applied it.
   *
   * @throws ProtocolException if the pattern is not valid
   * @throws FoveaException if the client is closed
   */
  public Subscription subscribe(String pattern, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Topics.validatePattern(pattern, names);
    ensureOpen();
    return subscriptions.add(pattern, handler);
  }

  // --- Calls -------------------------------------------------------------------------------------

  /**
   * Calls a procedure and completes with the provider's result. An error reply fails the future
   * with a {@link CallException} carrying the node's code; a lost connection fails it with a {@link
   * FoveaException}.
   *
   * @param timeout how long each provider has to answer; {@code null} takes the node's default
   * @throws ProtocolException if the procedure name is not valid or the payload is too large
   */
  public CompletableFuture<byte[]> call(String procedure, byte[] payload, Duration timeout) {
    Topics.validateProcedure(procedure, names);
    long timeoutMs = timeout == null ? 0 : millis(positive(timeout, "timeout"));
    long callId = lastCallId.incrementAndGet();
    byte[] frame = encode(new Call(callId, procedure, payload, timeoutMs));

    CompletableFuture<byte[]> reply = new CompletableFuture<>();
    long limit =
        safetyLimitNanos(
            timeoutMs == 0 ? defaultTimeout.toNanos() : MILLISECONDS.toNanos(timeoutMs));
    calls.put(callId, new PendingCall(procedure, reply, System.nanoTime() + limit, limit));
    startSweeping();
    enqueue(frame, reply);
    return reply;
  }

  /** {@link #call(String, byte[], Duration)} with the default call timeout. */
  public CompletableFuture<byte[]> call(String procedure, byte[] payload) {
    return call(procedure, payload, callTimeout);
  }

  /** Calls with a UTF-8 text payload and decodes the result as UTF-8. */
  public CompletableFuture<String> callText(String procedure, String text, Duration timeout) {
    return call(procedure, utf8(text), timeout).thenApply(FoveaClient::text);
  }

  /** {@link #callText(String, String, Duration)} with the default call timeout. */
  public CompletableFuture<String> callText(String procedure, String text) {
    return callText(procedure, text, callTimeout);
  }

  /**
   * Invokes a procedure without waiting for, or getting, a result.
   *
   * @throws ProtocolException if the procedure name is not valid or the payload is too large
   * @throws FoveaException if the client is closed
   */
  public void cast(String procedure, byte[] payload) {
    Topics.validateProcedure(procedure, names);
    if (!writer.send(encode(new Cast(procedure, payload)))) {
      throw closedException();
    }
  }

  /** {@link #cast(String, byte[])} with the text as UTF-8. */
  public void cast(String procedure, String text) {
    cast(procedure, utf8(text));
  }

  // --- Providing procedures ----------------------------------------------------------------------

  /**
   * Provides a procedure with the node's default TTL; see {@link #advertise(String, Duration,
   * ProcedureHandler)}.
   */
  public Advertisement advertise(String procedure, ProcedureHandler handler) {
    return advertise(procedure, null, handler);
  }

  /**
   * Registers this client as a provider of a procedure. The node keeps the registration alive for
   * as long as the connection lasts; the TTL bounds how long it outlives a node that stops
   * re-asserting it. Each invocation runs the handler on the handler executor.
   *
   * @param ttl {@code null} takes the node's default
   * @throws IllegalStateException if this client already provides the procedure
   * @throws ProtocolException if the procedure name is not valid
   */
  public Advertisement advertise(String procedure, Duration ttl, ProcedureHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Topics.validateProcedure(procedure, names);
    long ttlMs = ttl == null ? 0 : millis(positive(ttl, "ttl"));
    ensureOpen();

    return providers.add(procedure, ttlMs, handler);
  }

  // --- Reading -----------------------------------------------------------------------------------

  private void readLoop(List<Message> early) {
    try {
      early.forEach(this::onMessage);
      byte[] buffer = new byte[READ_BUFFER_BYTES];
      while (closedBy == null) {
        int n = in.read(buffer);
        if (n < 0) {
          terminate(lost(address + " closed the connection", null), false);
          return;
        }
        reads++;
        decoder.feed(ByteBuffer.wrap(buffer, 0, n), this::onMessage);
      }
    } catch (IOException e) {
      terminate(lost("the connection to " + address + " broke: " + e.getMessage(), e), false);
    } catch (ProtocolException e) {
      terminate(
          new FoveaException(
              e.code().code(), address + " sent a frame the client cannot read: " + e.reason(), e),
          false);
    } catch (RuntimeException e) {
      terminate(
          new FoveaException(
              ErrorCode.INTERNAL.code(), "the client failed reading from " + address + ": " + e, e),
          false);
    }
  }

  private void onMessage(Message message) {
    switch (message.type()) {
      case PUBLISH -> subscriptions.dispatch((Publish) message);
      case PUBACK -> onPubAck((PubAck) message);
      case REPLY -> onReply((Reply) message);
      case INVOKE -> providers.invoke((Invoke) message);
      case PING -> writer.offer(PONG_FRAME);
      case PONG -> onPong();
      case ERROR -> {
        ErrorMessage error = (ErrorMessage) message;
        terminate(new FoveaException(error.code(), error.reason()), false);
      }
      case DISCONNECT -> {
        String reason = ((Disconnect) message).reason();
        terminate(
            lost(address + " disconnected" + (reason == null ? "" : ": " + reason), null), false);
      }
      default -> {
        long held = unexpectedFrameLog.acquire();
        if (held >= 0) {
          LOG.log(
              Level.WARNING,
              () ->
                  "ignored an unexpected "
                      + message.type()
                      + " frame from "
                      + address
                      + LogThrottle.heldBack(held));
        }
      }
    }
  }

  private void onPubAck(PubAck ack) {
    PendingAck acked = acks.remove(ack.ackId());
    if (acked != null) {
      acked.future.complete(null);
    }
  }

  /**
   * Starts, on the first call or acknowledged publish, the sweep that fails what the node never
   * answered. The node answers every call and publish itself, so this is a safety net and needs no
   * precision: one periodic sweep of the pending maps costs far less than a timer per request.
   */
  private void startSweeping() {
    if (sweeper == null) {
      synchronized (closeLock) {
        if (sweeper == null && closedBy == null) {
          sweeper =
              ClientThreads.timer()
                  .scheduleWithFixedDelay(
                      this::sweep, SWEEP_EVERY.toMillis(), SWEEP_EVERY.toMillis(), MILLISECONDS);
        }
      }
    }
  }

  /**
   * Fails what waited past its safety limit, and forgets what was completed some other way, such as
   * a future its caller cancelled: a reply removes its own entry, so nothing else needs a hook on
   * every future.
   */
  private void sweep() {
    long now = System.nanoTime();
    calls.values().removeIf(call -> call.reply.isDone());
    acks.values().removeIf(ack -> ack.future.isDone());
    for (PendingCall call : calls.values()) {
      if (now - call.deadlineNanos >= 0) {
        call.reply.completeExceptionally(
            new CallException(
                call.procedure,
                FoveaException.TIMEOUT,
                "no reply from "
                    + address
                    + " within "
                    + describe(Duration.ofNanos(call.limitNanos))));
      }
    }
    for (PendingAck ack : acks.values()) {
      if (now - ack.deadlineNanos >= 0) {
        ack.future.completeExceptionally(
            new FoveaException(
                FoveaException.TIMEOUT,
                "no PUBACK for a message on "
                    + ack.topic
                    + " within "
                    + describe(Duration.ofNanos(ack.limitNanos))));
      }
    }
  }

  private void onReply(Reply reply) {
    PendingCall call = calls.remove(reply.callId());
    if (call == null) {
      return; // it timed out locally, or was cancelled
    }
    if (reply.isError()) {
      call.reply.completeExceptionally(
          new CallException(call.procedure, reply.errorCode(), reply.errorReason()));
    } else {
      call.reply.complete(reply.payload());
    }
  }

  private void onPong() {
    PendingPing ping;
    synchronized (pings) {
      ping = pings.poll();
    }
    if (ping != null) {
      ping.pong.complete(Duration.ofNanos(System.nanoTime() - ping.sentNanos));
    }
  }

  /**
   * Sends the RESULT of an invocation that expects one; never blocks the reader on a full queue.
   */
  private void answer(Invoke invoke, Result result) {
    if (!invoke.expectsResult()) {
      return;
    }
    byte[] frame = FrameCodec.encode(result);
    if (frame.length - FrameCodec.HEADER_BYTES > maxBodyBytes) {
      frame =
          FrameCodec.encode(
              Result.error(
                  invoke.invocationId(),
                  ErrorCode.HANDLER_ERROR,
                  "the result of "
                      + result.payload().length
                      + " bytes is over the node's frame limit of "
                      + maxBodyBytes));
    }
    if (Thread.currentThread() == reader) {
      writer.offer(frame);
    } else {
      try {
        writer.send(frame);
      } catch (FoveaException e) {
        // Interrupted while the client closes: the caller's call fails with the connection.
      }
    }
  }

  // --- Writing -----------------------------------------------------------------------------------

  private void send(Message message) {
    if (!writer.send(encode(message))) {
      throw closedException();
    }
  }

  /** Queues a frame whose answer completes {@code future}, failing it if the client is closed. */
  private void enqueue(byte[] frame, CompletableFuture<?> future) {
    try {
      // Checked after the future was registered: a close either sees it or is seen here.
      if (closedBy != null || !writer.send(frame)) {
        future.completeExceptionally(closedException());
      }
    } catch (FoveaException e) {
      future.completeExceptionally(e);
    }
  }

  /** Encodes a frame, refusing before it is sent one that the node would refuse. */
  private byte[] encode(Message message) {
    byte[] frame = FrameCodec.encode(message);
    int bodyBytes = frame.length - FrameCodec.HEADER_BYTES;
    if (bodyBytes > maxBodyBytes) {
      throw new ProtocolException(
          ErrorCode.FRAME_TOO_LARGE,
          "a "
              + message.type()
              + " of "
              + bodyBytes
              + " bytes is over the node's frame limit of "
              + maxBodyBytes);
    }
    return frame;
  }

  private void onWriteFailure(IOException e) {
    terminate(lost("writing to " + address + " failed: " + e.getMessage(), e), false);
  }

  // --- Closing -----------------------------------------------------------------------------------

  /** Ends the connection once, for whatever reason came first, and fails everything waiting. */
  private void terminate(FoveaException cause, boolean graceful) {
    List<Consumer<FoveaException>> listeners;
    synchronized (closeLock) {
      if (closedBy != null) {
        return;
      }
      closedBy = cause;
      listeners = List.copyOf(closeListeners);
      closeListeners.clear();
    }

    subscriptions.close();
    providers.close();
    if (graceful) {
      writer.finish(DISCONNECT_FRAME, CLOSE_GRACE);
    } else {
      writer.abort();
    }
    Handshake.closeQuietly(socket);
    ScheduledFuture<?> sweeping = sweeper;
    if (sweeping != null) {
      sweeping.cancel(false);
    }
    failPending(cause);
    if (ownedExecutor != null) {
      ownedExecutor.shutdownNow();
    }
    LOG.log(Level.DEBUG, () -> "connection to " + address + " closed: " + cause.getMessage());

    for (Consumer<FoveaException> listener : listeners) {
      try {
        listener.accept(cause);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a close listener of the client failed", e);
      }
    }
  }

  private void failPending(FoveaException cause) {
    for (Long callId : calls.keySet()) {
      PendingCall call = calls.remove(callId);
      if (call != null) {
        call.reply.completeExceptionally(cause);
      }
    }
    for (Long ackId : acks.keySet()) {
      PendingAck acked = acks.remove(ackId);
      if (acked != null) {
        acked.future.completeExceptionally(cause);
      }
    }
    List<PendingPing> unanswered;
    synchronized (pings) {
      unanswered = List.copyOf(pings);
      pings.clear();
    }
    unanswered.forEach(ping -> ping.pong.completeExceptionally(cause));
  }

  private void ensureOpen() {
    if (closedBy != null) {
      throw closedException();
    }
  }

  /** A fresh exception for this caller's stack, naming why the client closed. */
  private FoveaException closedException() {
    FoveaException cause = closedBy;
    if (cause == null) {
      // The writer stopped a moment before terminate() recorded why.
      return lost("the connection to " + address + " is closed", null);
    }
    return new FoveaException(cause.code(), cause.reason(), cause);
  }

  private static FoveaException lost(String reason, Throwable cause) {
    return new FoveaException(FoveaException.CONNECTION_LOST, reason, cause);
  }

  // --- Helpers -----------------------------------------------------------------------------------

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toNanos(), NANOSECONDS);
    } catch (TimeoutException e) {
      throw new FoveaException(
          FoveaException.TIMEOUT, "no " + what + " within " + describe(timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoveaException(FoveaException.INTERRUPTED, "interrupted waiting for " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof FoveaException failure) {
        throw new FoveaException(failure.code(), failure.reason(), failure);
      }
      throw new FoveaException(
          ErrorCode.INTERNAL.code(), "waiting for " + what + " failed: " + e.getCause(), e);
    }
  }

  /** A limit the node stated, or the fallback when it stated none or one that makes no sense. */
  private static int positiveInt(Connected connected, String name, int fallback) {
    long value = connected.limit(name, fallback);
    return value > 0 && value <= Integer.MAX_VALUE ? (int) value : fallback;
  }

  /**
   * The safety limit in nanoseconds, in plain arithmetic: {@code Duration.multipliedBy} goes
   * through BigDecimal, and this is computed on every call.
   */
  private static long safetyLimitNanos(long timeoutNanos) {
    return timeoutNanos * SAFETY_ATTEMPTS + SAFETY_GRACE.toNanos();
  }

  static Duration positive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + describe(duration));
    }
    return duration;
  }

  /** Whole milliseconds, at least one. */
  private static long millis(Duration duration) {
    return Math.max(1, duration.toMillis());
  }

  static String describe(Duration duration) {
    return duration.toMillis() + " ms";
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static FoveaClient open(Builder options) {
    Handshake handshake =
        Handshake.perform(
            options.host,
            options.port,
            new Connect(options.realm, options.clientName, options.token),
            options.connectTimeout,
            INBOUND);
    try {
      FoveaClient client = new FoveaClient(options, handshake);
      client.writer.start();
      client.reader.start();
      LOG.log(
          Level.DEBUG,
          () ->
              "connected to "
                  + handshake.address()
                  + " in realm "
                  + options.realm
                  + " as session "
                  + client.sessionId()
                  + " on node "
                  + client.nodeId());
      return client;
    } catch (RuntimeException | Error e) {
      Handshake.closeQuietly(handshake.socket());
      throw e;
    }
  }

  /** The options of a connection. Every setting has a default except host and port. */
  public static final class Builder {
    private final String host;
    private final int port;
    private String realm = DEFAULT_REALM;
    private String clientName = "fovea-java-" + ProcessHandle.current().pid();
    private String token;
    private Duration connectTimeout = DEFAULT_TIMEOUT;
    private Duration callTimeout;
    private Executor executor;
    private int maxPendingDeliveries = 65_536;

    private Builder(String host, int port) {
      this.host = requireText(host, "host");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
      }
      this.port = port;
    }

    /** The realm to join; {@value FoveaClient#DEFAULT_REALM} by default. */
    public Builder realm(String realm) {
      this.realm = requireText(realm, "realm");
      return this;
    }

    /** The name operators see for this client; {@code fovea-java-<pid>} by default. */
    public Builder clientName(String clientName) {
      this.clientName = requireText(clientName, "clientName");
      return this;
    }

    /** Credentials for a node that requires them; none by default. */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** How long opening the connection and being admitted may take; 5 s by default. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * The timeout of calls that name none, and how long {@link FoveaClient#flush()} waits; by
     * default the node's default call timeout.
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = positive(callTimeout, "callTimeout");
      return this;
    }

    /**
     * Where message and procedure handlers run. By default a cached pool of daemon threads owned,
     * and shut down, by the client; an executor given here is not shut down by the client.
     *
     * <p>The default suits handlers that may block: each invocation running at the same time gets a
     * thread. Handlers that never block are served faster by a small fixed pool, one thread even,
     * since fewer threads then wake for each message: with 64 calls in flight to an echo procedure
     * on two cores, one thread served about 60 % more calls per second than the default.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How many messages may wait for one subscription's handler before further ones are dropped and
     * counted in {@link Subscription#dropped()}; 65536 by default.
     */
    public Builder maxPendingDeliveries(int maxPendingDeliveries) {
      if (maxPendingDeliveries < 1) {
        throw new IllegalArgumentException(
            "maxPendingDeliveries must be positive, was " + maxPendingDeliveries);
      }
      this.maxPendingDeliveries = maxPendingDeliveries;
      return this;
    }

    /**
     * Connects and blocks until the node admits the client.
     *
     * @throws FoveaException with the node's code (for example {@code realm_mismatch}) if it
     *     refuses, {@link FoveaException#CONNECT_FAILED} on an I/O failure, or {@link
     *     FoveaException#TIMEOUT} if the connect timeout passes
     */
    public FoveaClient connect() {
      return open(this);
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }
  }

  private record PendingCall(
      String procedure, CompletableFuture<byte[]> reply, long deadlineNanos, long limitNanos) {}

  private record PendingAck(
      String topic, CompletableFuture<Void> future, long deadlineNanos, long limitNanos) {}

  private record PendingPing(long sentNanos, CompletableFuture<Duration> pong) {}
}
