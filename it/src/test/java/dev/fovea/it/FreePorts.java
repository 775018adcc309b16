package dev.fovea.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free TCP ports on 127.0.0.1, for processes that must be told their ports on the command line. */
final class FreePorts {
  private static final int ATTEMPTS = 100;

  /** Every port handed out in this JVM, so that two nodes of one test never get the same one. */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /**
   * A loopback port that nothing listens on now. Another program may still take it before the
   * process it is meant for binds it; the start of that process then fails with the port in its
   * log.
   */
  static int next() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = bindAndRelease();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no unused loopback port in " + ATTEMPTS + " attempts");
  }

  private static int bindAndRelease() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a port on 127.0.0.1", e);
    }
  }
}
