/**
 * The end-to-end demo: a broker and a registry on the loopback interface, the service with the configured
 * models, real text fed across many keys, a live view of the outputs, and a summary; everything it starts is
 * stopped and removed at the end.
 */
package dev.qrnnstreams.demo;
