import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// Decodes JSON request bodies and turns every way a body can be wrong into a precise `AppError`:
/// 415 for a non-JSON content type, 413 past the size limit, 400 for malformed JSON or a missing or mistyped field.
public struct StrictJSONDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try Self.decode(type, from: Data(buffer: try await Self.collectJSON(request, context: context)))
    }

    /// The body's bytes, after checking that it is JSON, within the size limit and not empty.
    public static func collectJSON(_ request: Request, context: some RequestContext) async throws -> ByteBuffer {
        if let contentType = request.headers[.contentType], !Self.isJSON(contentType) {
            throw AppError(.unsupportedMediaType, code: "unsupported_media_type", "Send the body as application/json")
        }
        var request = request
        let body = try await collect(&request, context: context)
        guard body.readableBytes > 0 else {
            throw ShopError.badRequest("The request body is empty; send a JSON object", code: "missing_body")
        }
        return body
    }

    /// The body's bytes within the route's size limit (413 past it), left in `request` for whoever reads it next.
    public static func collect(_ request: inout Request, context: some RequestContext) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw AppError.payloadTooLarge(limit: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw AppError.payloadTooLarge(limit: context.maxUploadSize)
        }
    }

    /// Decodes `data`, mapping `DecodingError` to a 400 that names the offending field.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // Foundation reports a number that does not fit the field's integer type (2.5, 1e30) as corrupt data
            // with no path. When the body is valid JSON, name the field that holds such a number.
            if let body = try? JSONDecoder().decode(JSONValue.self, from: data), let field = body.firstNonIntegralNumber() {
                throw ShopError.invalidField(field, "Field '\(field)' must be a whole number within range")
            }
            throw ShopError.badRequest("The request body is not valid JSON", code: "malformed_json")
        } catch let error as DecodingError {
            throw ShopError(decoding: error)
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}

extension AppError {
    /// 413: the body is larger than this route reads.
    static func payloadTooLarge(limit: Int) -> AppError {
        AppError(.contentTooLarge, code: "payload_too_large", "The request body is larger than \(limit) bytes")
    }
}

extension ShopError {
    /// The refusal for a body that does not decode: the field it fails on, named as the client sent it.
    init(decoding error: DecodingError) {
        func fieldName(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self = .missingField(fieldName(context.codingPath + [key]))
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = fieldName(context.codingPath)
            if field.isEmpty {
                self = .badRequest("The request body must be a JSON object", code: "malformed_json")
            } else {
                self = .invalidField(field, "Field '\(field)' has the wrong type or is null")
            }
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = fieldName(context.codingPath)
            self = .invalidField(field, "Field '\(field)' has an invalid value")
        default:
            self = .badRequest("The request body is not valid JSON", code: "malformed_json")
        }
    }
}

extension JSONValue {
    /// The path of the first number that is not a whole 64-bit integer, if any.
    func firstNonIntegralNumber(path: String = "") -> String? {
        switch self {
        case .double: return path
        case .object(let fields):
            for key in fields.keys.sorted() {
                if let found = fields[key]!.firstNonIntegralNumber(path: path.isEmpty ? key : path + "." + key) { return found }
            }
            return nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = item.firstNonIntegralNumber(path: path + "[\(index)]") { return found }
            }
            return nil
        default: return nil
        }
    }
}
