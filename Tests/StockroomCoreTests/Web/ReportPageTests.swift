import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The metrics page over HTTP: who may see it, the API's validation as error pages, charts drawn from real sales.
@Suite("Report page")
struct ReportPageTests {
    @Test("an owner sees KPIs and SVG charts after a sale; product names are escaped inside the charts")
    func ownerSeesCharts() async throws {
        try await ShopWorld.run { client, world in
            // setup
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "TEA", name: #"<b>Tea & \"Co\"</b>"#, quantity: 10, price: 4.25, cost: 2)
            let sold = try await client.call(.post, "/api/sales", as: owner, json: #"{"barcode": "TEA", "quantity": 2}"#)
            try #require(sold.status == .created, "\(sold.text)")

            // act
            let response = try await client.execute(uri: "/reports?period=7", method: .get, headers: Self.cookie(owner))
            let html = String(buffer: response.body)

            // check
            #expect(response.status == .ok && response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(html.contains(#"<option value="7" selected>Last 7 days</option>"#))
            #expect(html.contains(#"<strong class="metrics-kpi-value">€8.50</strong>"#), "revenue 2 × 4.25")
            #expect(html.contains(#"<option value="">All stores</option>"#) || html.contains(#"<option value="" selected>All stores</option>"#))
            for kind in ["line", "bars", "columns", "heatmap"] {
                #expect(html.contains(#"class="chart chart-\#(kind)"#), "the \(kind) chart")
            }
            #expect(html.contains(#"role="img" aria-label="Best sellers (units sold; bars show takings)""#))
            let topProducts = try #require(Self.svg(in: html, label: "Best sellers (units sold; bars show takings)"))
            #expect(topProducts.contains("&lt;b&gt;Tea &amp; &quot;Co&quot;&lt;/b&gt;"), "the name, escaped, in the chart")
            #expect(!html.contains("<b>Tea"), "never the raw tag, anywhere on the page")
            #expect(!html.contains("NaN") && !html.contains("nan\"") && !html.contains("inf\""))
            #expect(html.contains("is the best seller: 2 units sold for €8.50."))
        }
    }

    @Test("a vendor gets a 403 page, a bad period a 400 page, a visitor the sign-in page")
    func refusals() async throws {
        try await ShopWorld.run { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let forbidden = try await client.execute(uri: "/reports", method: .get, headers: Self.cookie(vendor))
            #expect(forbidden.status == .forbidden && forbidden.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: forbidden.body).contains("Your role cannot open this page"))

            let owner = try await client.signIn(world.ownerA)
            for query in ["period=0", "period=abc", "from=2025-13-01", "period=7&from=2025-01-01"] {
                let bad = try await client.execute(uri: "/reports?\(query)", method: .get, headers: Self.cookie(owner))
                let page = String(buffer: bad.body)
                #expect(bad.status == .badRequest && page.contains("<!doctype html>") && page.contains("Check what you sent"), "\(query)")
            }
            #expect(
                String(buffer: try await client.execute(uri: "/reports?period=0", method: .get, headers: Self.cookie(owner)).body)
                    .contains("Query parameter &#39;period&#39; must be a whole number from 1 to 3660"))

            let visitor = try await client.execute(uri: "/reports?period=30", method: .get)
            #expect(visitor.status == .found && visitor.headers[.location] == "/login?next=/reports%3Fperiod%3D30")
        }
    }

    @Test("Spanish strings with Accept-Language: es; an empty period draws without sales")
    func spanishAndEmpty() async throws {
        try await ShopWorld.run { client, world in
            let admin = try await client.signIn(world.adminA1)
            var headers = Self.cookie(admin)
            headers[.acceptLanguage] = "es-ES,es;q=0.9"
            let response = try await client.execute(uri: "/reports", method: .get, headers: headers)
            let html = String(buffer: response.body)
            #expect(response.status == .ok && html.contains(#"<html lang="es" "#))
            for text in ["Métricas", "Ingresos", "Ticket medio", "Últimos 30 días", "Ventas por día y hora", "No hubo ventas en este periodo."] {
                #expect(html.contains(text), "\(text)")
            }
            #expect(!html.contains("Last 30 days") && !html.contains(#"name="store_id""#), "an admin has no store choice")
            #expect(!html.contains("NaN") && !html.contains("nan\"") && !html.contains("inf\""))
        }
    }

