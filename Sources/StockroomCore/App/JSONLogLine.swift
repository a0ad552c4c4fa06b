import Foundation
import Logging

/// One log line as one JSON object, for `STOCKROOM_LOG_FORMAT=json`:
/// `{"time":…,"level":…,"label":…,"source":…,"message":…,"request_id":…,"company_id":…,"user_id":…,…}`.
/// Every metadata value is a string, as logged; Hummingbird's `hb.request.id` is written as `request_id`. Such lines
/// usually leave the machine for a log collector, so message and values are redacted as `GET /api/debug/logs`
/// redacts them (`LogRedaction`) — the text console, read on the machine itself, is not.
enum JSONLogLine {
    static let fixedKeys: Set<String> = ["time", "level", "label", "source", "message"]

    static func line(_ event: LogEvent, label: String, metadata: Logger.Metadata) -> String {
        var fields: [(String, String)] = [
            ("time", timestamp()), ("level", event.level.rawValue), ("label", label), ("source", event.source),
            ("message", LogRedaction.text(event.message.description)),
        ]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = key == "hb.request.id" ? "request_id" : key
            // A metadata key named like a fixed field would make a second key of the same name; it keeps a prefix.
            fields.append(
                (
                    fixedKeys.contains(name) ? "meta." + name : name,
                    LogRedaction.isSecretKey(name) ? LogRedaction.mask : LogRedaction.text(value.description)
                ))
        }
        return "{" + fields.map { "\(quoted($0.0)):\(quoted($0.1))" }.joined(separator: ",") + "}\n"
    }

    /// `2026-12-07T01:23:45.678Z`: UTC with milliseconds, which collectors sort and parse without a zone table.
    static func timestamp(_ date: Date = Date()) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%03ldZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(milliseconds % 1000))
    }

    /// A JSON string, escaped as every answer's strings are (`JSONOutput.string`).
    static func quoted(_ text: String) -> String {
        let output = JSONOutput()
        output.string(text)
        return String(decoding: output.bytes, as: UTF8.self)
    }
}
