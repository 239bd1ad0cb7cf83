package dev.qrnnstreams.nn.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LaunchTest {

    @Test
    void shouldStartOneThreadPerItemInWholeBlocks() {
        assertThat(Launch.oneThreadPerItem(4096L * 256)).isEqualTo(new Launch(8192, 128));
        assertThat(Launch.oneThreadPerItem(129)).isEqualTo(new Launch(2, 128));
        assertThat(Launch.oneThreadPerItem(1).threads()).isEqualTo(128);
        assertThat(Launch.oneThreadPerItem(0)).as("an empty batch still makes a valid launch")
                .isEqualTo(new Launch(1, 128));
    }

    @Test
    void shouldCapGridStrideLaunchesAndStillCoverSmallOnes() {
        assertThat(Launch.gridStride(100)).isEqualTo(new Launch(1, 128));
        assertThat(Launch.gridStride(1L << 40)).isEqualTo(new Launch(Launch.MAX_GRID_STRIDE_BLOCKS, 128));
    }

    @Test
    void shouldRejectGridsTooLargeForOneThreadPerItem() {
        assertThatThrownBy(() -> Launch.oneThreadPerItem(1L << 40)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Launch(0, 128)).isInstanceOf(IllegalArgumentException.class);
    }
}
