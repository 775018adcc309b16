package dev.fovea.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.ErrorMessage;
import dev.fovea.protocol.message.Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The message that ends a session is the last one its client receives, whatever races it. */
class OutboxTest {
  private static final ErrorMessage REFUSAL =
      new ErrorMessage(ErrorCode.SLOW_CONSUMER, "did not read");
  private static final ByteString PUBLISH =
      ByteString.fromArrayUnsafe(FrameCodec.encode(new Publish("a.b", new byte[16])));
  private static final ByteString REFUSAL_FRAME =
      ByteString.fromArrayUnsafe(FrameCodec.encode(REFUSAL));

  @Test
  void nothingIsQueuedAfterTheLastMessage() {
    Outbox outbox = new Outbox(100, 1 << 20, SlowConsumerPolicy.DISCONNECT, OutboxMetrics.NONE);
    assertThat(outbox.offer(PUBLISH)).isTrue();

    outbox.sendLast(REFUSAL);

    assertThat(outbox.offer(PUBLISH)).as("an offer after the last message").isFalse();
    assertThat(drain(outbox)).containsExactly(PUBLISH, REFUSAL_FRAME);
    assertThat(outbox.isClosed()).isTrue();
  }

  @Test
  void theLastMessageIsQueuedEvenAtTheBounds() {
    Outbox outbox = new Outbox(2, 1 << 20, SlowConsumerPolicy.DISCONNECT, OutboxMetrics.NONE);
    outbox.offer(PUBLISH);
    outbox.offer(PUBLISH);

    outbox.sendLast(REFUSAL);

    assertThat(drain(outbox)).containsExactly(PUBLISH, PUBLISH, REFUSAL_FRAME);
  }

  @Test
  void aSlowConsumersBacklogIsReplacedByTheErrorAlone() {
    Outbox outbox = new Outbox(100, 1 << 20, SlowConsumerPolicy.DISCONNECT, OutboxMetrics.NONE);
    outbox.offer(PUBLISH);
    outbox.offer(PUBLISH);

    outbox.replaceAllWith(REFUSAL);

    assertThat(outbox.offer(PUBLISH)).isFalse();
    assertThat(drain(outbox)).containsExactly(REFUSAL_FRAME);
  }

  /** A topic shard delivering on another thread while the session refuses its client. */
  @RepeatedTest(20)
  void aDeliveryRacingTheCloseNeverLandsBehindTheLastMessage() throws Exception {
    Outbox outbox =
        new Outbox(1 << 20, 1L << 30, SlowConsumerPolicy.DISCONNECT, OutboxMetrics.NONE);
    CountDownLatch delivering = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    Thread shard =
        new Thread(
            () -> {
              delivering.countDown();
              while (!stop.get()) {
                outbox.offer(PUBLISH);
              }
            });
    shard.start();
    delivering.await();
    Thread.onSpinWait();

    outbox.sendLast(REFUSAL);
    stop.set(true);
    shard.join();

    List<ByteString> frames = drain(outbox);
    assertThat(frames).last().isEqualTo(REFUSAL_FRAME);
    assertThat(frames.stream().filter(REFUSAL_FRAME::equals)).hasSize(1);
  }

  private static List<ByteString> drain(Outbox outbox) {
    List<ByteString> all = new ArrayList<>();
    List<ByteString> write = new ArrayList<>();
    while (outbox.takeWrite(Integer.MAX_VALUE, write) > 0) {
      all.addAll(write);
      write.clear();
    }
    return all;
  }
}
