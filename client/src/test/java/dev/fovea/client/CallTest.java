package dev.fovea.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fovea.protocol.ErrorCode;
import dev.fovea.protocol.ProtocolException;
import dev.fovea.protocol.message.Call;
import dev.fovea.protocol.message.Cast;
import dev.fovea.protocol.message.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallTest {
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
  void aReplyCompletesTheCallWithItsPayload() throws Exception {
    byte[] reply =
        client
            .call("echo", "ping".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(2))
            .get(5, TimeUnit.SECONDS);

    assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("ping");
    Call sent = node.expect(Call.class);
    assertThat(sent.procedure()).isEqualTo("echo");
    assertThat(sent.timeoutMs()).isEqualTo(2000);
  }

  @Test
  void aCallWithoutTimeoutLeavesTheTimeoutToTheNode() throws Exception {
    assertThat(client.callText("echo", "hello").get(5, TimeUnit.SECONDS)).isEqualTo("hello");

    assertThat(node.expect(Call.class).timeoutMs()).isZero();
  }

  @Test
  void concurrentCallsEachGetTheirOwnReply() throws Exception {
    CompletableFuture<String> a = client.callText("echo", "a");
    CompletableFuture<String> b = client.callText("echo", "b");

    assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("b");
    assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"no_providers", "timeout", "all_providers_failed", "handler_error"})
  void anErrorReplyFailsTheCallWithACallExceptionCarryingTheCode(String code) {
    node.calls = call -> Reply.error(call.callId(), code, "failed with " + code);

    CompletableFuture<byte[]> reply = client.call("math.add", new byte[0]);

    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            CallException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.reason()).isEqualTo("failed with " + code);
              assertThat(e.procedure()).isEqualTo("math.add");
            });
  }

  @Test
  void aLostConnectionFailsCallsInFlightAtOnce() throws Exception {
    node.calls = call -> null;
    CompletableFuture<byte[]> reply = client.call("slow.op", new byte[0], Duration.ofSeconds(30));
    node.expect(Call.class);

    node.dropConnections();

    // Far sooner than the 91 s safety timer of a 30 s call.
    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            FoveaException.class,
            e -> {
              assertThat(e).isNotInstanceOf(CallException.class);
              assertThat(e.code()).isEqualTo("connection_lost");
            });
  }

  @Test
  void anUnansweredCallFailsWithTimeoutOnTheClientsSafetyTimer() {
    node.calls = call -> null;

    CompletableFuture<byte[]> reply = client.call("lost.op", new byte[0], Duration.ofMillis(50));

    // 3 x 50 ms + 1 s grace.
    assertThatThrownBy(() -> reply.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            CallException.class, e -> assertThat(e.code()).isEqualTo("timeout"));
  }

  @Test
  void aLateReplyAfterTheSafetyTimerIsIgnored() throws Exception {
    node.calls = call -> null;
    CompletableFuture<byte[]> late = client.call("lost.op", new byte[0], Duration.ofMillis(10));
    Call unanswered = node.expect(Call.class);
    assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

    node.send(Reply.ok(unanswered.callId(), new byte[] {1}));
    node.calls = call -> Reply.ok(call.callId(), call.payload());

    assertThat(client.callText("echo", "still fine").get(5, TimeUnit.SECONDS))
        .isEqualTo("still fine");
  }

  @Test
  void castSendsAndExpectsNothing() throws Exception {
    client.cast("log.write", "line");

    Cast sent = node.expect(Cast.class);
    assertThat(sent.procedure()).isEqualTo("log.write");
    assertThat(new String(sent.payload(), StandardCharsets.UTF_8)).isEqualTo("line");
  }

  @Test
  void refusesABadProcedureNameBeforeSendingIt() {
    assertThatThrownBy(() -> client.call("math add", new byte[0]))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PROCEDURE));
    assertThatThrownBy(() -> client.call("math.add", new byte[0], Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
