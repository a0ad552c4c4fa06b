import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Requests with a bearer token over a few keep-alive connections, one request at a time on each: a new
/// connection opens only when every open one is busy, so the request rate, not connection setup, is what the
/// server sees.
actor RequestClient {
    private let host: String
    private let port: Int
    private let token: String?
    private let group: any EventLoopGroup
    private var idle: [any Channel] = []

    init(host: String, port: Int, token: String?, group: any EventLoopGroup) {
        self.host = host
        self.port = port
        self.token = token
        self.group = group
    }

    /// Sends `json` (if any) to `path` and returns the response's status; `beforeWrite` runs just before the request
    /// is written (where the caller stamps its send time).
    func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, beforeWrite: @Sendable () -> Void = {}
    ) async throws -> HTTPResponseStatus {
        let channel = try await acquire()
        var headers = HTTPHeaders([("Host", "\(host):\(port)")])
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        headers.add(name: "Content-Length", value: String(json?.utf8.count ?? 0))
        let promise = channel.eventLoop.makePromise(of: HTTPResponseStatus.self)
        beforeWrite()
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        channel.writeAndFlush(PendingRequest(head: head, body: json.map { ByteBuffer(string: $0) }, promise: promise), promise: nil)
        let status = try await promise.futureResult.get()
        if channel.isActive { idle.append(channel) }
        return status
    }

    func close() async {
        for channel in idle { try? await channel.close() }
        idle.removeAll()
    }

    private func acquire() async throws -> any Channel {
        while let channel = idle.popLast() {
            if channel.isActive { return channel }
        }
        return try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(StatusHandler())
                }
            }
            .connect(host: host, port: port).get()
    }
}

struct PendingRequest: Sendable {
    let head: HTTPRequestHead
    let body: ByteBuffer?
    let promise: EventLoopPromise<HTTPResponseStatus>
}

/// Writes a `PendingRequest` and completes its promise with the response's status once the response has ended.
private final class StatusHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = PendingRequest
    typealias OutboundOut = HTTPClientRequestPart

    private var waiting = CircularBuffer<EventLoopPromise<HTTPResponseStatus>>()
    private var status: HTTPResponseStatus?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.promise)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        if let body = request.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = head.status
        case .body: break
        case .end:
            if let status, let promise = waiting.popFirst() { promise.succeed(status) }
            status = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let promise = waiting.popFirst() { promise.fail(ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
