/** The versioned model bundle on disk: manifest, weights and tokenizer, written and read with checks. */
package dev.qrnnstreams.model;
