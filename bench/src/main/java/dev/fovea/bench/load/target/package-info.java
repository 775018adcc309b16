/** The systems a scenario can drive, each behind {@link dev.fovea.bench.load.target.Target}. */
package dev.fovea.bench.load.target;
