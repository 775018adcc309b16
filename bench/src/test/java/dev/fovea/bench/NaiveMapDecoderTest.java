package dev.fovea.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fovea.protocol.codec.FrameCodec;
import dev.fovea.protocol.message.Publish;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value-tree decoder reads what Fovea's encoder writes, so both sides decode the same. */
class NaiveMapDecoderTest {
  @Test
  void decode_publishWithAckId_readsEveryField() {
    Publish publish = new Publish("sensor.b01.temp", "21.5".getBytes(StandardCharsets.UTF_8), 9);

    assertThat(NaiveMapDecoder.decode(FrameCodec.encode(publish))).isEqualTo(publish);
  }

  @Test
  void decodeAll_framesBackToBack_yieldsEachInOrder() {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<Publish> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Publish publish = new Publish("sensor.b0" + i + ".temp", new byte[i * 100]);
      sent.add(publish);
      stream.writeBytes(FrameCodec.encode(publish));
    }

    List<Publish> decoded = new ArrayList<>();
    NaiveMapDecoder.decodeAll(stream.toByteArray(), decoded::add);

    assertThat(decoded).isEqualTo(sent);
  }
}
