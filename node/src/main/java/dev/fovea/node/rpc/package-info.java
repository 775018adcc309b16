/** Request and reply: routing calls to providers, failover, and the built-in procedures. */
package dev.fovea.node.rpc;
