package dev.fovea.node.rpc;

import java.util.function.Supplier;

/**
 * The procedures every node serves itself, without a provider: {@code fovea.diagnostics.echo}
 * answers with its payload, {@code fovea.diagnostics.info} with a JSON description of the node.
 * They run on a dedicated dispatcher so that a burst of them never holds up an actor thread.
 */
public final class Diagnostics {
  public static final String PREFIX = "fovea.diagnostics.";
  public static final String ECHO = PREFIX + "echo";
  public static final String INFO = PREFIX + "info";

  private final Supplier<String> nodeInfo;

  public Diagnostics(Supplier<String> nodeInfo) {
    this.nodeInfo = nodeInfo;
  }

  public static boolean isBuiltIn(String procedure) {
    return procedure.equals(ECHO) || procedure.equals(INFO);
  }

  byte[] run(String procedure, byte[] payload) {
    if (procedure.equals(ECHO)) {
      return payload;
    }
    return nodeInfo.get().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
