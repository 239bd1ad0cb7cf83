/** The command line: {@link dev.qrnnstreams.cli.Main} and one class per subcommand, wiring the other packages. */
package dev.qrnnstreams.cli;
