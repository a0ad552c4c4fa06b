import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Money headers carry the export's currency (`price (EUR)`): the import reads it back, and only a currency.
@Suite("Currencies in imported headers")
struct ImportCurrencyTests {
    @Test("only a currency code is taken off a header: `Precio (IVA)` is not the price column")
    func onlyCurrencies() throws {
        let spanish = try ProductImport(csv: "nombre;Precio (IVA);precio\nJamón;1;2\n")
        #expect(spanish.mapping[1] == nil && spanish.mapping[2] == .price)
        #expect(spanish.rows.first?.fields.priceCents == 200 && spanish.currency == nil)
        let exported = try ProductImport(csv: "barcode,name,price (usd),cost (USD)\nA,Ham,2,1\n")
        #expect(exported.mapping[2] == .price && exported.mapping[3] == .cost && exported.currency == "USD")
        // a three-letter word that is no currency, or one without cents, stays in the header
        #expect(ProductImport.field(forHeader: "price (JPY)") == nil && ProductImport.field(forHeader: "price (EUR)") == .price)
    }

    @Test("the preview warns when the file's currency is not the company's", arguments: Engine.allCases)
    func warnsOnOtherCurrency(_ engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            func upload(_ csv: String) async throws -> [String: JSONValue] {
                var headers = owner.headers
                headers[.contentType] = "text/csv"
                return try await client.execute(uri: "/api/import/products", method: .post, headers: headers, body: ByteBuffer(string: csv)).json()
            }
            let company = try await client.call(.get, "/api/settings/company", as: owner).json()["currency"]
            #expect(company == .string("EUR"))
            let dollars = try await upload("barcode,name,price (USD)\nA,Ham,5\n")
            #expect(dollars["currency"] == .string("USD"), "\(dollars)")
            let warning = dollars["warnings"]?.array.first
            #expect(warning?["code"] == .string("currency_differs") && dollars["warnings"]?.array.count == 1, "\(dollars)")
            #expect(
                warning?["message"]
                    == .string("The file's amounts are in USD and your company sells in EUR; they are imported as they are, not converted"))
            // mapping again keeps the warning
            guard case .int(let id)? = dollars["id"] else { throw ClusterError("\(dollars)") }
            let again = try await client.call(.post, "/api/import/products/\(id)/preview", as: owner).json()
            #expect(again["warnings"]?.array.first?["code"] == .string("currency_differs"))

            let euros = try await upload("barcode,name,price (EUR)\nB,Ham,5\n")
            #expect(euros["currency"] == .string("EUR") && euros["warnings"] == .array([]), "\(euros)")
            let none = try await upload("barcode,name,price\nC,Ham,5\n")
            #expect(none["currency"] == nil && none["warnings"] == .array([]), "\(none)")
        }
    }
}
