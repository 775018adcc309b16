package dev.fovea.bench.soak;

import dev.fovea.client.Advertisement;
import dev.fovea.client.ConnectionPool;
import dev.fovea.client.FoveaClient;
import dev.fovea.client.Subscription;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A round on a pooled connection, which outlives it: the round withdraws what it made. It takes the
 * connection to one of two spellings of the node's address, three rounds each in turn, so that with
 * room for one connection the pool reuses it, checks it with a PING, and evicts it by closing it
 * when the other spelling is asked for.
 */
final class PoolRound implements Round {
  private final ConnectionPool pool;
  private final List<String> spellings;
  private final int worker;

  PoolRound(ConnectionPool pool, List<String> spellings, int worker) {
    this.pool = pool;
    this.spellings = spellings;
    this.worker = worker;
  }

  @Override
  public String kind() {
    return "pool";
  }

  @Override
  public void run(long n) throws Exception {
    String base = "soak.pool" + worker + ".r" + n;
    String procedure = base + ".echo";
    String endpoint = spellings.get((int) (n / 3 % spellings.size()));
    CountDownLatch received = new CountDownLatch(Rounds.PUBLISHES);
    FoveaClient client = pool.get(endpoint);

    Subscription own = client.subscribe(base + ".*", d -> received.countDown());
    Advertisement provided = client.advertise(procedure, call -> call.payload());
    try {
      client.flush();
      for (int i = 0; i < Rounds.PUBLISHES; i++) {
        Rounds.await(
            same(client, endpoint).publishWithAck(base + ".t", Rounds.PAYLOAD), "a PUBACK");
      }
      Rounds.await(received, "publishes to " + base);
      Rounds.callUntilAnswered(
          () -> same(client, endpoint).call(procedure, Rounds.utf8(base), Rounds.CALL_TIMEOUT),
          procedure,
          base);
    } finally {
      own.unsubscribe();
      provided.unadvertise();
    }
    client.flush();
  }

  /**
   * The pooled connection, taken again for each step as the pool asks of its users, which marks it
   * used; it must still be the one that holds the round's subscription.
   */
  private FoveaClient same(FoveaClient holder, String endpoint) {
    FoveaClient now = pool.get(endpoint);
    if (now != holder) {
      throw new IllegalStateException("the pool replaced the connection to " + endpoint);
    }
    return now;
  }
}
