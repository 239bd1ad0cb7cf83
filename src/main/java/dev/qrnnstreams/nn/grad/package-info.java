/**
 * Training passes, differentiated by hand: the taped forward and backward passes of a QRNN layer,
 * a stack and the translator, their gradients, and the training noise (input dropout, zoneout).
 * Import-control lets only {@code train} (and {@code nn.*}) import it.
 */
package dev.qrnnstreams.nn.grad;
