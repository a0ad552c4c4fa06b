/// An EAN-13 barcode as bars, drawn by the server as SVG for the label sheet. Stockroom's own in-store codes
/// (`Barcode.generate`) are EAN-13; any other code is printed as text, since drawing it as EAN would scan wrong.
public struct EAN13: Sendable, Equatable {
    /// The 13 digits, the check digit last.
    public let digits: [Int]

    /// Only 13 digits whose last one is their check digit; nil for anything else (a supplier's "ABC-1", a UPC-A).
    public init?(_ code: String) {
        let digits = code.compactMap(\.wholeNumberValue)
        guard code.count == 13, digits.count == 13, code.allSatisfy(\.isASCII),
            Barcode.checkDigit(String(code.prefix(12))) == digits[12]
        else { return nil }
        self.digits = digits
    }

    /// The left-hand "odd" set (L); R is its complement and G (even) the reverse of R.
    static let left = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
    static let right = left.map { String($0.map { $0 == "0" ? Character("1") : Character("0") }) }
    static let even = right.map { String($0.reversed()) }
    /// The first digit is not drawn as bars: it chooses L or G for each of the six digits on the left.
    static let parity = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]
    /// The blank modules a scanner needs either side (GS1: at least 11 on the left, 7 on the right).
    public static let quietLeft = 11, quietRight = 7

    /// The 95 modules from the start guard to the end guard, "1" for a bar.
    public var modules: String {
        let pattern = Array(Self.parity[digits[0]])
        let leftHalf = (1...6).map { index in pattern[index - 1] == "L" ? Self.left[digits[index]] : Self.even[digits[index]] }
        let rightHalf = (7...12).map { Self.right[digits[$0]] }
        return "101" + leftHalf.joined() + "01010" + rightHalf.joined() + "101"
    }

    /// The code as an SVG: one rectangle per run of bars, guard bars longer, the digits beneath as people read them
    /// (the first in the left quiet zone). Sized in modules, so it scales to the label it is printed on.
    public var svg: String {
        let width = Self.quietLeft + 95 + Self.quietRight
        let barHeight = 50
        let guardHeight = 55
        var bars = ""
        var start: Int?
        let bits = Array(modules)
        for index in 0...bits.count {
            let dark = index < bits.count && bits[index] == "1"
            if dark, start == nil { start = index }
            if !dark, let first = start {
                // The start, middle and end guards run down between the digits.
                let isGuard = first < 3 || (first >= 45 && first < 50) || first >= 92
                bars += #"<rect x="\#(Self.quietLeft + first)" y="0" width="\#(index - first)" height="\#(isGuard ? guardHeight : barHeight)"/>"#
                start = nil
            }
        }
        let text = digits.map(String.init)
        let font = #"font-family="monospace" font-size="9" text-anchor="middle""#
        let labels =
            #"<text x="\#(Self.quietLeft - 5)" y="63" \#(font)>\#(text[0])</text>"#
            + #"<text x="\#(Self.quietLeft + 24)" y="63" \#(font) textLength="38">\#(text[1...6].joined())</text>"#
            + #"<text x="\#(Self.quietLeft + 71)" y="63" \#(font) textLength="38">\#(text[7...12].joined())</text>"#
        // Stretched to the box print CSS gives it (`preserveAspectRatio="none"`): a printed code must be at least 80 %
        // of the standard's 37.29 mm wide (GS1: modules of 0.264 mm) to scan, and a label has no room for bars that tall,
        // so the bars are shortened, as in-store codes may be, rather than the code narrowed.
        return
            #"<svg xmlns="http://www.w3.org/2000/svg" class="ean13" viewBox="0 0 \#(width) 65" preserveAspectRatio="none" role="img" aria-label="EAN-13 \#(text.joined())" "#
            + #"data-modules="\#(self.modules)" shape-rendering="crispEdges"><g fill="currentColor">\#(bars)\#(labels)</g></svg>"#
    }
}
