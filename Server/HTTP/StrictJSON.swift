import BriefSyncModel
import Foundation

/// Decodes request bodies strictly: malformed JSON, unknown fields and wrong types are all
/// refused with a message that says where.
enum StrictJSON {
    /// The fields an object may have.
    indirect enum Shape: Sendable {
        case object(required: [String: Shape], optional: [String: Shape])
        case array(Shape)
        case dictionary(Shape)
        case any
    }

    static let register = Shape.object(required: ["v": .any, "s": .any], optional: [:])
    static let tags = Shape.object(
        required: [:], optional: ["added": .dictionary(.array(.any)), "removed": .array(.any)])
    static let record = Shape.object(
        required: ["id": .any, "kind": .any],
        optional: ["fields": .dictionary(register), "tags": tags, "deleted": .any])
    static let mutation = Shape.object(
        required: ["id": .any, "replica": .any, "delta": record], optional: ["base": .any])
    static let push = Shape.object(required: ["mutations": .array(mutation)], optional: ["epoch": .any])
    static let login = Shape.object(required: ["user": .any, "password": .any], optional: [:])
    static let member = Shape.object(required: ["role": .any], optional: [:])
    static let password = Shape.object(required: ["current": .any, "new": .any], optional: [:])

    /// Deepest nesting a body may have: a push needs 6 (body, mutations, mutation, delta,
    /// fields, register) plus what a field value holds.
    static let maxDepth = 32

    /// Decodes `data` as `T` after checking its depth and array lengths in one pass (before any
    /// decoding work) and its shape.
    /// - Parameter maxArray: the longest array the body may hold.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, shape: Shape, maxArray: Int = 10_000) throws -> T
    {
        _ = try parse(data, shape: shape, maxArray: maxArray)
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw APIError.badRequest(describe(error))
        }
    }

    /// As ``decode(_:from:shape:maxArray:)`` for the types that read themselves from the parsed
    /// value: the body is parsed once and typed once (a push's hot path).
    static func decode<T: Decodable & WireReadable>(
        _ type: T.Type, from data: Data, shape: Shape, maxArray: Int = 10_000
    ) throws -> T {
        let value = try parse(data, shape: shape, maxArray: maxArray)
        do {
            return try T(wire: value, at: [])
        } catch let error as DecodingError {
            throw APIError.badRequest(describe(error))
        }
    }

    /// The body as a ``JSONValue``: bounded (depth, array lengths) before parsing, then parsed
    /// strictly and checked against `shape`.
    static func parse(_ data: Data, shape: Shape, maxArray: Int) throws -> JSONValue {
        let scan = Wire.JSONScan.scan(data, maxDepth: maxDepth)
        guard scan.depth <= maxDepth else {
            throw APIError.badRequest("the body is nested more than \(maxDepth) levels deep; nothing was applied")
        }
        guard scan.longestArray <= maxArray else {
            throw APIError.tooLarge(
                "the body holds an array of \(scan.longestArray) items; at most \(maxArray): send fewer at a time")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(data), maxDepth: maxDepth)
        } catch {
            throw APIError.badRequest(
                "the body is not valid JSON (\(error)); send a JSON object as described in docs/protocol.md")
        }
        try check(value, shape)
        return value
    }

    /// Checks `value` against `shape`: the first refusal names where (byte order among keys,
    /// so the answer does not depend on hash order).
    static func check(_ value: JSONValue, _ shape: Shape) throws {
        var path: [PathPart] = []
        try check(value, shape, &path)
    }

    /// One step of a path into the body; the path is spelled out only for a refusal.
    enum PathPart {
        case key(String)
        case index(Int)
    }

    static func spell(_ parts: [PathPart]) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .key(let k): out += out.isEmpty ? k : ".\(k)"
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    static func check(_ value: JSONValue, _ shape: Shape, _ path: inout [PathPart]) throws {
        func here() -> String { path.isEmpty ? "the body" : "'\(spell(path))'" }
        switch (shape, value) {
        case (.any, _):
            return
        case (.object(let required, let optional), .object(let o)):
            func unknown(_ key: String) -> Bool { required[key] == nil && optional[key] == nil }
            if let first = o.keys.filter(unknown).min() {
                throw APIError.badRequest("unknown field '\(first)' in \(here()); remove it")
            }
            if let missing = required.keys.filter({ o[$0] == nil }).min() {
                throw APIError.badRequest("missing field '\(missing)' in \(here())")
            }
            for (key, sub) in o {
                path.append(.key(key))
                try check(sub, required[key] ?? optional[key]!, &path)
                path.removeLast()
            }
        case (.array(let element), .array(let a)):
            for (i, sub) in a.enumerated() {
                path.append(.index(i))
                try check(sub, element, &path)
                path.removeLast()
            }
        case (.dictionary(let element), .object(let o)):
            for (key, sub) in o {
                path.append(.key(key))
                try check(sub, element, &path)
                path.removeLast()
            }
        case (.object, _), (.dictionary, _):
            throw APIError.badRequest("\(here()) must be a JSON object")
        case (.array, _):
            throw APIError.badRequest("\(here()) must be a JSON array")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.hasPrefix(".") ? String(p.dropFirst()) : p
        }
        switch error {
        case .typeMismatch(let type, let c): return "'\(path(c))' has the wrong type: expected \(type)"
        case .valueNotFound(let type, let c): return "'\(path(c))' is null: expected \(type)"
        case .keyNotFound(let key, let c): return "missing field '\(key.stringValue)' in '\(path(c))'"
        case .dataCorrupted(let c): return "'\(path(c))' is not valid: \(c.debugDescription)"
        @unknown default: return "the body does not match the protocol"
        }
    }
}
