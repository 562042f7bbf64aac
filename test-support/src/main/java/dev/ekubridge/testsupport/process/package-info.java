/**
 * Processes a test starts, which never outlive it: {@link dev.ekubridge.testsupport.process.ManagedProcess} (one
 * process, its output read line by line), {@link dev.ekubridge.testsupport.process.Processes} (all of one test's),
 * {@link dev.ekubridge.testsupport.process.Outcome} (how a finished one ended),
 * {@link dev.ekubridge.testsupport.process.Jvm} (java command lines, class paths, the agent jar) and
 * {@link dev.ekubridge.testsupport.process.Jdk} (the JDKs to fork).
 */
package dev.ekubridge.testsupport.process;
