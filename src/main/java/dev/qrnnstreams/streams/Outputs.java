package dev.qrnnstreams.streams;

import dev.qrnnstreams.avro.Classification;
import dev.qrnnstreams.avro.Translation;
import dev.qrnnstreams.avro.internal.PendingEvent;

/** Where a batched step sends the one result each buffered record yields. */
interface Outputs {

    /** The record's classification. */
    void classification(PendingEvent source, Classification classification);

    /** The record's translation. */
    void translation(PendingEvent source, Translation translation);

    /** The record could not be processed. */
    void deadLetter(PendingEvent source, Rejection rejection);
}
