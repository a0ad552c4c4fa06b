import Foundation

/// Charts for the staff pages, drawn on the server as inline SVG: no script, no external files, and they print.
/// Each chart is a `viewBox` that scales to its card, names itself for screen readers (`role="img"` with a `<title>`),
/// and gives every point, bar and cell its own `<title>` as a tooltip. All text is XML-escaped here, which is what
/// lets a template embed a chart unescaped (`{{{chart}}}`); nothing else may be embedded that way.
enum SVGChart {
    /// The stylesheet's palette (`app.css`), as presentation attributes so that a chart keeps its colours anywhere;
    /// on the pages, `app.css` repaints these exact values with the theme's colours (dark mode).
    enum Palette {
        static let accent = "#0b6e4f", ink = "#1d2430", muted = "#5b6473", line = "#d9dee6", empty = "#eef1f5"
    }

    /// One point of a line chart: its tooltip label, its shorter axis label, its value and the previous period's.
    /// A nil value is a day without data (the shop was not trading yet): a gap in the line, never a zero.
    struct Point {
        let label, axis: String
        let value: Double?
        var previous: Double?
    }

    /// One bar: its axis label, its value, the value as the reader sees it, and a tooltip (`label: text` unless given).
    struct Bar {
        let label: String
        let value: Double
        let text: String
        var tooltip: String?
    }

    /// The height of the columns' plot area: a column of the axis's top value is this tall.
    static let columnPlotHeight = 150.0

    /// A day-by-day line with the area beneath it; the previous period as a dashed line when `previous` is given.
    /// `narrow` draws it for a phone's width: the same data in a smaller box, so that its text stays readable.
    static func line(
        title: String, points: [Point], previousLabel: String, narrow: Bool = false, format: (Double) -> String, axis: (Double) -> String = compact
    ) -> String {
        let (width, height, font) = narrow ? (360.0, 220.0, 12) : (960.0, 280.0, 16)
        let plot = Plot(left: narrow ? 44 : 72, top: 12, right: width - (narrow ? 16 : 24), bottom: height - (narrow ? 30 : 40))
        let hasPrevious = points.contains { $0.previous != nil }
        let scale = Scale(points.compactMap(\.value) + points.compactMap(\.previous), integer: false)
        func x(_ index: Int) -> Double {
            points.count > 1 ? plot.left + Double(index) * plot.width / Double(points.count - 1) : plot.left + plot.width / 2
        }
        func y(_ value: Double) -> Double { plot.bottom - scale.fraction(value) * plot.height }
        var svg = start(title, width, height, font: font, kind: narrow ? "line chart-narrow" : "line chart-wide") + yAxis(scale, plot, axis)
        let every = max(1, Int((Double(points.count) / (narrow ? 4 : 8)).rounded(.up)))
        for index in stride(from: 0, to: points.count, by: every) {
            svg += text(points[index].axis, x: x(index), y: plot.bottom + (narrow ? 18 : 24), anchor: "middle")
        }
        guard !points.isEmpty else { return svg + "</svg>" }
        func coordinates(_ run: [(index: Int, value: Double)]) -> String {
            run.map { "\(number(x($0.index))),\(number(y($0.value)))" }.joined(separator: " ")
        }
        if hasPrevious {
            for run in runs(points.map(\.previous)) {
                svg +=
                    #"<polyline class="chart-previous" points="\#(coordinates(run))" fill="none" stroke="\#(Palette.muted)" stroke-width="2" "#
                    + #"stroke-dasharray="6 5"><title>\#(escape(previousLabel))</title></polyline>"#
            }
        }
        for run in runs(points.map(\.value)) {
            let line = coordinates(run)
            let (first, last) = (run[0].index, run[run.count - 1].index)
            let area = "M\(number(x(first))),\(number(plot.bottom)) L\(line) L\(number(x(last))),\(number(plot.bottom)) Z"
            svg += #"<path d="\#(area)" fill="\#(Palette.accent)" fill-opacity="0.12"/>"#
            svg +=
                #"<polyline class="chart-current" points="\#(line)" fill="none" stroke="\#(Palette.accent)" "#
                + #"stroke-width="3" stroke-linejoin="round"/>"#
        }
        let radius = points.count > 92 || narrow ? "2" : "4"
        for (index, point) in points.enumerated() {
            guard let value = point.value else { continue }
            let tip = "\(point.label): \(format(value))" + (point.previous.map { " · \(previousLabel): \(format($0))" } ?? "")
            svg +=
                #"<circle cx="\#(number(x(index)))" cy="\#(number(y(value)))" r="\#(radius)" fill="\#(Palette.accent)">"#
                + "<title>\(escape(tip))</title></circle>"
        }
        return svg + "</svg>"
    }

