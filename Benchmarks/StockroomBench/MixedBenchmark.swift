import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import StockroomCore

/// `stockroom-bench mixed`: a shop's day at rising footfall — the soak's realistic mix at a fixed arrival rate,
/// stepped up until the 99th percentile passes 50 ms. The last rate under the line is what the machine sustains.
struct MixedBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mixed",
        abstract: "Mixed realistic traffic at a fixed arrival rate, stepped up until p99 > 50 ms.",
        discussion: """
            Seeds what the soak seeds (an owner, --tills vendors with API tokens and an open notification stream each, \
            two stores, --products products), then sends the soak's mix — 70 % catalog reads, 20 % sales of 1–3 lines, \
            10 % transfers — at --start requests a second for --step-seconds, then --step more, and so on, until a \
            step's p99 passes --p99-limit ms (or --max-steps). Requests leave on schedule whatever the answers; latency \
            counts from the scheduled time, so queueing in a server that falls behind is charged to it. Each step waits \
            for its last answer before the next begins.
            """)

    @OptionGroup var database: BenchDatabaseOptions

    @Option(help: "Requests per second of the first step.")
    var start = 100

    @Option(help: "Requests per second added at each step.")
    var step = 100

    @Option(help: "Seconds per step.")
    var stepSeconds = 15

    @Option(help: "Stop after the first step whose p99 is above this many milliseconds.")
    var p99Limit = 50.0

    @Option(help: "Steps at most.")
    var maxSteps = 12

    @Option(help: "Vendors (tills), each with an open notification stream.")
    var tills = 64

    @Option(help: "Products in the catalog (stocked in both stores).")
    var products = 1_000

    func validate() throws {
        try database.validate()
        guard start >= 1, step >= 1, stepSeconds >= 1, maxSteps >= 1, tills >= 1, products >= 10, p99Limit > 0 else {
            throw ValidationError("--start, --step, --step-seconds, --max-steps, --tills ≥ 1; --products ≥ 10; --p99-limit > 0")
        }
    }

    func run() async throws {
        let bench = try await database.prepare()
        defer { bench.remove() }
        try await Traffic.withShop(bench, tills: tills, products: products) { traffic, _ in
            var table = LoadTable()
            var sustained: Int?
            for number in 0..<maxSteps {
                let rate = start + number * step
                let recorder = LatencyRecorder()
                let usage = ServerUsage(traffic.server)
                await traffic.drive(rate: rate, duration: stepSeconds, recorder: recorder)
                let summary = recorder.summary()
                let phase = usage.end()
                table.add("\(rate)/s", summary, seconds: phase.seconds, usage: phase)
                print("  \(rate)/s: p99 \(BenchTable.number(summary.percentile(0.99))) ms, \(summary.errors) errors")
                guard let p99 = summary.percentile(0.99), p99 <= p99Limit, summary.errors == 0 else { break }
                sustained = rate
            }
            table.print()
            print(
                "\nHighest offered rate with p99 ≤ \(BenchTable.number(p99Limit)) ms and no errors: \(sustained.map { "\($0) requests/s" } ?? "none (the first step was already over)")."
            )
            print("req/s: answers over the time from the step's first request to its last answer (a step that fell behind takes longer).")
        }
    }
}
