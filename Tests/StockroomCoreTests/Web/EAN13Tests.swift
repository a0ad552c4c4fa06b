import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The label sheet's EAN-13 drawing against the GS1 tables, typed out here from the specification rather than
/// derived the way the encoder derives them.
@Suite("EAN-13 barcodes")
struct EAN13Tests {
    static let setL = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
    static let setG = ["0100111", "0110011", "0011011", "0100001", "0011101", "0111001", "0000101", "0010001", "0001001", "0010111"]
    static let setR = ["1110010", "1100110", "1101100", "1000010", "1011100", "1001110", "1010000", "1000100", "1001000", "1110100"]

    @Test("known codes are accepted by their check digit; a wrong check digit, letters or another length are not")
    func checkDigit() {
        for code in ["4006381333931", "5901234123457", "9780201379624", "2000000000008", "0012345678905"] {
            #expect(EAN13(code) != nil, "\(code)")
        }
        for code in ["4006381333932", "590123412345", "59012341234570", "ABC1234567890", "400638133393١"] {
            #expect(EAN13(code) == nil, "\(code)")
        }
    }

    @Test("the first digit chooses L or G for the left half; the right half is R; guards at 0, 45 and 92")
    func patterns() throws {
        // 4006381333931: first digit 4 → L G L L G G
        let code = try #require(EAN13("4006381333931"))
        let modules = Array(code.modules)
        #expect(modules.count == 95)
        func slice(_ from: Int, _ length: Int) -> String { String(modules[from..<from + length]) }
        #expect(slice(0, 3) == "101" && slice(45, 5) == "01010" && slice(92, 3) == "101")
        let left = [Self.setL[0], Self.setG[0], Self.setL[6], Self.setL[3], Self.setG[8], Self.setG[1]]
        #expect((0..<6).map { slice(3 + $0 * 7, 7) } == left)
        #expect((0..<6).map { slice(50 + $0 * 7, 7) } == [3, 3, 3, 9, 3, 1].map { Self.setR[$0] })
        // 5901234123457 (first digit 5 → L G G L L G), and a leading 0 is all L (UPC-A read as EAN-13)
        let other = Array(try #require(EAN13("5901234123457")).modules)
        #expect(String(other[3..<10]) == Self.setL[9] && String(other[10..<17]) == Self.setG[0] && String(other[17..<24]) == Self.setG[1])
        let upc = Array(try #require(EAN13("0012345678905")).modules)
        let upcLeft: [String] = (0..<6).map { (digit: Int) -> String in String(upc[(3 + digit * 7)..<(10 + digit * 7)]) }
        let allL: [String] = [0, 1, 2, 3, 4, 5].map { Self.setL[$0] }
        #expect(upcLeft == allL)
    }

    @Test("the SVG leaves the quiet zones blank and draws exactly the bars of the modules")
    func svg() throws {
        let code = try #require(EAN13("2000000000008"))
        let svg = code.svg
        #expect(svg.contains(#"viewBox="0 0 113 65""#), "11 + 95 + 7 modules wide")
        // printed 30 mm wide whatever the label's height allows (the bars shorten, the modules keep their width)
        #expect(svg.contains(#"preserveAspectRatio="none""#))
        // Rebuild the modules from the rectangles: every bar inside 11..<106, and together they are the pattern.
        var drawn = Array(repeating: Character("0"), count: 113)
        for match in svg.matches(of: /<rect x="(\d+)" y="0" width="(\d+)"/) {
            let x = Int(match.output.1)!
            let width = Int(match.output.2)!
            for index in x..<x + width { drawn[index] = "1" }
        }
        #expect(String(drawn[0..<EAN13.quietLeft]) == String(repeating: "0", count: 11))
        #expect(String(drawn[106...]) == String(repeating: "0", count: 7))
        #expect(String(drawn[11..<106]) == code.modules)
        #expect(svg.contains(">2</text>") && svg.contains(">000000</text>") && svg.contains(">000008</text>"))
    }
}
