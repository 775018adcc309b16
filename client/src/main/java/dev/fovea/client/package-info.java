/** The Java client of a Fovea node: publish, subscribe, call and advertise over TCP. */
package dev.fovea.client;
