package dev.fovea.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Publish;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The value-tree encoder writes the very bytes Fovea's encoder writes. */
class NaiveMapEncoderTest {
  @Test
  void encode_publishWithAndWithoutAckId_writesFoveasBytes() {
    byte[] payload = "21.5".getBytes(StandardCharsets.UTF_8);
    Publish plain = new Publish("sensor.b01.temp", payload);
    Publish acked = new Publish("sensor.b01.temp", payload, 300_000);

    assertThat(NaiveMapEncoder.encode(plain)).isEqualTo(FrameCodec.encode(plain));
    assertThat(NaiveMapEncoder.encode(acked)).isEqualTo(FrameCodec.encode(acked));
  }

  @Test
  void encode_largePayload_writesFoveasBytes() {
    Publish publish = new Publish("sensor.b01.raw", new byte[70_000]);

    assertThat(NaiveMapEncoder.encode(publish)).isEqualTo(FrameCodec.encode(publish));
  }
}
