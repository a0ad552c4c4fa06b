import Foundation

/// Reading a product CSV: which column holds which field (English and Spanish headers), and each row checked
/// as the API would check it, so that a confirmed import either takes every row or none.
public struct ProductImport: Sendable {
    public enum Field: String, Sendable, CaseIterable, Codable {
        case barcode, name, description, price, cost, quantity
        case minQuantity = "min_quantity"
        case category
        case expirationDate = "expiration_date"
    }

    /// Header spellings each field is recognised by, after folding case, accents, `_` and `-`.
    static let synonyms: [Field: [String]] = [
        .barcode: ["barcode", "bar code", "code", "codigo", "codigo de barras", "ean", "sku", "upc"],
        .name: ["name", "product", "product name", "nombre", "producto", "nombre del producto", "articulo"],
        .description: ["description", "descripcion", "detalle"],
        .price: ["price", "sell price", "sale price", "precio", "precio venta", "precio de venta", "pvp"],
        .cost: ["cost", "buy price", "purchase price", "costo", "coste", "precio compra", "precio de compra"],
        .quantity: ["quantity", "qty", "stock", "in stock", "cantidad", "existencias", "inventario"],
        .minQuantity: ["min quantity", "min stock", "minimum", "minimum stock", "minimo", "stock minimo", "cantidad minima"],
        .category: ["category", "categoria", "rubro"],
        .expirationDate: ["expiration date", "expiration", "expires", "expiry", "vencimiento", "fecha de vencimiento", "caducidad"],
    ]

    public struct RowError: Sendable, Equatable, Encodable {
        /// 1-based line of the file (the header is line 1).
        public var row: Int
        public var field: String?
        public var message: String
    }

    public struct Row: Sendable {
        public var line: Int
        public var fields: CatalogService.ProductFields
    }

    public let headers: [String]
    /// The separator the file was read with: `,`, `;` or a tab.
    public let delimiter: Character
    public let mapping: [Int: Field]
    public let rows: [Row]
    public let errors: [RowError]
    /// The required fields (`name`, `price`) no column fills yet: a preview shows the columns so they can be mapped;
    /// an import refuses.
    public let missing: [Field]

    static let maxRows = 50_000
    /// A product has nine fields, none longer than a few hundred characters: 64 columns and 4 KiB a field leave
    /// room for the other columns a shop's export carries, and bound what one file can make the server do.
    public static let limits = CSV.Limits(records: maxRows + 1, columns: 64, fieldBytes: 4 * 1024, recordBytes: 64 * 1024)
    /// The command line reads a file its operator chose, from disk: a shop system's full export may be wide.
    public static let localLimits = CSV.Limits(records: maxRows + 1, columns: 4_096, fieldBytes: 1024 * 1024, recordBytes: 16 * 1024 * 1024)

    /// Parses `text` with the detected mapping, or `override` (header → field name; `""` ignores a column). Without
    /// a column for `name` and one for `price`: 400 `missing_columns`, or, when `previewing`, no rows and `missing`
    /// saying which. The file is read record by record within `limits` (400 naming the limit past one).
    public init(csv text: String, override: [String: String]? = nil, previewing: Bool = false, limits: CSV.Limits = Self.limits) throws {
        let delimiter = CSV.delimiter(of: text)
        self.delimiter = delimiter
        // `;` files come from spreadsheets that write decimal commas; tab-separated ones may write either, so their
        // mark is decided once from the whole file before any row is read.
        let reading: AmountReading =
            switch delimiter {
            case ";": .comma
            case "\t": .tab(try Self.decimalMark(text, override: override, limits: limits))
            default: .point
            }
        var headers: [String]?
        var mapping: [Int: Field] = [:]
        var missing: [Field] = []
        var rows: [Row] = []
        var errors: [RowError] = []
        var barcodes: [String: Int] = [:]
        try CSV.read(text, limits: limits, delimiter: delimiter) { record, line in
            guard headers != nil else {
                headers = record.map { $0.trimmingCharacters(in: .whitespaces) }
                mapping = try Self.mapping(headers!, override: override)
                missing = [Field.name, .price].filter { !mapping.values.contains($0) }
                if !missing.isEmpty, !previewing { throw ShopError.badRequest("Map a column to 'name' and one to 'price'", code: "missing_columns") }
                return
            }
            // Without both required columns a preview lists no rows (the limits are still checked to the end).
            guard missing.isEmpty else { return }
            do {
                let fields = try Self.fields(record, headers: headers!, mapping: mapping, reading: reading)
                if let barcode = fields.barcode {
                    if let first = barcodes[barcode] {
                        throw ShopError.invalidField("barcode", "barcode \(barcode) is also on line \(first)")
                    }
                    barcodes[barcode] = line
                }
                rows.append(Row(line: line, fields: fields))
            } catch let error as ShopError {
                errors.append(
                    RowError(
                        row: line, field: error.facts["field"].flatMap { if case .string(let f) = $0 { f } else { nil } },
                        message: error.message))
            }
        }
        guard let headers else { throw ShopError.badRequest("The file is empty", code: "empty_file") }
        self.headers = headers
        self.mapping = mapping
        self.missing = missing
        self.rows = rows
        self.errors = errors
    }

