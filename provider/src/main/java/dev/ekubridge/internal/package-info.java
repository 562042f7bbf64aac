/**
 * Internal implementation of EKU Bridge. Classes here are public only so that the public API and
 * the agent can reach them; they are not an API and may change without notice.
 */
package dev.ekubridge.internal;
