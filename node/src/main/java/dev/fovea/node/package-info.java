/** The runnable Fovea node: gateway, sessions, topic shards, RPC routers and configuration. */
package dev.fovea.node;
