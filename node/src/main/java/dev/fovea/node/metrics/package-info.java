/** The node's metrics (Micrometer, served in Prometheus format) and mailbox-depth supervision. */
package dev.fovea.node.metrics;
