package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Pong;
import dev.fovea.protocol.message.PubAck;
import dev.fovea.protocol.message.Publish;
import dev.fovea.protocol.message.Reply;
import dev.fovea.protocol.message.Subscribe;
import dev.fovea.protocol.message.Unsubscribe;
import dev.fovea.protocol.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for a node, for tests only: one thread per connection, frames handled in order. It
 * admits CONNECT for its realm (unless told to {@link #refuseWith} a code), answers PING, keeps
 * each connection's patterns as a set and delivers a PUBLISH once to every connection with a
 * matching pattern, acknowledges PUBLISH with an ack id, and answers CALL with {@link #calls}.
 * Every frame a client sends after CONNECT is kept, in order, for {@link #expect}; every admitted
 * connection that ends is kept for {@link #awaitEnded}. {@link #close()} stops it as a crashed node
 * would.
 */
final class FakeNode implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(5);

  private final String realm;
  private final ServerSocket server;
  private final Thread acceptor;
  private final String nodeId;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<Connection> ended = new LinkedBlockingQueue<>();
  private final AtomicInteger sessions = new AtomicInteger();

  /** The limits stated in CONNECTED. */
  volatile Map<String, Long> limits = Map.of();

  /** Answers a CALL; a null reply leaves the call unanswered. */
  volatile Function<Call, Reply> calls = call -> Reply.ok(call.callId(), call.payload());

  /** Whether a PUBLISH with an ack id is acknowledged. */
  volatile boolean acknowledges = true;

  /** An error code to refuse every CONNECT with, or null to admit them. */
  volatile String refuseWith;

  FakeNode(String realm) throws IOException {
    this(realm, "fake-node");
  }

  FakeNode(String realm, String nodeId) throws IOException {
    this.realm = realm;
    this.nodeId = nodeId;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::accept, "fake-node-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** This node's endpoint, {@code 127.0.0.1:port}. */
  String endpoint() {
    return "127.0.0.1:" + port();
  }

  String nodeId() {
    return nodeId;
  }

  FoveaClient.Builder client() {
    return FoveaClient.builder("127.0.0.1", port()).realm(realm).clientName("test");
  }

  /** The next frame a client sent other than PING, which must be of the given type. */
  <T extends Message> T expectSkippingPings(Class<T> type) throws InterruptedException {
    while (true) {
      Message next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (!(next instanceof Ping)) {
        assertThat(next).as("the next frame from the client, PINGs aside").isInstanceOf(type);
        return type.cast(next);
      }
    }
  }

  /** The next admitted connection to end, by either side. */
  Connection awaitEnded() throws InterruptedException {
    Connection next = ended.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(next).as("a connection that ended within " + WAIT).isNotNull();
    return next;
  }

  /** Connections admitted and not yet ended. */
  int connectionCount() {
    return connections.size();
  }

  /** The next frame a client sent, which must be of the given type. */
  <T extends Message> T expect(Class<T> type) throws InterruptedException {
    Message next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(next).as("the next frame from the client").isInstanceOf(type);
    return type.cast(next);
  }

  /** Sends a frame to the connection that connected last. */
  void send(Message message) {
    lastConnection().send(message);
  }

  /** Closes every connection without a goodbye, as a crashed node would. */
  void dropConnections() {
    connections.forEach(Connection::close);
  }

  Connection lastConnection() {
    assertThat(connections).as("connections").isNotEmpty();
    return connections.get(connections.size() - 1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    dropConnections();
  }

  private void accept() {
    try {
      while (true) {
        Socket socket = server.accept();
        Connection connection = new Connection(socket);
        Thread thread = new Thread(connection::serve, "fake-node-session");
        thread.setDaemon(true);
        thread.start();
      }
    } catch (IOException e) {
      // The server socket was closed.
    }
  }

  private void onPublish(Connection from, Publish publish) {
    Publish delivery = new Publish(publish.topic(), publish.payload());
    for (Connection connection : connections) {
      if (connection.patterns.stream().anyMatch(p -> Topics.matches(p, publish.topic()))) {
        connection.send(delivery);
      }
    }
    if (publish.wantsAck() && acknowledges) {
      from.send(new PubAck(publish.ackId()));
    }
  }

  final class Connection {
    private final Socket socket;
    private final OutputStream out;
    final Set<String> patterns = ConcurrentHashMap.newKeySet();
    volatile String sessionId;
    private volatile boolean silent;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream();
    }

    synchronized void send(Message message) {
      try {
        out.write(FrameCodec.encode(message));
        out.flush();
      } catch (IOException e) {
        // The client went away; the test sees that through the client.
      }
    }

    /** Stops answering anything, PING included, while the socket stays open: a hung node. */
    void silence() {
      silent = true;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // Already closed.
      }
    }

    private void serve() {
      FrameDecoder decoder = new FrameDecoder(FrameLimits.DEFAULT);
      byte[] buffer = new byte[16 * 1024];
      try (socket) {
        InputStream in = socket.getInputStream();
        boolean[] admitted = {false};
        int n;
        while ((n = in.read(buffer)) >= 0) {
          decoder.feed(
              ByteBuffer.wrap(buffer, 0, n),
              message -> {
                if (!admitted[0]) {
                  admitted[0] = admit((Connect) message);
                } else {
                  received.add(message);
                  handle(message);
                }
              });
        }
      } catch (IOException e) {
        // Closed by either side.
      } finally {
        if (connections.remove(this)) {
          ended.add(this);
        }
      }
    }

    private boolean admit(Connect connect) {
      String refusal = refuseWith;
      if (refusal != null) {
        send(new ErrorMessage(refusal, "refused by the test"));
        close();
        return false;
      }
      if (!connect.realm().equals(realm)) {
        send(
            new ErrorMessage(
                ErrorCode.REALM_MISMATCH,
                "this node serves realm " + realm + ", not " + connect.realm()));
        close();
        return false;
      }
      sessionId = "session-" + sessions.incrementAndGet();
      connections.add(this);
      send(new Connected(sessionId, nodeId, limits));
      return true;
    }

    private void handle(Message message) {
      if (silent) {
        return;
      }
      switch (message.type()) {
        case PING -> send(Pong.INSTANCE);
        case SUBSCRIBE -> patterns.add(((Subscribe) message).pattern());
        case UNSUBSCRIBE -> patterns.remove(((Unsubscribe) message).pattern());
        case PUBLISH -> onPublish(this, (Publish) message);
        case CALL -> {
          Reply reply = calls.apply((Call) message);
          if (reply != null) {
            send(reply);
          }
        }
        case DISCONNECT -> close();
        default -> {}
      }
    }
  }
}
