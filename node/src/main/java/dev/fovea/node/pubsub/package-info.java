/** Local publish and subscribe: the subscription index and the topic shards that deliver. */
package dev.fovea.node.pubsub;
