import Foundation

extension Date {
    /// How timestamps are stored: whole milliseconds since 1970 UTC, identical on both engines.
    public var unixMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    public init(unixMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(unixMilliseconds) / 1000)
    }
}
