import ChildProcesses
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The shop's Wi-Fi between a browser and the server: a TCP relay on a loopback port of its own. Every chunk that
/// crosses it waits `latency` (each way), and it can lose the server's answer to a request: once the server has
/// answered (so the work is done and committed), the relay closes the browser's connection instead of passing the
/// answer on — what a till sees when the network drops at the worst moment.
final class FlakyLink: @unchecked Sendable {
    let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    private let lock = NSLock()
    private var delay: Duration = .zero
    private var losing: (requestPrefix: String, remaining: Int, keepHead: Bool)?
    private var slow: (requestPrefix: String, delay: Duration)?
    private var lost = 0
    private var open: Set<Int32> = []
    private var closed = false

    /// Relays 127.0.0.1:`port` to 127.0.0.1:`upstreamPort`.
    init(to upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        guard bound == 0, listen(listener, 64) == 0 else { throw ProcessFailure(description: "the relay cannot listen") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        Thread { [self] in acceptLoop() }.start()
    }

    /// How long each chunk waits, each way (a round trip costs twice this).
    var latency: Duration {
        get { lock.withLock { delay } }
        set { lock.withLock { delay = newValue } }
    }

    /// Loses the answers to the next `count` requests whose request line starts with `requestPrefix`
    /// (`"POST /api/sales/bulk"`), each after the server has sent it; with `keepHead`, the answer's status line and
    /// headers (a `201 Created`) still arrive and only its body is lost.
    func loseAnswers(to requestPrefix: String, count: Int = 1, keepHead: Bool = false) {
        lock.withLock { losing = (requestPrefix, count, keepHead) }
    }

    /// Holds the answers to requests whose request line starts with `requestPrefix` for `delay` more (nil: none).
    func delayAnswers(to requestPrefix: String?, by delay: Duration = .zero) {
        lock.withLock { slow = requestPrefix.map { ($0, delay) } }
    }

    /// Passes every answer on again.
    func keepAnswers() {
        lock.withLock { losing = nil }
    }

    /// How many answers were lost so far.
    var answersLost: Int { lock.withLock { lost } }

    /// Stops listening and cuts every connection.
    func close() {
        let sockets = lock.withLock {
            closed = true
            return open
        }
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
        for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            guard let server = try? Processes.connectLoopback(port: upstreamPort) else {
                Glibc.close(client)
                continue
            }
            let tracked = lock.withLock {
                if !closed { open.formUnion([client, server]) }
                return !closed
            }
            guard tracked else {
                Glibc.close(client)
                Glibc.close(server)
                continue
            }
            let exchange = Exchange()
            Thread { [self] in browserToServer(client, server, exchange) }.start()
            Thread { [self] in serverToBrowser(server, client, exchange) }.start()
        }
    }

    /// The request line of the request a connection carries now (requests on one connection take turns).
    private final class Exchange: @unchecked Sendable {
        private let lock = NSLock()
        private var line = ""
        private var done = 0

        var requestLine: String {
            get { lock.withLock { line } }
            set { lock.withLock { line = newValue } }
        }

        /// True for the second of the two directions to finish: that one closes both sockets.
        func finish() -> Bool {
            lock.withLock {
                done += 1
                return done == 2
            }
        }
    }

    private static let methods = ["GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS "]

    private func browserToServer(_ client: Int32, _ server: Int32, _ exchange: Exchange) {
        relay(from: client, to: server) { chunk in
            // A browser writes a request's head in one go, so a new request starts a chunk.
            let start = String(decoding: chunk.prefix(200), as: UTF8.self)
            if Self.methods.contains(where: start.hasPrefix) {
                exchange.requestLine = String(start.prefix { $0 != "\r" && $0 != "\n" })
            }
            return .pass(after: .zero)
        }
        finish(client, server, exchange)
    }

    private func serverToBrowser(_ server: Int32, _ client: Int32, _ exchange: Exchange) {
        relay(from: server, to: client) { [self] chunk in
            let line = exchange.requestLine
            return lock.withLock {
                let extra = slow.flatMap { line.hasPrefix($0.requestPrefix) ? $0.delay : nil } ?? .zero
                guard let rule = losing, rule.remaining > 0, line.hasPrefix(rule.requestPrefix) else { return .pass(after: extra) }
                losing = rule.remaining > 1 ? (rule.requestPrefix, rule.remaining - 1, rule.keepHead) : nil
                lost += 1
                guard rule.keepHead, let head = chunk.firstRange(of: Array("\r\n\r\n".utf8)) else { return .cut(keeping: 0) }
                return .cut(keeping: head.upperBound - chunk.startIndex)
            }
        }
        finish(server, client, exchange)
    }

    private enum Verdict {
        case pass(after: Duration)
        /// Sends the chunk's first `keeping` bytes, then cuts the connection.
        case cut(keeping: Int)
    }

    /// Copies chunks, each after `latency` and what `judge` adds, until either side closes or `judge` cuts the
    /// connection.
    private func relay(from source: Int32, to target: Int32, judge: (ArraySlice<UInt8>) -> Verdict) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(source, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            let chunk = buffer[0..<count]
            switch judge(chunk) {
            case .pass(let extra):
                let wait = latency + extra
                if wait > .zero {
                    Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18)
                }
                guard sendAll(chunk, to: target) else { return }
            case .cut(let keeping):
                _ = sendAll(chunk.prefix(keeping), to: target)
                shutdown(source, Int32(SHUT_RDWR))
                shutdown(target, Int32(SHUT_RDWR))
                return
            }
        }
        shutdown(target, Int32(SHUT_WR))
    }

    private func sendAll(_ bytes: ArraySlice<UInt8>, to target: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let written = bytes.withUnsafeBytes { send(target, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { return false }
            sent += written
        }
        return true
    }

    private func finish(_ one: Int32, _ other: Int32, _ exchange: Exchange) {
        shutdown(one, Int32(SHUT_RD))
        guard exchange.finish() else { return }
        lock.withLock { open.subtract([one, other]) }
        Glibc.close(one)
        Glibc.close(other)
    }
}
