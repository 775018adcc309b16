/**
 * The soak: clients come and go against one node for a long while, and the node must hold exactly
 * as much afterwards as before. Run by {@code bench/soak.sh}, never by the build.
 */
package dev.fovea.bench.soak;
