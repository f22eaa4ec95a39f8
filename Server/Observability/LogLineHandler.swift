import Foundation
import Logging

/// swift-log's output for `briefd`: one line per event on standard error, as text or JSON.
///
/// Text: `2026-12-03T09:55:00.123Z info request method=GET path=/v1/pull status=200 …`.
/// JSON: `{"ts":"…","level":"info","label":"briefd","message":"request","method":"GET",…}`, one
/// object per line, for log shippers. What is logged is chosen by the callers (never a token, a
/// password or a request body); values are escaped, so a hostile user name cannot forge a line.
public struct LogLineHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: Format
    let write: @Sendable (String) -> Void

    public init(
        label: String, format: Format, level: Logger.Level,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let ts = Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
        switch format {
        case .json:
            var object: [String: String] = [
                "ts": ts, "level": event.level.rawValue, "label": label, "message": event.message.description,
            ]
            for (k, v) in all where object[k] == nil { object[k] = Self.flatten(v) }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            write(String(decoding: data, as: UTF8.self) + "\n")
        case .text:
            let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted(Self.flatten($0.value)))" }
            write(
                ([ts, event.level.rawValue, Self.quoted(event.message.description)] + fields).joined(separator: " ")
                    + "\n")
        }
    }

    static func flatten(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): return s
        case .stringConvertible(let s): return s.description
        case .array(let a): return "[" + a.map(flatten).joined(separator: ",") + "]"
        case .dictionary(let d):
            return "{" + d.sorted { $0.key < $1.key }.map { "\($0.key)=\(flatten($0.value))" }.joined(separator: ",")
                + "}"
        }
    }

    /// A value as one token: quoted and escaped when it holds spaces, quotes or control characters.
    static func quoted(_ s: String) -> String {
        let plain =
            !s.isEmpty
            && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "\\" && $0.value != 0x7F }
        if plain { return s }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
