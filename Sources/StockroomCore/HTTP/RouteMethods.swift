import Hummingbird
import NIOConcurrencyHelpers

/// Which methods each registered path answers, so an existing path called with the wrong method
/// gets 405 and an `Allow` header instead of the router's plain 404.
public final class RouteMethods: Sendable {
    private struct Route: Sendable {
        let segments: [Substring]
        let method: HTTPRequest.Method
    }

    private let routes = NIOLockedValueBox<[Route]>([])

    public init() {}

    /// Records the routes of `router`; call once every route has been added.
    public func record(_ router: Router<some RequestContext>) {
        let routes = router.routes.map { Route(segments: Self.segments($0.path.description), method: $0.method) }
        self.routes.withLockedValue { $0 = routes }
    }

    /// The methods registered for a concrete request path, sorted.
    /// Only the most literal of the matching patterns count, as the router sees it: a literal segment wins over a
    /// capture at the same place and the router does not go back, so `DELETE /api/notifications/create` reaches the
    /// `create` route (POST only), not `/api/notifications/:id` (DELETE).
    public func allowed(for path: String) -> [String] {
        let requested = Self.segments(path)
        let matching = routes.withLockedValue { routes in routes.filter { Self.matches($0.segments, requested) } }
        guard let mostLiteral = matching.map({ Self.literalness($0.segments) }).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        return Set(matching.filter { Self.literalness($0.segments) == mostLiteral }.map(\.method.rawValue)).sorted()
    }

    /// 1 for each literal segment, 0 for a capture or wildcard.
    private static func literalness(_ pattern: [Substring]) -> [Int] {
        pattern.map { isCapture($0) ? 0 : 1 }
    }

    private static func isCapture(_ segment: Substring) -> Bool {
        segment.hasPrefix(":") || segment.hasPrefix("{") || segment == "*" || segment == "**"
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        var index = 0
        for segment in pattern {
            if segment == "**" { return true }
            guard index < path.count else { return false }
            if !isCapture(segment) && segment != path[index] { return false }
            index += 1
        }
        return index == path.count
    }
}
