package dev.qrnnstreams.perf;

import dev.qrnnstreams.streams.RestoreLog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guards the harness arithmetic: nearest-rank percentiles, CSV quoting and number format, restore rate. */
class PerfArithmeticTest {

    @Test
    void shouldTakeNearestRankPercentilesWhenGivenOneToAThousand() {
        double[] values = new double[1_000];
        for (int i = 0; i < values.length; i++) {
            values[values.length - 1 - i] = i + 1;
        }
        Percentiles percentiles = Percentiles.of(values);
        assertEquals(new Percentiles(1_000, 500, 990, 999, 1_000), percentiles);
    }

    @Test
    void shouldReportTheOnlyValueAtEveryRankWhenGivenOne() {
        assertEquals(new Percentiles(1, 7, 7, 7, 7), Percentiles.of(new double[] {7}));
        assertEquals(new Percentiles(0, 0, 0, 0, 0), Percentiles.of(new double[0]));
    }

    @Test
    void shouldWriteCsvWithQuotingAndPlainNumbers(@TempDir Path folder) throws Exception {
        CsvTable table = CsvTable.of("what", "rate", "count")
                .withRow("service, defaults", 950.25, 12)
                .withRow("say \"hi\"", 2.0, 0L);
        Path file = folder.resolve("t.csv");
        table.write(file);
        assertEquals("what,rate,count\r\n\"service, defaults\",950.25,12\r\n\"say \"\"hi\"\"\",2,0\r\n",
                Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRejectARowWhenItsLengthDiffersFromTheHeader() {
        assertThrows(IllegalArgumentException.class, () -> CsvTable.of("a", "b").withRow("only one"));
    }

    @Test
    void shouldChargeTheRestoreListenersTimePerGibOfChangelog() {
        PipelineBench.Restore restore = new PipelineBench.Restore(1_000, 1L << 29, 2.0, 7.0,
                new RestoreLog.Totals(1_000, 2.5));
        assertEquals(5.0, restore.secondsPerGib(), 1e-9);
    }
}
