/// Barcodes for products that arrive without one: EAN-13 in the 20–29 range GS1 reserves for in-store numbering,
/// so they scan like any label and never clash with a manufacturer's code.
public enum Barcode {
    public static func generate(companyID: Int64, isTaken: (String) async throws -> Bool) async throws -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let body = "2" + String((0..<11).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
            let code = body + String(checkDigit(body))
            if try await !isTaken(code) { return code }
        }
    }

    /// The EAN-13 check digit of 12 digits.
    public static func checkDigit(_ digits: String) -> Int {
        let sum = digits.compactMap(\.wholeNumberValue).enumerated().reduce(0) { $0 + $1.element * ($1.offset % 2 == 0 ? 1 : 3) }
        return (10 - sum % 10) % 10
    }
}
