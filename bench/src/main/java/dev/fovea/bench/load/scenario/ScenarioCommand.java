package dev.fovea.bench.load.scenario;

import dev.fovea.bench.load.LoadOptions;
import dev.fovea.bench.load.NodeDrops;
import dev.fovea.bench.load.RunReport;
import dev.fovea.bench.load.target.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * What every scenario does around its load: run it, print the figures, append them as a JSON line,
 * and close every client it opened. Exits 1 when the run had a problem, so a script notices.
 */
abstract class ScenarioCommand implements Callable<Integer> {
  @Mixin LoadOptions load;

  private final List<Client> clients = new ArrayList<>();

  /** The scenario's name as results carry it. */
  abstract String scenario();

  abstract void run(RunReport report) throws Exception;

  @Override
  public Integer call() throws Exception {
    String system = load.system;
    RunReport report = new RunReport(scenario(), load.label(scenario()), system);
    report.param("warmup_s", load.warmupSeconds).param("duration_s", load.durationSeconds);
    NodeDrops nodeDrops = new NodeDrops(load.metrics);
    long dropsBefore = nodeDrops.enabled() ? nodeDrops.total() : -1;
    try {
      run(report);
    } catch (Exception e) {
      report.problem("the run failed: " + e);
    } finally {
      closeClients(report);
    }
    if (dropsBefore >= 0) {
      long dropsAfter = nodeDrops.total();
      if (dropsAfter >= 0) {
        report.figure("node_drops", dropsAfter - dropsBefore);
      }
    }

    report.print(System.out);
    if (load.out != null) {
      report.append(load.out);
    }
    return report.ok() ? 0 : 1;
  }

  /** Connects a client that is closed when the run ends. */
  Client connect(int node, String name) throws Exception {
    Client client = load.target().connect(node, name);
    synchronized (clients) {
      clients.add(client);
    }
    return client;
  }

  private void closeClients(RunReport report) {
    long dropped = 0;
    synchronized (clients) {
      for (Client client : clients) {
        dropped += client.dropped();
        client.close();
      }
      clients.clear();
    }
    report.figure("client_drops", dropped);
  }
}
