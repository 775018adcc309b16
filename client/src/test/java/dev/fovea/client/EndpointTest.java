package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {
  @Test
  void readsHostAndPort() {
    assertThat(Endpoint.parse("127.0.0.1:9443")).isEqualTo(new Endpoint("127.0.0.1", 9443));
    assertThat(Endpoint.parse("gw-1.example.com:9444").toString())
        .isEqualTo("gw-1.example.com:9444");
  }

  @Test
  void readsABracketedIpv6Address() {
    Endpoint endpoint = Endpoint.parse("[::1]:9443");

    assertThat(endpoint.host()).isEqualTo("::1");
    assertThat(endpoint.toString()).isEqualTo("[::1]:9443");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "localhost:", ":9443", "host:0", "host:65536", "host:x", "::1:9443"})
  void refusesMalformedTextNamingIt(String text) {
    assertThatThrownBy(() -> Endpoint.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }
}
