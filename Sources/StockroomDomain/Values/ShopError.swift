/// What went wrong, in the shop's words, with the facts: the one error the domain throws when it refuses something.
/// It knows nothing of HTTP — the API's edge (`AppError(_:)`) picks the status from `kind` and answers
/// `code`, `message` and the facts as the error's JSON body, byte for byte as the contract documents.
public struct ShopError: Error, Sendable {
    /// What kind of refusal it is, which the edge turns into a status.
    public enum Kind: Sendable, Equatable {
        /// The request itself is wrong: a field out of range, a missing value, a malformed file (400).
        case invalid
        /// Nobody is signed in, or the credentials are wrong (401).
        case unauthenticated
        /// Signed in, but not allowed to do this (403).
        case forbidden
        /// No such thing, or not this company's (404).
        case notFound
        /// It clashes with how things stand: a taken barcode, a shelf short of stock (409).
        case conflict
        /// Well-formed and valid, but cannot be applied as things are (422).
        case unprocessable
        /// More than one request may bring (413).
        case tooLarge
        /// Too many attempts: try again after `retry_after` seconds (429).
        case tooMany
        /// A fault of ours, never the caller's (500).
        case fault
    }

    public var kind: Kind
    /// The stable name clients match on (`insufficient_stock`, `invalid_field`).
    public var code: String
    public var message: String
    /// The facts a client needs beside the message (`field`, `product_id`, `requested`, `available`). The refused
    /// `field` is named in the shop's words (`lineDiscount`, `toStore`); the edge calls it what the request did.
    public var facts: [String: JSONValue]
    /// The message for the refused field by another name, when the message names it.
    private var describing: (@Sendable (String) -> String)?

    public init(_ kind: Kind, code: String, _ message: String, facts: [String: JSONValue] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.facts = facts
    }
}

extension ShopError {
    public static func badRequest(_ message: String, code: String = "bad_request", field: String? = nil) -> ShopError {
        ShopError(.invalid, code: code, message, facts: field.map { ["field": .string($0)] } ?? [:])
    }

    public static func missingField(_ field: String) -> ShopError {
        var error = ShopError.invalidField(field) { "Missing required field '\($0)'" }
        error.code = "missing_field"
        return error
    }

    /// A field that failed validation.
    public static func invalidField(_ field: String, _ message: String) -> ShopError {
        ShopError(.invalid, code: "invalid_field", message, facts: ["field": .string(field)])
    }

    /// A field that failed validation, with a message that names it (`describing` writes it for any name).
    public static func invalidField(_ field: String, describing: @escaping @Sendable (String) -> String) -> ShopError {
        var error = ShopError.invalidField(field, describing(field))
        error.describing = describing
        return error
    }

    /// The refused field, in the shop's words.
    public var field: String? {
        if case .string(let field)? = facts["field"] { field } else { nil }
    }

    /// The same refusal with its field called `name` (the request's word for it), in the message too.
    public func naming(field name: String) -> ShopError {
        var named = self
        named.facts["field"] = .string(name)
        if let describing { named.message = describing(name) }
        return named
    }

    public static func unauthorized(_ message: String = "Authentication required") -> ShopError {
        ShopError(.unauthenticated, code: "unauthorized", message)
    }

    public static func forbidden(_ message: String = "You do not have permission to do this") -> ShopError {
        ShopError(.forbidden, code: "forbidden", message)
    }

    public static func notFound(_ what: String = "Resource") -> ShopError {
        ShopError(.notFound, code: "not_found", "\(what) not found")
    }

    public static func conflict(_ message: String, code: String = "conflict", facts: [String: JSONValue] = [:]) -> ShopError {
        ShopError(.conflict, code: code, message, facts: facts)
    }

    public static func unprocessable(_ message: String, code: String = "unprocessable") -> ShopError {
        ShopError(.unprocessable, code: code, message)
    }

    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int) -> ShopError {
        ShopError(.tooMany, code: "too_many_requests", message, facts: ["retry_after": .int(retryAfterSeconds)])
    }

    /// A refusal that is the caller's to fix (not a fault of ours).
    public var isRefusal: Bool { kind != .fault }
}