    /// Bars along the x axis, one per item, from the left edge; the label on the left (on two lines when long), the
    /// value at the bar's end — the bar is shortened when a long amount would otherwise run out of the card.
    static func horizontalBars(title: String, bars: [Bar]) -> String {
        let (width, row, labelWidth, valueWidth) = (360.0, 26.0, 128.0, 58.0)
        let labels = bars.map { wrapped($0.label, 18) }
        let rows = labels.map { $0.count > 1 ? row + 10 : row }
        let height = rows.reduce(0, +) + 8
        let top = bars.map(\.value).filter(\.isFinite).max() ?? 0
        var svg = start(title, width, max(height, row + 8), font: 12, kind: "bars")
        var y = 4.0
        for (index, bar) in bars.enumerated() {
            let size = rows[index]
            let scaled = top > 0 && bar.value.isFinite ? max(bar.value, 0) / top * (width - labelWidth - valueWidth) : 0
            let length = max(min(scaled, width - labelWidth - 8 - textWidth(bar.text)), 0)
            let lines = labels[index]
            svg += "<g><title>\(escape(bar.tooltip ?? "\(bar.label): \(bar.text)"))</title>"
            for (place, line) in lines.enumerated() {
                svg += text(line, x: labelWidth - 8, y: y + size / 2 + (Double(place) - Double(lines.count - 1) / 2) * 14, anchor: "end")
            }
            svg +=
                #"<rect x="\#(number(labelWidth))" y="\#(number(y + (size - row) / 2 + 4))" width="\#(number(length))" "#
                + #"height="\#(number(row - 8))" rx="3" fill="\#(Palette.accent)"/>"#
                + text(bar.text, x: labelWidth + length + 6, y: y + size / 2, anchor: "start", fill: Palette.muted) + "</g>"
            y += size
        }
        return svg + "</svg>"
    }

    /// About how wide `text` is at 12 px (digits and most letters are narrower than 7 px): enough to keep it inside.
    static func textWidth(_ text: String) -> Double {
        Double(text.count) * 7
    }

