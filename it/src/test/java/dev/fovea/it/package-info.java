/** Integration tests that start real node processes on loopback and drive them. */
package dev.fovea.it;
