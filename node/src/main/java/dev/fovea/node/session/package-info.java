/** Client sessions and their admission. */
package dev.fovea.node.session;
