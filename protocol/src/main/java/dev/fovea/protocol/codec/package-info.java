/** Encoding messages into frames and decoding byte streams back into messages. */
package dev.fovea.protocol.codec;
