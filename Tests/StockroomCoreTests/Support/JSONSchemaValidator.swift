import Foundation

@testable import StockroomCore
@testable import StockroomDomain

/// A small JSON Schema validator: the subset of draft 2020-12 that the OpenAPI 3.1 document uses. Schemas and
/// instances are `JSONValue`s; `$ref`s are JSON pointers into `document` (`#/components/schemas/Product`).
///
/// Keywords: `$ref`, `type` (a name or a list of names), `enum`, `const`, `properties`, `required`,
/// `additionalProperties` (a boolean or a schema), `items`, `minItems`/`maxItems`, `minimum`/`maximum`,
/// `minLength`/`maxLength`, `format` (`date-time` and `date`, checked loosely; others ignored), `oneOf`, `anyOf`,
/// `allOf`. Annotations (`description`, `example`, `default`, …) are ignored. Any other keyword is reported as an
/// error, so the document cannot lean on a check this validator would silently skip.
struct JSONSchemaValidator: Sendable {
    /// The document `$ref`s point into.
    let document: JSONValue
    /// When true, an object schema that lists `properties` and says nothing of `additionalProperties` refuses keys
    /// it does not list: what the live-response tests use, so that a field the server sends but the document
    /// does not describe is caught (the document itself stays open to additions, as clients expect).
    var strictObjects = false

    static let annotations: Set<String> = [
        "description", "example", "examples", "default", "title", "format", "deprecated", "readOnly", "writeOnly", "$comment",
    ]
    static let keywords: Set<String> = [
        "$ref", "type", "enum", "const", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "minimum", "maximum", "minLength", "maxLength", "oneOf", "anyOf", "allOf",
    ]

    /// Every way `instance` breaks `schema`, each as `<JSON path>: <problem>`; empty when it validates.
    func validate(_ instance: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        var errors: [String] = []
        check(instance, schema, path, &errors, depth: 0)
        return errors
    }

