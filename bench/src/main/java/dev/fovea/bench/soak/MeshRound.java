package dev.fovea.bench.soak;

import dev.fovea.client.MeshClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link MeshClient}: registrations it keeps for its sessions, publishes that may be buffered,
 * and a supervisor thread, all of which must go when it closes.
 */
final class MeshRound implements Round {
  private final List<String> endpoints;
  private final int worker;

  MeshRound(List<String> endpoints, int worker) {
    this.endpoints = endpoints;
    this.worker = worker;
  }

  @Override
  public String kind() {
    return "mesh";
  }

  @Override
  public void run(long n) throws Exception {
    String base = "soak.mesh" + worker + ".r" + n;
    String procedure = base + ".echo";
    CountDownLatch received = new CountDownLatch(Rounds.PUBLISHES);
    try (MeshClient mesh =
        MeshClient.builder(endpoints)
            .realm(NodeUnderSoak.REALM)
            .clientOptions(b -> b.clientName("soak-mesh-" + worker))
            .connect()) {
      mesh.subscribe(base + ".**", d -> received.countDown());
      mesh.advertise(procedure, call -> call.payload());
      mesh.flush();

      for (int i = 0; i < Rounds.PUBLISHES; i++) {
        mesh.publish(base + ".t", Rounds.PAYLOAD);
      }
      Rounds.await(received, "publishes to " + base);
      Rounds.callUntilAnswered(
          () -> mesh.call(procedure, Rounds.utf8(base), Rounds.CALL_TIMEOUT), procedure, base);
    }
  }
}
