/**
 * Hostile and malformed input shared by the provider's, the agent's and the command line's tests:
 * {@link dev.ekubridge.testsupport.corpus.MalformedCorpus} and its files under {@code malformed/}.
 */
package dev.ekubridge.testsupport.corpus;
