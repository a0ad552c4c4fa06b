import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The console log: lines exactly as swift-log's `StreamLogHandler` writes them to standard error, but written in
/// batches by one thread of their own. At the default level every request writes a line, and a `write(2)` and a
/// flush per line (with the time formatted again for each) cost a third of `GET /api/health`'s throughput
/// (BENCHMARKS.md, "The request pipeline"). A line reaches the console within about 10 ms; at exit, and when a
/// batch grows past 64 KiB, it is written at once. A `kill -9` loses at most those last milliseconds of lines.
final class ConsoleLog: Sendable {
    static let standardError = ConsoleLog(descriptor: STDERR_FILENO)

    private let descriptor: Int32
    private let pending = Mutex<[UInt8]>([])
    private let writing = Mutex(())
    private let wake = NSCondition()
    /// The formatted time of the second last formatted: a busy server logs thousands of lines within one second.
    private let clock = Mutex<(second: Int, text: String)>((-1, ""))

    /// A console writing to `descriptor` (standard error, or a test's pipe), with its writing thread; the process
    /// keeps it to the end.
    init(descriptor: Int32) {
        self.descriptor = descriptor
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "stockroom-console-log"
        thread.start()
        if descriptor == STDERR_FILENO { atexit { ConsoleLog.standardError.flush() } }
    }

    func write(_ line: String) {
        let (wasEmpty, size) = pending.withLock { buffer in
            let wasEmpty = buffer.isEmpty
            buffer.append(contentsOf: line.utf8)
            return (wasEmpty, buffer.count)
        }
        if size > 64 * 1024 {
            flush()
        } else if wasEmpty {
            wake.lock()
            wake.signal()
            wake.unlock()
        }
    }

    /// Writes what is waiting, now. One flush at a time, so batches reach the console in the order they were taken.
    func flush() {
        writing.withLock { _ in
            let bytes = pending.withLock { buffer -> [UInt8] in
                defer { buffer.removeAll(keepingCapacity: true) }
                return buffer
            }
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written <= 0 {
                    if written < 0, errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Sleeps until a line arrives, lets the batch fill for 10 ms, writes it.
    private func run() {
        while true {
            wake.lock()
            while pending.withLock({ $0.isEmpty }) { wake.wait() }
            wake.unlock()
            Thread.sleep(forTimeInterval: 0.01)
            flush()
        }
    }

    /// `2026-12-06T20:10:33+0000` on the machine's clock, as `StreamLogHandler` writes it.
    func timestamp() -> String {
        var now = time(nil)
        return clock.withLock { cached in
            if cached.second == now { return cached.text }
            var buffer = [Int8](repeating: 0, count: 64)
            guard let local = localtime(&now) else { return "<unknown>" }
            strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", local)
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            cached = (now, text)
            return text
        }
    }
}

/// A log handler writing to `ConsoleLog` in `StreamLogHandler`'s format:
/// `<time> <level> <label>: <key=value …> [<source>] <message>`.
struct ConsoleLogHandler: LogHandler {
    let label: String
    var console = ConsoleLog.standardError
    /// `.json` writes `JSONLogLine`s instead.
    var format = LogFormat.text
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = event.metadata(over: metadata)
        if format == .json {
            console.write(JSONLogLine.line(event, label: label, metadata: merged))
            return
        }
        let pretty = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        console.write(
            "\(console.timestamp()) \(event.level)\(label.isEmpty ? "" : " ")\(label):\(pretty) [\(event.source)] \(event.message)\n")
    }
}

extension LogEvent {
    /// The handler's metadata with the line's own over it, and the error's, as `StreamLogHandler` merges them.
    func metadata(over base: Logger.Metadata) -> Logger.Metadata {
        var merged = base
        if let extra = metadata { merged.merge(extra) { _, new in new } }
        if let error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return merged
    }
}
