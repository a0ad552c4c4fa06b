import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /metrics` in the Prometheus text format. With `STOCKROOM_METRICS_TOKEN` set, a scraper sends it as a
/// Bearer token; without it only this machine may read them (a request that passed through a proxy does not
/// count as local), because sales counts are the shop's business.
struct MetricsController {
    let metrics: ServerMetrics
    let dependencies: AppDependencies

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        try authorize(request, context)
        let text = metrics.exposition(events: dependencies.events, streams: dependencies.streams, database: dependencies.database)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private func authorize(_ request: Request, _ context: AppRequestContext) throws {
        if let expected = dependencies.config.metricsToken {
            let sent = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            // Compared as digests, so the time taken says nothing about how much of the token matched.
            guard Data(SHA256.hash(data: Data(sent.utf8))) == Data(SHA256.hash(data: Data(expected.utf8))) else {
                throw AppError(.unauthorized, code: "unauthorized", "Send the metrics token as 'Authorization: Bearer <token>'")
            }
            return
        }
        // A proxy on this machine makes every client look local; any sign of one means the request came from elsewhere.
        let relayed = Self.proxyHeaders.contains { request.headers[$0] != nil }
        let local = context.remoteAddress.map(Self.isLoopback) ?? false
        guard local, !relayed else {
            throw AppError(.forbidden, code: "forbidden", "Metrics are served to this machine only unless STOCKROOM_METRICS_TOKEN is set")
        }
    }

    static let proxyHeaders: [HTTPField.Name] = [.forwardedFor, HTTPField.Name("Forwarded")!, HTTPField.Name("X-Real-IP")!]

    static func isLoopback(_ address: SocketAddress) -> Bool {
        switch address {
        case .v4: address.ipAddress?.hasPrefix("127.") ?? false
        case .v6: address.ipAddress == "::1" || address.ipAddress?.hasPrefix("::ffff:127.") == true
        case .unixDomainSocket: true
        }
    }
}
