/** The messages of the wire protocol, one record per frame type. */
package dev.fovea.protocol.message;
