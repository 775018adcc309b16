package dev.fovea.client;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.topic.TopicLimits;
import dev.fovea.protocol.topic.Topics;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A client of a cluster rather than of one node. It holds one session at a time, on one of several
 * endpoints; when that session is lost it opens another, on the next endpoint, and replays every
 * subscription and advertisement there, so that handlers registered once keep working across a
 * failover. For a single connection that ends for good when the node goes, use {@link FoveaClient}.
 *
 * <pre>{@code
 * try (MeshClient mesh =
 *     MeshClient.connect(List.of("10.0.0.1:9443", "10.0.0.2:9443"), "com.example.realm")) {
 *   mesh.subscribe("sensor.*", delivery -> System.out.println(delivery.text()));
 *   mesh.advertise("math.double", inv -> inv.payload());
 *   mesh.publish("sensor.kitchen", "21");
 * }
 * }</pre>
 *
 * <p><b>Failover.</b> A session is lost when its socket breaks or closes, when the node sends
 * DISCONNECT or an ERROR frame, or when nothing at all arrives from the node for {@link
 * Builder#maxMissedPings} PING intervals. The client then tries the endpoints in turn, starting
 * with the one after the lost one: the first attempt at once, each further one after a delay that
 * doubles from {@link Builder#reconnectBackoff} up to its maximum (with up to a fifth taken off at
 * random, so that many clients do not return in step). A session that is lost before it lasted one
 * PING interval counts as a failed attempt, so that a node that admits and then drops the client is
 * not hammered. An ERROR that refuses the client for good, {@code realm_mismatch} or {@code
 * unauthorized}, ends the client with that error instead; any other reason reconnects.
 *
 * <p><b>While disconnected.</b>
 *
 * <ul>
 *   <li>Calls, {@link #publishWithAck} and {@link #flush} wait for a session, up to the call's
 *       timeout (or the client's call timeout, 5 s by default), and then fail with {@link
 *       FoveaException#CONNECTION_LOST}. A call that fails this way was never sent.
 *   <li>{@link #publish} and {@link #cast} are kept in a reconnect buffer, bounded in bytes (8 MiB
 *       by default), and sent in order as soon as a session is up again, after the replay. When the
 *       buffer is full further messages are dropped and counted in {@link #droppedPublishes()}:
 *       delivery is at most once in any case.
 *   <li>Subscribing, advertising and withdrawing are recorded and take effect at the next session.
 * </ul>
 *
 * <p><b>In flight.</b> Calls and acknowledged publishes that were sent on a session that is then
 * lost fail at once with {@link FoveaException#CONNECTION_LOST}. They are not retried: the node may
 * already have run them, and only the caller knows whether that is safe to repeat.
 *
 * <p><b>Threads.</b> A supervisor thread owned by the client connects, watches liveness and runs
 * the {@link Listener}s. Handlers run as they do in {@link FoveaClient}, on each session's handler
 * executor. Messages still queued for a handler when a session is lost are dropped.
 */
public final class MeshClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MeshClient.class.getName());

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** What one buffered message is taken to cost beyond its topic and payload. */
  private static final int BUFFER_OVERHEAD_BYTES = 32;

  private final List<Endpoint> endpoints;
  private final Connector connector;
  private final Duration waitTimeout;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final int maxReconnectAttempts;
  private final Duration pingInterval;
  private final int maxMissedPings;
  private final long bufferLimitBytes;
  private final ScheduledThreadPoolExecutor supervisor;
  private final List<Listener> listeners;

  private final Object lock = new Object();
  // Guarded by lock: what the client has asked for, replayed on every new session.
  private final List<MeshSubscription> subscriptions = new ArrayList<>();
  private final Map<String, MeshAdvertisement> advertisements = new LinkedHashMap<>();
  private final ArrayDeque<Outgoing> buffer = new ArrayDeque<>();
  private final Set<CompletableFuture<Link>> waiters = new HashSet<>();
  private long bufferedBytes;

  private volatile Link current;
  private volatile FoveaException closedBy;

  // Supervisor thread only, once started.
  private int nextEndpoint;
  private int failures;
  private int attemptsSinceLoss;

  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final LogThrottle dropLog = new LogThrottle();

  private MeshClient(Builder options) {
    List<Endpoint> order = new ArrayList<>(options.endpoints);
    if (options.shuffle) {
      Collections.shuffle(order);
    }
    this.endpoints = List.copyOf(order);
    Duration callTimeout = options.callTimeout;
    Consumer<FoveaClient.Builder> clientOptions = options.clientOptions;
    this.connector =
        new Connector(
            options.realm,
            builder -> {
              if (callTimeout != null) {
                builder.callTimeout(callTimeout);
              }
              clientOptions.accept(builder);
            });
    this.waitTimeout = callTimeout != null ? callTimeout : DEFAULT_TIMEOUT;
    this.backoffInitial = options.backoffInitial;
    this.backoffMax = options.backoffMax;
    this.maxReconnectAttempts = options.maxReconnectAttempts;
    this.pingInterval = options.pingInterval;
    this.maxMissedPings = options.maxMissedPings;
    this.bufferLimitBytes = options.reconnectBufferBytes;
    this.listeners = new CopyOnWriteArrayList<>(options.listeners);
    this.supervisor =
        new ScheduledThreadPoolExecutor(1, ClientThreads.daemons("fovea-mesh-supervisor"));
    supervisor.setRemoveOnCancelPolicy(true);
    supervisor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * Connects to the first endpoint, in the order given, that admits the client; see {@link
   * Builder#connect()}.
   *
   * @param endpoints {@code host:port} of each node's gateway
   */
  public static MeshClient connect(List<String> endpoints, String realm) {
    return builder(endpoints).realm(realm).connect();
  }

  /** Options for a client of the nodes at {@code endpoints}, each {@code host:port}. */
  public static Builder builder(List<String> endpoints) {
    return new Builder(endpoints);
  }

  // --- Session -----------------------------------------------------------------------------------

  /** Whether a session is up at this moment. */
  public boolean isConnected() {
    Link link = current;
    return link != null && link.client.isOpen();
  }

  /** The endpoint of the session, as {@code host:port}, or {@code null} while disconnected. */
  public String currentEndpoint() {
    Link link = current;
    return link == null ? null : link.endpoint.toString();
  }

  /** The id of the node holding the session, or {@code null} while disconnected. */
  public String currentNodeId() {
    Link link = current;
    return link == null ? null : link.client.nodeId();
  }

  /** The endpoints, in the order they are tried. */
  public List<String> endpoints() {
    return endpoints.stream().map(Endpoint::toString).toList();
  }

  /** How many times a lost session has been replaced by a new one. */
  public long reconnects() {
    return reconnects.get();
  }

  /**
   * How many publishes and casts were dropped because they were made while disconnected and the
   * reconnect buffer was full, or did not fit the new node's frame limit.
   */
  public long droppedPublishes() {
    return dropped.get();
  }

  /** Whether the client is closed for good; see {@link Listener#onClosed}. */
  public boolean isClosed() {
    return closedBy != null;
  }

  /** Adds a listener for the loss and return of the session and the end of the client. */
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Waits until the node of the current session has applied everything sent so far, in particular
   * every SUBSCRIBE (see {@link FoveaClient#flush()}), waiting first for a session if there is
   * none. Waits at most the call timeout in all.
   *
   * @throws FoveaException if no session comes or the node does not answer in time
   */
  public void flush() {
    flush(waitTimeout);
  }

  /** {@link #flush()}, waiting at most {@code timeout} in all. */
  public void flush(Duration timeout) {
    FoveaClient.positive(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();

    Link link = await(awaitLink(timeout));
    Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    try {
      link.client.flush(left);
    } catch (FoveaException e) {
      throw asFoveaException(outcome(link, e));
    }
  }

  /**
   * Closes the session with a goodbye and stops reconnecting; subscriptions and advertisements end,
   * buffered messages are dropped, and whatever waits for a session fails with {@link
   * FoveaException#CLIENT_CLOSED}. Idempotent.
   */
  @Override
  public void close() {
    end(new FoveaException(FoveaException.CLIENT_CLOSED, "the client was closed"));
  }

  // --- Publish and subscribe ---------------------------------------------------------------------

  /**
   * Publishes a message, or buffers it while disconnected (see the class description).
   *
   * @throws ProtocolException if the topic is not a valid name or the payload is too large
   * @throws FoveaException if the client is closed
   */
  public void publish(String topic, byte[] payload) {
    Link link = current;
    if (link != null) {
      try {
        link.client.publish(topic, payload);
        return;
      } catch (FoveaException e) {
        if (link.client.isOpen()) {
          throw e;
        }
        // Lost a moment ago: buffered below, like any publish while disconnected.
      }
    }
    Topics.validateTopic(topic, TopicLimits.DEFAULT);
    sendOrBuffer(new Outgoing(false, topic, payload));
  }

  /** Publishes the text as UTF-8. */
  public void publish(String topic, String text) {
    publish(topic, FoveaClient.utf8(text));
  }

  /**
   * Publishes a message and completes when the node acknowledges it. While disconnected it waits
   * for a session up to the call timeout. Fails with {@link FoveaException#CONNECTION_LOST} if the
   * session is lost before the acknowledgement, or none comes in time.
   *
   * @throws ProtocolException if the topic is not a valid name or the payload is too large
   */
  public CompletableFuture<Void> publishWithAck(String topic, byte[] payload) {
    Link link = current;
    if (link != null && link.client.isOpen()) {
      return relay(link, link.client.publishWithAck(topic, payload));
    }
    Topics.validateTopic(topic, TopicLimits.DEFAULT);
    return awaitLink(waitTimeout)
        .thenCompose(next -> relay(next, next.client.publishWithAck(topic, payload)));
  }

  /** {@link #publishWithAck(String, byte[])} with the text as UTF-8. */
  public CompletableFuture<Void> publishWithAck(String topic, String text) {
    return publishWithAck(topic, FoveaClient.utf8(text));
  }

  /**
   * Subscribes to a pattern at every session from now on, the current one and those that replace
   * it; see {@link FoveaClient#subscribe}. While disconnected it is recorded and sent with the next
   * session's replay.
   *
   * @throws ProtocolException if the pattern is not valid
   * @throws FoveaException if the client is closed
   */
  public Subscription subscribe(String pattern, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Topics.validatePattern(pattern, TopicLimits.DEFAULT);

    synchronized (lock) {
      ensureOpen();
      MeshSubscription subscription = new MeshSubscription(pattern, handler);
      attachNow(subscription::attach);
      subscriptions.add(subscription);
      return subscription;
    }
  }

  // --- Calls -------------------------------------------------------------------------------------

  /**
   * Calls a procedure; see {@link FoveaClient#call(String, byte[], Duration)}. While disconnected
   * it first waits for a session, up to {@code timeout}.
   *
   * @param timeout how long each provider has to answer, and how long to wait for a session; {@code
   *     null} takes the client's call timeout
   * @throws ProtocolException if the procedure name is not valid or the payload is too large
   */
  public CompletableFuture<byte[]> call(String procedure, byte[] payload, Duration timeout) {
    Duration wait = timeout == null ? waitTimeout : FoveaClient.positive(timeout, "timeout");
    Link link = current;
    if (link != null && link.client.isOpen()) {
      return relay(link, link.client.call(procedure, payload, timeout));
    }
    Topics.validateProcedure(procedure, TopicLimits.DEFAULT);
    return awaitLink(wait)
        .thenCompose(next -> relay(next, next.client.call(procedure, payload, timeout)));
  }

  /** {@link #call(String, byte[], Duration)} with the client's call timeout. */
  public CompletableFuture<byte[]> call(String procedure, byte[] payload) {
    return call(procedure, payload, null);
  }

  /** Calls with a UTF-8 text payload and decodes the result as UTF-8. */
  public CompletableFuture<String> callText(String procedure, String text, Duration timeout) {
    return call(procedure, FoveaClient.utf8(text), timeout).thenApply(FoveaClient::text);
  }

  /** {@link #callText(String, String, Duration)} with the client's call timeout. */
  public CompletableFuture<String> callText(String procedure, String text) {
    return callText(procedure, text, null);
  }

  /**
   * Invokes a procedure without a result; buffered like {@link #publish} while disconnected.
   *
   * @throws ProtocolException if the procedure name is not valid or the payload is too large
   * @throws FoveaException if the client is closed
   */
  public void cast(String procedure, byte[] payload) {
    Link link = current;
    if (link != null) {
      try {
        link.client.cast(procedure, payload);
        return;
      } catch (FoveaException e) {
        if (link.client.isOpen()) {
          throw e;
        }
      }
    }
    Topics.validateProcedure(procedure, TopicLimits.DEFAULT);
    sendOrBuffer(new Outgoing(true, procedure, payload));
  }

  /** {@link #cast(String, byte[])} with the text as UTF-8. */
  public void cast(String procedure, String text) {
    cast(procedure, FoveaClient.utf8(text));
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
   * Provides a procedure at every session from now on: each new session sends ADVERTISE again, with
   * the same TTL. See {@link FoveaClient#advertise(String, Duration, ProcedureHandler)}.
   *
   * @param ttl {@code null} takes the node's default
   * @throws IllegalStateException if this client already provides the procedure
   * @throws ProtocolException if the procedure name is not valid
   * @throws FoveaException if the client is closed
   */
  public Advertisement advertise(String procedure, Duration ttl, ProcedureHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Topics.validateProcedure(procedure, TopicLimits.DEFAULT);
    if (ttl != null) {
      FoveaClient.positive(ttl, "ttl");
    }

    synchronized (lock) {
      ensureOpen();
      if (advertisements.containsKey(procedure)) {
        throw new IllegalStateException("procedure " + procedure + " is already advertised");
      }
      MeshAdvertisement advertisement = new MeshAdvertisement(procedure, ttl, handler);
      attachNow(advertisement::attach);
      advertisements.put(procedure, advertisement);
      return advertisement;
    }
  }

  // --- Sending -----------------------------------------------------------------------------------

  /** Applies a registration to the current session, if there is one; the replay does otherwise. */
  private void attachNow(Consumer<FoveaClient> registration) {
    Link link = current;
    if (link == null || !link.client.isOpen()) {
      return;
    }
    try {
      registration.accept(link.client);
    } catch (FoveaException e) {
      if (link.client.isOpen()) {
        throw e;
      }
      // Lost a moment ago; the next session's replay registers it.
    }
  }

  private void sendOrBuffer(Outgoing message) {
    synchronized (lock) {
      ensureOpen();
      Link link = current;
      if (link != null && link.client.isOpen()) {
        try {
          message.sendTo(link.client);
          return;
        } catch (FoveaException e) {
          if (link.client.isOpen()) {
            throw e;
          }
        }
      }
      long size = message.bytes();
      if (bufferedBytes + size > bufferLimitBytes) {
        drop(message, "the reconnect buffer of " + bufferLimitBytes + " bytes is full");
        return;
      }
      buffer.add(message);
      bufferedBytes += size;
    }
  }

  private void drop(Outgoing message, String why) {
    dropped.incrementAndGet();
    long held = dropLog.acquire();
    if (held >= 0) {
      LOG.log(
          Level.WARNING,
          () ->
              "dropped a "
                  + (message.cast ? "cast to " : "message on ")
                  + message.name
                  + ": "
                  + why
                  + LogThrottle.heldBack(held));
    }
  }

  /** Completes {@code out} as {@code inner} completes, naming a lost session as such. */
  private <T> CompletableFuture<T> relay(Link link, CompletableFuture<T> inner) {
    CompletableFuture<T> out = new CompletableFuture<>();
    inner.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            out.complete(value);
          } else {
            out.completeExceptionally(outcome(link, failure));
          }
        });
    out.whenComplete(
        (value, failure) -> {
          if (out.isCancelled()) {
            inner.cancel(false);
          }
        });
    return out;
  }

  /**
   * The failure a caller sees for a request on {@code link}. A session that ended under the request
   * is reported as {@link FoveaException#CONNECTION_LOST}, whatever ended it (a broken socket, or
   * an ERROR such as {@code slow_consumer}), so that callers have one code to handle; the node's
   * code stays in the reason and the cause.
   */
  private Throwable outcome(Link link, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (!(cause instanceof FoveaException e)
        || cause instanceof CallException
        || link.client.isOpen()
        || FoveaException.TIMEOUT.equals(e.code())
        || FoveaException.INTERRUPTED.equals(e.code())) {
      return cause;
    }
    FoveaException closed = closedBy;
    if (closed != null) {
      return new FoveaException(closed.code(), closed.reason(), e);
    }
    if (FoveaException.CONNECTION_LOST.equals(e.code())) {
      return e;
    }
    return new FoveaException(
        FoveaException.CONNECTION_LOST,
        "the session on " + link.endpoint + " ended with the request in flight: " + e.getMessage(),
        e);
  }

  /** A future of a session that is up: the current one, or the next one within {@code timeout}. */
  private CompletableFuture<Link> awaitLink(Duration timeout) {
    CompletableFuture<Link> waiter = new CompletableFuture<>();
    synchronized (lock) {
      if (closedBy != null) {
        waiter.completeExceptionally(closedException());
        return waiter;
      }
      Link link = current;
      if (link != null && link.client.isOpen()) {
        waiter.complete(link);
        return waiter;
      }
      waiters.add(waiter);
    }

    ScheduledFuture<?> timer =
        ClientThreads.timer()
            .schedule(
                () ->
                    waiter.completeExceptionally(
                        new FoveaException(
                            FoveaException.CONNECTION_LOST,
                            "no session on any of "
                                + endpoints
                                + " within "
                                + FoveaClient.describe(timeout))),
                timeout.toNanos(),
                NANOSECONDS);
    waiter.whenComplete(
        (link, failure) -> {
          timer.cancel(false);
          synchronized (lock) {
            waiters.remove(waiter);
          }
        });
    return waiter;
  }

  // --- The session's life, on the supervisor thread ----------------------------------------------

  /** Connects to the first endpoint that admits the client, on the caller's thread. */
  private void start() {
    List<String> refusals = new ArrayList<>();
    FoveaException last = null;
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint endpoint = endpoints.get(i);
      try {
        FoveaClient client = connector.connect(endpoint);
        nextEndpoint = (i + 1) % endpoints.size();
        install(new Link(endpoint, client), false);
        long interval = pingInterval.toNanos();
        supervisor.scheduleAtFixedRate(this::checkLiveness, interval, interval, NANOSECONDS);
        return;
      } catch (FoveaException e) {
        if (isFinal(e)) {
          throw e;
        }
        refusals.add(endpoint + ": " + e.getMessage());
        last = e;
      }
    }
    if (endpoints.size() == 1) {
      throw new FoveaException(last.code(), last.reason(), last);
    }
    throw new FoveaException(
        FoveaException.CONNECT_FAILED,
        "no endpoint admitted the client: " + String.join("; ", refusals),
        last);
  }

  /** Makes a newly admitted session the current one and replays everything onto it. */
  private void install(Link link, boolean reconnected) {
    List<CompletableFuture<Link>> ready = List.of();
    boolean closed;
    synchronized (lock) {
      closed = closedBy != null;
      if (!closed) {
        replay(link.client);
        // Only now, so that no publish on the fast path overtakes a buffered one.
        current = link;
        if (link.client.isOpen()) {
          ready = List.copyOf(waiters);
          waiters.clear();
        }
      }
    }
    if (closed) {
      link.client.close();
      return;
    }
    link.client.onClose(cause -> onSessionEnded(link, cause));

    if (reconnected) {
      reconnects.incrementAndGet();
    }
    LOG.log(
        reconnected ? Level.INFO : Level.DEBUG,
        () -> "session " + link.client.sessionId() + " on " + link.endpoint + " is up");
    ready.forEach(waiter -> waiter.complete(link));
    if (reconnected) {
      notifyListeners(l -> l.onReconnected(link.endpoint.toString(), link.client.nodeId()));
    }
  }

  /**
   * Sends the subscriptions, the advertisements and the buffered messages, in that order. Called
   * under the lock so that nothing registered meanwhile is missed or sent twice.
   */
  private void replay(FoveaClient client) {
    try {
      for (MeshSubscription subscription : List.copyOf(subscriptions)) {
        try {
          subscription.attach(client);
        } catch (ProtocolException e) {
          subscription.refuse(e);
        }
      }
      for (MeshAdvertisement advertisement : List.copyOf(advertisements.values())) {
        try {
          advertisement.attach(client);
        } catch (ProtocolException e) {
          advertisement.refuse(e);
        }
      }
      while (!buffer.isEmpty()) {
        Outgoing message = buffer.peek();
        try {
          message.sendTo(client);
        } catch (ProtocolException e) {
          drop(message, e.getMessage());
        }
        buffer.poll();
        bufferedBytes -= message.bytes();
      }
    } catch (FoveaException e) {
      // The new session was lost during the replay; the next one replays what is left.
    }
  }

  private void onSessionEnded(Link link, FoveaException cause) {
    if (closedBy != null) {
      return;
    }
    try {
      supervisor.execute(() -> onLoss(link, cause));
    } catch (RejectedExecutionException e) {
      // The client is closing.
    }
  }

  private void onLoss(Link link, FoveaException cause) {
    synchronized (lock) {
      if (current != link || closedBy != null) {
        return;
      }
      current = null;
    }
    boolean lasted = System.nanoTime() - link.openedNanos >= pingInterval.toNanos();
    failures = lasted ? 0 : failures + 1;
    attemptsSinceLoss = 0;
    LOG.log(
        Level.INFO, () -> "lost the session on " + link.endpoint + " (" + cause.getMessage() + ")");
    notifyListeners(l -> l.onDisconnected(link.endpoint.toString(), cause));

    if (isFinal(cause)) {
      end(cause);
    } else {
      scheduleReconnect();
    }
  }

  private void scheduleReconnect() {
    if (closedBy != null) {
      return;
    }
    try {
      supervisor.schedule(this::reconnect, backoff(failures), NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The client is closing.
    }
  }

  private void reconnect() {
    if (closedBy != null) {
      return;
    }
    Endpoint endpoint = endpoints.get(nextEndpoint);
    nextEndpoint = (nextEndpoint + 1) % endpoints.size();

    FoveaClient client;
    try {
      client = connector.connect(endpoint);
    } catch (FoveaException e) {
      if (isFinal(e)) {
        end(e);
        return;
      }
      failures++;
      attemptsSinceLoss++;
      LOG.log(Level.DEBUG, () -> "cannot reconnect to " + endpoint + ": " + e.getMessage());
      if (maxReconnectAttempts >= 0 && attemptsSinceLoss >= maxReconnectAttempts) {
        end(
            new FoveaException(
                FoveaException.CONNECTION_LOST,
                "gave up after "
                    + attemptsSinceLoss
                    + " attempts to reconnect; the last: "
                    + e.getMessage(),
                e));
        return;
      }
      scheduleReconnect();
      return;
    }
    install(new Link(endpoint, client), true);
  }

  /**
   * Runs every PING interval: a session from which nothing arrived, not even the PONG to the last
   * PING, for {@link #maxMissedPings} intervals in a row is dropped and replaced.
   */
  private void checkLiveness() {
    Link link = current;
    if (link == null || !link.client.isOpen()) {
      return;
    }
    long reads = link.client.reads();
    if (reads != link.seenReads) {
      link.seenReads = reads;
      link.missed = 0;
    } else if (++link.missed >= maxMissedPings) {
      link.client.abort(
          "nothing from "
              + link.endpoint
              + " for "
              + link.missed
              + " PING intervals of "
              + FoveaClient.describe(pingInterval));
      return;
    }
    link.client.ping();
  }

  /** The delay before the next attempt: none after a session that lasted, then doubling. */
  private long backoff(int failed) {
    if (failed == 0) {
      return 0;
    }
    long max = backoffMax.toNanos();
    long delay = backoffInitial.toNanos();
    for (int i = 1; i < failed && delay < max; i++) {
      delay *= 2;
    }
    delay = Math.min(delay, max);
    return delay - ThreadLocalRandom.current().nextLong(delay / 5 + 1);
  }

  // --- Closing -----------------------------------------------------------------------------------

  private void end(FoveaException cause) {
    Link link;
    List<CompletableFuture<Link>> waiting;
    synchronized (lock) {
      if (closedBy != null) {
        return;
      }
      closedBy = cause;
      link = current;
      current = null;
      waiting = List.copyOf(waiters);
      waiters.clear();
      buffer.clear();
      bufferedBytes = 0;
    }

    supervisor.shutdown();
    if (link != null) {
      link.client.close();
    }
    waiting.forEach(waiter -> waiter.completeExceptionally(closedException()));
    LOG.log(
        FoveaException.CLIENT_CLOSED.equals(cause.code()) ? Level.DEBUG : Level.WARNING,
        () -> "the mesh client of " + endpoints + " closed: " + cause.getMessage());
    notifyListeners(l -> l.onClosed(cause));
  }

  private void ensureOpen() {
    if (closedBy != null) {
      throw closedException();
    }
  }

  private FoveaException closedException() {
    FoveaException cause = closedBy;
    return new FoveaException(cause.code(), cause.reason(), cause);
  }

  /** An ERROR that no other endpoint will answer differently: retrying cannot help. */
  private static boolean isFinal(FoveaException e) {
    ErrorCode code = e.errorCode();
    return code == ErrorCode.REALM_MISMATCH || code == ErrorCode.UNAUTHORIZED;
  }

  private void notifyListeners(Consumer<Listener> event) {
    for (Listener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a listener of the mesh client failed", e);
      }
    }
  }

  /** Waits for a future that a timer bounds already, such as {@link #awaitLink}'s. */
  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoveaException(FoveaException.INTERRUPTED, "interrupted waiting for a session", e);
    } catch (ExecutionException e) {
      throw asFoveaException(e.getCause());
    }
  }

  private static FoveaException asFoveaException(Throwable failure) {
    if (failure instanceof FoveaException e) {
      return new FoveaException(e.code(), e.reason(), e);
    }
    return new FoveaException(ErrorCode.INTERNAL.code(), String.valueOf(failure), failure);
  }

  @Override
  public String toString() {
    Link link = current;
    return "MeshClient["
        + endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(", "))
        + (closedBy != null
            ? ", closed"
            : link == null ? ", reconnecting" : ", on " + link.endpoint)
        + "]";
  }

  /**
   * Hears of the session's loss and return, on the client's supervisor thread and in order, and of
   * the client's end, on the thread that ended it. A listener must not block: the next reconnect
   * attempt waits for it.
   */
  public interface Listener {
    /** The session on {@code endpoint} was lost, for {@code cause}; reconnecting follows. */
    default void onDisconnected(String endpoint, FoveaException cause) {}

    /** A new session is up on {@code endpoint}, held by node {@code nodeId}, and replayed. */
    default void onReconnected(String endpoint, String nodeId) {}

    /**
     * The client ended for good: closed by its owner ({@code client_closed}), refused for good by a
     * node ({@code realm_mismatch}, {@code unauthorized}), or out of reconnect attempts ({@code
     * connection_lost}).
     */
    default void onClosed(FoveaException cause) {}
  }

  /** A session on one endpoint. */
  private static final class Link {
    final Endpoint endpoint;
    final FoveaClient client;
    final long openedNanos = System.nanoTime();

    // Supervisor thread only.
    long seenReads;
    int missed;

    Link(Endpoint endpoint, FoveaClient client) {
      this.endpoint = endpoint;
      this.client = client;
    }
  }

  /** A publish or cast made while disconnected. */
  private record Outgoing(boolean cast, String name, byte[] payload) {
    Outgoing {
      payload = payload == null ? new byte[0] : payload;
    }

    void sendTo(FoveaClient client) {
      if (cast) {
        client.cast(name, payload);
      } else {
        client.publish(name, payload);
      }
    }

    long bytes() {
      return (long) payload.length + name.length() + BUFFER_OVERHEAD_BYTES;
    }
  }

  /** A subscription that outlives sessions: each session gets its own, replayed. */
  private final class MeshSubscription implements Subscription {
    private final String pattern;
    private final MessageHandler handler;
    private volatile boolean active = true;

    // Guarded by lock.
    private Subscription attached;
    private long droppedBefore;

    MeshSubscription(String pattern, MessageHandler handler) {
      this.pattern = pattern;
      this.handler = handler;
    }

    void attach(FoveaClient client) {
      Subscription previous = attached;
      if (previous != null) {
        droppedBefore += previous.dropped();
        attached = null;
      }
      attached = client.subscribe(pattern, handler);
    }

    void refuse(ProtocolException e) {
      active = false;
      subscriptions.remove(this);
      LOG.log(
          Level.WARNING,
          () -> "the new session refused subscription " + pattern + ", dropped it: " + e);
    }

    @Override
    public String pattern() {
      return pattern;
    }

    /** True until it is unsubscribed or the client closes, sessions lost or not. */
    @Override
    public boolean isActive() {
      return active && closedBy == null;
    }

    @Override
    public long dropped() {
      synchronized (lock) {
        return droppedBefore + (attached == null ? 0 : attached.dropped());
      }
    }

    @Override
    public void unsubscribe() {
      synchronized (lock) {
        if (!active) {
          return;
        }
        active = false;
        subscriptions.remove(this);
        if (attached != null) {
          attached.unsubscribe();
        }
      }
    }

    @Override
    public String toString() {
      return "Subscription[" + pattern + (active ? "" : ", inactive") + "]";
    }
  }

  /** An advertisement that outlives sessions: each session advertises again, with its TTL. */
  private final class MeshAdvertisement implements Advertisement {
    private final String procedure;
    private final Duration ttl;
    private final ProcedureHandler handler;
    private volatile boolean active = true;

    // Guarded by lock.
    private Advertisement attached;

    MeshAdvertisement(String procedure, Duration ttl, ProcedureHandler handler) {
      this.procedure = procedure;
      this.ttl = ttl;
      this.handler = handler;
    }

    void attach(FoveaClient client) {
      attached = null;
      attached = client.advertise(procedure, ttl, handler);
    }

    void refuse(ProtocolException e) {
      active = false;
      advertisements.remove(procedure, this);
      LOG.log(
          Level.WARNING,
          () -> "the new session refused procedure " + procedure + ", dropped it: " + e);
    }

    @Override
    public String procedure() {
      return procedure;
    }

    /** True until it is withdrawn or the client closes, sessions lost or not. */
    @Override
    public boolean isActive() {
      return active && closedBy == null;
    }

    @Override
    public void unadvertise() {
      synchronized (lock) {
        if (!active) {
          return;
        }
        active = false;
        advertisements.remove(procedure, this);
        if (attached != null) {
          attached.unadvertise();
        }
      }
    }

    @Override
    public String toString() {
      return "Advertisement[" + procedure + (active ? "" : ", withdrawn") + "]";
    }
  }

  /**
   * The options of a mesh client. Every setting has a default except the endpoints.
   *
   * <p>Options of each connection other than realm and call timeout (credentials, client name,
   * handler executor, connect timeout) are set with {@link #clientOptions}.
   */
  public static final class Builder {
    private final List<Endpoint> endpoints;
    private String realm = FoveaClient.DEFAULT_REALM;
    private Consumer<FoveaClient.Builder> clientOptions = builder -> {};
    private Duration callTimeout;
    private boolean shuffle;
    private Duration backoffInitial = Duration.ofMillis(100);
    private Duration backoffMax = Duration.ofSeconds(5);
    private int maxReconnectAttempts = -1;
    private Duration pingInterval = Duration.ofSeconds(5);
    private int maxMissedPings = 2;
    private long reconnectBufferBytes = 8L << 20;
    private final List<Listener> listeners = new ArrayList<>();

    private Builder(List<String> endpoints) {
      Objects.requireNonNull(endpoints, "endpoints");
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("endpoints must name at least one host:port");
      }
      this.endpoints = endpoints.stream().map(Endpoint::parse).toList();
    }

    /** The realm to join; {@value FoveaClient#DEFAULT_REALM} by default. */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm");
      if (realm.isBlank()) {
        throw new IllegalArgumentException("realm must not be blank");
      }
      this.realm = realm;
      return this;
    }

    /**
     * Further options for every connection, applied after the realm and call timeout, for example
     * {@code b -> b.token(token).clientName("billing")}.
     */
    public Builder clientOptions(Consumer<FoveaClient.Builder> clientOptions) {
      this.clientOptions = Objects.requireNonNull(clientOptions, "clientOptions");
      return this;
    }

    /**
     * The timeout of calls that name none, and how long calls, acknowledged publishes and {@link
     * MeshClient#flush()} wait for a session while disconnected; by default the node's default call
     * timeout for the former and 5 s for the latter.
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = FoveaClient.positive(callTimeout, "callTimeout");
      return this;
    }

    /**
     * Whether to try the endpoints in a random order, drawn once, rather than as given; false by
     * default. Many clients given the same list spread over the nodes when it is true.
     */
    public Builder shuffleEndpoints(boolean shuffle) {
      this.shuffle = shuffle;
      return this;
    }

    /**
     * The delay after a failed reconnect attempt, doubled after each further one up to {@code max};
     * 100 ms doubling to 5 s by default.
     */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      FoveaClient.positive(initial, "initial");
      FoveaClient.positive(max, "max");
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException(
            "max backoff "
                + FoveaClient.describe(max)
                + " is below the initial "
                + FoveaClient.describe(initial));
      }
      this.backoffInitial = initial;
      this.backoffMax = max;
      return this;
    }

    /**
     * How many failed attempts in a row, after a loss, end the client with {@code connection_lost};
     * -1, the default, retries for as long as the client is open.
     */
    public Builder maxReconnectAttempts(int maxReconnectAttempts) {
      if (maxReconnectAttempts < -1 || maxReconnectAttempts == 0) {
        throw new IllegalArgumentException(
            "maxReconnectAttempts must be positive or -1, was " + maxReconnectAttempts);
      }
      this.maxReconnectAttempts = maxReconnectAttempts;
      return this;
    }

    /**
     * How often the client sends PING; 5 s by default. Keep it well under the node's {@code
     * idle_timeout_ms}, a third of it or less.
     */
    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = FoveaClient.positive(pingInterval, "pingInterval");
      return this;
    }

    /**
     * After how many PING intervals in a row without any frame from the node the session is taken
     * for dead; 2 by default.
     */
    public Builder maxMissedPings(int maxMissedPings) {
      if (maxMissedPings < 1) {
        throw new IllegalArgumentException(
            "maxMissedPings must be positive, was " + maxMissedPings);
      }
      this.maxMissedPings = maxMissedPings;
      return this;
    }

    /**
     * How many bytes of publishes and casts are kept while disconnected; 8 MiB by default, 0 drops
     * them all.
     */
    public Builder reconnectBufferBytes(long reconnectBufferBytes) {
      if (reconnectBufferBytes < 0) {
        throw new IllegalArgumentException(
            "reconnectBufferBytes must not be negative, was " + reconnectBufferBytes);
      }
      this.reconnectBufferBytes = reconnectBufferBytes;
      return this;
    }

    /** Adds a listener, registered before the first connection is made. */
    public Builder listener(Listener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Connects to the first endpoint that admits the client, trying each once in order, and blocks
     * until one does. Reconnecting starts only once a first session was up.
     *
     * @throws FoveaException with {@code realm_mismatch} or {@code unauthorized} if a node refuses
     *     the client for good; with {@link FoveaException#CONNECT_FAILED} naming every endpoint's
     *     failure if none admitted it (with that one's own code if there is a single endpoint)
     */
    public MeshClient connect() {
      MeshClient mesh = new MeshClient(this);
      try {
        mesh.start();
        return mesh;
      } catch (RuntimeException | Error e) {
        mesh.supervisor.shutdownNow();
        throw e;
      }
    }
  }
}
