package dev.fovea.sharding.registry;

import dev.fovea.sharding.ClusterMessage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One session that serves a procedure.
 *
 * @param providerId unique in the cluster: the node id and the session id
 * @param nodeId the node the provider's session lives on, for {@code local_first} selection and for
 *     purging a node that left
 * @param endpoint where invocations for this provider are sent
 */
public record Provider(String providerId, String nodeId, ActorRef<Invocation> endpoint)
    implements ClusterMessage {}
