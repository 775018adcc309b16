package dev.fovea.client;

import java.util.function.Consumer;

/**
 * Opens connections with one set of options to whichever endpoint is asked for; the pool and the
 * mesh client hold one each.
 */
final class Connector {
  private final String realm;
  private final Consumer<FoveaClient.Builder> options;

  /**
   * @param options applied after the realm, so that they may override it
   */
  Connector(String realm, Consumer<FoveaClient.Builder> options) {
    this.realm = realm;
    this.options = options;
  }

  /**
   * Connects and blocks until the node admits the client or refuses it.
   *
   * @throws FoveaException as {@link FoveaClient.Builder#connect()} does
   */
  FoveaClient connect(Endpoint endpoint) {
    FoveaClient.Builder builder =
        FoveaClient.builder(endpoint.host(), endpoint.port()).realm(realm);
    options.accept(builder);
    return builder.connect();
  }
}