    /// The value a local JSON pointer (`#/a/b`) names in the document.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node = document
        for token in reference.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch node {
            case .object(let fields):
                guard let next = fields[key] else { return nil }
                node = next
            case .array(let items):
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                node = items[index]
            default:
                return nil
            }
        }
        return node
    }

    private func check(_ instance: JSONValue, _ schema: JSONValue, _ path: String, _ errors: inout [String], depth: Int) {
        guard depth < 64 else {
            errors.append("\(path): schema nesting too deep (a $ref cycle?)")
            return
        }
        let keywords: [String: JSONValue]
        switch schema {
        case .bool(true): return
        case .bool(false):
            errors.append("\(path): no value is allowed here")
            return
        case .object(let fields): keywords = fields
        default:
            errors.append("\(path): the schema is not an object or a boolean")
            return
        }
        for key in keywords.keys.sorted() where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            errors.append("\(path): unsupported schema keyword '\(key)'")
        }

        if case .string(let reference)? = keywords["$ref"] {
            if let target = resolve(reference) {
                check(instance, target, path, &errors, depth: depth + 1)
            } else {
                errors.append("\(path): unresolvable $ref \(reference)")
            }
        }

        if let type = keywords["type"] {
            let names: [String] =
                switch type {
                case .string(let name): [name]
                case .array(let items): items.compactMap { if case .string(let name) = $0 { name } else { nil } }
                default: []
                }
            if !names.contains(where: { Self.isOfType(instance, $0) }) {
                errors.append("\(path): expected \(names.joined(separator: " or ")), got \(Self.describe(instance))")
                return  // the other keywords would only repeat the mismatch
            }
        }

        if case .array(let allowed)? = keywords["enum"], !allowed.contains(where: { Self.equal($0, instance) }) {
            errors.append("\(path): \(Self.describe(instance)) is not one of \(allowed.map(Self.describe).joined(separator: ", "))")
        }
        if let constant = keywords["const"], !Self.equal(constant, instance) {
            errors.append("\(path): expected \(Self.describe(constant)), got \(Self.describe(instance))")
        }

        if let number = Self.number(instance) {
            if let minimum = keywords["minimum"].flatMap(Self.number), number < minimum {
                errors.append("\(path): \(Self.describe(instance)) is below the minimum \(Self.format(minimum))")
            }
            if let maximum = keywords["maximum"].flatMap(Self.number), number > maximum {
                errors.append("\(path): \(Self.describe(instance)) is above the maximum \(Self.format(maximum))")
            }
        }

        if case .string(let text) = instance {
            let length = text.unicodeScalars.count
            if let minimum = keywords["minLength"].flatMap(Self.number), Double(length) < minimum {
                errors.append("\(path): string of length \(length) is shorter than \(Self.format(minimum))")
            }
            if let maximum = keywords["maxLength"].flatMap(Self.number), Double(length) > maximum {
                errors.append("\(path): string of length \(length) is longer than \(Self.format(maximum))")
            }
            if case .string(let format)? = keywords["format"] {
                let valid =
                    switch format {
                    case "date-time": Self.isDateTime(text)
                    case "date": Self.isDate(text)
                    default: true
                    }
                if !valid { errors.append("\(path): \(Self.describe(instance)) is not a valid \(format)") }
            }
        }

        if case .array(let items) = instance {
            if let minimum = keywords["minItems"].flatMap(Self.number), Double(items.count) < minimum {
                errors.append("\(path): \(items.count) items, fewer than \(Self.format(minimum))")
            }
            if let maximum = keywords["maxItems"].flatMap(Self.number), Double(items.count) > maximum {
                errors.append("\(path): \(items.count) items, more than \(Self.format(maximum))")
            }
            if let itemSchema = keywords["items"] {
                for (index, item) in items.enumerated() {
                    check(item, itemSchema, "\(path)[\(index)]", &errors, depth: depth + 1)
                }
            }
        }

        if case .object(let fields) = instance {
            if case .array(let required)? = keywords["required"] {
                for case .string(let name) in required where fields[name] == nil {
                    errors.append("\(path): missing required property '\(name)'")
                }
            }
            var properties: [String: JSONValue] = [:]
            if case .object(let declared)? = keywords["properties"] { properties = declared }
            for name in fields.keys.sorted() {
                let value = fields[name]!
                let childPath = Self.child(path, name)
                if let propertySchema = properties[name] {
                    check(value, propertySchema, childPath, &errors, depth: depth + 1)
                } else if let additional = keywords["additionalProperties"] {
                    if case .bool(false) = additional {
                        errors.append("\(childPath): property '\(name)' is not allowed")
                    } else {
                        check(value, additional, childPath, &errors, depth: depth + 1)
                    }
                } else if strictObjects, keywords["properties"] != nil {
                    errors.append("\(childPath): property '\(name)' is not described by the schema")
                }
            }
        }

        if case .array(let schemas)? = keywords["allOf"] {
            for subschema in schemas { check(instance, subschema, path, &errors, depth: depth + 1) }
        }
        if case .array(let schemas)? = keywords["anyOf"] {
            let results = schemas.map { validate(instance, against: $0, at: path, depth: depth + 1) }
            if !results.contains(where: \.isEmpty) {
                errors.append("\(path): matches none of anyOf: " + results.map { "[\($0.joined(separator: "; "))]" }.joined(separator: " "))
            }
        }
        if case .array(let schemas)? = keywords["oneOf"] {
            let results = schemas.map { validate(instance, against: $0, at: path, depth: depth + 1) }
            let matching = results.filter(\.isEmpty).count
            if matching == 0 {
                errors.append("\(path): matches none of oneOf: " + results.map { "[\($0.joined(separator: "; "))]" }.joined(separator: " "))
            } else if matching > 1 {
                errors.append("\(path): matches \(matching) schemas of oneOf, not exactly one")
            }
        }
    }

    private func validate(_ instance: JSONValue, against schema: JSONValue, at path: String, depth: Int) -> [String] {
        var errors: [String] = []
        check(instance, schema, path, &errors, depth: depth)
        return errors
    }

    // MARK: - Values

    static func isOfType(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("number", .int), ("number", .double): true
        case ("integer", .int): true
        case ("integer", .double(let number)): number.isFinite && number.rounded() == number
        default: false
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// JSON equality, where `1` and `1.0` are the same number.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = number(a), let y = number(b) { return x == y }
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)): return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .int(let number): "\(number)"
        case .double(let number): format(number)
        case .string(let text): "\"\(text.count > 60 ? text.prefix(60) + "…" : text)\""
        case .array(let items): "an array of \(items.count)"
        case .object: "an object"
        }
    }

    static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    static func child(_ path: String, _ name: String) -> String {
        name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) ? "\(path).\(name)" : "\(path)[\"\(name)\"]"
    }

    // MARK: - Formats (loosely: the shape, and month, day, hour, minute and second in range)

    /// `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let month = Int(parts[1]), let day = Int(parts[2])
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `±HH:MM`.
    static func isDateTime(_ text: String) -> Bool {
        let pieces = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2, isDate(String(pieces[0])) else { return false }
        var time = Substring(pieces[1])
        if time.hasSuffix("Z") || time.hasSuffix("z") {
            time = time.dropLast()
        } else {
            guard time.count > 6 else { return false }
            let zone = time.suffix(6)
            guard zone.first == "+" || zone.first == "-", isClock(zone.dropFirst(), withSeconds: false) else { return false }
            time = time.dropLast(6)
        }
        if let dot = time.firstIndex(of: ".") {
            let fraction = time[time.index(after: dot)...]
            guard !fraction.isEmpty, fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            time = time[..<dot]
        }
        return isClock(time, withSeconds: true)
    }

    private static func isClock(_ text: Substring, withSeconds: Bool) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == (withSeconds ? 3 : 2), parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
            return false
        }
        let numbers = parts.compactMap { Int($0) }
        return numbers[0] < 24 && numbers[1] < 60 && (!withSeconds || numbers[2] <= 60)
    }
}
