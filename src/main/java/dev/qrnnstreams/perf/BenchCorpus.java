package dev.qrnnstreams.perf;

import dev.qrnnstreams.demo.DemoCorpus;
import dev.qrnnstreams.demo.FeedItem;
import dev.qrnnstreams.demo.FeedPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The real text every measurement uses: IMDb reviews (a fixed-seed sample, or the demo's bundled sample
 * when the file is absent) cut into messages of a few sentences by the demo's {@link FeedPlan}, the
 * documents of {@code keys} keys open at a time with their messages interleaved; the demo's bad records
 * are left out.
 *
 * @param messages the messages in feeding order
 * @param source where the reviews came from, in words
 */
public record BenchCorpus(List<Message> messages, String source) {
    private static final Path NO_SENTENCES = Path.of("none");

    /** Copies the list. */
    public BenchCorpus {
        messages = List.copyOf(messages);
    }

    /**
     * One message of a key's document.
     *
     * @param key the stream key
     * @param text the message text
     * @param endOfSegment whether it ends its document
     */
    public record Message(String key, String text, boolean endOfSegment) {
    }

    /** Reads up to {@code reviews} reviews from {@code reviewsFile} and cuts them for {@code model}. */
    public static BenchCorpus load(Path reviewsFile, int reviews, int keys, String model, int textMaxChars)
            throws IOException {
        DemoCorpus corpus = DemoCorpus.load(reviewsFile, reviews, Optional.empty(), NO_SENTENCES, 0);
        List<Message> messages = FeedPlan.build(corpus, List.of(model), Optional.empty(), keys, textMaxChars)
                .stream()
                .filter(item -> item.isEvent() && item.expectedDeadLetter().isEmpty())
                .map(BenchCorpus::message)
                .toList();
        return new BenchCorpus(messages, corpus.source());
    }

    private static Message message(FeedItem item) {
        return new Message(item.key(), item.text(), item.endOfSegment());
    }
}
