package dev.fovea.bench.load.target;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Mosquitto, through Eclipse Paho MQTT v3, at QoS 0 (at most once, like Fovea's PUBLISH). */
public final class MqttTarget implements Target {
  /**
   * Publishes a client lets wait for its socket. Paho queues QoS 0 messages without a bound, so the
   * client waits for the oldest one here, as Fovea's client does when its 8 MiB queue is full.
   */
  private static final int MAX_UNSENT = 65_536;

  /** Filters per SUBSCRIBE packet when a client subscribes to many. */
  private static final int FILTERS_PER_PACKET = 100;

  private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(30);

  private final List<InetSocketAddress> servers;

  public MqttTarget(List<InetSocketAddress> servers) {
    this.servers = List.copyOf(servers);
  }

  @Override
  public String system() {
    return "mosquitto";
  }

  @Override
  public Syntax syntax() {
    return Syntax.MQTT;
  }

  @Override
  public boolean hasRpc() {
    return false;
  }

  @Override
  public List<InetSocketAddress> servers() {
    return servers;
  }

  @Override
  public Client connect(int node, String clientName) throws Exception {
    InetSocketAddress server = servers.get(node);
    MqttAsyncClient client =
        new MqttAsyncClient(
            "tcp://" + server.getHostString() + ":" + server.getPort(),
            clientName,
            new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(60);
    options.setConnectionTimeout(10);
    client.connect(options).waitForCompletion(10_000);
    return new PahoClient(client);
  }

  @Override
  public Handshake handshake() {
    return sequence ->
        new Handshake.Exchange() {
          private final ByteArrayOutputStream received = new ByteArrayOutputStream();

          @Override
          public byte[] hello() {
            return connectPacket("bench-idle-" + sequence);
          }

          @Override
          public Handshake.Verdict read(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
              received.write(bytes.get());
            }
            byte[] sofar = received.toByteArray();
            if (sofar.length < 4) {
              return Handshake.Verdict.PENDING;
            }
            // CONNACK: type 0x20, remaining length 2, session-present flags, return code.
            boolean accepted = (sofar[0] & 0xff) == 0x20 && sofar[3] == 0;
            return accepted ? Handshake.Verdict.ADMITTED : Handshake.Verdict.REFUSED;
          }
        };
  }

  /**
   * An MQTT 3.1.1 CONNECT with a clean session and keep-alive off, so that an idle session is never
   * closed by the broker while the scenario holds it.
   */
  static byte[] connectPacket(String clientId) {
    byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0});
    body.write(id.length >> 8);
    body.write(id.length & 0xff);
    body.writeBytes(id);
    ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    int remaining = body.size();
    do {
      int digit = remaining % 128;
      remaining /= 128;
      packet.write(remaining > 0 ? digit | 0x80 : digit);
    } while (remaining > 0);
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }

  private static final class PahoClient implements Client {
    private final MqttAsyncClient client;
    private final ArrayDeque<IMqttDeliveryToken> unsent = new ArrayDeque<>();

    PahoClient(MqttAsyncClient client) {
      this.client = client;
    }

    @Override
    public synchronized void publish(String topic, byte[] payload) throws Exception {
      while (unsent.size() >= MAX_UNSENT) {
        unsent.poll().waitForCompletion();
      }
      while (!unsent.isEmpty() && unsent.peek().isComplete()) {
        unsent.poll();
      }
      unsent.add(client.publish(topic, payload, 0, false));
    }

    @Override
    public void subscribe(List<String> patterns, Inbox inbox) throws Exception {
      client.setCallback(
          new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
              inbox.accept(message.getPayload());
            }

            @Override
            public void connectionLost(Throwable cause) {}

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
          });
      for (int from = 0; from < patterns.size(); from += FILTERS_PER_PACKET) {
        String[] filters =
            patterns
                .subList(from, Math.min(patterns.size(), from + FILTERS_PER_PACKET))
                .toArray(String[]::new);
        int[] qos = new int[filters.length];
        IMqttToken granted = client.subscribe(filters, qos);
        granted.waitForCompletion(SUBSCRIBE_TIMEOUT.toMillis());
        int[] grantedQos = granted.getGrantedQos();
        if (grantedQos != null && Arrays.stream(grantedQos).anyMatch(q -> q == 0x80)) {
          throw new IllegalStateException("the broker refused a subscription among " + filters[0]);
        }
      }
    }

    @Override
    public void flush(Duration timeout) throws Exception {
      // SUBACKs were awaited; what is left is to see the queued publishes onto the socket.
      IMqttDeliveryToken last;
      synchronized (this) {
        last = unsent.peekLast();
      }
      if (last != null) {
        last.waitForCompletion(timeout.toMillis());
      }
    }

    @Override
    public void serve(String procedure, UnaryOperator<byte[]> handler) {
      throw new UnsupportedOperationException("MQTT v3 has no request/reply");
    }

    @Override
    public CompletableFuture<byte[]> call(String procedure, byte[] payload, Duration timeout) {
      throw new UnsupportedOperationException("MQTT v3 has no request/reply");
    }

    @Override
    public long dropped() {
      return 0; // Paho blocks its reader behind a slow callback instead of dropping
    }

    @Override
    public void close() {
      try {
        client.disconnect().waitForCompletion(2_000);
      } catch (Exception e) {
        // Closing anyway: the broker forgets a clean session when the socket goes.
      }
      try {
        client.close();
      } catch (Exception e) {
        // Nothing left to release.
      }
    }
  }
}
