/// How the console log writes a line: swift-log's usual text for people reading a terminal, or one JSON object a
/// line for log collectors (journald exporters, Loki, Elasticsearch), which otherwise have to parse `key=value`.
public enum LogFormat: String, Sendable {
    case text
    case json
}
