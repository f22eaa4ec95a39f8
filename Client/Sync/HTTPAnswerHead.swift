import Foundation

/// The head of an HTTP/1.1 answer: status line and the headers that frame the body.
struct HTTPAnswerHead {
    enum Framing: Equatable {
        case length(Int)
        case chunked
        /// Neither a length nor chunks: the body ends when the server closes the connection.
        case untilClose
    }

    let status: Int
    let framing: Framing
    /// Whether the connection may carry the next request.
    let keepAlive: Bool

    /// Parses `bytes` (without the blank line that ends them).
    init(_ bytes: [UInt8]) throws {
        let lines = bytes.split(separator: 10, omittingEmptySubsequences: false).map { line in
            line.last == 13 ? line.dropLast() : line
        }
        guard let statusLine = lines.first, statusLine.starts(with: Array("HTTP/1.".utf8)), statusLine.count >= 12,
            statusLine[statusLine.startIndex + 8] == 32
        else { throw Self.malformed("its status line") }
        let version = statusLine[statusLine.startIndex + 7]
        let code = statusLine[(statusLine.startIndex + 9)..<(statusLine.startIndex + 12)]
        guard code.allSatisfy({ (48...57).contains($0) }), let status = Int(String(decoding: code, as: UTF8.self)),
            (100...599).contains(status)
        else { throw Self.malformed("its status") }
        var length: Int?
        var chunked = false
        var close = version == UInt8(ascii: "0")
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw Self.malformed("a header line") }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[line.index(after: colon)...], as: UTF8.self)
                .trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "content-length":
                // Digits only (no sign, no spaces inside), at most 15 of them: no overflow.
                guard !value.isEmpty, value.count <= 15, value.utf8.allSatisfy({ (48...57).contains($0) }),
                    let n = Int(value), length == nil || length == n
                else { throw Self.malformed("its Content-Length") }
                length = n
            case "transfer-encoding":
                guard value == "chunked" else { throw Self.malformed("its Transfer-Encoding '\(value.prefix(40))'") }
                chunked = true
            case "connection":
                if value.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "close" }) {
                    close = true
                }
            default: break
            }
        }
        self.status = status
        if chunked {
            framing = .chunked
        } else if let length {
            framing = .length(length)
        } else if status == 204 || status == 304 || status < 200 {
            framing = .length(0)
        } else {
            framing = .untilClose
        }
        keepAlive = !close && framing != .untilClose
    }

    private static func malformed(_ what: String) -> TransportError {
        TransportError(description: "the server's answer is not HTTP/1.1 (\(what))")
    }
}
