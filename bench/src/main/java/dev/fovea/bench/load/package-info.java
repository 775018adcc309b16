/**
 * The load driver, {@code fovea bench}: scenarios that drive a Fovea node, or a peer system through
 * its own client, and write what subscribers actually received.
 */
package dev.fovea.bench.load;
