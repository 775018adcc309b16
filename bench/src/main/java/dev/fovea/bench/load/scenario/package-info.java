/**
 * The scenarios of {@code fovea bench}, one per file, written once against {@link
 * dev.fovea.bench.load.target.Target}, and the load engine they share.
 */
package dev.fovea.bench.load.scenario;
