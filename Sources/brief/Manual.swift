import ArgumentParser
import BriefSyncModel
import Foundation

/// `brief manual`: the man page, generated from the same parser that reads the command line,
/// so it never drifts from `--help`. Install with `brief manual > ~/.local/share/man/man1/brief.1`.
struct Manual: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manual",
        abstract: "Print the brief(1) man page (roff).", shouldDisplay: false)

    func run() throws {
        print(try Self.page(), terminator: "")
    }

    /// The parser's own description of every command (`--experimental-dump-help`), read back.
    struct Command: Decodable {
        var commandName: String
        var abstract: String?
        var discussion: String?
        var shouldDisplay: Bool?
        var arguments: [Argument]?
        var subcommands: [Command]?
    }

    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }
        var kind: String
        var names: [Name]?
        var valueName: String?
        var abstract: String?
        var isOptional: Bool?
        var isRepeating: Bool?
        var shouldDisplay: Bool?
    }

    struct Dump: Decodable { var command: Command }

    static func page() throws -> String {
        var json = ""
        do {
            _ = try Brief.parseAsRoot(["--experimental-dump-help"])
        } catch {
            json = Brief.fullMessage(for: error)
        }
        let root = try JSONDecoder().decode(Dump.self, from: Data(json.utf8)).command
        var out = """
            .TH BRIEF 1 "" "brief \(BriefSyncVersion.number)" "BriefSync"
            .SH NAME
            brief \\- \(escape(root.abstract ?? ""))
            .SH SYNOPSIS
            .B brief
            [\\fB\\-\\-home\\fR \\fIDIR\\fR] [\\fB\\-\\-json\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]
            .SH DESCRIPTION

            """
        out += paragraphs(root.discussion ?? "")
        out += ".SH COMMANDS\n"
        for command in (root.subcommands ?? []) where command.shouldDisplay ?? true {
            out += describe(command, path: ["brief"])
        }
        out += """
            .SH ENVIRONMENT
            .TP
            .B BRIEF_HOME
            The replica folder when \\fB\\-\\-home\\fR is not given; else \\fB$XDG_DATA_HOME/brief\\fR, else \\fB$HOME/.brief\\fR.
            .TP
            .B BRIEF_CONFIG
            The config file; else \\fB$XDG_CONFIG_HOME/brief/config\\fR, else \\fB~/.config/brief/config\\fR (server, user, team, editor, colour).
            .TP
            .B VISUAL\\fR, \\fBEDITOR
            The editor for \\fBbrief edit\\fR without \\fB\\-\\-text\\fR (after the config file's; then \\fBeditor\\fR, \\fBvi\\fR).
            .TP
            .B BRIEF_PAGER\\fR, \\fBPAGER
            The pager for long output on a terminal (default \\fBless \\-FRX\\fR; empty turns paging off).
            .TP
            .B NO_COLOR
            Set: no colour, even on a terminal.
            .SH FILES
            .TP
            .I ~/.brief/replica.sqlite
            The replica (SQLite); readable with \\fBsqlite3\\fR through its \\fBbriefings_view\\fR, \\fBsections_view\\fR and \\fBannotations_view\\fR.
            .TP
            .I ~/.brief/credentials.json
            The session token (mode 0600).
            .SH EXIT STATUS
            0 done; 1 an error (nothing changed); 2 a usage error; 3 synced, but the server refused some changes (\\fBbrief rejected\\fR); 4 \\fBbrief search\\fR found nothing.
            .SH SEE ALSO
            \\fBbriefd\\fR(8), \\fBsqlite3\\fR(1)

            """
        return out
    }

    /// One command (and its subcommands): synopsis, abstract, discussion, options.
    static func describe(_ command: Command, path: [String]) -> String {
        let path = path + [command.commandName]
        // The options every command takes are in the synopsis, not repeated under each command.
        let common: Set<String> = ["help", "home", "json", "version"]
        let visible = (command.arguments ?? []).filter {
            ($0.shouldDisplay ?? true) && !common.contains($0.names?.last?.name ?? "")
        }
        var out = ".SS \(escape(path.joined(separator: " ")))\n"
        let positional = visible.filter { $0.kind == "positional" }.map { a -> String in
            let name = "\\fI" + escape(a.valueName ?? "value") + "\\fR" + (a.isRepeating == true ? "..." : "")
            return a.isOptional == true ? "[" + name + "]" : name
        }
        out += ".B \(escape(path.joined(separator: " ")))\n"
        if !positional.isEmpty || visible.contains(where: { $0.kind != "positional" }) {
            out +=
                (positional + (visible.contains { $0.kind != "positional" } ? ["[\\fIoptions\\fR]"] : []))
                .joined(separator: " ") + "\n"
        }
        out += ".PP\n" + escape(command.abstract ?? "") + "\n"
        if let discussion = command.discussion, !discussion.isEmpty { out += paragraphs(discussion) }
        for a in visible where a.kind != "positional" {
            let names = (a.names ?? []).map { ($0.kind == "short" ? "\\-" : "\\-\\-") + escape($0.name) }
            let value = a.kind == "option" ? " \\fI" + escape(a.valueName ?? "value") + "\\fR" : ""
            out += ".TP\n\\fB" + names.joined(separator: "\\fR, \\fB") + "\\fR" + value + "\n"
            out += escape(a.abstract ?? "") + "\n"
        }
        for sub in command.subcommands ?? [] where sub.shouldDisplay ?? true {
            out += describe(sub, path: path)
        }
        return out
    }

    /// Text as roff paragraphs: indented lines (examples) kept as they are, in `.nf` blocks.
    static func paragraphs(_ text: String) -> String {
        var out = ".PP\n"
        var literal = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let isExample = line.hasPrefix("  ")
            if isExample != literal {
                out += isExample ? ".nf\n.RS 4\n" : ".RE\n.fi\n"
                literal = isExample
            }
            if line.isEmpty {
                out += literal ? "\n" : ".PP\n"
            } else {
                out += escape(isExample ? String(line.dropFirst(2)) : String(line)) + "\n"
            }
        }
        if literal { out += ".RE\n.fi\n" }
        return out
    }

    /// Backslashes and hyphens escaped; a line starting with `.` or `'` is not a request.
    static func escape(_ text: String) -> String {
        var s = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": s += "\\e"
            case "-": s += "\\-"
            case _ where scalar.isASCII: s.unicodeScalars.append(scalar)
            // Anything else by its code point: troff reads ASCII whatever the locale.
            default: s += "\\[u" + String(format: "%04X", scalar.value) + "]"
            }
        }
        if s.hasPrefix(".") || s.hasPrefix("'") { s = "\\&" + s }
        return s
    }
}
