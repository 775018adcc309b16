package dev.fovea.node.metrics;

/**
 * A message that stands for several units of work, such as a batch of publishes. A {@link
 * CountingMailbox} counts its weight rather than one, so that a family's depth and high-water mark
 * mean the same whether work arrives one item at a time or in batches.
 */
public interface Weighted {
  /** The units of work this message carries; at least 1. */
  int weight();
}
