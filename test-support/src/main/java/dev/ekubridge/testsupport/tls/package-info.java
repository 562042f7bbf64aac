/**
 * TLS for tests and benchmarks: {@link dev.ekubridge.testsupport.tls.Jsse} (SunJSSE and a private BCJSSE),
 * {@link dev.ekubridge.testsupport.tls.Handshake} (one diagnosed handshake between two in-memory engines, with
 * application data both ways), {@link dev.ekubridge.testsupport.tls.HandshakeLoop} (the lean loop the benchmarks
 * measure), {@link dev.ekubridge.testsupport.tls.Loopback} (a mutual-TLS exchange with itself over 127.0.0.1) and
 * {@link dev.ekubridge.testsupport.tls.AcceptLoop} (the accepting thread of a test server).
 */
package dev.ekubridge.testsupport.tls;
