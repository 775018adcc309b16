/** The TCP gateway: accepting connections, decoding frames, and batching writes to clients. */
package dev.fovea.node.gateway;