    /// Which column holds which field: `override` (header → field name, `""` to ignore), else the headers' names.
    static func mapping(_ headers: [String], override: [String: String]?) throws -> [Int: Field] {
        var mapping: [Int: Field] = [:]
        for (index, name) in headers.enumerated() {
            if let override {
                guard let chosen = override[name] else { continue }
                if chosen.isEmpty { continue }
                guard let field = Field(rawValue: chosen) else {
                    throw ShopError.invalidField(
                        "mapping", "'\(chosen)' is not a product field (\(Field.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                mapping[index] = field
            } else if let field = Self.field(forHeader: name), !mapping.values.contains(field) {
                mapping[index] = field
            }
        }
        return mapping
    }

    /// `price (EUR)`, as Stockroom's own exports name money columns, is `price`; only a currency Stockroom accepts
    /// is taken off, so `Precio (IVA)` (tax included) stays a header of its own.
    static func withoutCurrency(_ header: String) -> String {
        currency(of: header).map { String($0.header) } ?? header
    }

    /// The currency a header ends with, in parentheses (`price (EUR)`), and the header before it.
    static func currency(of header: String) -> (header: Substring, code: String)? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") else { return nil }
        let code = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        guard let valid = Currency.validated(String(code)) else { return nil }
        return (trimmed[..<open], valid)
    }

    /// The currency the file's price or cost header names (`price (USD)`), when one does.
    public var currency: String? {
        mapping.sorted { $0.key < $1.key }.lazy.filter { $0.value == .price || $0.value == .cost }
            .compactMap { Self.currency(of: self.headers[$0.key])?.code }.first
    }

    static func fold(_ header: String) -> String {
        header.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            .split(separator: " ").joined(separator: " ")
    }

    static func field(forHeader header: String) -> Field? {
        let folded = fold(withoutCurrency(header))
        return Field.allCases.first { synonyms[$0]!.contains(folded) || $0.rawValue == folded }
    }

    /// How a file's amounts are read: `;` files write decimal commas; `,` files decimal points (a comma there
    /// separates fields); tab files the mark their values show (`DecimalMark`), nil when none shows one.
    enum AmountReading: Sendable {
        case comma, point
        case tab(DecimalMark?)
    }

    /// The decimal mark a tab-separated file's price and cost values agree on, read in a first pass over `text`.
    static func decimalMark(_ text: String, override: [String: String]?, limits: CSV.Limits) throws -> DecimalMark? {
        var columns: [Int]?
        var shown = Set<DecimalMark>()
        try CSV.read(text, limits: limits, delimiter: "\t") { record, _ in
            guard let money = columns else {
                let mapping = try Self.mapping(record.map { $0.trimmingCharacters(in: .whitespaces) }, override: override)
                columns = mapping.filter { $0.value == .price || $0.value == .cost }.map(\.key)
                return
            }
            for index in money where index < record.count {
                if let mark = DecimalMark.shown(by: record[index]) { shown.insert(mark) }
            }
        }
        return DecimalMark.ofFile(shown)
    }

    static func fields(_ record: [String], headers: [String], mapping: [Int: Field], reading: AmountReading) throws -> CatalogService.ProductFields {
        var fields = CatalogService.ProductFields()
        for (index, field) in mapping {
            let raw = index < record.count ? record[index].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            guard !raw.isEmpty else { continue }
            switch field {
            case .barcode: fields.barcode = raw
            case .name: fields.name = raw
            case .description: fields.description = raw
            case .price: fields.priceCents = try money(raw, field: "price", column: headers[index], reading: reading)
            case .cost: fields.costCents = try money(raw, field: "cost", column: headers[index], reading: reading)
            case .quantity: fields.quantity = try whole(raw, field: "quantity")
            case .minQuantity: fields.minQuantity = try whole(raw, field: "min_quantity")
            case .category: fields.category = .some(raw)
            case .expirationDate: fields.expirationDate = .some(raw)
            }
        }
        guard fields.name != nil else { throw ShopError.missingField("name") }
        guard fields.priceCents != nil else { throw ShopError.missingField("price") }
        try CatalogService.validate(fields)
        return fields
    }

    /// An amount read as `reading` says. In a tab file a value that shows its own mark reads by it; one that could
    /// be either (`1.500`) takes the file's mark, and without one is refused naming the column rather than guessed
    /// (1500 and 1.50 are a thousand times apart).
    static func money(_ raw: String, field: String, column: String, reading: AmountReading) throws -> Int64 {
        var text = String(raw.filter { $0 != "$" && $0 != "€" && !$0.isWhitespace })
        switch reading {
        case .comma: text = DecimalMark.comma.normalized(text)
        case .point: break
        case .tab(let fileMark):
            let ambiguous = DecimalMark.isAmbiguous(raw)
            guard let mark = ambiguous ? fileMark : DecimalMark.shown(by: raw) ?? .point else {
                let whole = DecimalMark.digits(raw).filter(\.isNumber)
                let small = Double(DecimalMark.digits(raw).replacingOccurrences(of: ",", with: ".")) ?? 0
                throw ShopError.invalidField(
                    field,
                    """
                    \(field) '\(raw)' in column '\(column)' could be \(whole) or \(small): no other amount in the file shows \
                    whether it marks decimals with a point or a comma; write it without the thousands mark (\(whole))
                    """)
            }
            text = mark.normalized(text)
        }
        guard let value = Double(text) else { throw ShopError.invalidField(field, "\(field) '\(raw)' is not an amount") }
        return try Money.cents(value, field: field)
    }

    static func whole(_ raw: String, field: String) throws -> Int64 {
        guard let value = Int64(raw) else { throw ShopError.invalidField(field, "\(field) '\(raw)' is not a whole number") }
        return value
    }
}
