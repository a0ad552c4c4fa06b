import ArgumentParser

/// `stockroom-bench <scenario>`: each scenario starts a release server on a fresh database, seeds it, measures,
/// and prints a table. Results and the commands that produced them are in BENCHMARKS.md.
@main
struct StockroomBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stockroom-bench",
        abstract: "Measures Stockroom under load and prints a table.",
        subcommands: [
            CeilingBenchmark.self, CatalogBenchmark.self, CheckoutBenchmark.self, SSEBenchmark.self, MixedBenchmark.self,
            ReportBenchmark.self, SoakBenchmark.self, Screenshots.self, HelloServer.self,
        ]
    )
}
