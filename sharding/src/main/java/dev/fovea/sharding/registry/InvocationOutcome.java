package dev.fovea.sharding.registry;

import dev.fovea.sharding.ClusterMessage;

/**
 * What a provider's session reports for an invocation: the result, the handler's error, or that the
 * provider went away before answering (which the router treats as a reason to fail over).
 */
public record InvocationOutcome(
    long callKey,
    int attempt,
    byte[] payload,
    String errorCode,
    String errorReason,
    boolean providerGone)
    implements ClusterMessage {

  public static InvocationOutcome ok(Invocation i, byte[] payload) {
    return new InvocationOutcome(i.callKey(), i.attempt(), payload, null, null, false);
  }

  public static InvocationOutcome error(Invocation i, String code, String reason) {
    return new InvocationOutcome(i.callKey(), i.attempt(), null, code, reason, false);
  }

  public static InvocationOutcome gone(Invocation i) {
    return new InvocationOutcome(
        i.callKey(), i.attempt(), null, null, "the provider disconnected", true);
  }

  public boolean isError() {
    return errorCode != null;
  }
}
