import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One live stream as a client channel: sends `GET /api/notifications/stream` with a bearer token when connected,
/// then splits the chunked body into Server-Sent Events. Thousands share a couple of event-loop threads.
final class SSEStreamHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let token: String
    private let authority: String
    private let recorder: StreamRecorder
    private var pending: [UInt8] = []
    private var sawInit = false
    /// A stream is counted as failed once, however many ways it then ends.
    private var failed = false

    init(token: String, authority: String, recorder: StreamRecorder) {
        self.token = token
        self.authority = authority
        self.recorder = recorder
    }

    /// Connects one stream; failures are counted, not thrown, so one refused connection does not stop the run.
    static func open(token: String, host: String, port: Int, group: any EventLoopGroup, recorder: StreamRecorder) -> EventLoopFuture<any Channel> {
        let future = ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        SSEStreamHandler(token: token, authority: "\(host):\(port)", recorder: recorder))
                }
            }
            .connect(host: host, port: port)
        future.whenFailure { recorder.streamFailed("stream connect: \($0)", hadInit: false) }
        return future
    }

    func channelActive(context: ChannelHandlerContext) {
        let headers = HTTPHeaders([("Host", authority), ("Authorization", "Bearer \(token)"), ("Accept", "text/event-stream")])
        context.write(
            wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/api/notifications/stream", headers: headers))),
            promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head) where head.status != .ok:
            fail("stream answered \(head.status.code)")
            context.close(promise: nil)
        case .body(var buffer):
            pending += buffer.readBytes(length: buffer.readableBytes) ?? []
            drainEvents()
        case .head, .end:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(sawInit ? "stream ended by the server" : "stream closed before init")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail("stream: \(error)")
        context.close(promise: nil)
    }

    private func fail(_ kind: String) {
        guard !failed else { return }
        failed = true
        recorder.streamFailed(kind, hadInit: sawInit)
    }

    /// SSE events end with a blank line; the server writes `\n` line ends.
    private func drainEvents() {
        var start = 0
        var index = 0
        while index + 1 < pending.count {
            if pending[index] == 10, pending[index + 1] == 10 {
                handle(event: pending[start..<index])
                start = index + 2
                index = start
            } else {
                index += 1
            }
        }
        if start > 0 { pending.removeFirst(start) }
    }

    private func handle(event block: ArraySlice<UInt8>) {
        let arrival = NIODeadline.now()
        var name: Substring?
        var data: Substring?
        let text = String(decoding: block, as: UTF8.self)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("event: ") { name = line.dropFirst(7) }
            if line.hasPrefix("data: ") { data = line.dropFirst(6) }
        }
        switch name {
        case "init":
            if !sawInit { recorder.initArrived() }
            sawInit = true
        case "update":
            guard let data, let payload = try? JSONDecoder().decode(Payload.self, from: Data(data.utf8)) else {
                recorder.error("update without notifications")
                return
            }
            recorder.updateArrived(payload.notifications.compactMap { BenchNotification.sequence(fromTitle: $0.title) }, at: arrival)
        default:
            break
        }
    }

    private struct Payload: Decodable {
        struct Item: Decodable {
            let title: String
        }

        let notifications: [Item]
    }
}

/// The notifications the benchmark sends are numbered in their titles, which is how an `update` is matched to the
/// request that caused it.
enum BenchNotification {
    static func title(_ sequence: Int) -> String { "bench #\(sequence)" }

    static func sequence(fromTitle title: String) -> Int? {
        title.hasPrefix("bench #") ? Int(title.dropFirst(7)) : nil
    }
}
