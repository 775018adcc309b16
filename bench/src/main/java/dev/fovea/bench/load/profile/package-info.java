/** Summaries of the flight recordings taken while a scenario runs against a node. */
package dev.fovea.bench.load.profile;
