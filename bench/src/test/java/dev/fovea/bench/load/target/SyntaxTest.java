package dev.fovea.bench.load.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SyntaxTest {
  @Test
  void wildcardsAreSpelledInEachSystemsSyntax() {
    assertThat(Syntax.FOVEA.pattern("bench.*.**")).isEqualTo("bench.*.**");
    assertThat(Syntax.NATS.pattern("bench.*.**")).isEqualTo("bench.*.>");
    assertThat(Syntax.MQTT.pattern("bench.*.**")).isEqualTo("bench/+/#");
    assertThat(Syntax.MQTT.pattern("sensor.b1.f2.r3.temp")).isEqualTo("sensor/b1/f2/r3/temp");
  }

  @Test
  void topicsChangeOnlyTheirSeparator() {
    assertThat(Syntax.NATS.topic("fanout.t1.data")).isEqualTo("fanout.t1.data");
    assertThat(Syntax.MQTT.topic("fanout.t1.data")).isEqualTo("fanout/t1/data");
  }

  @Test
  void aDoubleStarBeforeTheEndIsRefusedBecauseItMeansSomethingElseElsewhere() {
    assertThatThrownBy(() -> Syntax.NATS.pattern("sensor.**.temp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sensor.**.temp");
  }

  @Test
  void theMqttConnectPacketCarriesTheClientIdAndNoKeepAlive() {
    byte[] packet = MqttTarget.connectPacket("abc");

    assertThat(packet[0]).isEqualTo((byte) 0x10);
    assertThat(packet[1]).isEqualTo((byte) (packet.length - 2));
    assertThat(new String(packet, 4, 4)).isEqualTo("MQTT");
    assertThat(new String(packet, packet.length - 3, 3)).isEqualTo("abc");
  }
}
