/** The {@code fovea} command line. */
package dev.fovea.node.cli;