    /// `text` on at most two lines of `length` characters, broken between words where it can; only what does not
    /// fit on two lines is cut (the bar's tooltip keeps the whole name).
    static func wrapped(_ text: String, _ length: Int) -> [String] {
        guard text.count > length else { return [text] }
        var first = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let next = first.isEmpty ? String(word) : first + " " + word
            guard next.count <= length else { break }
            first = next
        }
        if first.isEmpty { first = String(text.prefix(length)) }
        let rest = text.dropFirst(first.count).drop { $0 == " " }
        return rest.isEmpty ? [first] : [first, truncated(String(rest), length)]
    }

    /// The unbroken stretches of values (indices kept), so that a missing value is a gap.
    static func runs(_ values: [Double?]) -> [[(index: Int, value: Double)]] {
        var runs: [[(index: Int, value: Double)]] = []
        var current: [(index: Int, value: Double)] = []
        for (index, value) in values.enumerated() {
            if let value {
                current.append((index, value))
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Columns over a value axis, one per item; every `labelEvery`-th item is labelled beneath.
    static func columns(title: String, bars: [Bar], labelEvery: Int = 1, integer: Bool = false, axis: (Double) -> String = compact) -> String {
        let width = 360.0
        let plot = Plot(left: 40, top: 10, right: width - 6, bottom: 10 + columnPlotHeight)
        let scale = Scale(bars.map(\.value), integer: integer)
        let slot = plot.width / Double(max(bars.count, 1))
        var svg = start(title, width, plot.bottom + 26, font: 12, kind: "columns") + yAxis(scale, plot, axis)
        for (index, bar) in bars.enumerated() {
            let size = scale.fraction(bar.value) * plot.height
            let x = plot.left + Double(index) * slot
            svg +=
                "<g><title>\(escape(bar.tooltip ?? "\(bar.label): \(bar.text)"))</title>"
                + #"<rect x="\#(number(x + slot * 0.15))" y="\#(number(plot.bottom - size))" width="\#(number(slot * 0.7))" "#
                + #"height="\#(number(size))" rx="2" fill="\#(Palette.accent)"/>"#
            if index % max(labelEvery, 1) == 0 { svg += text(bar.label, x: x + slot / 2, y: plot.bottom + 16, anchor: "middle") }
            svg += "</g>"
        }
        return svg + "</svg>"
    }

    /// A grid of counts (rows × columns) shaded from empty to the accent colour, with a scale beneath it.
    static func heatmap(
        title: String, rows: [String], columns: [String], values: [[Int64]], labelEvery: Int = 3, tooltip: (Int, Int, Int64) -> String
    ) -> String {
        let (left, cellWidth, cellHeight) = (36.0, 13.0, 18.0)
        let width = left + Double(columns.count) * cellWidth + 8
        let gridBottom = 4 + Double(rows.count) * cellHeight
        let top = values.joined().max() ?? 0
        func shade(_ value: Int64) -> String {
            guard value > 0, top > 0 else { return #"fill="\#(Palette.empty)""# }
            return #"fill="\#(Palette.accent)" fill-opacity="\#(number(0.15 + 0.85 * Double(value) / Double(top), places: 2))""#
        }
        var svg = start(title, width, gridBottom + 46, font: 11, kind: "heatmap")
        for (row, name) in rows.enumerated() {
            let y = 4 + Double(row) * cellHeight
            svg += text(name, x: left - 6, y: y + cellHeight / 2 - 1, anchor: "end")
            for column in columns.indices {
                let value = row < values.count && column < values[row].count ? values[row][column] : 0
                svg +=
                    #"<rect x="\#(number(left + Double(column) * cellWidth))" y="\#(number(y))" width="\#(number(cellWidth - 2))" "#
                    + #"height="\#(number(cellHeight - 2))" rx="2" \#(shade(value))><title>\#(escape(tooltip(row, column, value)))</title></rect>"#
            }
        }
        for (column, name) in columns.enumerated() where column % max(labelEvery, 1) == 0 {
            svg += text(name, x: left + Double(column) * cellWidth + (cellWidth - 2) / 2, y: gridBottom + 14, anchor: "middle")
        }
        // the scale: from none to the busiest cell
        let legendY = gridBottom + 26
        svg += text("0", x: left - 6, y: legendY + 6, anchor: "end")
        for step in 0..<5 {
            let opacity = number(0.15 + 0.2125 * Double(step), places: 2)
            let fill = step == 0 ? #"fill="\#(Palette.empty)""# : #"fill="\#(Palette.accent)" fill-opacity="\#(opacity)""#
            svg += #"<rect x="\#(number(left + Double(step) * 14))" y="\#(number(legendY))" width="12" height="12" rx="2" \#(fill)/>"#
        }
        return svg + text(String(top), x: left + 76, y: legendY + 6, anchor: "start") + "</svg>"
    }

    // MARK: - Parts

    /// Text for XML: the five special characters as entities, and the control characters XML forbids dropped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A number with at most `places` decimals and a dot, whatever the machine's locale; never `nan`, `inf` or `-0`.
    static func number(_ value: Double, places: Int = 1) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "0" }
        var factor: Int64 = 1
        for _ in 0..<max(places, 0) { factor *= 10 }
        let scaled = Int64((value * Double(factor)).rounded())
        guard scaled != 0 else { return "0" }
        let whole = String(abs(scaled) / factor)
        var fraction = String(abs(scaled) % factor)
        fraction = String(repeating: "0", count: max(places - fraction.count, 0)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (scaled < 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// An axis value, short: 950, 12.5, 12.5k, 1.2M.
    static func compact(_ value: Double) -> String {
        switch abs(value) {
        case 1_000_000...: number(value / 1_000_000) + "M"
        case 10_000...: number(value / 1_000) + "k"
        default: number(value, places: 2)
        }
    }

    static func truncated(_ text: String, _ length: Int) -> String {
        text.count > length ? String(text.prefix(length - 1)) + "…" : text
    }

    private static func start(_ title: String, _ width: Double, _ height: Double, font: Int, kind: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-\#(kind)" viewBox="0 0 \#(number(width)) \#(number(height))" "#
            + #"role="img" aria-label="\#(escape(title))" font-size="\#(font)" fill="\#(Palette.ink)"><title>\#(escape(title))</title>"#
    }

    private static func text(_ content: String, x: Double, y: Double, anchor: String, fill: String? = nil) -> String {
        #"<text x="\#(number(x))" y="\#(number(y))" dy="0.35em" text-anchor="\#(anchor)""#
            + (fill.map { #" fill="\#($0)""# } ?? "") + ">\(escape(content))</text>"
    }

    /// Grid lines across the plot at each tick, labelled on the left.
    private static func yAxis(_ scale: Scale, _ plot: Plot, _ axis: (Double) -> String) -> String {
        var svg = ""
        for tick in 0...scale.ticks {
            let value = Double(tick) * scale.step
            let y = plot.bottom - scale.fraction(value) * plot.height
            svg +=
                #"<line x1="\#(number(plot.left))" y1="\#(number(y))" x2="\#(number(plot.right))" y2="\#(number(y))" "#
                + #"stroke="\#(tick == 0 ? Palette.muted : Palette.line)" stroke-width="1"/>"#
                + text(axis(value), x: plot.left - 8, y: y, anchor: "end", fill: Palette.muted)
        }
        return svg
    }

    private struct Plot {
        let left, top, right, bottom: Double
        var width: Double { right - left }
        var height: Double { bottom - top }
    }

    /// A value axis from zero to a round number at or above the largest value, in at most about five steps; from 0
    /// to 1 when there is nothing above zero, so that an empty period still draws and never divides by zero.
    struct Scale {
        let step: Double
        let ticks: Int
        var top: Double { step * Double(ticks) }

        init(_ values: [Double], integer: Bool) {
            let largest = values.filter(\.isFinite).max() ?? 0
            guard largest > 0 else {
                (step, ticks) = (1, 1)
                return
            }
            let rough = largest / 4
            let magnitude = pow(10, (log10(rough)).rounded(.down))
            let nice = [1, 2, 2.5, 5, 10].first { rough <= $0 * magnitude * (1 + 1e-9) && !(integer && $0 == 2.5 && magnitude < 10) } ?? 10
            let chosen = integer ? max((nice * magnitude).rounded(), 1) : nice * magnitude
            step = chosen
            ticks = max(Int((largest / chosen * (1 - 1e-9)).rounded(.up)), 1)
        }

        func fraction(_ value: Double) -> Double {
            guard value.isFinite, top > 0 else { return 0 }
            return min(max(value / top, 0), 1)
        }
    }
}
