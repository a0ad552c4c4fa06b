import Foundation
import Hummingbird

/// The request context of every Stockroom route.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// JSON bodies stay small; CSV uploads collect their own, larger limit.
    public var maxUploadSize: Int { 1024 * 1024 }

    public var requestDecoder: StrictJSONDecoder { StrictJSONDecoder() }

    public var responseEncoder: JSONEncoder { .stockroom }
}

extension JSONEncoder {
    /// ISO-8601 UTC timestamps, as the contract shows them.
    public static var stockroom: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
