import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What `brief` does differently when a person reads its output on a terminal: text wraps to the
/// terminal's width, `show` uses a little colour (never with `NO_COLOR` set or `TERM=dumb`), and
/// output longer than the screen goes through `$BRIEF_PAGER`, else `$PAGER`, else `less -FRX`
/// (an empty value turns paging off). Piped output is plain, 80 columns, unpaged.
enum Terminal {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The terminal's size, or `nil` when stdout is not one.
    static func size() -> (columns: Int, rows: Int)? {
        guard isTerminal else { return nil }
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 {
            return (Int(w.ws_col), Int(w.ws_row))
        }
        let columns = environment["COLUMNS"].flatMap(Int.init) ?? 80
        let rows = environment["LINES"].flatMap(Int.init) ?? 24
        return (columns, rows)
    }

    /// The width to lay text out to (20…200 columns).
    static var width: Int { min(200, max(20, size()?.columns ?? 80)) }

    /// `colour = always|never` in the config file decides; `auto` (the default) means a
    /// terminal, without `NO_COLOR` set and not `TERM=dumb`.
    static var colour: Bool {
        switch (try? Config.load())?.colour ?? .auto {
        case .always: return true
        case .never: return false
        case .auto: return isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        }
    }

    /// `show`'s text with its title in bold and conflict lines in red.
    static func styleDetail(_ text: String) -> String {
        guard colour else { return text }
        var first = true
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            defer { first = false }
            if first { return "\u{1B}[1m\(line)\u{1B}[0m" }
            if line.hasPrefix("! ") { return "\u{1B}[31m\(line)\u{1B}[0m" }
            return String(line)
        }.joined(separator: "\n")
    }

    /// Shows `text` through the pager when it is longer than the terminal; `false` when it
    /// was not paged (not a terminal, short enough, paging off, or the pager failed to start).
    static func page(_ text: String) -> Bool {
        guard let size = size(), text.split(separator: "\n", omittingEmptySubsequences: false).count > size.rows - 1
        else { return false }
        let pager = environment["BRIEF_PAGER"] ?? environment["PAGER"] ?? "less -FRX"
        guard !pager.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", pager]
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "FRX" }
        process.environment = env
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            return false
        }
        // A pager that quits early closes the pipe: ignore the broken pipe, as git does.
        signal(SIGPIPE, SIG_IGN)
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        // 127: the shell found no such pager (no `less` here); the text is printed instead.
        return process.terminationStatus != 127
    }
}
