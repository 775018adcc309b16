package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {
  private static final String REALM = "com.example.realm";

  /** The pool's clock, moved by hand. */
  private final AtomicLong now = new AtomicLong();

  private FakeNode a;
  private FakeNode b;
  private FakeNode c;
  private ConnectionPool pool;

  @BeforeEach
  void startNodes() throws Exception {
    a = new FakeNode(REALM, "node-a");
    b = new FakeNode(REALM, "node-b");
    c = new FakeNode(REALM, "node-c");
  }

  @AfterEach
  void stopAll() throws Exception {
    if (pool != null) {
      pool.close();
    }
    for (FakeNode node : List.of(a, b, c)) {
      node.close();
    }
  }

  @Test
  void handsOutOneSharedConnectionPerEndpoint() {
    pool = pool(ConnectionPool.builder());

    FoveaClient first = pool.get(a.endpoint());
    FoveaClient second = pool.get(a.endpoint());

    assertThat(second).isSameAs(first);
    assertThat(first.nodeId()).isEqualTo("node-a");
    assertThat(pool.size()).isEqualTo(1);
    assertThat(pool.created()).isEqualTo(1);
  }

  @Test
  void concurrentGetsOfOneEndpointOpenOneConnection() throws Exception {
    pool = pool(ConnectionPool.builder());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<FoveaClient>> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clients.add(
            threads.submit(
                () -> {
                  start.await();
                  return pool.get(a.endpoint());
                }));
      }
      start.countDown();

      Set<FoveaClient> distinct = ConcurrentHashMap.newKeySet();
      for (Future<FoveaClient> client : clients) {
        distinct.add(client.get(5, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
      assertThat(pool.created()).isEqualTo(1);
      assertThat(a.connectionCount()).isEqualTo(1);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void openingBeyondMaxSizeClosesTheLeastRecentlyUsedConnection() throws Exception {
    pool = pool(ConnectionPool.builder().maxSize(2));
    FoveaClient toA = pool.get(a.endpoint());
    FoveaClient toB = pool.get(b.endpoint());
    pool.get(a.endpoint()); // a is now more recently used than b

    FoveaClient toC = pool.get(c.endpoint());

    assertThat(b.awaitEnded()).as("the node of the evicted connection sees it close").isNotNull();
    assertThat(toB.isOpen()).isFalse();
    assertThat(toA.isOpen()).isTrue();
    assertThat(toC.isOpen()).isTrue();
    assertThat(pool.size()).isEqualTo(2);
    assertThat(pool.evicted()).isEqualTo(1);
    assertThat(pool.get(a.endpoint())).isSameAs(toA);
    assertThat(pool.failed()).isZero();
  }

  @Test
  void cleanUpClosesConnectionsUnusedForTheIdleTimeout() throws Exception {
    pool = pool(ConnectionPool.builder().idleTimeout(Duration.ofMinutes(5)));
    FoveaClient toA = pool.get(a.endpoint());
    FoveaClient toB = pool.get(b.endpoint());
    advance(Duration.ofMinutes(4));
    pool.get(b.endpoint());
    advance(Duration.ofMinutes(1));

    pool.cleanUp();

    assertThat(a.awaitEnded()).isNotNull();
    assertThat(toA.isOpen()).isFalse();
    assertThat(toB.isOpen()).as("used a minute ago").isTrue();
    assertThat(pool.size()).isEqualTo(1);
    assertThat(pool.reaped()).isEqualTo(1);
  }

  @Test
  void theBackgroundSweepReapsWithoutBeingAsked() throws Exception {
    pool =
        pool(
            ConnectionPool.builder()
                .idleTimeout(Duration.ofMinutes(5))
                .sweepInterval(Duration.ofMillis(10)));
    FoveaClient toA = pool.get(a.endpoint());

    advance(Duration.ofMinutes(5));

    assertThat(a.awaitEnded()).isNotNull();
    assertThat(toA.isOpen()).isFalse();
    assertThat(pool.reaped()).isEqualTo(1);
  }

  @Test
  void aConnectionTheNodeDroppedIsReplaced() throws Exception {
    pool = pool(ConnectionPool.builder());
    FoveaClient first = pool.get(a.endpoint());
    CompletableFuture<FoveaException> closed = new CompletableFuture<>();
    first.onClose(closed::complete);

    a.dropConnections();
    assertThat(closed.get(5, TimeUnit.SECONDS).code()).isEqualTo("connection_lost");
    FoveaClient second = pool.get(a.endpoint());

    assertThat(second).isNotSameAs(first);
    assertThat(second.isOpen()).isTrue();
    assertThat(pool.created()).isEqualTo(2);
    assertThat(pool.failed()).isEqualTo(1);
  }

  @Test
  void anIdleConnectionThatMissesItsPongIsNotHandedOut() throws Exception {
    pool =
        pool(
            ConnectionPool.builder()
                .validateAfterIdle(Duration.ofSeconds(10))
                .pingTimeout(Duration.ofMillis(200)));
    FoveaClient hung = pool.get(a.endpoint());
    a.lastConnection().silence();
    advance(Duration.ofSeconds(11));

    FoveaClient fresh = pool.get(a.endpoint());

    assertThat(fresh).isNotSameAs(hung);
    assertThat(hung.isOpen()).isFalse();
    assertThat(a.awaitEnded()).isNotNull();
    assertThat(fresh.ping().get(5, TimeUnit.SECONDS)).isPositive();
    assertThat(pool.failed()).isEqualTo(1);
    assertThat(pool.size()).isEqualTo(1);
  }

  @Test
  void aConnectionThatCannotBeOpenedFailsAndLeavesNothingBehind() throws Exception {
    pool = pool(ConnectionPool.builder());
    int port;
    try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = unused.getLocalPort();
    }

    assertThatThrownBy(() -> pool.get("127.0.0.1:" + port))
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("connect_failed"));
    assertThat(pool.size()).isZero();
    assertThat(pool.failed()).isEqualTo(1);
  }

  @Test
  void closeClosesEveryConnectionAndRefusesMore() throws Exception {
    pool = pool(ConnectionPool.builder());
    pool.get(a.endpoint());
    pool.get(b.endpoint());

    pool.close();

    assertThat(a.awaitEnded()).isNotNull();
    assertThat(b.awaitEnded()).isNotNull();
    assertThat(pool.size()).isZero();
    assertThatThrownBy(() -> pool.get(a.endpoint()))
        .isInstanceOfSatisfying(
            FoveaException.class, e -> assertThat(e.code()).isEqualTo("client_closed"));
  }

  private ConnectionPool pool(ConnectionPool.Builder builder) {
    return builder
        .realm(REALM)
        .clientOptions(o -> o.clientName("pool-test"))
        .ticker(now::get)
        .build();
  }

  private void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }
}
