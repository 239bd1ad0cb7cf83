package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Merged terms of use hold every distinct term once, however deep the chain of models they come from. */
class TermsOfUseTest {
    private static final String IMDB = "research use; cite Maas et al. 2011";
    private static final String SST2 = "research use; cite Socher et al. 2013";

    @Test
    void shouldAddAnotherDataSetsTermsNamedByTheirRole() {
        assertThat(TermsOfUse.merge(SST2, "the starting weights", IMDB))
                .isEqualTo(SST2 + "; the starting weights: " + IMDB);
        assertThat(TermsOfUse.merge(null, "the teacher", IMDB)).isEqualTo("the teacher: " + IMDB);
    }

    @Test
    void shouldNotRepeatTermsAlreadyHeldOrInheritedThroughAChainOfModels() {
        String teacher = TermsOfUse.merge(IMDB, "the starting weights", IMDB);
        String studentOfSst2Model = TermsOfUse.merge(IMDB, "the teacher", SST2 + "; the starting weights: " + IMDB);

        assertThat(teacher).isEqualTo(IMDB);
        assertThat(TermsOfUse.merge(IMDB, "the teacher", IMDB + "; the teacher: " + IMDB + "; the starting weights: "
                + IMDB)).isEqualTo(IMDB);
        assertThat(studentOfSst2Model).isEqualTo(IMDB + "; the teacher: " + SST2);
    }
}
