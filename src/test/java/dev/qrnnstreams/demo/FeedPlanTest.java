package dev.qrnnstreams.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qrnnstreams.avro.ErrorKind;
import dev.qrnnstreams.train.LabelledText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeedPlanTest {
    private static final List<LabelledText> REVIEWS = List.of(
            new LabelledText("One. Two! Three? Four. Five. Six. Seven.", 1),
            new LabelledText("Short review.", 0),
            new LabelledText("A first sentence. A second \u0085 one. A third. A fourth. A fifth.", 0),
            new LabelledText("Lovely. Truly lovely. Would watch again.", 1));
    private static final List<String> SENTENCES = List.of("Ein Hund läuft über die Wiese.", "Hallo.",
            "Zwei Kinder spielen im Sand.");

    @Test
    void shouldCutEachReviewIntoMessagesThatRebuildItInOrderAndEndWithTheSegmentFlag() {
        List<FeedItem> feed = FeedPlan.build(new DemoCorpus(REVIEWS, List.of(), "test"), List.of("a", "b"),
                Optional.empty(), 2, 100);

        Map<Integer, List<FeedItem>> byReview = new LinkedHashMap<>();
        feed.stream().filter(item -> item.review() >= 0)
                .forEach(item -> byReview.computeIfAbsent(item.review(), r -> new ArrayList<>()).add(item));
        assertThat(byReview).hasSize(REVIEWS.size());
        byReview.forEach((review, messages) -> {
            String rebuilt = String.join(" ", messages.stream().map(FeedItem::text).toList());
            assertThat(rebuilt.replaceAll("\\s+", " "))
                    .isEqualTo(REVIEWS.get(review).text().replace('\u0085', ' ').replaceAll("\\s+", " "));
            assertThat(messages).allMatch(m -> m.key().equals("review-" + review) && m.label() == REVIEWS.get(review)
                    .label() && m.model().equals(review % 2 == 0 ? "a" : "b"));
            assertThat(messages.subList(0, messages.size() - 1)).noneMatch(FeedItem::endOfSegment);
            assertThat(messages.get(messages.size() - 1).endOfSegment()).isTrue();
        });
        assertThat(byReview.get(0)).hasSizeBetween(2, 4);
    }

    @Test
    void shouldKeepAtMostTheGivenNumberOfKeysOpenAtOnce() {
        List<FeedItem> feed = FeedPlan.build(new DemoCorpus(REVIEWS, SENTENCES, "test"), List.of("a"),
                Optional.of("de-en"), 2, 100);

        Set<String> open = new HashSet<>();
        for (FeedItem item : feed) {
            if (item.expectedDeadLetter().isPresent()) {
                continue;
            }
            open.add(item.key());
            assertThat(open).hasSizeLessThanOrEqualTo(2);
            boolean lastOfKey = feed.stream().filter(other -> item.key().equals(other.key()))
                    .reduce((first, second) -> second).orElseThrow() == item;
            if (lastOfKey) {
                open.remove(item.key());
            }
        }
    }

    @Test
    void shouldCutGermanSentencesInTwoWithTheSegmentEndOnTheSecondHalf() {
        List<FeedItem> sentences = FeedPlan.build(new DemoCorpus(REVIEWS.subList(0, 1), SENTENCES, "test"),
                List.of("a"), Optional.of("de-en"), 4, 100).stream().filter(item -> "de-en".equals(item.model())).toList();

        assertThat(sentences).extracting(FeedItem::text).containsExactly("Ein Hund läuft", "über die Wiese.",
                "Hallo.", "Zwei Kinder spielen", "im Sand.");
        assertThat(sentences).extracting(FeedItem::endOfSegment).containsExactly(false, true, true, false, true);
        assertThat(sentences).allMatch(item -> item.key().equals("de-0") && item.review() < 0);
    }

    @Test
    void shouldSpreadOneBadRecordOfEachKindThroughTheFeed() {
        List<FeedItem> feed = FeedPlan.build(new DemoCorpus(REVIEWS, List.of(), "test"), List.of("a"),
                Optional.empty(), 2, 100);

        assertThat(feed).filteredOn(item -> item.expectedDeadLetter().isPresent())
                .extracting(item -> item.expectedDeadLetter().get())
                .containsExactlyInAnyOrder(ErrorKind.DESERIALIZATION, ErrorKind.UNKNOWN_SCHEMA, ErrorKind.EMPTY_TEXT,
                        ErrorKind.TEXT_TOO_LARGE, ErrorKind.INVALID_CHARACTERS, ErrorKind.UNKNOWN_MODEL,
                        ErrorKind.MISSING_KEY);
        assertThat(feed.get(0).expectedDeadLetter()).isEmpty();
        assertThat(feed.get(feed.size() - 1).expectedDeadLetter()).isEmpty();
        assertThat(feed).filteredOn(item -> item.expectedDeadLetter().equals(Optional.of(ErrorKind.TEXT_TOO_LARGE)))
                .allMatch(item -> item.text().length() == 101);
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        long[] millis = new long[200];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = millis.length - i;
        }

        DemoStats.Latency latency = DemoStats.Latency.of(millis);

        assertThat(latency.samples()).isEqualTo(200);
        assertThat(latency.p50()).isEqualTo(100);
        assertThat(latency.p99()).isEqualTo(198);
    }
}