    @Test("the API's hand-computed numbers: changes with arrows, the previous period dashed, the dates and store kept")
    func comparedPeriods() async throws {
        try await ShopWorld.run(environment: ReportTests.zone) { client, world in
            // setup: the report tests' shop, 1–3 Nov 2025 against 29–31 Oct
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let shop = try await Fixture.make(client, world, owner: owner, vendor: vendor)
            try await shop.backdate(world.database)
            // The shop's first sale before both periods (and outside them): the previous period is a fair comparison.
            // (Without it the shop opened inside the previous period: `PageLookBrowserTests.youngShopClaimsNoChange`.)
            let first = try await PageLookBrowserTests.sell(client, vendor, [(shop.cake, 1)])
            let before = try Date("2025-10-20T12:00:00Z", strategy: .iso8601).unixMilliseconds
            try await world.database.withTransaction {
                try await $0.db.raw("UPDATE sales SET created_at = \(bind: before) WHERE id = \(bind: first)").run()
            }
            try await Fixture.rebuild(world.database)

            // act
            let uri = "/reports?from=2025-11-01&to=2025-11-03&store_id=\(world.storeA1)"
            let html = String(buffer: try await client.execute(uri: uri, method: .get, headers: Self.cookie(owner)).body)

            // check
            let revenue = try #require(Self.element(in: html, id: "kpi-revenue"))
            #expect(revenue.contains(">€65.00<") && revenue.contains(#"<span aria-hidden="true">▲</span> 116.7 %"#))
            #expect(revenue.contains("metrics-up") && revenue.contains("Previous period: €30.00"))
            let ticket = try #require(Self.element(in: html, id: "kpi-avg-ticket"))
            #expect(ticket.contains(">€16.25<") && ticket.contains(#"<span aria-hidden="true">▼</span> 45.8 %"#) && ticket.contains("metrics-down"))
            #expect(html.contains("Revenue is up 116.7 % on the previous 3 days."))
            #expect(html.contains(#"class="chart-previous""#) && html.contains("<title>2025-11-02: €20.00 · Previous period: €30.00</title>"))
            #expect(html.contains("2025-11-01 to 2025-11-03 (3 days)") && html.contains("compared with 2025-10-29 to 2025-10-31"))
            #expect(html.contains(#"<option value="" selected>Dates below</option>"#) && html.contains(#"name="from" value="2025-11-01""#))
            #expect(html.contains(#"<option value="\#(world.storeA1)" selected>"#), "the store chosen stays chosen")
            let top = try #require(Self.svg(in: html, label: "Best sellers (units sold; bars show takings)"))
            #expect(top.contains(">Coffee</text>") && top.contains(">€50.00</text>") && top.contains(">Tea</text>"))
        }
    }

    static func cookie(_ session: SignedIn) -> HTTPFields {
        [.cookie: "\(Authenticator.cookieName)=\(session.cookie)"]
    }

