import Foundation
import Logging

/// The settings of `briefd serve`: each from its flag, else its `BRIEFD_*` environment variable,
/// else its default. One table (``variables``) names them all, for `--help`, the docs and the
/// test that checks that a variable and its flag give the same server.
public struct ServeSettings: Sendable, Equatable {
    /// One setting's names.
    public struct Variable: Sendable {
        public let flag: String
        public let environment: String
        public let meaning: String
        public let defaultValue: String
    }

    public static let variables: [Variable] = [
        .init(
            flag: "--data", environment: "BRIEFD_DATA", meaning: "data folder of the embedded store",
            defaultValue: "$STATE_DIRECTORY, else /var/lib/briefd"),
        .init(
            flag: "--database", environment: "BRIEFD_DATABASE",
            meaning: "PostgreSQL address instead of the data folder", defaultValue: "none"),
        .init(flag: "--host", environment: "BRIEFD_HOST", meaning: "address to listen on", defaultValue: "127.0.0.1"),
        .init(
            flag: "--port", environment: "BRIEFD_PORT", meaning: "port to listen on (0: any free one, printed)",
            defaultValue: "8080"),
        .init(
            flag: "--backup-dir", environment: "BRIEFD_BACKUP_DIR", meaning: "folder for scheduled backups",
            defaultValue: "none (no scheduled backups)"),
        .init(
            flag: "--backup-every", environment: "BRIEFD_BACKUP_EVERY",
            meaning: "time between backups: 90s, 30m, 1h, 1d", defaultValue: "1h"),
        .init(
            flag: "--backup-keep", environment: "BRIEFD_BACKUP_KEEP", meaning: "scheduled backups kept",
            defaultValue: "48"),
        .init(
            flag: "--log-level", environment: "BRIEFD_LOG_LEVEL",
            meaning: "trace, debug, info, notice, warning, error, critical", defaultValue: "info"),
        .init(
            flag: "--log-format", environment: "BRIEFD_LOG_FORMAT", meaning: "text or json (one object per line)",
            defaultValue: "text"),
        .init(
            flag: "--trust-proxy", environment: "BRIEFD_TRUST_PROXY",
            meaning: "take the client address from X-Forwarded-For (true/false)", defaultValue: "false"),
        .init(
            flag: "--group-commit", environment: "BRIEFD_GROUP_COMMIT",
            meaning: "concurrent pushes share one transaction and fsync (true/false)", defaultValue: "true"),
    ]

    public var data: String
    public var database: String?
    public var host: String
    public var port: Int
    public var backupDir: String?
    /// Seconds between scheduled backups.
    public var backupEvery: Int64
    public var backupKeep: Int
    public var logLevel: Logger.Level
    public var logFormat: LogLineHandler.Format
    public var trustProxy: Bool
    /// Whether concurrent pushes share one transaction (``GroupCommit``); off only to compare.
    public var groupCommit: Bool

    /// The flags as given on the command line (`nil`: not given).
    public struct Flags: Sendable {
        public var data: String?
        public var database: String?
        public var host: String?
        public var port: Int?
        public var backupDir: String?
        public var backupEvery: String?
        public var backupKeep: Int?
        public var logLevel: String?
        public var logFormat: String?
        public var trustProxy: Bool?
        public var groupCommit: Bool?
        public init() {}
    }

    /// A setting that cannot be used, in words: which flag or variable, and what it takes.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The data folder when neither `--data` nor `BRIEFD_DATA` is given: systemd's
    /// `StateDirectory` (the first one), else `/var/lib/briefd`. Absolute, so it never depends
    /// on the working directory.
    public static func defaultData(_ environment: [String: String]) -> String {
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, state.hasPrefix("/") {
            return String(state)
        }
        return "/var/lib/briefd"
    }

    public static func resolve(_ flags: Flags, environment: [String: String]) throws -> ServeSettings {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        func number(_ flag: Int?, _ name: String, _ what: String, _ range: ClosedRange<Int>, _ fallback: Int) throws
            -> Int
        {
            if let flag {
                guard range.contains(flag) else {
                    throw Problem(description: "--\(what) takes \(range.lowerBound)…\(range.upperBound); got \(flag)")
                }
                return flag
            }
            guard let text = env(name) else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw Problem(
                    description:
                        "\(name)=\(text.prefix(40)) is not a number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        let everyText = flags.backupEvery ?? env("BRIEFD_BACKUP_EVERY") ?? "1h"
        guard let every = BackupSchedule.seconds(everyText) else {
            throw Problem(
                description:
                    "\(flags.backupEvery != nil ? "--backup-every" : "BRIEFD_BACKUP_EVERY") takes a duration such as 90s, 30m, 1h or 1d; got \(everyText.prefix(40))"
            )
        }
        let levelText = flags.logLevel ?? env("BRIEFD_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw Problem(
                description:
                    "\(flags.logLevel != nil ? "--log-level" : "BRIEFD_LOG_LEVEL") takes trace, debug, info, notice, warning, error or critical; got \(levelText.prefix(40))"
            )
        }
        let formatText = flags.logFormat ?? env("BRIEFD_LOG_FORMAT") ?? "text"
        guard let format = LogLineHandler.Format(rawValue: formatText) else {
            throw Problem(
                description:
                    "\(flags.logFormat != nil ? "--log-format" : "BRIEFD_LOG_FORMAT") takes text or json; got \(formatText.prefix(40))"
            )
        }
        func flag(_ given: Bool?, _ name: String, _ fallback: Bool) throws -> Bool {
            if let given { return given }
            guard let text = env(name) else { return fallback }
            switch text.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw Problem(description: "\(name) takes true or false; got \(text.prefix(40))")
            }
        }
        let trust = try flag(flags.trustProxy, "BRIEFD_TRUST_PROXY", false)
        let group = try flag(flags.groupCommit, "BRIEFD_GROUP_COMMIT", true)
        return ServeSettings(
            data: flags.data ?? env("BRIEFD_DATA") ?? defaultData(environment),
            database: flags.database ?? env("BRIEFD_DATABASE"),
            host: flags.host ?? env("BRIEFD_HOST") ?? "127.0.0.1",
            port: try number(flags.port, "BRIEFD_PORT", "port", 0...65535, 8080),
            backupDir: flags.backupDir ?? env("BRIEFD_BACKUP_DIR"),
            backupEvery: every,
            backupKeep: try number(flags.backupKeep, "BRIEFD_BACKUP_KEEP", "backup-keep", 1...100_000, 48),
            logLevel: level, logFormat: format, trustProxy: trust, groupCommit: group)
    }
}
