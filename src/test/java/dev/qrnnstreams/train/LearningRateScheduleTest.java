package dev.qrnnstreams.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Guards the schedule against values worked by hand. */
class LearningRateScheduleTest {

    @Test
    void shouldRampLinearlyDuringTheWarmUp() {
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Shape.COSINE, 0.1, 4, 14);

        assertThat(schedule.rate(0)).isCloseTo(0.025, within(1e-12));
        assertThat(schedule.rate(1)).isCloseTo(0.05, within(1e-12));
        assertThat(schedule.rate(3)).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void shouldFollowHalfACosineAfterTheWarmUp() {
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Shape.COSINE, 0.1, 4, 14);

        assertThat(schedule.rate(4)).isCloseTo(0.1, within(1e-12));
        assertThat(schedule.rate(9)).as("half way: cos(pi/2) = 0").isCloseTo(0.05, within(1e-12));
        assertThat(schedule.rate(6)).as("p = 0.2").isCloseTo(0.1 * (1 + Math.cos(Math.PI * 0.2)) / 2, within(1e-12));
        assertThat(schedule.rate(14)).isCloseTo(0.0, within(1e-12));
        assertThat(schedule.rate(20)).as("clamped after the end").isCloseTo(0.0, within(1e-12));
    }

    @Test
    void shouldDecayLinearlyOrStayConstant() {
        LearningRateSchedule linear = new LearningRateSchedule(LearningRateSchedule.Shape.LINEAR, 2.0, 0, 10);
        LearningRateSchedule constant = new LearningRateSchedule(LearningRateSchedule.Shape.CONSTANT, 2.0, 2, 10);

        assertThat(linear.rate(0)).isCloseTo(2.0, within(1e-12));
        assertThat(linear.rate(3)).isCloseTo(1.4, within(1e-12));
        assertThat(linear.rate(10)).isCloseTo(0.0, within(1e-12));
        assertThat(constant.rate(0)).isCloseTo(1.0, within(1e-12));
        assertThat(constant.rate(9)).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void shouldRejectInvalidSchedules() {
        assertThatThrownBy(() -> new LearningRateSchedule(LearningRateSchedule.Shape.LINEAR, 0, 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(LearningRateSchedule.Shape.LINEAR, 1, 10, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
