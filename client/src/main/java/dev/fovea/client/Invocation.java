package dev.fovea.client;

import java.nio.charset.StandardCharsets;

/** A request the node routed to this client as a provider of a procedure. */
public final class Invocation {
  private final String procedure;
  private final byte[] payload;
  private final boolean expectsResult;

  public Invocation(String procedure, byte[] payload, boolean expectsResult) {
    this.procedure = procedure;
    this.payload = payload;
    this.expectsResult = expectsResult;
  }

  /** The procedure invoked. */
  public String procedure() {
    return procedure;
  }

  /** The caller's payload. */
  public byte[] payload() {
    return payload;
  }

  /** The payload decoded as UTF-8. */
  public String text() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  /** False for a cast: whatever the handler returns is dropped. */
  public boolean expectsResult() {
    return expectsResult;
  }

  @Override
  public String toString() {
    return "Invocation[procedure="
        + procedure
        + ", payload="
        + payload.length
        + " bytes, expectsResult="
        + expectsResult
        + "]";
  }
}
