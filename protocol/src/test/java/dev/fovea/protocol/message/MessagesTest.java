package dev.fovea.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fovea.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class MessagesTest {

  static Stream<Arguments> messagesWithPayloads() {
    return Stream.of(
        arguments("publish", (Function<byte[], Message>) p -> new Publish("a", p, 1)),
        arguments("call", (Function<byte[], Message>) p -> new Call(1, "p", p, 0)),
        arguments("cast", (Function<byte[], Message>) p -> new Cast("p", p)),
        arguments("invoke", (Function<byte[], Message>) p -> new Invoke(1, "p", p, true)),
        arguments("reply", (Function<byte[], Message>) p -> Reply.ok(1, p)),
        arguments("result", (Function<byte[], Message>) p -> Result.ok(1, p)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesWithPayloads")
  void comparesPayloadsByContent(String name, Function<byte[], Message> withPayload) {
    Message one = withPayload.apply(new byte[] {1, 2, 3});
    Message same = withPayload.apply(new byte[] {1, 2, 3});
    Message other = withPayload.apply(new byte[] {1, 2, 4});

    assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesWithPayloads")
  void takesAMissingPayloadAsEmpty(String name, Function<byte[], Message> withPayload) {
    assertThat(withPayload.apply(null)).isEqualTo(withPayload.apply(new byte[0]));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messagesWithPayloads")
  void printsThePayloadSizeNotItsContent(String name, Function<byte[], Message> withPayload) {
    assertThat(withPayload.apply("secret-bytes".getBytes(StandardCharsets.UTF_8)))
        .asString()
        .contains("12 bytes")
        .doesNotContain("secret");
  }

  @Test
  void connectNeverPrintsItsToken() {
    assertThat(new Connect("r", "c", "hunter2").toString())
        .contains("***")
        .doesNotContain("hunter2");
    assertThat(new Connect("r", "c").toString()).contains("token=none");
  }

  @Test
  void distinguishesMessagesThatDifferOnlyInTheirOptionalFields() {
    assertThat(new Connect("r", "c", "t")).isNotEqualTo(new Connect("r", "c"));
    assertThat(new Publish("a", null, 1)).isNotEqualTo(new Publish("a", null, 0));
    assertThat(new Call(1, "p", null, 100)).isNotEqualTo(new Call(1, "p", null, 0));
    assertThat(new Invoke(1, "p", null, true)).isNotEqualTo(new Invoke(1, "p", null, false));
    assertThat(Reply.error(1, "timeout", "a")).isNotEqualTo(Reply.error(1, "timeout", "b"));
    assertThat(Reply.error(1, "timeout", "")).isNotEqualTo(Reply.ok(1, null));
  }

  @Test
  void anErrorOutcomeWithoutReasonHasAnEmptyReason() {
    Reply reply = new Reply(1, null, "timeout", null);
    Result result = new Result(1, null, "handler_error", null);

    assertThat(reply.isError()).isTrue();
    assertThat(reply.errorReason()).isEmpty();
    assertThat(result.errorReason()).isEmpty();
    assertThat(reply.payload()).isEmpty();
  }

  @Test
  void aSuccessfulOutcomeIsNotAnError() {
    assertThat(Reply.ok(1, new byte[] {1}).isError()).isFalse();
    assertThat(Result.ok(1, new byte[] {1}).errorCode()).isNull();
  }

  @Test
  void refusesMissingNamesAtConstruction() {
    assertThatThrownBy(() -> new Publish(null, null)).hasMessageContaining("topic");
    assertThatThrownBy(() -> new Subscribe(null)).hasMessageContaining("pattern");
    assertThatThrownBy(() -> new Call(1, null, null, 0)).hasMessageContaining("procedure");
    assertThatThrownBy(() -> new Connect(null, "c")).hasMessageContaining("realm");
    assertThatThrownBy(() -> new ErrorMessage("internal", null)).hasMessageContaining("reason");
  }

  @Test
  void connectedKeepsAnImmutableCopyOfItsLimits() {
    Map<String, Long> limits = new HashMap<>(Map.of(Connected.Limit.MAX_PENDING_CALLS, 10L));
    Connected connected = new Connected("s", "n", limits);
    limits.put(Connected.Limit.MAX_PENDING_CALLS, 99L);

    assertThat(connected.limit(Connected.Limit.MAX_PENDING_CALLS, 0)).isEqualTo(10);
    assertThat(connected.limit(Connected.Limit.IDLE_TIMEOUT_MS, 60_000)).isEqualTo(60_000);
    assertThatThrownBy(() -> connected.limits().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void publishWantsAnAckOnlyForANonZeroAckId() {
    assertThat(new Publish("a", null).wantsAck()).isFalse();
    assertThat(new Publish("a", null, 7).wantsAck()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyErrorCodeTravelsAsItsLowerCaseNameAndIsReadBack(ErrorCode code) {
    ErrorMessage error = new ErrorMessage(code, "why");

    assertThat(error.code()).isEqualTo(code.name().toLowerCase(Locale.ROOT));
    assertThat(error.errorCode()).isSameAs(code);
  }

  @Test
  void anErrorCodeFromANewerNodeIsKeptAsText() {
    ErrorMessage error = new ErrorMessage("quota_exceeded", "too much");

    assertThat(error.code()).isEqualTo("quota_exceeded");
    assertThat(error.errorCode()).isNull();
  }
}
