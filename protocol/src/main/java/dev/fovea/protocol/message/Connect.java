package dev.fovea.protocol.message;

import java.util.Objects;

/**
 * The first frame a client sends: the realm it joins, a name for operators, and an optional token
 * so that a node can require authentication without a new frame type.
 *
 * @param token {@code null} when the client sends no credentials
 */
public record Connect(String realm, String client, String token) implements Message {
  public Connect {
    Payloads.requireText(realm, "realm");
    Payloads.requireText(client, "client");
  }

  public Connect(String realm, String client) {
    this(realm, client, null);
  }

  @Override
  public FrameType type() {
    return FrameType.CONNECT;
  }

  @Override
  public String toString() {
    return "Connect[realm="
        + realm
        + ", client="
        + client
        + ", token="
        + (token == null ? "none" : "***")
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Connect c
        && realm.equals(c.realm)
        && client.equals(c.client)
        && Objects.equals(token, c.token);
  }

  @Override
  public int hashCode() {
    return Objects.hash(realm, client, token);
  }
}
