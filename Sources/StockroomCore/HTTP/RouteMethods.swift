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
    public func allowed(for path: String) -> [String] {
        let requested = Self.segments(path)
        let methods = routes.withLockedValue { routes in
            routes.filter { Self.matches($0.segments, requested) }.map(\.method.rawValue)
        }
        return Set(methods).sorted()
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        var index = 0
        for segment in pattern {
            if segment == "**" { return true }
            guard index < path.count else { return false }
            let isCapture = segment.hasPrefix(":") || segment.hasPrefix("{") || segment == "*"
            if !isCapture && segment != path[index] { return false }
            index += 1
        }
        return index == path.count
    }
}
