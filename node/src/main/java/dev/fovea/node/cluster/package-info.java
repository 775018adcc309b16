/** How the node follows the cluster: reachability of other nodes, and nodes that leave. */
package dev.fovea.node.cluster;
