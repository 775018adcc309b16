package dev.fovea.bench.load.target;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A system under load: Fovea, or a peer that users would otherwise pick. Scenarios are written once
 * against this interface and the {@link Client}s it connects.
 */
public interface Target {
  /** The name results carry: {@code fovea}, {@code nats} or {@code mosquitto}. */
  String system();

  Syntax syntax();

  /** Whether the system has request/reply to named procedures. */
  boolean hasRpc();

  /** The servers of the system, one per node; scenarios address them by index. */
  List<InetSocketAddress> servers();

  /** Opens a connection to one node. */
  Client connect(int node, String clientName) throws Exception;

  /** The bytes of the system's handshake, for opening many idle sessions without a full client. */
  Handshake handshake();
}
