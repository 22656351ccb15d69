/**
 * Implementations under test that run in another process and speak the JSON Lines protocol of
 * docs/PROTOCOL.md: {@link dev.gradproof.external.ProcessNetwork} is the parent's side,
 * {@link dev.gradproof.external.ProtocolServer} serves a Java implementation as a child. Children
 * lead a session of their own where setsid exists, so a kill reaches all they started; one shutdown
 * hook ({@link dev.gradproof.external.Shutdown}) stops new children, lets a partial report be
 * written, then kills them; {@link dev.gradproof.external.ChildEnvironment} says what of the
 * environment they see.
 */
package dev.gradproof.external;
