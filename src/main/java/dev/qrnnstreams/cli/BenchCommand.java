package dev.qrnnstreams.cli;

import dev.qrnnstreams.perf.Bench;
import dev.qrnnstreams.perf.BenchSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qrnn bench}: the service measured end to end against its ceilings (the offline model, an identity
 * topology) and alternatives (recomputing each key's history), on an embedded broker and registry; the
 * report, CSV files and charts go to {@code --out}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the service end to end on an embedded broker and registry: throughput against the",
            "offline model and an identity topology, cost against key history, latency under load, batching,",
            "scaling, restore and memory. Writes report.md, CSV files and PNG charts."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "A smoke run of about three minutes instead of about seven.")
    private boolean quick;

    @Option(names = "--out", defaultValue = "target/bench",
            description = "Folder for report.md, the CSV files and the charts. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--data", defaultValue = "../shared/data/imdb/train.tsv.gz",
            description = "IMDb reviews (gzip TSV); when absent, the demo's bundled sample. Default: ${DEFAULT-VALUE}.")
    private Path data;

    @Option(names = "--model", defaultValue = "models/imdb-qrnn",
            description = "The classifier bundle to serve and measure. Default: ${DEFAULT-VALUE}.")
    private Path model;

    @Option(names = "--registry-home", defaultValue = "${sys:qrnn.apicurio.home:-target/apicurio}",
            description = "The unpacked Apicurio Registry (the build puts it in target/apicurio). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Path registryHome;

    /** Runs the harness and prints the report. */
    @Override
    public Integer call() throws IOException, InterruptedException {
        DemoCommand.quietLogs();
        BenchSettings settings = quick ? BenchSettings.quick(out, data, registryHome, model)
                : BenchSettings.full(out, data, registryHome, model);
        System.out.print(new Bench(settings, System.out).run());
        System.out.println("written to " + out.toAbsolutePath());
        return Main.OK;
    }
}
