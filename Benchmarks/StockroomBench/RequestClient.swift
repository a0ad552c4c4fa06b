import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Requests with a bearer token over a few keep-alive connections, one request at a time on each: a new
/// connection opens only when every open one is busy, so the request rate, not connection setup, is what the
/// server sees. At `maxConnections` a request waits for a connection to come free — a server past its capacity
/// then sees a queue in the bench, not thousands of sockets (which once ran both processes out of descriptors).
actor RequestClient {
    private let host: String
    private let port: Int
    private let token: String?
    private let group: any EventLoopGroup
    private let maxConnections: Int
    private var idle: [any Channel] = []
    private var connections = 0
    private var waiting: [CheckedContinuation<(any Channel)?, Never>] = []

    init(host: String, port: Int, token: String?, group: any EventLoopGroup, maxConnections: Int = .max) {
        self.host = host
        self.port = port
        self.token = token
        self.group = group
        self.maxConnections = maxConnections
    }

    /// Sends `json` (if any) to `path` and returns the response's status; `beforeWrite` runs just before the request
    /// is written (where the caller stamps its send time).
    func send(
        _ method: HTTPMethod, _ path: String, json: String? = nil, idempotencyKey: String? = nil, beforeWrite: @Sendable () -> Void = {}
    ) async throws -> HTTPResponseStatus {
        let channel = try await acquire()
        var headers = HTTPHeaders([("Host", "\(host):\(port)")])
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        if let idempotencyKey { headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        headers.add(name: "Content-Length", value: String(json?.utf8.count ?? 0))
        let promise = channel.eventLoop.makePromise(of: HTTPResponseStatus.self)
        beforeWrite()
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
        channel.writeAndFlush(PendingRequest(head: head, body: json.map { ByteBuffer(string: $0) }, promise: promise), promise: nil)
        do {
            let status = try await promise.futureResult.get()
            release(channel)
            return status
        } catch {
            release(channel)
            throw error
        }
    }

    func close() async {
        for channel in idle { try? await channel.close() }
        idle.removeAll()
    }

    private func acquire() async throws -> any Channel {
        while let channel = idle.popLast() {
            if channel.isActive { return channel }
            connections -= 1
        }
        if connections >= maxConnections {
            // Handed a live connection by `release`, or nil when the one given back had closed: open a new one.
            if let channel = await withCheckedContinuation({ waiting.append($0) }) { return channel }
        }
        connections += 1
        do {
            return try await connect()
        } catch {
            connections -= 1
            throw error
        }
    }

    /// Gives the connection to the longest-waiting request, or keeps it for the next one.
    private func release(_ channel: any Channel) {
        let alive = channel.isActive
        if !alive { connections -= 1 }
        if !waiting.isEmpty {
            waiting.removeFirst().resume(returning: alive ? channel : nil)
        } else if alive {
            idle.append(channel)
        }
    }

    private func connect() async throws -> any Channel {
        try await ClientBootstrap(group: group)
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
