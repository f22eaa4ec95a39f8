import BriefSyncModel

/// What people type after `brief search`, turned into an FTS5 query that cannot carry FTS5
/// syntax of its own: every word is quoted, so a stray `NEAR(`, `:` or `^` is only text.
///
/// - `word` — the word; several words must all match (in any order).
/// - `defen*` — any word starting with `defen`.
/// - `"face to face"` — the words next to each other, in that order.
/// - `talks OR summit` — either side; `OR` binds looser than the implicit AND, as in FTS5.
/// - `face-to-face` — punctuation splits a word into a phrase of its parts.
public struct SearchQuery: Sendable, Hashable {
    /// The FTS5 `MATCH` expression.
    public let match: String

    /// The longest query taken: longer ones are refused before SQLite parses them.
    public static let maxLength = 1_000

    public init(_ text: String) throws {
        guard text.utf8.count <= Self.maxLength else {
            throw ClientError(.invalidArgument, "the query is over \(Self.maxLength) bytes; search for fewer words")
        }
        var parts: [String] = []
        var lastWasOr = true  // a leading OR has no left side
        for token in try Self.tokens(text) {
            switch token {
            case .or:
                guard !lastWasOr else {
                    throw ClientError(
                        .invalidArgument,
                        "OR in '\(text)' needs a word on each side, as in: brief search talks OR summit")
                }
                parts.append("OR")
                lastWasOr = true
            case .words(let words, let prefix):
                guard !words.isEmpty else { continue }
                let quoted = "\"" + words.joined(separator: " ") + "\""
                parts.append(prefix ? quoted + " *" : quoted)
                lastWasOr = false
            }
        }
        if parts.last == "OR" {
            throw ClientError(
                .invalidArgument, "OR in '\(text)' needs a word on each side, as in: brief search talks OR summit")
        }
        guard !parts.isEmpty else {
            throw ClientError(.invalidArgument, "the query '\(text)' has no words to search for")
        }
        match = parts.joined(separator: " ")
    }

    enum Token: Equatable {
        case or
        /// Words to find next to each other; `prefix` when the last may be a word's start.
        case words([String], prefix: Bool)
    }

    /// Splits `text` at spaces outside double quotes.
    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var inQuote = false
        func flush(phrase: Bool) {
            defer { current = "" }
            guard !current.isEmpty else { return }
            if !phrase, current == "OR" {
                tokens.append(.or)
                return
            }
            let prefix = !phrase && current.hasSuffix("*")
            tokens.append(.words(words(current), prefix: prefix))
        }
        for ch in text {
            if ch == "\"" {
                flush(phrase: inQuote)
                inQuote.toggle()
            } else if ch.isWhitespace, !inQuote {
                flush(phrase: false)
            } else {
                current.append(ch)
            }
        }
        guard !inQuote else {
            throw ClientError(.invalidArgument, "the query '\(text)' opens a quote it does not close")
        }
        flush(phrase: false)
        return tokens
    }

    /// The letters-and-digits runs of `text`, as the index's tokenizer sees words.
    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
