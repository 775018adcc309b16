package dev.fovea.node;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A client that speaks frames over a plain socket, for tests that must send what the Java client
 * never would: bytes that do not decode, frames out of order, frames over the limit.
 */
public final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final FrameDecoder decoder = new FrameDecoder(FrameLimits.DEFAULT);
  private final Deque<Message> received = new ArrayDeque<>();
  private boolean closedByPeer;

  public RawClient(int port) throws IOException {
    this(port, 0);
  }

  /**
   * Connects with a receive buffer of {@code receiveBufferBytes} (0 keeps the system's), set before
   * connecting so that it bounds the window the node may fill: a client that then stops reading
   * backs up into the node's outbound queue after a few KiB, not after megabytes.
   */
  public RawClient(int port, int receiveBufferBytes) throws IOException {
    socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Connects and completes the CONNECT handshake. */
  public static RawClient connected(int port) throws IOException {
    return connected(new RawClient(port), "raw-test");
  }

  /** Completes the CONNECT handshake on a client that has connected its socket. */
  public static RawClient connected(RawClient c, String clientName) throws IOException {
    c.send(new Connect(TestNode.REALM, clientName));
    Message answer = c.receive(Duration.ofSeconds(5));
    if (!(answer instanceof Connected)) {
      throw new IllegalStateException("expected CONNECTED, got " + answer);
    }
    return c;
  }

  public void send(Message m) throws IOException {
    sendBytes(FrameCodec.encode(m));
  }

  public void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or {@code null} if none came in time or the node closed the connection. */
  public Message receive(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[8192];
    while (received.isEmpty() && !closedByPeer) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      try {
        int n = in.read(buf);
        if (n < 0) {
          closedByPeer = true;
        } else {
          received.addAll(decoder.feed(java.util.Arrays.copyOf(buf, n)));
        }
      } catch (SocketTimeoutException e) {
        return null;
      }
    }
    return received.poll();
  }

  /** True once the node has closed the connection (reads until then, dropping frames). */
  public boolean awaitClosedByPeer(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closedByPeer && System.nanoTime() < deadline) {
      try {
        receive(Duration.ofMillis(100));
      } catch (IOException e) {
        closedByPeer = true; // a reset is a close too
      }
    }
    return closedByPeer;
  }

  /**
   * Reads until the node closes the connection and returns the last frame it sent, or {@code null}
   * if it sent none or did not close in time.
   */
  public Message lastFrameBeforeClose(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Message last = null;
    while (System.nanoTime() < deadline) {
      Message m;
      try {
        m = receive(Duration.ofMillis(100));
      } catch (IOException e) {
        return last; // a reset after the last frame is a close too
      }
      if (m != null) {
        last = m;
      } else if (closedByPeer) {
        return last;
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
