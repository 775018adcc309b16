package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fovea.protocol.message.Advertise;
import dev.fovea.protocol.message.Invoke;
import dev.fovea.protocol.message.Ping;
import dev.fovea.protocol.message.Result;
import dev.fovea.protocol.message.Unadvertise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdvertiseTest {
  private FakeNode node;
  private FoveaClient client;

  @BeforeEach
  void connect() throws Exception {
    node = new FakeNode("com.example.realm");
    client = node.client().connect();
  }

  @AfterEach
  void close() throws Exception {
    client.close();
    node.close();
  }

  @Test
  void answersAnInvocationWithTheHandlersResult() throws Exception {
    client.advertise("math.double", inv -> utf8(String.valueOf(2 * Integer.parseInt(inv.text()))));
    client.flush();
    Advertise advertised = node.expect(Advertise.class);
    assertThat(advertised.procedure()).isEqualTo("math.double");
    assertThat(advertised.ttlMs()).isZero();
    node.expect(Ping.class);

    node.send(new Invoke(7, "math.double", utf8("21"), true));

    Result result = node.expect(Result.class);
    assertThat(result.invocationId()).isEqualTo(7);
    assertThat(result.isError()).isFalse();
    assertThat(new String(result.payload(), StandardCharsets.UTF_8)).isEqualTo("42");
  }

  @Test
  void sendsTheTtlItWasGiven() throws Exception {
    client.advertise("svc.status", Duration.ofSeconds(30), inv -> null);

    assertThat(node.expect(Advertise.class).ttlMs()).isEqualTo(30_000);
  }

  @Test
  void aHandlerExceptionBecomesAHandlerErrorResult() throws Exception {
    client.advertise(
        "disk.write",
        inv -> {
          throw new IllegalStateException("disk full");
        });
    node.expect(Advertise.class);

    node.send(new Invoke(9, "disk.write", utf8("x"), true));

    Result result = node.expect(Result.class);
    assertThat(result.invocationId()).isEqualTo(9);
    assertThat(result.errorCode()).isEqualTo("handler_error");
    assertThat(result.errorReason()).isEqualTo("disk full");
  }

  @Test
  void invocationsRunConcurrently() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    client.advertise(
        "meet.up",
        inv -> {
          bothRunning.countDown();
          if (!bothRunning.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other invocation never ran");
          }
          return inv.payload();
        });
    node.expect(Advertise.class);

    node.send(new Invoke(1, "meet.up", utf8("a"), true));
    node.send(new Invoke(2, "meet.up", utf8("b"), true));

    assertThat(node.expect(Result.class).isError()).isFalse();
    assertThat(node.expect(Result.class).isError()).isFalse();
  }

  @Test
  void unadvertiseWithdrawsAtTheNodeAndRefusesLaterInvocations() throws Exception {
    Advertisement advertisement = client.advertise("svc.echo", Invocation::payload);
    node.expect(Advertise.class);

    advertisement.close();
    advertisement.close();
    client.flush();

    assertThat(advertisement.isActive()).isFalse();
    assertThat(node.expect(Unadvertise.class).procedure()).isEqualTo("svc.echo");
    node.expect(Ping.class);

    node.send(new Invoke(3, "svc.echo", utf8("late"), true));
    assertThat(node.expect(Result.class).errorCode()).isEqualTo("handler_error");
  }

  @Test
  void aProcedureIsAdvertisedOnceByAClient() throws Exception {
    client.advertise("svc.once", Invocation::payload);

    assertThatThrownBy(() -> client.advertise("svc.once", Invocation::payload))
        .isInstanceOf(IllegalStateException.class);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
