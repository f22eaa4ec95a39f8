/// The YAML front matter of a Markdown briefing (`---` lines around `key: value` pairs), read
/// for the keys a briefing has. Only the simple YAML that exporters write is understood: plain
/// or double-quoted scalars, and tags as `[a, b]`, `a, b` or `- a` lines. Anything else is ignored.
public struct FrontMatter: Sendable, Hashable {
    public var title: String?
    public var source: String?
    public var date: String?
    public var status: String?
    public var tags: [String] = []

    /// The most lines read looking for the closing `---`: past it, the first `---` was a rule.
    static let maxLines = 200

    public init() {}

    /// The front matter at the start of `lines` and the index of the first line after it;
    /// `nil` when the document does not open with one.
    static func read(_ lines: [String]) -> (FrontMatter, Int)? {
        guard lines.first?.trimmed == "---" else { return nil }
        guard
            let end = lines.indices.dropFirst().prefix(maxLines).first(where: {
                lines[$0].trimmed == "---" || lines[$0].trimmed == "..."
            })
        else { return nil }
        var matter = FrontMatter()
        var listKey: String? = nil
        for line in lines[1..<end] {
            let t = line.trimmed
            if t.hasPrefix("- "), listKey == "tags" {
                matter.tags.append(unquote(String(t.dropFirst(2))))
                continue
            }
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix(" ") else { continue }
            let key = String(line[..<colon]).trimmed.lowercased()
            let value = String(line[line.index(after: colon)...]).trimmed
            listKey = value.isEmpty ? key : nil
            switch key {
            case "title": matter.title = nonEmpty(unquote(value))
            case "source": matter.source = nonEmpty(unquote(value))
            case "date": matter.date = nonEmpty(unquote(value))
            case "status": matter.status = nonEmpty(unquote(value))
            case "tags", "keywords":
                var list = value
                if list.hasPrefix("["), list.hasSuffix("]") { list = String(list.dropFirst().dropLast()) }
                matter.tags += list.split(separator: ",").map { unquote(String($0).trimmed) }.filter { !$0.isEmpty }
            default: break
            }
        }
        return (matter, end + 1)
    }

    static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// A YAML scalar without its quotes (`"…"` with `\"` and `\\`, or `'…'` with `''`).
    static func unquote(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            var out = ""
            var escaped = false
            for ch in value.dropFirst().dropLast() {
                if escaped {
                    out.append(ch == "n" ? "\n" : ch)
                    escaped = false
                } else if ch == "\\" {
                    escaped = true
                } else {
                    out.append(ch)
                }
            }
            return out
        }
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
            return String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
        }
        return value
    }

    /// `value` as a double-quoted YAML scalar, as `brief export` writes it.
    public static func quote(_ value: String) -> String {
        var out = "\""
        for ch in value {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}
