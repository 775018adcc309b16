package dev.fovea.client;

import java.util.Objects;

/** A node's gateway address, written {@code host:port}, or {@code [v6 address]:port}. */
record Endpoint(String host, int port) {
  Endpoint {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
  }

  /**
   * Reads {@code host:port}.
   *
   * @throws IllegalArgumentException naming the text when it is not of that form
   */
  static Endpoint parse(String text) {
    Objects.requireNonNull(text, "endpoint");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("endpoint must be host:port, was '" + text + "'");
    }
    String host = text.substring(0, colon).strip();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "an IPv6 endpoint must be written [address]:port, was '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint must end in a port number, was '" + text + "'");
    }
    if (host.isBlank() || port < 1 || port > 65_535) {
      throw new IllegalArgumentException(
          "endpoint must be host:port with a port from 1 to 65535, was '" + text + "'");
    }
    return new Endpoint(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
