/** Fovea's wire protocol: frames, messages, the codec, topic names and the topic trie. */
package dev.fovea.protocol;
