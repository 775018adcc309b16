/** Which nodes want which topic patterns, replicated to every node with Distributed Data. */
package dev.fovea.sharding.interest;
