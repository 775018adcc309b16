package dev.fovea.bench.load.target;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** {@code nats-server}, through jnats: core NATS, at most once, like Fovea's PUBLISH. */
public final class NatsTarget implements Target {
  /**
   * Messages a connection may queue for its socket: 65,536 of 128 bytes fill the 8 MiB that Fovea's
   * client queues, so both clients buffer alike before a publisher waits.
   */
  private static final int OUTGOING_QUEUE = 65_536;

  /** Providers of a procedure share a queue group, so that each call reaches one of them. */
  private static final String PROVIDERS = "providers";

  private final List<InetSocketAddress> servers;

  public NatsTarget(List<InetSocketAddress> servers) {
    this.servers = List.copyOf(servers);
  }

  @Override
  public String system() {
    return "nats";
  }

  @Override
  public Syntax syntax() {
    return Syntax.NATS;
  }

  @Override
  public boolean hasRpc() {
    return true;
  }

  @Override
  public List<InetSocketAddress> servers() {
    return servers;
  }

  @Override
  public Client connect(int node, String clientName) throws Exception {
    InetSocketAddress server = servers.get(node);
    Options options =
        new Options.Builder()
            .server("nats://" + server.getHostString() + ":" + server.getPort())
            .connectionName(clientName)
            .noReconnect()
            .maxMessagesInOutgoingQueue(OUTGOING_QUEUE)
            .build();
    return new NatsClient(Nats.connect(options));
  }

  @Override
  public Handshake handshake() {
    return sequence ->
        new Handshake.Exchange() {
          private final StringBuilder lines = new StringBuilder();

          @Override
          public byte[] hello() {
            // PONG answers the PING only after CONNECT was processed: the session is admitted.
            String connect =
                "CONNECT {\"verbose\":false,\"pedantic\":false,\"name\":\"bench-idle-"
                    + sequence
                    + "\"}\r\nPING\r\n";
            return connect.getBytes(StandardCharsets.US_ASCII);
          }

          @Override
          public Handshake.Verdict read(ByteBuffer received) {
            lines.append(StandardCharsets.US_ASCII.decode(received));
            if (lines.indexOf("-ERR") >= 0) {
              return Handshake.Verdict.REFUSED;
            }
            return lines.indexOf("PONG\r\n") >= 0
                ? Handshake.Verdict.ADMITTED
                : Handshake.Verdict.PENDING;
          }
        };
  }

  private static final class NatsClient implements Client {
    private final Connection connection;
    private final List<Dispatcher> dispatchers = new CopyOnWriteArrayList<>();

    NatsClient(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void publish(String topic, byte[] payload) {
      connection.publish(topic, payload);
    }

    @Override
    public void subscribe(List<String> patterns, Inbox inbox) {
      Dispatcher dispatcher =
          connection.createDispatcher(message -> inbox.accept(message.getData()));
      dispatchers.add(dispatcher);
      for (String pattern : patterns) {
        dispatcher.subscribe(pattern);
      }
    }

    @Override
    public void flush(Duration timeout) throws Exception {
      connection.flush(timeout);
    }

    @Override
    public void serve(String procedure, UnaryOperator<byte[]> handler) {
      Dispatcher dispatcher =
          connection.createDispatcher(
              request ->
                  connection.publish(request.getReplyTo(), handler.apply(request.getData())));
      dispatchers.add(dispatcher);
      dispatcher.subscribe(procedure, PROVIDERS);
    }

    @Override
    public CompletableFuture<byte[]> call(String procedure, byte[] payload, Duration timeout) {
      return connection.requestWithTimeout(procedure, payload, timeout).thenApply(Message::getData);
    }

    @Override
    public long dropped() {
      return dispatchers.stream().mapToLong(Dispatcher::getDroppedCount).sum();
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
