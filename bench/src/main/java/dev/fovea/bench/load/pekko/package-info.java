/**
 * The Pekko peer of the cluster scenario: node processes running Distributed Pub/Sub, with
 * publishers and subscribers inside them, steered over a small HTTP control interface.
 */
package dev.fovea.bench.load.pekko;
