package dev.fovea.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.protocol.message.Publish;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Decoding a frame allocates the message and little else. A general MessagePack unpacker built per
 * frame allocated about 17 KB for a small PUBLISH (its string decoder's buffer alone is 16 KiB),
 * which made decoding slower than reading the fields into a generic map.
 */
class FrameCodecAllocationTest {
  private static final int DECODES = 2_000;

  @Test
  void decodingASmallPublishAllocatesLittleMoreThanTheMessage() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    byte[] frame = FrameCodec.encode(new Publish("sensor.b07.f03.r21.temp", new byte[16], 7));
    for (int i = 0; i < DECODES; i++) {
      FrameCodec.decode(frame, FrameLimits.DEFAULT);
    }

    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < DECODES; i++) {
      FrameCodec.decode(frame, FrameLimits.DEFAULT);
    }
    long perDecode = (threads.getThreadAllocatedBytes(thread) - before) / DECODES;

    assertThat(perDecode).as("bytes allocated per decode").isLessThan(4_096);
  }
}
