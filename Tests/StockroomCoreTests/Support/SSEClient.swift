import ChildProcesses
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A Server-Sent Events client on a plain TCP socket: sends one GET and reads events as they arrive.
/// Blocking reads happen on the socket's own thread; events come out of `events` as an AsyncStream.
final class SSEClient: @unchecked Sendable {
    struct Event: Sendable, Equatable {
        var id: String?
        var name: String?
        var data: String
        var isComment: Bool
    }

    let events: AsyncStream<Event>
    /// The status line and headers of the response.
    private(set) var head = ""
    private let socket: Int32
    private let continuation: AsyncStream<Event>.Continuation

    /// `giveUpAfter` closes the connection if the test is still reading by then, so that a missing event fails
    /// the test instead of hanging it.
    init(port: Int, path: String, cookie: String, giveUpAfter: Duration = .seconds(10)) throws {
        let fd = try Processes.connectLoopback(port: port)
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\nCookie: \(cookie)\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        socket = fd
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let thread = Thread { [self] in readLoop() }
        thread.start()
        // Weak: once the client is gone its descriptor is closed and its number may already be another socket's.
        Task { [weak self] in
            try? await Task.sleep(for: giveUpAfter)
            self?.close()
        }
    }

    /// Closes the connection from the client's side.
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
    }

    deinit { Glibc.close(socket) }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pending = ""
        var headDone = false
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            // "\r\n" is one Character in Swift: normalise line ends so that lines split where they should.
            pending += String(decoding: buffer[0..<count], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            if !headDone, let end = pending.range(of: "\n\n") {
                head = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                headDone = true
            }
            guard headDone else { continue }
            // Chunked transfer: drop chunk-size lines; SSE events end with a blank line.
            while let end = pending.range(of: "\n\n") {
                let block = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                var event = Event(id: nil, name: nil, data: "", isComment: false)
                for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                    if line.hasPrefix(":") {
                        event.isComment = true
                        event.data = String(line.dropFirst()).trimmingCharacters(in: .whitespaces)
                    } else if line.hasPrefix("id: ") {
                        event.id = String(line.dropFirst(4))
                    } else if line.hasPrefix("event: ") {
                        event.name = String(line.dropFirst(7))
                    } else if line.hasPrefix("data: ") {
                        event.data = String(line.dropFirst(6))
                    }
                }
                if event.isComment || event.name != nil { continuation.yield(event) }
            }
        }
        continuation.finish()
    }
}

extension AsyncStream where Element == SSEClient.Event {
    /// The next event that is not a heartbeat (or nil when the stream ended).
    func nextEvent(skippingHeartbeats: Bool = true) async -> SSEClient.Event? {
        for await event in self where !(skippingHeartbeats && event.isComment) {
            return event
        }
        return nil
    }
}
