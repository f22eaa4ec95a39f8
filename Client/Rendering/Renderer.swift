import BriefSyncModel

/// Human-readable output for an 80-column terminal.
public enum Renderer {
    /// The `brief list` table.
    public static func table(_ rows: [BriefingSummary]) -> String {
        guard !rows.isEmpty else { return "No briefings yet. Import one with 'brief import FILE'.\n" }
        var out = "ID        TITLE                         SECT  ANN  TAGS            UPDATED\n"
        for r in rows {
            out += TextLayout.pad(Identifier.short(r.id), 8) + "  " + TextLayout.pad(r.title, 28) + "  "
            out +=
                TextLayout.pad(String(r.sections).leftPad(4), 4) + "  "
                + TextLayout.pad(String(r.annotations).leftPad(3), 3) + "  "
            out += TextLayout.pad(r.tags.joined(separator: ","), 14) + "  " + String(r.updated.prefix(10)) + "\n"
        }
        return out
    }

    /// `brief show`: title, sections with quotes marked `«…»[n]`, and the annotations of each
    /// section beneath it.
    public static func detail(_ d: BriefingDetail) -> String {
        var out = d.title + "\n"
        var facts = [
            "id \(Identifier.short(d.id))", d.status, "\(d.sections.count) sections",
            "\(d.annotations.count) annotations",
        ]
        if let team = d.team { facts.append("team \(team)") }
        if let source = d.source { facts.append("source \(source)") }
        if let date = d.date { facts.append(date) }
        if !d.tags.isEmpty { facts.append("tags " + d.tags.joined(separator: ", ")) }
        out += TextLayout.wrap(facts.joined(separator: " · ")) + "\n"
        for c in d.conflicts {
            let line =
                "! conflict \(Identifier.short(c.id)) on \(c.kind == "annotation" ? "note \(Identifier.short(c.record))" : "'\(c.label)'"): \(c.current.author) and \(c.other.author) both changed it; see 'brief conflicts'"
            out += TextLayout.wrap(line, indent: "  ") + "\n"
        }
        let numbers = Dictionary(d.annotations.enumerated().map { ($1.id, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        for section in d.sections {
            out += "\n"
            if !section.heading.isEmpty {
                // The document's levels: a `###` under a `##` shows as its child.
                out += String(repeating: "#", count: min(6, max(2, section.level ?? 2))) + " " + section.heading + "\n"
            }
            let here = d.annotations.filter { $0.section == section.key && $0.parent == nil }
            var marks: [(range: Range<Int>, open: String, close: String)] = []
            var lastEnd = -1
            for a in here.sorted(by: { ($0.start ?? 0) < ($1.start ?? 0) }) {
                guard let s = a.start, let e = a.end, s >= lastEnd else { continue }
                // `?` marks a place that is not certain (fuzzy or ambiguous).
                let sure = a.status == "anchored" || a.status == "moved"
                marks.append((s..<e, "«", "»[\(numbers[a.id]!)\(sure ? "" : "?")]"))
                lastEnd = e
            }
            let text = TextLayout.mark(section.text, marks)
            if !text.isEmpty { out += TextLayout.wrap(text) + "\n" }
            for a in here {
                out += annotationLine(a, number: numbers[a.id]!, indent: "  ")
                for reply in d.annotations where reply.parent == a.id {
                    out += annotationLine(reply, number: numbers[reply.id]!, indent: "      ")
                }
            }
        }
        let keys = Set(d.sections.map(\.key))
        let lost = d.annotations.filter { $0.parent == nil && !keys.contains($0.section) }
        if !lost.isEmpty {
            out += "\n## Orphaned annotations (their section is gone; see 'brief orphans')\n"
            for a in lost {
                out += annotationLine(a, number: numbers[a.id]!, indent: "  ")
                for reply in d.annotations where reply.parent == a.id {
                    out += annotationLine(reply, number: numbers[reply.id]!, indent: "      ")
                }
            }
        }
        return out
    }

    static func annotationLine(_ a: AnnotationView, number: Int, indent: String) -> String {
        var head = "\(indent)[\(number)] \(a.parent == nil ? a.kind : "reply") \(Identifier.short(a.id)) · \(a.author)"
        if let state = a.state { head += " · \(state)" }
        if a.parent == nil {
            let quote = "\"\(TextLayout.truncate(a.quote, 40))\""
            if let origin = a.origin, origin != a.quote {
                head += " · first made on \"\(TextLayout.truncate(origin, 40))\""
            }
            switch a.status {
            case "moved": head += " · moved here"
            case "fuzzy": head += " · fuzzy match for \(quote): check it"
            case "ambiguous": head += " · ambiguous: \(quote) fits several places"
            case "orphan": head += " · orphan: quote no longer in text: \(quote)"
            default: break
            }
        }
        var body = a.note
        if !a.tags.isEmpty { body += (body.isEmpty ? "" : " ") + a.tags.map { "#" + $0 }.joined(separator: " ") }
        if !body.isEmpty { head += ": " + body }
        return TextLayout.wrap(head, indent: indent + "    ") + "\n"
    }

    /// `brief conflicts`: each open conflict with both sides.
    public static func conflicts(_ list: [ConflictView]) -> String {
        guard !list.isEmpty else { return "No open conflicts.\n" }
        return list.map { c in
            var out = "conflict \(Identifier.short(c.id)) · \(c.kind) \(Identifier.short(c.record)) · \(c.label)\n"
            out +=
                TextLayout.wrap(
                    "  current (\(c.current.author)): " + c.current.text.replacingOccurrences(of: "\n", with: " ⏎ "),
                    indent: "    ") + "\n"
            out +=
                TextLayout.wrap(
                    "  other   (\(c.other.author)): " + c.other.text.replacingOccurrences(of: "\n", with: " ⏎ "),
                    indent: "    ") + "\n"
            out +=
                TextLayout.wrap("  base: " + c.base.replacingOccurrences(of: "\n", with: " ⏎ "), indent: "    ") + "\n"
            out += "  resolve: brief resolve \(Identifier.short(c.id)) --keep mine|theirs|base (or --text T)\n"
            return out
        }.joined(separator: "\n")
    }

    /// `brief log`: versions oldest first.
    public static func log(_ versions: [VersionView]) -> String {
        guard !versions.isEmpty else { return "No versions known yet; 'brief sync' fetches them.\n" }
        var out = "VERSION  WHEN              WHO       FIELDS\n"
        for v in versions {
            let when = String(v.at.prefix(16)).replacingOccurrences(of: "T", with: " ")
            out +=
                TextLayout.pad(String(v.version), 7) + "  " + TextLayout.pad(when, 16) + "  "
                + TextLayout.pad(v.user ?? "-", 8) + "  "
            out += TextLayout.truncate(v.fields.joined(separator: ", "), 40) + "\n"
        }
        return out
    }

    /// `brief log -p`: each version's header, then each changed field — one-line values as
    /// `- old` / `+ new`, texts as a line diff with one line of context around each change.
    public static func patches(_ patches: [VersionPatch]) -> String {
        guard !patches.isEmpty else { return "No versions known yet; 'brief sync' fetches them.\n" }
        var out = ""
        for p in patches {
            let when = String(p.at.prefix(16)).replacingOccurrences(of: "T", with: " ")
            out += "version \(p.version)  \(when)  \(p.user ?? "-")\(p.first ? "  (first known version)" : "")\n"
            if p.changes.isEmpty { out += "    (no field changed)\n" }
            for c in p.changes {
                out += "  \(c.name):\n"
                let multiline = (c.before ?? "").contains("\n") || (c.after ?? "").contains("\n")
                if !multiline {
                    if let b = c.before { out += "    - \(b)\n" }
                    if let a = c.after { out += "    + \(a)\n" }
                    continue
                }
                if c.before == nil || c.after == nil {
                    let (sign, text) = c.before == nil ? ("+", c.after!) : ("-", c.before!)
                    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                        out += "    \(sign) \(line)\n"
                    }
                } else {
                    out += diff(c.before!, c.after!)
                }
            }
            out += "\n"
        }
        return out
    }

    /// Changed lines with one line of context; `…` where unchanged lines are left out.
    static func diff(_ old: String, _ new: String) -> String {
        let lines = LineDiff.lines(old, new)
        let changed = lines.indices.filter { if case .same = lines[$0] { return false } else { return true } }
        var shown = Set<Int>()
        for i in changed { shown.formUnion(max(0, i - 1)...min(lines.count - 1, i + 1)) }
        var out = ""
        var last = -1
        for i in shown.sorted() {
            if i > last + 1 { out += "    …\n" }
            switch lines[i] {
            case .same(let l): out += "      \(l)\n"
            case .removed(let l): out += "    - \(l)\n"
            case .added(let l): out += "    + \(l)\n"
            }
            last = i
        }
        if last < lines.count - 1, !shown.isEmpty { out += "    …\n" }
        return out
    }

    /// `brief search` results.
    public static func hits(_ hits: [SearchHit]) -> String {
        guard !hits.isEmpty else { return "No matches.\n" }
        return hits.map { h in
            let what = h.kind == "annotation" ? "annotation \(Identifier.short(h.id)) on" : "briefing"
            let line = "\(what) \(Identifier.short(h.briefing)) \"\(TextLayout.truncate(h.title, 40))\" (\(h.field))\n"
            return line + TextLayout.wrap("    " + h.snippet.replacingOccurrences(of: "\n", with: " "), indent: "    ")
                + "\n"
        }.joined()
    }

    /// `brief status`.
    public static func status(_ s: ReplicaStatus) -> String {
        var rows: [(String, String)] = [
            ("replica", s.path), ("replica id", s.replica), ("name", s.name),
            ("records", "\(s.briefings) briefings, \(s.annotations) annotations"),
            ("pending", s.pending == 0 ? "nothing to sync" : "\(s.pending) change(s) not yet synced"),
        ]
        if s.rejected > 0 {
            rows.append(("rejected", "\(s.rejected) change(s) refused by the server, kept: see 'brief rejected'"))
        }
        if s.conflicts > 0 { rows.append(("conflicts", "\(s.conflicts) open: see 'brief conflicts'")) }
        if s.revokePending > 0 {
            rows.append(("logout", "\(s.revokePending) old token(s) not yet revoked: run 'brief logout' when online"))
        }
        if let server = s.server {
            rows.append(("server", server))
            rows.append(("user", s.user ?? "-"))
            if let team = s.team { rows.append(("team", team)) }
            rows.append(("last sync", s.lastSync ?? "never"))
            if let e = s.lastError { rows.append(("last error", e)) }
        } else {
            rows.append(("server", "none (offline only; 'brief login' to share)"))
        }
        return rows.map { TextLayout.pad($0.0, 11) + " " + $0.1 }.joined(separator: "\n") + "\n"
    }

    /// A Markdown document: the briefing's sections, each annotation as a footnote after its quote.
    public static func markdown(_ d: BriefingDetail) -> String {
        var out = "---\n"
        out += "id: \(d.id)\n"
        out += "title: \(FrontMatter.quote(d.title))\n"
        if let team = d.team { out += "team: \(FrontMatter.quote(team))\n" }
        out += "status: \(d.status)\n"
        if let source = d.source { out += "source: \(FrontMatter.quote(source))\n" }
        if let date = d.date { out += "date: \(FrontMatter.quote(date))\n" }
        if !d.tags.isEmpty { out += "tags: [" + d.tags.map(FrontMatter.quote).joined(separator: ", ") + "]\n" }
        out += "---\n\n# \(d.title)\n"
        // Footnotes numbered 1, 2, 3… in reading order; replies go under their parent's.
        let order = Dictionary(d.sections.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        let top = d.annotations.filter { $0.parent == nil }.sorted {
            (order[$0.section] ?? Int.max, $0.end ?? Int.max, $0.id) < (
                order[$1.section] ?? Int.max, $1.end ?? Int.max, $1.id
            )
        }
        let numbers = Dictionary(top.enumerated().map { ($1.id, $0 + 1) }, uniquingKeysWith: { a, _ in a })
        for section in d.sections {
            out += "\n"
            if !section.heading.isEmpty {
                out += String(repeating: "#", count: min(6, max(2, section.level ?? 2))) + " \(section.heading)\n\n"
            }
            let marks = top.filter { $0.section == section.key }.compactMap {
                a -> (range: Range<Int>, open: String, close: String)? in
                guard let e = a.end else { return nil }
                return (e..<e, "", "[^\(numbers[a.id]!)]")
            }
            if !section.text.isEmpty { out += hardBreaks(TextLayout.mark(section.text, marks)) + "\n" }
        }
        if !top.isEmpty { out += "\n" }
        for a in top {
            out += footnote(a, numbers[a.id]!) + "\n"
            for r in d.annotations where r.parent == a.id {
                out += "    - \(r.author): " + indented(r.note, "      ") + " <!-- annotation \(r.id) -->\n"
            }
        }
        return out
    }

    /// One footnote: kind (and a watch item's state), author, quote, note, tags, and the
    /// annotation's id in an HTML comment (invisible when rendered, kept for tools).
    static func footnote(_ a: AnnotationView, _ n: Int) -> String {
        let state = a.state.map { " (\($0))" } ?? ""
        let quote = a.quote.replacingOccurrences(of: "\n", with: " ")
        var text = "[^\(n)]: **\(a.kind)**\(state) (\(a.author)) “\(quote)”"
        if !a.note.isEmpty { text += " — " + indented(a.note, "    ") }
        if !a.tags.isEmpty { text += " " + a.tags.map { "#" + $0 }.joined(separator: " ") }
        if a.start == nil { text += " (quote no longer in the text)" }
        return text + " <!-- annotation \(a.id) -->"
    }

    /// A briefing's line breaks kept when Markdown is rendered: two trailing spaces (a hard
    /// break) on each line followed by another, outside code blocks. The importer trims
    /// trailing spaces, so the text comes back exactly.
    static func hardBreaks(_ text: String) -> String {
        // The importer's own reading of code fences, so both sides agree on what is code.
        let lines = BriefingParser.classify(
            text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        return lines.indices.map { i -> String in
            let line = lines[i]
            let next = i + 1 < lines.count ? lines[i + 1] : nil
            let breakHere =
                !line.code && !line.text.allSatisfy(\.isWhitespace)
                && next.map { !$0.code && !$0.text.allSatisfy(\.isWhitespace) } == true
            return breakHere ? line.text + "  " : line.text
        }.joined(separator: "\n")
    }

    /// `text` with every line after the first indented, so it stays inside its footnote or item.
    static func indented(_ text: String, _ indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : indent + $0.element }.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

extension Renderer {
    /// `brief rejected`: each refused change with its record, what it wrote and why.
    public static func rejected(_ changes: [RejectedChange]) -> String {
        guard !changes.isEmpty else { return "No refused changes.\n" }
        var out = ""
        for c in changes {
            let title = c.title.map { " \"\(TextLayout.truncate($0, 40))\"" } ?? ""
            out += "\(Identifier.short(c.id))  \(c.kind) \(Identifier.short(c.record))\(title)  \(c.at)\n"
            out += TextLayout.wrap("    why: " + c.reason, indent: "         ") + "\n"
            for name in c.fields.keys.sorted() {
                let value = c.fields[name]!.replacingOccurrences(of: "\n", with: " ⏎ ")
                out += "    \(name): " + TextLayout.truncate(value, 200) + "\n"
            }
            if !c.tagsAdded.isEmpty { out += "    tags: " + c.tagsAdded.joined(separator: ", ") + "\n" }
            if c.deleted { out += "    (deletion)\n" }
        }
        out +=
            "Retry with 'brief rejected retry ID' (or --all) after fixing the cause; discard with 'brief rejected drop ID'.\n"
        return out
    }
}

extension Renderer {
    /// `brief orphans`.
    public static func unplaced(_ list: [UnplacedAnnotation]) -> String {
        guard !list.isEmpty else { return "Every annotation is on its passage.\n" }
        var out = ""
        for a in list {
            out +=
                "\(Identifier.short(a.id))  \(a.status)  \(a.kind) by \(a.author) on \(Identifier.short(a.briefing)) \"\(TextLayout.truncate(a.title, 30))\"\n"
            let made = "…\(a.prefix.suffix(24))[\(a.quote)]\(a.suffix.prefix(24))…".replacingOccurrences(
                of: "\n", with: " ")
            out += TextLayout.wrap("    made on: " + made, indent: "      ") + "\n"
            if let c = a.candidate { out += TextLayout.wrap("    now near: \"\(c)\"", indent: "      ") + "\n" }
            if !a.note.isEmpty { out += TextLayout.wrap("    note: " + a.note, indent: "      ") + "\n" }
        }
        out += "Confirm a fuzzy place with 'brief confirm ID'; relink with 'brief reanchor ID --quote TEXT'.\n"
        return out
    }
}
