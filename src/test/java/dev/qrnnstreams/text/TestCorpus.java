package dev.qrnnstreams.text;

import java.util.List;

/** A small English corpus in the style of IMDb reviews, and a tokenizer trained on it once. */
final class TestCorpus {
    static final List<String> REVIEWS = List.of(
            "This movie was great! The acting was superb and the story kept me watching.<br /><br />Loved it.",
            "I did not like this film. The plot was thin, the dialogue was worse, and the ending made no sense.",
            "A wonderful, moving story about a family &amp; their farm. Highly recommended!",
            "The worst movie I have seen this year. Don't waste your time or your money.",
            "Great performances from the whole cast; the director knows what he is doing.",
            "It's a charming and often affecting journey.<br />The music is lovely.",
            "Boring, slow and far too long. I fell asleep twice during the second half.",
            "The special effects were impressive, but the characters felt flat and lifeless.",
            "One of the best films of the decade: funny, smart and surprisingly touching.",
            "I watched it with my kids and we all enjoyed it. The animals steal the show!",
            "The first half is gripping; the second half falls apart completely.",
            "What a waste of a talented cast. The script is lazy and predictable.",
            "Beautifully shot, well acted, and the soundtrack is fantastic.",
            "Not great, not terrible. Watch it if you have nothing better to do.",
            "The story is simple but the performances make it worth watching.");

    static final BpeTokenizer TOKENIZER =
            BpeTrainer.builder().vocabularySize(600).build().train(REVIEWS);

    private TestCorpus() {
    }
}
