/**
 * Not API: the one class that instrumented JDK code calls, defined in the bootstrap class loader at
 * agent start. JDK types only. Its package name is part of the operator documentation only as the
 * package an OSGi or JBoss Modules container must delegate to the boot loader.
 */
package dev.ekubridge.agent.bootstrap;
