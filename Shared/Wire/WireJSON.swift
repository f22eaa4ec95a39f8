import Foundation

/// The one JSON form used on the wire and in storage: sorted keys, so equal values give equal
/// bytes, and no escaped slashes.
public enum WireJSON {
    public static func data<T: Encodable>(_ value: T) throws -> Data {
        if let value = value as? any WireWritable { return Data(bytes(value)) }
        return try foundationData(value)
    }

    /// The bytes of a value that writes itself: no `Encoder` in between.
    public static func bytes(_ value: some WireWritable) -> [UInt8] {
        var writer = JSONWriter()
        value.write(to: &writer)
        return writer.bytes
    }

    /// Through Foundation's encoder: the definition the direct writer is tested against.
    package static func foundationData<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(value)
    }

    public static func string<T: Encodable>(_ value: T) throws -> String {
        if let value = value as? any WireWritable { return String(decoding: bytes(value), as: UTF8.self) }
        return String(decoding: try data(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let reader = type as? any WireReadable.Type { return try read(reader, Array(data)) as! T }
        return try JSONDecoder().decode(type, from: data)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from string: String) throws -> T {
        if let reader = type as? any WireReadable.Type { return try read(reader, Array(string.utf8)) as! T }
        return try JSONDecoder().decode(type, from: Data(string.utf8))
    }

    /// Through Foundation's decoder: what the direct reader is tested against.
    package static func foundationDecode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }

    /// Parses and types in one pass each (``JSONParser``, ``WireReadable``); malformed JSON is a
    /// `DecodingError.dataCorrupted`, as `JSONDecoder` reports it.
    static func read<R: WireReadable>(_ type: R.Type, _ bytes: [UInt8]) throws -> R {
        try R(wire: try parse(bytes), at: [])
    }

    /// ``JSONParser/parse(_:maxDepth:)`` with a refusal reported as `JSONDecoder` reports it.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return try JSONParser.parse(bytes, maxDepth: 512)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "The given data was not valid JSON: \(error)"))
        }
    }
}