    /// The element with `id`, up to the end of its card.
    static func element(in html: String, id: String) -> String? {
        guard let start = html.range(of: #"id="\#(id)""#), let end = html[start.upperBound...].range(of: "</div>") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The `<svg>` element labelled `label`.
    static func svg(in html: String, label: String) -> String? {
        guard let start = html.range(of: #"aria-label="\#(label)""#), let end = html[start.upperBound...].range(of: "</svg>") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }
}

/// The charts on their own: escaping, empty and zero data, geometry.
@Suite("SVG charts")
struct SVGChartTests {
    @Test("every text is escaped: titles, labels, tooltips")
    func escaping() {
        let hostile = #"<script>alert("x")</script> & 'y'"#
        let escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        let bar = SVGChart.Bar(label: hostile, value: 1, text: hostile)
        let charts = [
            SVGChart.horizontalBars(title: hostile, bars: [bar]), SVGChart.columns(title: hostile, bars: [bar]),
            SVGChart.line(title: hostile, points: [.init(label: hostile, axis: hostile, value: 1, previous: 2)], previousLabel: hostile) { _ in
                hostile
            },
            SVGChart.heatmap(title: hostile, rows: [hostile], columns: [hostile], values: [[1]], labelEvery: 1) { _, _, _ in hostile },
        ]
        for svg in charts {
            #expect(!svg.contains("<script") && !svg.contains(#"("x")"#) && svg.contains(escaped), "\(svg)")
            #expect(svg.contains(#"role="img" aria-label="\#(escaped)""#) && svg.contains("<title>\(escaped)</title>"))
        }
        #expect(SVGChart.escape("a\u{0}b\u{1F}c\nd") == "abc\nd", "control characters XML forbids are dropped")
        #expect(
            SVGChart.horizontalBars(title: "t", bars: [.init(label: String(repeating: "x", count: 40), value: 1, text: "1")])
                .contains(">" + String(repeating: "x", count: 17) + "…</text>"), "long names are shortened on the axis")
    }

    @Test("no data and all zeros draw without NaN or infinity")
    func emptyAndZero() {
        let zeros = (0..<7).map { SVGChart.Bar(label: "d\($0)", value: 0, text: "0") }
        let charts = [
            SVGChart.horizontalBars(title: "t", bars: []), SVGChart.horizontalBars(title: "t", bars: zeros),
            SVGChart.columns(title: "t", bars: []), SVGChart.columns(title: "t", bars: zeros, integer: true),
            SVGChart.line(title: "t", points: [], previousLabel: "p") { "\($0)" },
            SVGChart.line(title: "t", points: [.init(label: "a", axis: "a", value: 0)], previousLabel: "p") { "\($0)" },
            SVGChart.line(title: "t", points: (0..<30).map { .init(label: "\($0)", axis: "\($0)", value: 0, previous: 0) }, previousLabel: "p") {
                "\($0)"
            },
            SVGChart.heatmap(title: "t", rows: ["a", "b"], columns: ["0", "1"], values: []) { _, _, _ in "" },
            SVGChart.heatmap(title: "t", rows: ["a"], columns: ["0"], values: [[0]]) { _, _, _ in "" },
            SVGChart.columns(title: "t", bars: [.init(label: "x", value: .nan, text: "?"), .init(label: "y", value: .infinity, text: "?")]),
        ]
        for svg in charts {
            #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
            #expect(!svg.lowercased().contains("nan") && !svg.contains("inf") && !svg.contains("-0\""), "\(svg)")
        }
    }

    @Test("a known input gives known bar sizes and round axis ticks")
    func geometry() {
        let columns: [SVGChart.Bar] = [.init(label: "a", value: 5, text: "5"), .init(label: "b", value: 10, text: "10")]
        let svg = SVGChart.columns(title: "t", bars: columns, integer: true)
        #expect(SVGChart.columnPlotHeight == 150)
        #expect(svg.contains(#"height="150" rx="2""#) && svg.contains(#"height="75" rx="2""#))
        #expect(svg.contains(">10</text>") && svg.contains(">5</text>") && svg.contains(">0</text>"), "ticks 0, 5, 10")
        let bars = SVGChart.horizontalBars(title: "t", bars: [.init(label: "a", value: 50, text: "50"), .init(label: "b", value: 25, text: "25")])
        #expect(bars.contains(#"width="174" height="18""#) && bars.contains(#"width="87" height="18""#), "full and half of 360 − 128 − 58")
        #expect(SVGChart.number(1234.5678, places: 2) == "1234.57" && SVGChart.number(-0.04) == "0" && SVGChart.number(.nan) == "0")
        #expect(SVGChart.compact(12_500) == "12.5k" && SVGChart.compact(2_000_000) == "2M" && SVGChart.compact(0.25) == "0.25")
        #expect(SVGChart.Scale([0.75], integer: true).top == 1 && SVGChart.Scale([37], integer: false).top == 40)
    }
}
