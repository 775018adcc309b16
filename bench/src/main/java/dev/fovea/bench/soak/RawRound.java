package dev.fovea.bench.soak;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Subscribe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * A client that leaves without a word: frames over a plain socket, then the socket closed with no
 * DISCONNECT, every other round reset at once. The node must find out by itself and remove its
 * session, subscription and provider.
 */
final class RawRound implements Round {
  private final String host;
  private final int port;
  private final int worker;

  RawRound(String host, int port, int worker) {
    this.host = host;
    this.port = port;
    this.worker = worker;
  }

  @Override
  public String kind() {
    return "raw";
  }

  @Override
  public void run(long n) throws Exception {
    String base = "soak.raw" + worker + ".r" + n;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) Rounds.WAIT.toMillis());
      socket.setSoTimeout((int) Rounds.WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      FrameDecoder decoder = new FrameDecoder(FrameLimits.DEFAULT);

      write(out, new Connect(NodeUnderSoak.REALM, "soak-raw-" + worker));
      write(out, new Subscribe(base + ".**"));
      write(out, new Advertise(base + ".proc", 0));
      write(out, new Publish(base + ".t", Rounds.PAYLOAD));
      write(out, Ping.INSTANCE);
      out.flush();

      boolean connected = false;
      boolean delivered = false;
      boolean ponged = false;
      byte[] buffer = new byte[8192];
      while (!(connected && delivered && ponged)) {
        int read = in.read(buffer);
        if (read < 0) {
          throw new IOException("the node closed the connection of " + base);
        }
        for (Message m : decoder.feed(Arrays.copyOf(buffer, read))) {
          if (m instanceof ErrorMessage error) {
            throw new IOException("the node refused " + base + ": " + error);
          }
          connected |= m instanceof Connected;
          delivered |= m instanceof Publish;
          ponged |= m instanceof Pong;
        }
      }
      if (n % 2 == 1) {
        socket.setSoLinger(true, 0); // close() now resets the connection
      }
    }
  }

  private static void write(OutputStream out, Message message) throws IOException {
    out.write(FrameCodec.encode(message));
  }
}
