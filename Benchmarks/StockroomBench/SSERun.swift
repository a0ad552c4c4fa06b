import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One measurement against a started server: readiness, the streams, the memory they cost, then the events.
struct SSERun {
    /// The node the streams are open on.
    let server: ServerProcess
    /// The node the notifications are created through: `server` itself, or a second node on the same database.
    let sender: ServerProcess
    let seed: BenchSeed
    let group: any EventLoopGroup
    let options: SSEBenchmark
    let recorder = StreamRecorder()
    let host = "127.0.0.1"

    func measure() async throws -> SSEReport {
        // Let the start settle (migration check, first allocations) before the baseline is read.
        try await Task.sleep(for: .seconds(1))
        let rssBefore = server.residentKiB() ?? 0

        let openStart = ContinuousClock.now
        let channels = try await openStreams()
        let openSeconds = (ContinuousClock.now - openStart) / .seconds(1)
        try await Task.sleep(for: .seconds(2))
        let rssOpen = server.residentKiB() ?? 0
        let opened = recorder.snapshot.inits
        print("Opened \(opened) of \(options.streams) streams in \(String(format: "%.1f", openSeconds)) s; sending events…")

        let usage = (ServerUsage(server), ServerUsage(sender))
        try await sendEvents()
        let (streamsNode, senderNode) = (usage.0.end(), usage.1.end())
        let rssEnd = server.residentKiB() ?? 0
        recorder.beginClosing()
        for channel in channels { channel.close(promise: nil) }
        return SSEReport(
            streams: options.streams, opened: opened, openSeconds: openSeconds, recorded: recorder.snapshot, rssBeforeKiB: rssBefore,
            rssOpenKiB: rssOpen, rssEndKiB: rssEnd, engine: options.database.engine.rawValue, rate: options.rate, duration: options.duration,
            streamsNode: streamsNode, senderNode: options.nodes == 2 ? senderNode : nil)
    }

    /// Opens one stream per vendor, at most `openWindow` waiting for their `init` at a time; returns once every
    /// stream has its `init` or has failed (or after a generous give-up time, so a stuck server cannot hang the run).
    private func openStreams() async throws -> [any Channel] {
        var futures: [EventLoopFuture<any Channel>] = []
        for vendor in seed.vendors {
            while true {
                let state = recorder.snapshot
                if futures.count - state.inits - state.failedStreams < options.openWindow { break }
                try await Task.sleep(for: .milliseconds(1))
            }
            futures.append(SSEStreamHandler.open(token: vendor.token, host: host, port: server.port, group: group, recorder: recorder))
        }
        let deadline = ContinuousClock.now + .seconds(60 + options.streams / 50)
        while ContinuousClock.now < deadline {
            let state = recorder.snapshot
            if state.inits + state.failedStreams >= options.streams { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        var channels: [any Channel] = []
        for future in futures {
            if let channel = try? await future.get() { channels.append(channel) }
        }
        return channels
    }

    /// `rate` notifications a second for `duration` seconds, each to a random vendor, sent on schedule whether or
    /// not earlier ones have been answered; then waits (up to 10 s) for the updates still in flight.
    private func sendEvents() async throws {
        let client = RequestClient(host: host, port: sender.port, token: seed.owner.token, group: group)
        let total = options.rate * options.duration
        let interval = Duration.seconds(1) / options.rate
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { tasks in
            for sequence in 0..<total {
                try? await Task.sleep(until: start + interval * sequence, clock: .continuous)
                let vendor = seed.vendors.randomElement()!
                tasks.addTask { [recorder] in
                    let body = """
                        {"user_id": \(vendor.id), "title": "\(BenchNotification.title(sequence))", "message": "Benchmark event", "type": "info"}
                        """
                    do {
                        let status = try await client.send(.POST, "/api/notifications/create", json: body) { recorder.sending(sequence) }
                        if status == .created { recorder.accepted(sequence) } else { recorder.error("create answered \(status.code)") }
                    } catch {
                        recorder.error("create: \(error)")
                    }
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let state = recorder.snapshot
            if state.received >= state.accepted { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        await client.close()
    }
}
