/** Training: losses, optimisers and (to come) data readers, training loops and evaluation. */
package dev.qrnnstreams.train;
