package dev.fovea.bench.load.target;

import java.nio.ByteBuffer;

/**
 * A system's own handshake, spoken over a bare socket. Ramping to ten thousand sessions through the
 * full clients would take two or three threads each, more than this kind of machine allows ({@code
 * pid_max} is 32768), so the connections scenario opens them from one selector thread: the server
 * admits and keeps a session the same way either way.
 */
@FunctionalInterface
public interface Handshake {
  /** Starts the handshake of one connection; {@code sequence} keeps client names unique. */
  Exchange begin(int sequence);

  /** The handshake of one connection. */
  interface Exchange {
    /** What the client sends as soon as the socket connects. */
    byte[] hello();

    /** Takes what the server sent since the last call. */
    Verdict read(ByteBuffer received);
  }

  /** How far a handshake has got. */
  enum Verdict {
    PENDING,
    ADMITTED,
    REFUSED
  }
}
