package dev.fovea.node.gateway;

import dev.fovea.node.NodeSettings;
import dev.fovea.node.metrics.NodeMetrics;
import dev.fovea.node.session.ClientManager;
import dev.fovea.node.session.Session;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.codec.FrameDecoder;
import dev.fovea.protocol.codec.FrameLimits;
import dev.fovea.protocol.message.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * The TCP gateway. Each connection becomes two streams joined at a session actor: inbound bytes are
 * decoded into frames and handed to the session a read at a time, with backpressure; outbound
 * frames wait in the session's bounded {@link Outbox}, and whatever has queued up while the socket
 * was busy goes out in one write.
 */
public final class Gateway {
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

  private Gateway() {}

  /** Binds the listening socket; the stage completes once it is bound. */
  public static CompletionStage<Tcp.ServerBinding> bind(
      ActorSystem<?> system,
      NodeSettings settings,
      NodeMetrics metrics,
      ActorRef<ClientManager.Command> clientManager) {
    return Tcp.get(system)
        .bind(
            settings.gatewayHost(),
            settings.gatewayPort(),
            settings.backlog(),
            List.of(),
            false,
            Optional.empty())
        .mapAsyncUnordered(
            64,
            connection -> {
              Outbox outbox =
                  new Outbox(
                      settings.outboundQueueFrames(),
                      settings.outboundQueueBytes(),
                      settings.slowConsumerPolicy(),
                      metrics);
              String remote = connection.remoteAddress().toString();
              CompletionStage<ActorRef<Session.Command>> session =
                  AskPattern.ask(
                      clientManager,
                      replyTo -> new ClientManager.Open(remote, outbox, replyTo),
                      OPEN_TIMEOUT,
                      system.scheduler());
              return session.thenApply(
                  s -> {
                    connection.handleWith(connectionFlow(s, settings, metrics, outbox), system);
                    return NotUsed.getInstance();
                  });
            })
        .to(Sink.ignore())
        .run(system);
  }

  private static Flow<ByteString, ByteString, NotUsed> connectionFlow(
      ActorRef<Session.Command> session,
      NodeSettings settings,
      NodeMetrics metrics,
      Outbox outbox) {
    FrameLimits limits = settings.frameLimits();
    Sink<ByteString, NotUsed> inbound =
        Flow.of(ByteString.class)
            .statefulMap(
                () -> new FrameDecoder(limits),
                (decoder, bytes) -> Pair.create(decoder, decode(decoder, bytes, metrics)),
                decoder -> Optional.empty())
            .to(
                ActorSink.actorRefWithBackpressure(
                    session,
                    (ActorRef<Session.StreamAck> ackTo, DecodedRead read) ->
                        new Session.Inbound(read.frames(), read.refusal(), ackTo),
                    Session.StreamStarted::new,
                    Session.StreamAck.INSTANCE,
                    Session.StreamEnded.INSTANCE,
                    failure -> Session.StreamEnded.INSTANCE));
    Source<ByteString, NotUsed> batchedWrites =
        Source.fromGraph(new OutboxSource(outbox, settings.writeBatchBytes()));
    return Flow.fromSinkAndSourceCoupled(inbound, batchedWrites);
  }

  /** The frames one read completed, and the refusal that ended it, if any. */
  record DecodedRead(List<Message> frames, ProtocolException refusal) {}

  private static DecodedRead decode(FrameDecoder decoder, ByteString bytes, NodeMetrics metrics) {
    metrics.bytesIn(bytes.size());
    List<Message> frames = new ArrayList<>(4);
    try {
      // A read arrives as one array, which the decoder reads frames from in place; the view of
      // getByteBuffers() is read-only and would make it copy every byte first.
      decoder.feed(
          ByteBuffer.wrap(bytes.toArrayUnsafe()),
          m -> {
            metrics.frameIn(m.type());
            frames.add(m);
          });
      return new DecodedRead(frames, null);
    } catch (ProtocolException refusal) {
      return new DecodedRead(frames, refusal);
    }
  }
}
