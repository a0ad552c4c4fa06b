import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Tab-separated files ("Unicode text" from Excel) write amounts with the decimal mark of the machine's language:
/// the file's mark is decided from the values that show it, and a file whose values could be either is refused.
@Suite("Decimal marks of tab-separated files")
struct DecimalMarkTests {
    func prices(_ parsed: ProductImport) -> [Int64?] { parsed.rows.map(\.fields.priceCents) }

    @Test("Spanish Excel's tab file: 1.500,25 shows decimal commas, so 1.500 is fifteen hundred")
    func spanish() throws {
        let parsed = try ProductImport(csv: "Código\tNombre\tPrecio\tCoste\nA\tJamón\t1.500,25\t900\nB\tQueso\t1.500\t2,5\n")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(prices(parsed) == [150_025, 150_000])
        #expect(parsed.rows.map(\.fields.costCents) == [90_000, 250])
    }

    @Test("an English tab file: 1,500.25 shows decimal points, so 1,500 is fifteen hundred")
    func english() throws {
        let parsed = try ProductImport(csv: "barcode\tname\tprice\nA\tHam\t1,500.25\nB\tCheese\t1,500\nC\tBread\t2.5\n")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(prices(parsed) == [150_025, 150_000, 250])
        // the cost column alone may show the mark
        let byCost = try ProductImport(csv: "name\tprice\tcost\nHam\t1.500\t7,25\n")
        #expect(prices(byCost) == [150_000])
    }

    @Test("a file whose amounts could all be either refuses those rows, naming the column")
    func ambiguous() throws {
        let parsed = try ProductImport(csv: "name\tPrecio\nHam\t1.500\nCheese\t12,000\nBread\t3\n", previewing: true)
        #expect(prices(parsed) == [300])
        #expect(parsed.errors.map(\.row) == [2, 3])
        #expect(parsed.errors.allSatisfy { $0.field == "price" })
        #expect(parsed.errors.first?.message.contains("price '1.500' in column 'Precio' could be 1500 or 1.5") == true, "\(parsed.errors)")
        // values that disagree decide nothing: the ones that show a mark read by it, the ambiguous one is refused
        let mixed = try ProductImport(csv: "name\tprice\nA\t1.500,25\nB\t2.5\nC\t1.500\n")
        #expect(prices(mixed) == [150_025, 250])
        #expect(mixed.errors.map(\.row) == [4])
    }

    @Test("each value says what it can: both marks, a repeated mark, a mark not followed by three digits")
    func shown() {
        #expect(DecimalMark.shown(by: "1.500,25") == .comma && DecimalMark.shown(by: "1,500.25") == .point)
        #expect(DecimalMark.shown(by: "1.500.000") == .comma && DecimalMark.shown(by: "2,5") == .comma)
        #expect(DecimalMark.shown(by: "1500.250") == .point && DecimalMark.shown(by: "1.5000") == .point)
        #expect(DecimalMark.shown(by: "1.500") == nil && DecimalMark.shown(by: "€ 12,000") == nil && DecimalMark.shown(by: "15") == nil)
        #expect(DecimalMark.isAmbiguous("-1.500") && !DecimalMark.isAmbiguous("1500.250") && !DecimalMark.isAmbiguous("1.50"))
    }

    @Test("semicolon and comma files keep their marks")
    func otherSeparators() throws {
        #expect(prices(try ProductImport(csv: "nombre;precio\nJamón;1.500\n")) == [150_000])
        #expect(prices(try ProductImport(csv: "name,price\nHam,1.500\n")) == [150])
    }
}
