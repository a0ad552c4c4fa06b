import BrowserDriver
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// How the staff pages look, measured in a real Chromium: every page in light and dark colours, in both languages, at
/// desktop and phone widths, with the text's contrast computed against what is really behind it; nothing pushed off
/// a phone's screen; no system words left in English on Spanish pages; the row panels, barcodes and destructive
/// buttons as people see them.
@Suite("Page look in a browser", .serialized)
struct PageLookBrowserTests {
    /// English words the system writes (ledger reasons, statuses, the void notification) that a Spanish page must not show.
    static let englishSystemWords = #"\b(New product|Product edit|To store|From store|completed|voided|Sale updated|was changed)\b"#

    @Test("every page reads at 4.5:1 in light and dark, English and Spanish, desktop and 390 px; phones keep Total and Status in view")
    func everyPageInBothThemes() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, world, _ in
            // setup: a shop with a long-named product, a low one, a sale, a voided sale and a transfer
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let owner = try await client.signIn(world.ownerA)
            let oil = try await client.createProduct(
                as: owner, barcode: "8410000000017", name: "Aceite de oliva virgen extra 750 ml", quantity: 40,
                minQuantity: 5, price: 8.95)
            let coffee = try await client.createProduct(
                as: owner, barcode: "8410000000024", name: "Café molido", quantity: 6, minQuantity: 5,
                price: 4.5)
            let sale = try await Self.sell(client, owner, [(oil, 2), (coffee, 1)])
            let voided = try await Self.sell(client, owner, [(coffee, 1)])
            #expect(try await client.call(.post, "/api/sales/\(voided)/void", as: owner).status == .ok)
            let moved = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: """
                    {"productId": \(oil), "fromStoreId": \(world.storeA1), "toStoreId": \(world.storeA2), "quantity": 3}
                    """)
            #expect(moved.status.code < 300, "\(moved.text)")

            // a void is announced as a void, not as a change
            let announced = try await Self.eventually { try await client.call(.get, "/notifications", as: owner).text.contains("Sale voided") }
            #expect(announced, "the void's notification says so")
            let notes = try await client.call(.get, "/notifications", as: owner).text
            #expect(notes.contains("Sale #") && !notes.contains("was changed"), "no void is called a change")

            let pages = [
                "/", "/till", "/products", "/products/new", "/products/\(oil)?store_id=\(world.storeA1)", "/stock", "/stock/movements",
                "/sales", "/sales/\(sale)", "/sales/\(voided)", "/reports", "/users", "/stores", "/audit", "/import", "/notifications",
                "/settings",
            ]
            var problems: [String] = []
            for (width, height) in [(1280, 900), (390, 844)] {
                let phone = width < 500
                problems += try await WebDriver.session(width: width, height: height) { browser in
                    var found: [String] = []
                    try await browser.open(base + "/theme/dark?back=/login")
                    found += try await Self.look(browser, at: "/login dark", phone: phone)
                    try await browser.signIn(at: base, "admin", TestDatabase.ownerPassword)
                    for language in ["en", "es"] {
                        try await browser.open(base + "/language/\(language)?back=/")
                        for theme in ["light", "dark"] {
                            try await browser.open(base + "/theme/\(theme)?back=/")
                            for page in pages {
                                try await browser.open(base + page)
                                let place = "\(page) \(language) \(theme) \(width)px"
                                found += try await Self.look(browser, at: place, phone: phone)
                                if theme == "dark" && language == "es" { found += try await Self.spanishOnly(browser, at: place) }
                            }
                        }
                    }
                    found += try await Self.rowPanelsAndBarcodes(browser, base, phone: phone)
                    if phone { found += try await Self.changePassword(browser, base) }
                    return found
                }
            }
            #expect(problems.isEmpty, "\(problems.count) problems:\n\(problems.prefix(40).joined(separator: "\n"))")
        }
    }

    @Test("the colour switch keeps this browser's choice in a cookie, goes back only to this site, and the page arrives in it")
    func colourSwitch() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let switched = try await client.execute(uri: "/theme/dark?back=/stock%3Fsearch%3Dx", method: .get)
            #expect(switched.status == .found && switched.headers[.location] == "/stock?search=x")
            #expect(switched.headers[.setCookie]?.hasPrefix("\(Theme.cookieName)=dark;") == true)
            #expect(try await client.execute(uri: "/theme/dark?back=//evil.example", method: .get).headers[.location] == "/")
            #expect(try await client.execute(uri: "/theme/sepia", method: .get).status == .notFound)
            let cookie = "\(Authenticator.cookieName)=\(owner.cookie); \(Theme.cookieName)=dark"
            let dark = String(buffer: try await client.execute(uri: "/stock", method: .get, headers: [.cookie: cookie]).body)
            #expect(dark.contains(#"data-theme="dark""#) && dark.contains(#"href="/theme/light?back=/stock""#) && dark.contains("Colours: dark"))
            let auto = try await client.call(.get, "/", as: owner).text
            #expect(auto.contains(#"data-theme="auto""#) && auto.contains(#"href="/theme/dark?back=/""#))
        }
    }

    @Test("a shop younger than the compared periods: gaps before its first sale, and no change claimed against days it was not trading")
    func youngShopClaimsNoChange() async throws {
        try await ShopWorld.run(environment: ReportTests.zone) { client, world in
            // setup: the report tests' shop, whose first sale is on 30 Oct: one day into the previous period (29–31 Oct)
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            let shop = try await Fixture.make(client, world, owner: owner, vendor: vendor)
            try await shop.backdate(world.database)

            // act
            let uri = "/reports?from=2025-11-01&to=2025-11-03&store_id=\(world.storeA1)"
            let html = String(buffer: try await client.execute(uri: uri, method: .get, headers: ReportPageTests.cookie(owner)).body)

            // check: the previous period had takings (€30 on 30 Oct) but the shop opened inside it: no arrow, no "up"
            let revenue = try #require(ReportPageTests.element(in: html, id: "kpi-revenue"))
            #expect(revenue.contains("metrics-none") && !revenue.contains("▲") && !revenue.contains("%"), "\(revenue)")
            #expect(!html.contains("Revenue is up") && !html.contains("116.7"))
            // 1 Nov pairs with 29 Oct, before the first sale: its point names no previous value, and the dashed line starts later
            #expect(html.contains("<title>2025-11-01: €20.00</title>"))
            #expect(html.contains("<title>2025-11-02: €20.00 · Previous period: €30.00</title>"))

            // a 30-day period of a shop that sold only in these days: the days before are gaps, not zeros
            let month = String(
                buffer: try await client.execute(
                    uri: "/reports?from=2025-10-05&to=2025-11-03&store_id=\(world.storeA1)",
                    method: .get, headers: ReportPageTests.cookie(owner)
                ).body)
            let wide = try #require(
                month.firstRange(of: #/<svg[^>]*chart-wide[^>]*>.*?</svg>/#.dotMatchesNewlines()).map {
                    String(month[$0])
                })
            #expect(wide.matches(of: /<circle/).count == 5, "points from 30 Oct to 3 Nov only")
            #expect(!wide.contains("chart-previous"), "the previous 30 days had no sale at all")
            #expect(ReportPageTests.element(in: month, id: "kpi-revenue")?.contains("%") == false)
        }
    }

    @Test("a line with missing values draws one stretch per run of values; long bar labels wrap and values stay inside")
    func chartGapsAndLabels() {
        let points: [SVGChart.Point] = [
            .init(label: "a", axis: "a", value: nil), .init(label: "b", axis: "b", value: 2), .init(label: "c", axis: "c", value: 3),
            .init(label: "d", axis: "d", value: nil), .init(label: "e", axis: "e", value: 1),
        ]
        let line = SVGChart.line(title: "t", points: points, previousLabel: "p") { "\($0)" }
        #expect(line.matches(of: /class="chart-current"/).count == 2 && line.matches(of: /<circle/).count == 3)
        #expect(SVGChart.wrapped("Olive oil extra virgin 750 ml", 18) == ["Olive oil extra", "virgin 750 ml"])
        let bars = SVGChart.horizontalBars(title: "t", bars: [.init(label: "Olive oil extra virgin 750 ml", value: 10, text: "12.345,67 €")])
        #expect(bars.contains(">Olive oil extra</text>") && bars.contains(">virgin 750 ml</text>"), "the whole name, on two lines")
        let value = bars.firstMatch(of: /<text x="([\d.]+)"[^>]*text-anchor="start"[^>]*>12.345,67 €/)
        let start = Double(value.map { String($0.output.1) } ?? "") ?? .infinity
        #expect(start + SVGChart.textWidth("12.345,67 €") <= 360, "the amount ends inside the chart's 360 units")
    }

    // MARK: - Looking at a page

    /// What the page shows wrongly: text under 4.5:1 (3:1 when large) against its effective background, the theme not
    /// applied, and on a phone anything pushed sideways off the screen or the key columns out of view.
    static func look(_ browser: WebDriver, at place: String, phone: Bool) async throws -> [String] {
        let found = try await browser.script(lookScript(phone: phone)) as? [Any] ?? ["the look script returned nothing"]
        return found.map { "\(place): \($0)" }
    }

    static func lookScript(phone: Bool) -> String {
        """
        const problems = [];
        const rgba = (text) => {
          const m = /rgba?\\(([^)]*)\\)/.exec(text || "");
          if (!m) return null;
          const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(parseFloat);
          return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
        };
        const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
        const behind = (element) => {
          const layers = [];
          for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
            const colour = rgba(getComputedStyle(node).backgroundColor);
            if (colour && colour[3] > 0) { layers.push(colour); if (colour[3] >= 1) break; }
          }
          let result = [255, 255, 255, 1];
          while (layers.length) result = over(layers.pop(), result);
          return result;
        };
        const luminance = (c) => {
          const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
        const theme = document.documentElement.dataset.theme;
        const page = luminance(behind(document.querySelector("main") || document.body));
        if (theme === "dark" && page > 0.05) problems.push("dark chosen but the page is light (" + page.toFixed(2) + ")");
        if (theme === "light" && page < 0.8) problems.push("light chosen but the page is dark (" + page.toFixed(2) + ")");
        const selector = "h1, h2, h3, th, td, button, a, summary, label, .badge, input, select, textarea, p, li, small, strong, span, "
          + "dt, dd, code, svg text";
        for (const element of document.querySelectorAll(selector)) {
          if (element.closest("[hidden], .sr-only") || !element.getClientRects().length || element.disabled) continue;
          const style = getComputedStyle(element);
          if (style.visibility !== "visible" || parseFloat(style.opacity) === 0) continue;
          const field = element.matches("input, select, textarea");
          if (field && ["hidden", "checkbox", "radio", "file", "submit"].includes(element.type)) continue;
          const own = field ? (element.value || "")
            : [...element.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join("").trim();
          if (!own.trim()) continue;
          const svg = element instanceof SVGElement;
          const back = behind(svg ? element.closest("svg").parentElement : element);
          const colour = rgba(svg ? style.fill : style.color);
          if (!colour) continue;
          const value = ratio(over(colour, back), back);
          const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
          const needed = size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5;
          if (value < needed) {
            const named = typeof element.className === "string" ? element.className.trim() : "";
            const classes = named ? "." + named.split(/\\s+/).join(".") : "";
            const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes;
            problems.push(name + " '" + own.trim().slice(0, 30) + "' " + value.toFixed(2) + ":1 (" + style.color + " on "
              + back.slice(0, 3).map(Math.round).join(",") + ")");
          }
        }
        for (const button of document.querySelectorAll("button[data-method=DELETE], button#void, button.danger")) {
          if (!button.getClientRects().length) continue;
          const [r, g, b] = rgba(getComputedStyle(button).color);
          const red = button.classList.contains("danger") && r > g + 50 && r > b + 50;
          if (!red) problems.push("a destructive action that does not look it: " + button.textContent.trim());
        }
        if (\(phone)) {
          const width = document.documentElement.scrollWidth;
          if (width > innerWidth + 1) problems.push("the page scrolls sideways: " + width + "px");
          for (const link of document.querySelectorAll(".bar nav a")) {
            const box = link.getBoundingClientRect();
            if (box.left < 0 || box.right > innerWidth + 1) problems.push("menu entry off screen: " + link.textContent);
          }
          for (const box of document.querySelectorAll(".scroll, .metrics-scroll")) {
            if (box.scrollWidth <= box.clientWidth + 1) continue;
            const style = getComputedStyle(box);
            const shows = /auto|scroll/.test(style.overflowX) && style.backgroundImage.includes("gradient");
            if (!shows) problems.push("a wide table that does not show it scrolls");
          }
          const keys = { "sales": [6, 7], "users": [5] };
          for (const [id, columns] of Object.entries(keys)) {
            const table = document.getElementById(id);
            if (!table) continue;
            const edge = Math.min(innerWidth, table.closest(".scroll").getBoundingClientRect().right);
            for (const column of columns) {
              const cell = table.querySelector("thead th:nth-child(" + column + ")");
              const box = cell.getBoundingClientRect();
              const hidden = getComputedStyle(cell).display === "none" || box.right > edge + 1;
              if (hidden) problems.push("column " + cell.textContent + " of #" + id + " out of view");
            }
          }
        }
        return problems;
        """
    }

    /// System words left in English on a Spanish page.
    static func spanishOnly(_ browser: WebDriver, at place: String) async throws -> [String] {
        let text = try await browser.script("return document.body.innerText") as? String ?? ""
        return text.matches(of: try Regex(englishSystemWords)).map { "\(place): English on a Spanish page: \(text[$0.range])" }
    }

    /// The stock page's Adjust panel shows whole with its Save button on top, and closes on Escape; the products
    /// table's action cells stay table cells; a barcode sits on one line.
    static func rowPanelsAndBarcodes(_ browser: WebDriver, _ base: String, phone: Bool) async throws -> [String] {
        var found: [String] = []
        try await browser.open(base + "/stock")
        try await browser.click("tr[data-barcode='8410000000017'] details:has(form.adjust) summary")
        let save =
            try await browser.script(
                """
                const button = document.querySelector("tr[data-barcode='8410000000017'] form.adjust button[type=submit]");
                const box = button.getBoundingClientRect();
                const inside = box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
                return inside && document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)?.closest("button") === button;
                """) as? Bool
        if save != true { found.append("stock \(phone ? "phone" : "desktop"): the Adjust panel's Save is hidden") }
        try await browser.keys("\u{E00C}")  // Escape
        try await browser.waitUntil("!document.querySelector('details.inline[open]')")
        try await browser.open(base + "/products")
        let cells =
            try await browser.script(
                """
                return [...document.querySelectorAll("tr[data-barcode] td")].filter((cell) => cell.getClientRects().length).every((cell) =>
                  getComputedStyle(cell).display === "table-cell"
                  && Math.abs(cell.getBoundingClientRect().bottom - cell.parentElement.getBoundingClientRect().bottom) < 1);
                """) as? Bool
        if cells != true { found.append("products: a cell is not as tall as its row (the row's line breaks)") }
        let barcodes =
            try await browser.script(
                """
                return [...document.querySelectorAll(".barcode")].every((code) => code.getClientRects().length === 1);
                """) as? Bool
        if barcodes != true { found.append("products \(phone ? "phone" : "desktop"): a barcode wraps") }
        return found
    }

    /// A password change says it is done, on the page it was made on, and leaves no password typed in.
    static func changePassword(_ browser: WebDriver, _ base: String) async throws -> [String] {
        try await browser.open(base + "/language/en?back=/settings")
        try await browser.type("#password-form input[name=current_password]", TestDatabase.ownerPassword)
        try await browser.type("#password-form input[name=new_password]", "a-new-password-24")
        try await browser.type("#password-form input[name=confirm_password]", "a-new-password-24")
        try await browser.click("#password-form button[type=submit]")
        try await browser.waitUntil("!document.querySelector('#password-form .form-done').hidden")
        let done = try await browser.text("#password-form .form-done")
        let empty =
            try await browser.script(
                """
                return [...document.querySelectorAll('#password-form input')].every((field) => field.value === '')
                """) as? Bool
        var found: [String] = []
        if !done.contains("Password changed") { found.append("password change: no confirmation (\(done))") }
        if empty != true { found.append("password change: the passwords stay typed in") }
        return found
    }

    // MARK: - Setup

    static func sell(_ client: any TestClientProtocol, _ session: SignedIn, _ items: [(Int64, Int)]) async throws -> Int64 {
        let lines = items.map { #"{"item_id": \#($0.0), "quantity": \#($0.1)}"# }.joined(separator: ", ")
        let response = try await client.call(.post, "/api/sales/bulk", as: session, json: #"{"items": [\#(lines)]}"#)
        guard case .int(let id)? = try response.json()["sale_id"] else { throw ClusterError("no sale id in \(response.text)") }
        return id
    }

    /// Whether `condition` comes true within five seconds (notifications are written after the commit, by a service).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<50 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
