package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Checks the sampled softmax's proposal: smoothed, flattened frequencies, and draws that follow them. */
class UnigramProposalTest {
    private final UnigramProposal proposal = new UnigramProposal(4, List.of(new int[] {0, 0, 0, 1}, new int[] {0, 1, 2}),
            0.75);

    @Test
    void shouldGiveEachIdItsAddOneCountToThePowerOverTheTotal() {
        double[] weights = {Math.pow(5, 0.75), Math.pow(3, 0.75), Math.pow(2, 0.75), 1};
        double total = weights[0] + weights[1] + weights[2] + weights[3];
        for (int id = 0; id < 4; id++) {
            assertThat(proposal.probability(id)).isCloseTo(weights[id] / total, within(1e-12));
        }
        assertThat(proposal.logExpectedCounts(10)[3]).isCloseTo((float) Math.log(10 / total), within(1e-6f));
    }

    @Test
    void shouldDrawIdsAtTheirProbabilities() {
        int[] counts = new int[4];
        for (int id : proposal.draw(200_000, new SplittableRandom(1))) {
            counts[id]++;
        }
        for (int id = 0; id < 4; id++) {
            assertThat(counts[id] / 200_000.0).isCloseTo(proposal.probability(id), within(0.005));
        }
    }
}
