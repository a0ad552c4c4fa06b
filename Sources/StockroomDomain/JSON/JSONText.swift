import Foundation

/// Values written by Stockroom's JSON writer (`JSONOutput`): what the API answers (`ResponseJSON`) and what the
/// audit log keeps.
public enum JSONText {
    public static func bytes<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let output = JSONOutput()
        try output.value(value)
        output.close(to: 0)
        return output.bytes
    }

    public static func data<Value: Encodable>(_ value: Value) throws -> Data {
        Data(try bytes(value))
    }

    public static func string<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try bytes(value), as: UTF8.self)
    }
}
