import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The pieces every page is rendered through, without a server: the page's values over the layout's frame, the
/// pager's links, and the form fields' plain numbers.
@Suite("Page view models")
struct PageViewTests {
    static func request(_ path: String, cookie: String? = nil) -> Request {
        var head = HTTPRequest(method: .get, scheme: "http", authority: "shop.test", path: path)
        if let cookie { head.headerFields[.cookie] = cookie }
        return Request(head: head, body: RequestBody(buffer: ByteBuffer()))
    }

    struct Content {
        let title: String?
        let lang: String
        let rows: [Row]
    }

    struct Row {
        let name: String
        let note: String?
    }

    @Test("a page's own value comes first, then the frame's; an empty optional is no value, and a row's missing key reaches both")
    func contentOverFrame() throws {
        let frame = PageFrame(request: Self.request("/stock?saved=1", cookie: "\(Language.cookieName)=es"), caller: nil, title: "stock")
        let view = PageView(
            content: Content(title: nil, lang: "xx", rows: [Row(name: "Tea", note: nil), Row(name: "Jam", note: "<sweet>")]), frame: frame)
        #expect(view.child(named: "lang") as? String == "xx", "the page's value wins")
        #expect(view.child(named: "title") as? String == frame.title, "an empty optional falls through to the frame")
        #expect(view.child(named: "saved") as? Bool == true)
        #expect(view.child(named: "user") == nil && view.child(named: "nothing") == nil, "a visitor has no user; unknown keys are absent")
        let template = try MustacheTemplate(
            string:
                "{{lang}}|{{otherLang}}|{{t.stock}}|{{#rows}}{{name}}:{{#note}}{{note}}{{/note}}{{^note}}{{title}}{{/note}};{{/rows}}{{#user}}!{{/user}}"
        )
        #expect(template.render(view) == "xx|en|\(frame.strings["stock"] ?? "")|Tea:\(frame.title);Jam:&lt;sweet&gt;;")
    }

    @Test("the pager links keep the filters, drop the paging, and say which pages there are")
    func pager() {
        let request = Self.request("/sales?vendor=ana%20b&page=2&limit=10")
        let middle = Pager(request, page: 2, pages: 3)
        #expect(middle.page == 2 && middle.pages == 3)
        #expect(middle.previous == "/sales?limit=10&vendor=ana%20b&page=1" && middle.next == "/sales?limit=10&vendor=ana%20b&page=3")
        let only = Pager(request, page: 1, pages: 0)
        #expect(only.pages == 1 && only.previous == nil && only.next == nil, "an empty list is one page")
        let window = Pager(Self.request("/audit?offset=50&limit=25"), offset: 50, limit: 25, total: 80)
        #expect(window.page == 3 && window.pages == 4)
        #expect(window.previous == "/audit?limit=25&offset=25" && window.next == "/audit?limit=25&offset=75")
        let exports = Exports(request, path: "/api/export/sales.csv")
        #expect(exports.csv == "/api/export/sales.csv?vendor=ana%20b" && exports.excel == "/api/export/sales.csv?vendor=ana%20b&bom=1")
    }

    @Test("form fields take amounts and percentages as plain numbers, whatever the reader's language")
    func plainNumbers() {
        #expect(DisplayFormat.plain(cents: 250) == "2.50")
        #expect(DisplayFormat.plain(cents: 123_456_789) == "1234567.89")
        #expect(DisplayFormat.plain(cents: 0) == "0.00")
        #expect(DisplayFormat.percent(basisPoints: 2100) == "21")
        #expect(DisplayFormat.percent(basisPoints: 1250) == "12.5")
        #expect(DisplayFormat.percent(basisPoints: 725) == "7.25")
    }
}
