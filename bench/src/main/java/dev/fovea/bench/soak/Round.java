package dev.fovea.bench.soak;

/** One client's life in the soak: it connects, uses the node, and leaves. */
interface Round {
  /** What kind of client it is, for the report. */
  String kind();

  /**
   * Runs the {@code n}th round of this worker; every wait in it is bounded.
   *
   * @throws Exception when the node did not do what the round asked, which counts as a failure
   */
  void run(long n) throws Exception;
}
