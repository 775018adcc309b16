package dev.fovea.bench.load.target;

import dev.fovea.client.FoveaClient;
import dev.fovea.client.Subscription;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Connect;
import dev.fovea.protocol.message.Connected;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Message;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/** Fovea nodes, through {@link FoveaClient}. */
public final class FoveaTarget implements Target {
  private final List<InetSocketAddress> servers;
  private final String realm;

  public FoveaTarget(List<InetSocketAddress> servers, String realm) {
    this.servers = List.copyOf(servers);
    this.realm = realm;
  }

  @Override
  public String system() {
    return "fovea";
  }

  @Override
  public Syntax syntax() {
    return Syntax.FOVEA;
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
  public Client connect(int node, String clientName) {
    InetSocketAddress server = servers.get(node);
    // One thread runs all of a client's handlers, as one jnats dispatcher runs a NATS client's
    // (NatsTarget makes one per subscribe and per serve call, and each is called once a client):
    // the same threading on both sides, where the client's default would start a thread per
    // invocation running at the same time.
    ExecutorService handlers =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "bench-handler-" + clientName);
              thread.setDaemon(true);
              return thread;
            });
    FoveaClient client =
        FoveaClient.builder(server.getHostString(), server.getPort())
            .realm(realm)
            .clientName(clientName)
            .executor(handlers)
            .connect();
    return new Connection(client, handlers);
  }

  @Override
  public Handshake handshake() {
    return sequence ->
        new Handshake.Exchange() {
          private final FrameDecoder decoder = new FrameDecoder(FrameLimits.DEFAULT);
          private Handshake.Verdict verdict = Handshake.Verdict.PENDING;

          @Override
          public byte[] hello() {
            return FrameCodec.encode(new Connect(realm, "bench-idle-" + sequence));
          }

          @Override
          public Handshake.Verdict read(ByteBuffer received) {
            decoder.feed(received, this::onFrame);
            return verdict;
          }

          private void onFrame(Message message) {
            if (verdict != Handshake.Verdict.PENDING) {
              return;
            }
            if (message instanceof Connected) {
              verdict = Handshake.Verdict.ADMITTED;
            } else if (message instanceof ErrorMessage) {
              verdict = Handshake.Verdict.REFUSED;
            }
          }
        };
  }

  private static final class Connection implements Client {
    private final FoveaClient client;
    private final ExecutorService handlers;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

    Connection(FoveaClient client, ExecutorService handlers) {
      this.client = client;
      this.handlers = handlers;
    }

    @Override
    public void publish(String topic, byte[] payload) {
      client.publish(topic, payload);
    }

    @Override
    public void subscribe(List<String> patterns, Inbox inbox) {
      for (String pattern : patterns) {
        subscriptions.add(client.subscribe(pattern, delivery -> inbox.accept(delivery.payload())));
      }
    }

    @Override
    public void flush(Duration timeout) {
      client.flush(timeout);
    }

    @Override
    public void serve(String procedure, UnaryOperator<byte[]> handler) {
      client.advertise(procedure, invocation -> handler.apply(invocation.payload()));
    }

    @Override
    public CompletableFuture<byte[]> call(String procedure, byte[] payload, Duration timeout) {
      return client.call(procedure, payload, timeout);
    }

    @Override
    public long dropped() {
      return subscriptions.stream().mapToLong(Subscription::dropped).sum();
    }

    @Override
    public void close() {
      client.close();
      handlers.shutdownNow();
    }
  }
}
