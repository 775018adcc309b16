/** JMH microbenchmarks and the load driver. */
package dev.fovea.bench;
