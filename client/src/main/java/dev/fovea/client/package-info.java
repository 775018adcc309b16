/**
 * The Java client of a Fovea node: publish, subscribe, call and advertise over TCP, on one
 * connection ({@link dev.fovea.client.FoveaClient}), on a session that fails over between nodes
 * ({@link dev.fovea.client.MeshClient}), or through a bounded pool of connections to several nodes
 * ({@link dev.fovea.client.ConnectionPool}).
 */
package dev.fovea.client;
