import Mustache

/// A page as its template reads it: the page's own values first, then the layout's frame. Templates name the view
/// models' stored properties (`{{storeName}}`, `{{#can.manageCatalog}}`); swift-mustache reads any other value by
/// its properties itself, so only this pair needs a lookup of its own.
struct PageView<Content>: MustacheParent {
    let content: Content
    let frame: PageFrame

    func child(named name: String) -> Any? {
        Self.property(name, of: content) ?? Self.property(name, of: frame)
    }

    /// `object`'s stored property `name`, an optional one unwrapped: nil when it is missing or empty, which the
    /// template treats as a missing key (as swift-mustache does).
    static func property(_ name: String, of object: Any) -> Any? {
        guard let value = Mirror(reflecting: object).children.first(where: { $0.label == name })?.value else { return nil }
        let wrapped = Mirror(reflecting: value)
        guard wrapped.displayStyle == .optional else { return value }
        return wrapped.children.first?.value
    }
}

/// The content of a page that shows nothing but the layout and its words.
struct NoContent: Sendable {}
