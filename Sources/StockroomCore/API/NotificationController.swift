import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// Seed 000's notifications: the REST endpoints and the live stream `GET /api/notifications/stream`.
struct NotificationController {
    let notifications: NotificationService
    let streams: NotificationStreams

    struct CreateRequest: Decodable {
        let user_id: Int64
        let title: String
        let message: String
        let type: String?
        let action_url: String?
    }

    struct Unread: ResponseEncodable, Sendable {
        let notifications: [NotificationResponse]
        let unread_count: Int
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("notifications/unread", use: unread)
        api.get("notifications/all", use: all)
        api.post("notifications/read-all", use: readAll)
        api.post("notifications/create", use: create)
        api.post("notifications/:id/read", use: read)
        api.delete("notifications/:id", use: delete)
        // StockManager's documented path for the same.
        api.delete("notifications/:id/delete", use: delete)
        api.get("notifications/stream", use: stream)
    }

    /// Automatic notifications in the reader's language (cookie, setting, Accept-Language); an API client that
    /// gives none of them reads English, as StockManager wrote it.
    @Sendable func unread(_ request: Request, context: AppRequestContext) async throws -> Unread {
        let caller = try context.requireCaller()
        let (list, count) = try await notifications.unread(caller, in: Language.preferred(by: request, caller: caller))
        return Unread(notifications: list.map(NotificationResponse.init), unread_count: count)
    }

    @Sendable func all(_ request: Request, context: AppRequestContext) async throws -> [NotificationResponse] {
        let caller = try context.requireCaller()
        return try await notifications.all(caller, window: try Self.window(QueryReader(request)), in: Language.preferred(by: request, caller: caller))
            .map(NotificationResponse.init)
    }

    /// 20 notifications at a time, for the API's list and the notifications page.
    static func window(_ query: QueryReader) throws -> OffsetRequest {
        try OffsetRequest(query, defaultLimit: 20)
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        try await notifications.markRead(try context.requireCaller(), id: try context.parameters.id("id"))
        return SuccessResponse(message: "Marked as read")
    }

    @Sendable func readAll(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        let count = try await notifications.markAllRead(try context.requireCaller())
        return SuccessResponse(message: "\(count) marked as read")
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> SuccessResponse {
        try await notifications.delete(try context.requireCaller(), id: try context.parameters.id("id"))
        return SuccessResponse(message: "Notification deleted")
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<SuccessResponse> {
        let caller = try context.require(.manageUsers)
        let body = try await request.decode(as: CreateRequest.self, context: context)
        guard body.user_id > 0 else { throw ShopError.invalidField("user_id", "user_id must be a positive id") }
        let type =
            try body.type.map { text in
                guard let type = NotificationType(rawValue: text.lowercased()) else {
                    throw ShopError.invalidField("type", "type must be success, warning, error or info")
                }
                return type
            } ?? .info
        try await notifications.create(caller, userID: body.user_id, title: body.title, message: body.message, type: type, actionURL: body.action_url)
        return SuccessResponse(message: "Notification sent").created
    }

    /// `init` with up to 5 unread on connect, `update` with up to 10 whenever they change, `: heartbeat` between.
    /// Ends when the client goes away (seen at once on the inbound side), when the user opens another stream, or
    /// at shutdown.
    @Sendable func stream(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        // The language of the request that opened the stream, for its whole life (the page reopens it on a switch).
        let language = Language.preferred(by: request, caller: caller)
        let notifications = self.notifications
        let streams = self.streams
        var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                // Registered only once the body runs, so a response that is never sent leaves nothing behind.
                let (id, signals) = streams.connect(userID: caller.userID)
                defer { streams.disconnect(userID: caller.userID, id: id) }
                try await withGracefulShutdownHandler {
                    try await request.body.consumeWithInboundCloseHandler { _ in
                        var sequence = 0
                        func send(_ name: String, limit: Int) async throws {
                            // Off the connection's task: see `inShortLivedTask`.
                            let (list, count) = try await inShortLivedTask { try await notifications.unread(caller, limit: limit, in: language) }
                            sequence += 1
                            let data = try ResponseJSON.data(Unread(notifications: list.map(NotificationResponse.init), unread_count: count))
                            // `count` as seed 000 names it, beside the REST spelling.
                            let payload = String(decoding: data, as: UTF8.self).dropLast() + ",\"count\":\(count)}"
                            try await writer.write(ByteBuffer(string: "id: \(sequence)\nevent: \(name)\ndata: \(payload)\n\n"))
                        }
                        try await send("init", limit: 5)
                        // Heartbeats come from `NotificationStreams`' one ticker, not a task per stream.
                        for await signal in signals {
                            switch signal {
                            case .update: try await send("update", limit: 10)
                            case .heartbeat: try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                            }
                        }
                    } onInboundClosed: {
                        streams.disconnect(userID: caller.userID, id: id)
                    }
                } onGracefulShutdown: {
                    streams.disconnect(userID: caller.userID, id: id)
                }
                try await writer.finish(nil)
            })
    }
}
