package dev.fovea.bench.soak;

import dev.fovea.client.Advertisement;
import dev.fovea.client.FoveaClient;
import dev.fovea.client.Subscription;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link FoveaClient} of its own: it subscribes to a pattern of its own and to one all such
 * clients share, provides a procedure of its own, publishes to itself, calls itself and a built-in
 * procedure, and leaves; every other round it withdraws what it made first, the others leave it to
 * the node to clean up.
 */
final class DirectRound implements Round {
  private final String host;
  private final int port;
  private final int worker;

  DirectRound(String host, int port, int worker) {
    this.host = host;
    this.port = port;
    this.worker = worker;
  }

  @Override
  public String kind() {
    return "direct";
  }

  @Override
  public void run(long n) throws Exception {
    String base = "soak.direct" + worker + ".r" + n;
    String procedure = base + ".echo";
    CountDownLatch received = new CountDownLatch(Rounds.PUBLISHES);
    try (FoveaClient client =
        FoveaClient.builder(host, port)
            .realm(NodeUnderSoak.REALM)
            .clientName("soak-direct-" + worker)
            .connect()) {
      Subscription own = client.subscribe(base + ".*", d -> received.countDown());
      client.subscribe("soak.shared.**", d -> {});
      Advertisement provided = client.advertise(procedure, call -> call.payload());
      client.flush();

      for (int i = 0; i < Rounds.PUBLISHES; i++) {
        client.publish(base + ".t", Rounds.PAYLOAD);
      }
      client.publish("soak.shared." + worker, Rounds.PAYLOAD);
      Rounds.await(received, "publishes to " + base);
      Rounds.callUntilAnswered(
          () -> client.call(procedure, Rounds.utf8(base), Rounds.CALL_TIMEOUT), procedure, base);
      Rounds.callUntilAnswered(
          () -> client.call("fovea.diagnostics.echo", Rounds.utf8(base), Rounds.CALL_TIMEOUT),
          "fovea.diagnostics.echo",
          base);

      if (n % 2 == 0) {
        own.unsubscribe();
        provided.unadvertise();
        client.flush();
      }
    }
  }
}
