/// A one-line progress bar for long command-line work: `[#########-----------]  45%  4500/10000`.
public enum ProgressBar {
    public static func render(done: Int, total: Int, width: Int = 30) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int((fraction * Double(width)).rounded(.down))
        let percent = Int((fraction * 100).rounded(.down))
        let padded = String(repeating: " ", count: max(0, 3 - String(percent).count)) + String(percent)
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(padded)%  \(done)/\(total)"
    }
}
