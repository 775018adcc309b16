package dev.fovea.client;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A bounded pool of connections, one per endpoint, for a process that talks to several nodes (a
 * gateway of gateways, a tool that visits a cluster). A {@link FoveaClient} is safe to share
 * between threads and carries any number of concurrent calls, so the pool hands out one shared
 * connection per endpoint rather than lending connections one user at a time.
 *
 * <pre>{@code
 * try (ConnectionPool pool = ConnectionPool.create("com.example.realm")) {
 *   byte[] answer = pool.get("10.0.0.2:9443").call("math.double", payload).get();
 * }
 * }</pre>
 *
 * <p><b>Bounds.</b> macula's pool never let go of an idle connection; this one never holds more
 * than {@link Builder#maxSize} (16 by default). Opening a connection beyond that closes the least
 * recently used one, and a sweep closes connections unused for {@link Builder#idleTimeout} (5
 * minutes by default). A connection that closed of its own accord, because its node went or sent an
 * ERROR, leaves the pool at once. A connection idle for longer than {@link
 * Builder#validateAfterIdle} is checked with a PING before it is handed out again; one that does
 * not answer is dropped and replaced.
 *
 * <p><b>Sharing.</b> Callers should {@link #get} a connection for each piece of work rather than
 * keep it: eviction and reaping close it, after which it refuses work with {@code client_closed},
 * and calls still in flight on it fail the same way. Callers must not close a pooled connection
 * themselves. Subscriptions and advertisements made on a pooled connection end with it; a caller
 * that needs them to survive uses a {@link MeshClient}.
 *
 * <p><b>Time.</b> Idleness is measured with the {@link Builder#ticker} (System::nanoTime by
 * default), so that tests can move time forward rather than wait for it.
 */
public final class ConnectionPool implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

  /** How often one {@link #get} opens a connection before it gives up, when others keep closing. */
  private static final int MAX_OPENS = 3;

  private final Connector connector;
  private final int maxSize;
  private final long idleTimeoutNanos;
  private final long validateAfterNanos;
  private final Duration pingTimeout;
  private final LongSupplier ticker;
  private final ScheduledThreadPoolExecutor sweeper;

  private final Object lock = new Object();
  // Guarded by lock. In access order, so the first entry is the least recently used.
  private final LinkedHashMap<Endpoint, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  private final AtomicLong created = new AtomicLong();
  private final AtomicLong evicted = new AtomicLong();
  private final AtomicLong reaped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  private ConnectionPool(Builder options) {
    this.connector = new Connector(options.realm, options.clientOptions);
    this.maxSize = options.maxSize;
    this.idleTimeoutNanos = options.idleTimeout.toNanos();
    this.validateAfterNanos = options.validateAfterIdle.toNanos();
    this.pingTimeout = options.pingTimeout;
    this.ticker = options.ticker;

    long sweep =
        (options.sweepInterval != null
                ? options.sweepInterval
                : min(Duration.ofSeconds(30), options.idleTimeout.dividedBy(2)))
            .toNanos();
    this.sweeper = new ScheduledThreadPoolExecutor(1, ClientThreads.daemons("fovea-pool-sweeper"));
    sweeper.scheduleWithFixedDelay(this::sweep, sweep, Math.max(1, sweep), NANOSECONDS);
    LOG.log(
        Level.DEBUG,
        () ->
            "connection pool of at most "
                + maxSize
                + " connections, idle timeout "
                + FoveaClient.describe(options.idleTimeout)
                + ", swept every "
                + Duration.ofNanos(sweep).toMillis()
                + " ms");
  }

  /** A pool with the default options for {@code realm}. */
  public static ConnectionPool create(String realm) {
    return builder().realm(realm).build();
  }

  /** Options for a pool; {@link Builder#build()} makes it. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The pool's connection to {@code endpoint}, opened if there is none, blocking until the node
   * admits it. Opening one when the pool is full closes the least recently used connection.
   *
   * @param endpoint {@code host:port}
   * @throws FoveaException as {@link FoveaClient.Builder#connect()} does when the connection cannot
   *     be opened; {@link FoveaException#CLIENT_CLOSED} if the pool is closed
   */
  public FoveaClient get(String endpoint) {
    Endpoint target = Endpoint.parse(endpoint);
    for (int opens = 0; ; ) {
      Entry entry;
      boolean opener = false;
      List<Entry> overflow = List.of();
      synchronized (lock) {
        if (closed) {
          throw new FoveaException(FoveaException.CLIENT_CLOSED, "the pool is closed");
        }
        entry = entries.get(target);
        if (entry == null) {
          if (++opens > MAX_OPENS) {
            throw new FoveaException(
                FoveaException.CONNECT_FAILED,
                "the connection to " + target + " closed " + MAX_OPENS + " times as it was opened");
          }
          entry = new Entry(target, ticker.getAsLong());
          entries.put(target, entry);
          opener = true;
          overflow = takeOverflow();
        }
      }
      closeAll(overflow);

      if (opener) {
        open(entry);
      }
      FoveaClient client = entry.await();
      if (isUsable(entry, client)) {
        entry.lastUsedNanos = ticker.getAsLong();
        return client;
      }
    }
  }

  /** How many connections the pool holds, counting those being opened. */
  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  /** How many connections the pool has opened. */
  public long created() {
    return created.get();
  }

  /** How many connections were closed to make room for another, least recently used first. */
  public long evicted() {
    return evicted.get();
  }

  /** How many connections were closed for being unused longer than the idle timeout. */
  public long reaped() {
    return reaped.get();
  }

  /**
   * How many connections failed: could not be opened, closed while pooled without the pool closing
   * them, or did not answer the PING before reuse.
   */
  public long failed() {
    return failed.get();
  }

  /**
   * Closes every connection unused for the idle timeout now. The background sweep calls this on its
   * own; a caller only needs to when it wants the effect at once.
   */
  public void cleanUp() {
    long now = ticker.getAsLong();
    List<Entry> idle = new ArrayList<>();
    synchronized (lock) {
      Iterator<Entry> it = entries.values().iterator();
      while (it.hasNext()) {
        Entry entry = it.next();
        if (entry.connected() != null && now - entry.lastUsedNanos >= idleTimeoutNanos) {
          it.remove();
          entry.retired = true;
          idle.add(entry);
        }
      }
    }
    reaped.addAndGet(idle.size());
    closeAll(idle);
  }

  /** Closes every connection and stops the sweep; later {@link #get}s fail. Idempotent. */
  @Override
  public void close() {
    List<Entry> all;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(entries.values());
      all.forEach(entry -> entry.retired = true);
      entries.clear();
    }
    sweeper.shutdownNow();
    closeAll(all);
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "ConnectionPool[" + entries.keySet() + (closed ? ", closed" : "") + "]";
    }
  }

  /** Opens the connection of a new entry and completes it, on the thread that created the entry. */
  private void open(Entry entry) {
    FoveaClient client;
    try {
      client = connector.connect(entry.endpoint);
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      discard(entry);
      entry.connection.completeExceptionally(e);
      return;
    }
    created.incrementAndGet();
    client.onClose(cause -> onClosed(entry, cause));
    entry.connection.complete(client);

    // Evicted, or the pool closed, while it was being opened: whoever retired it may have found it
    // still opening, so it is closed here (a second close does nothing).
    boolean retired;
    synchronized (lock) {
      retired = entry.retired;
    }
    if (retired) {
      client.close();
    }
  }

  /** Whether a pooled connection may be handed out; drops it from the pool if not. */
  private boolean isUsable(Entry entry, FoveaClient client) {
    if (!client.isOpen()) {
      discard(entry);
      return false;
    }
    if (ticker.getAsLong() - entry.lastUsedNanos < validateAfterNanos) {
      return true;
    }
    try {
      client.ping().get(pingTimeout.toNanos(), NANOSECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      // Counted as failed by onClosed, as is a connection that closed before the PING.
      discard(entry);
      client.abort(
          "no PONG from "
              + entry.endpoint
              + " within "
              + FoveaClient.describe(pingTimeout)
              + " when taken from the pool");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FoveaException(
          FoveaException.INTERRUPTED, "interrupted checking the connection to " + entry.endpoint);
    }
  }

  private void discard(Entry entry) {
    synchronized (lock) {
      entries.remove(entry.endpoint, entry);
    }
  }

  private void onClosed(Entry entry, FoveaException cause) {
    synchronized (lock) {
      entries.remove(entry.endpoint, entry);
      if (entry.retired) {
        return; // the pool closed it
      }
    }
    failed.incrementAndGet();
    LOG.log(
        Level.DEBUG,
        () -> "pooled connection to " + entry.endpoint + " closed: " + cause.getMessage());
  }

  /** Removes the least recently used entries beyond the bound; called under the lock. */
  private List<Entry> takeOverflow() {
    List<Entry> overflow = new ArrayList<>();
    Iterator<Entry> it = entries.values().iterator();
    while (entries.size() > maxSize && it.hasNext()) {
      Entry eldest = it.next();
      it.remove();
      eldest.retired = true;
      overflow.add(eldest);
    }
    evicted.addAndGet(overflow.size());
    return overflow;
  }

  /** Closes removed entries' connections, outside the lock: a goodbye may take a moment. */
  private static void closeAll(List<Entry> removed) {
    for (Entry entry : removed) {
      FoveaClient client = entry.connected();
      if (client != null) {
        client.close();
      }
    }
  }

  private void sweep() {
    try {
      cleanUp();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the sweep of idle pooled connections failed", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** One endpoint's connection, or its opening. */
  private static final class Entry {
    final Endpoint endpoint;
    final CompletableFuture<FoveaClient> connection = new CompletableFuture<>();
    volatile long lastUsedNanos;

    // Guarded by the pool's lock: set when the pool takes the entry out to close it.
    boolean retired;

    Entry(Endpoint endpoint, long nowNanos) {
      this.endpoint = endpoint;
      this.lastUsedNanos = nowNanos;
    }

    /** The connection once open, or {@code null} while opening or if opening failed. */
    FoveaClient connected() {
      return connection.isDone() && !connection.isCompletedExceptionally()
          ? connection.join()
          : null;
    }

    /** Waits for the opening, which the connect timeout bounds, and rethrows its failure. */
    FoveaClient await() {
      try {
        return connection.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof FoveaException failure) {
          throw new FoveaException(failure.code(), failure.reason(), failure);
        }
        throw e;
      }
    }
  }

  /** The options of a pool. Every setting has a default. */
  public static final class Builder {
    private String realm = FoveaClient.DEFAULT_REALM;
    private Consumer<FoveaClient.Builder> clientOptions = builder -> {};
    private int maxSize = 16;
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration validateAfterIdle = Duration.ofSeconds(10);
    private Duration pingTimeout = Duration.ofSeconds(2);
    private Duration sweepInterval;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /** The realm every connection joins; {@value FoveaClient#DEFAULT_REALM} by default. */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm");
      if (realm.isBlank()) {
        throw new IllegalArgumentException("realm must not be blank");
      }
      this.realm = realm;
      return this;
    }

    /**
     * Further options for every connection, applied after the realm, for example {@code b ->
     * b.token(token).connectTimeout(Duration.ofSeconds(2))}.
     */
    public Builder clientOptions(Consumer<FoveaClient.Builder> clientOptions) {
      this.clientOptions = Objects.requireNonNull(clientOptions, "clientOptions");
      return this;
    }

    /** The most connections held at once; 16 by default. */
    public Builder maxSize(int maxSize) {
      if (maxSize < 1) {
        throw new IllegalArgumentException("maxSize must be positive, was " + maxSize);
      }
      this.maxSize = maxSize;
      return this;
    }

    /** How long a connection may go unused before the sweep closes it; 5 minutes by default. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = FoveaClient.positive(idleTimeout, "idleTimeout");
      return this;
    }

    /**
     * How long a connection may go unused before it is checked with a PING on its next {@link
     * ConnectionPool#get}; 10 s by default, zero to check every time.
     */
    public Builder validateAfterIdle(Duration validateAfterIdle) {
      Objects.requireNonNull(validateAfterIdle, "validateAfterIdle");
      if (validateAfterIdle.isNegative()) {
        throw new IllegalArgumentException(
            "validateAfterIdle must not be negative, was "
                + FoveaClient.describe(validateAfterIdle));
      }
      this.validateAfterIdle = validateAfterIdle;
      return this;
    }

    /** How long that check waits for the PONG; 2 s by default. */
    public Builder pingTimeout(Duration pingTimeout) {
      this.pingTimeout = FoveaClient.positive(pingTimeout, "pingTimeout");
      return this;
    }

    /**
     * How often the background sweep looks for idle connections; by default half the idle timeout,
     * at most 30 s.
     */
    public Builder sweepInterval(Duration sweepInterval) {
      this.sweepInterval = FoveaClient.positive(sweepInterval, "sweepInterval");
      return this;
    }

    /** The source of nanoseconds that idleness is measured with; System::nanoTime by default. */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    public ConnectionPool build() {
      return new ConnectionPool(this);
    }
  }
}
