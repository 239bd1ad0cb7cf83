/**
 * Starting and stopping a real Kafka broker and schema registry on the loopback interface for the demo
 * and the integration tests; never used on production paths.
 */
package dev.qrnnstreams.embedded;
