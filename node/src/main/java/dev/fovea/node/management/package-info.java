/** The management HTTP routes: health, readiness, metrics, and read-only views for people. */
package dev.fovea.node.management;
