import Foundation
import Logging
import Testing

@testable import StockroomCore
@testable import StockroomDomain

#if canImport(Glibc)
import Glibc
#endif

/// The console log writes swift-log's `StreamLogHandler` lines, whole and in order, in batches.
@Suite struct ConsoleLogTests {
    /// Everything written to a pipe's write end until `count` lines have arrived (or `seconds` passed). Waits in
    /// `poll`, never in a `read` that could outlast the deadline.
    static func lines(from descriptor: Int32, count: Int, seconds: Double = 5) -> [String] {
        var bytes: [UInt8] = []
        var newlines = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(seconds)
        while newlines < count, Date() < deadline {
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) > 0 else { continue }
            let read = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if read > 0 {
                bytes += buffer[..<read]
                newlines += buffer[..<read].filter { $0 == 10 }.count
            }
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func linesAsStreamLogHandlerWritesThemWholeAndInOrder() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let console = ConsoleLog(descriptor: ends[1])
        var handler = ConsoleLogHandler(label: "stockroom", console: console)
        handler.metadata["b"] = "two"
        let logger = Logger(label: "stockroom") { _ in handler }
        logger.info("GET /api/health 200", metadata: ["a": "1"], source: "StockroomCore")
        logger.debug("not written: below the level")
        logger.warning("second", source: "StockroomCore")
        let first = Self.lines(from: ends[0], count: 2)
        #expect(first.count == 2, "\(first)")
        let pattern = #/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info stockroom: a=1 b=two \[StockroomCore\] GET /api/health 200$/#
        #expect(first.first?.wholeMatch(of: pattern) != nil, "\(first)")
        #expect(first.last?.hasSuffix(" warning stockroom: b=two [StockroomCore] second") == true, "\(first)")

        // 8 writers, 500 lines each, 120 bytes a line (past the 64 KiB early flush): every line whole, each
        // writer's in its order
        // (read while they write, on a thread of its own: a full pipe holds a writer back, as a slow terminal would,
        // and a reader on Swift's shared threads that gave up early once left the writers blocked for good)
        let reader = ReaderThread(descriptor: ends[0], count: 4_000)
        let writers = Task.detached {
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for index in 0..<500 {
                            logger.info("\(writer)-\(index) \(String(repeating: "x", count: 80))", source: "T")
                        }
                    }
                }
            }
        }
        await writers.value
        let many = await reader.lines()
        #expect(many.count == 4_000)
        var next = Array(repeating: 0, count: 8)
        for line in many {
            guard let range = line.range(of: #"\] (\d)-(\d+) x{80}$"#, options: .regularExpression) else {
                Issue.record("a broken line: \(line)")
                return
            }
            let parts = line[range].dropFirst(2).split(separator: " ")[0].split(separator: "-")
            let writer = Int(parts[0])!
            let index = Int(parts[1])!
            #expect(index == next[writer], "writer \(writer) out of order")
            next[writer] = index + 1
        }
    }
}

/// Reads a pipe on a thread of its own (not one of Swift's shared ones, which the writers need).
final class ReaderThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var collected: [String] = []

    init(descriptor: Int32, count: Int) {
        let thread = Thread { [self] in
            collected = ConsoleLogTests.lines(from: descriptor, count: count, seconds: 60)
            done.signal()
        }
        thread.start()
    }

    /// The lines read, once the thread has them all (or gave up).
    func lines() async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                done.wait()
                continuation.resume(returning: collected)
            }
        }
    }
}
