/** Topic, pattern and procedure names: their validation, wildcard matching and the topic trie. */
package dev.fovea.protocol.topic;
