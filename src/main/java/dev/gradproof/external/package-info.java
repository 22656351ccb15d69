/**
 * Implementations under test that run in another process and speak the JSON Lines protocol of
 * docs/PROTOCOL.md: {@link dev.gradproof.external.ProcessNetwork} is the parent's side,
 * {@link dev.gradproof.external.ProtocolServer} serves a Java implementation as a child.
 */
package dev.gradproof.external;
