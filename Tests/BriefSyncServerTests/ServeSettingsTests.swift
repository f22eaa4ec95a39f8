import BriefSyncServer
import Foundation
import Logging
import Testing

/// Every `briefd serve` setting: its environment variable gives what its flag gives, a flag wins
/// over the variable, defaults are absolute, and a bad value is said with its name.
@Suite struct ServeSettingsTests {
    /// One value per setting, as a flag and as a variable.
    static let samples: [(String, String, @Sendable (inout ServeSettings.Flags) -> Void)] = [
        ("BRIEFD_DATA", "/srv/briefd", { $0.data = "/srv/briefd" }),
        ("BRIEFD_DATABASE", "postgres://b@db/b", { $0.database = "postgres://b@db/b" }),
        ("BRIEFD_HOST", "0.0.0.0", { $0.host = "0.0.0.0" }),
        ("BRIEFD_PORT", "9090", { $0.port = 9090 }),
        ("BRIEFD_BACKUP_DIR", "/srv/backups", { $0.backupDir = "/srv/backups" }),
        ("BRIEFD_BACKUP_EVERY", "30m", { $0.backupEvery = "30m" }),
        ("BRIEFD_BACKUP_KEEP", "7", { $0.backupKeep = 7 }),
        ("BRIEFD_LOG_LEVEL", "debug", { $0.logLevel = "debug" }),
        ("BRIEFD_LOG_FORMAT", "json", { $0.logFormat = "json" }),
        ("BRIEFD_TRUST_PROXY", "true", { $0.trustProxy = true }),
        ("BRIEFD_GROUP_COMMIT", "false", { $0.groupCommit = false }),
    ]

    @Test func everyVariableEqualsItsFlag() throws {
        #expect(Set(Self.samples.map(\.0)) == Set(ServeSettings.variables.map(\.environment)))
        let defaults = try ServeSettings.resolve(.init(), environment: [:])
        for (name, value, set) in Self.samples {
            var flags = ServeSettings.Flags()
            set(&flags)
            let byFlag = try ServeSettings.resolve(flags, environment: [:])
            let byVariable = try ServeSettings.resolve(.init(), environment: [name: value])
            #expect(byFlag == byVariable, "\(name)")
            #expect(byFlag != defaults, "\(name) changes something")
        }
    }

    @Test func flagsWinAndDefaultsAreAbsolute() throws {
        var flags = ServeSettings.Flags()
        flags.port = 7000
        #expect(try ServeSettings.resolve(flags, environment: ["BRIEFD_PORT": "9090"]).port == 7000)
        let plain = try ServeSettings.resolve(.init(), environment: [:])
        #expect(plain.data == "/var/lib/briefd" && plain.port == 8080 && plain.host == "127.0.0.1")
        #expect(plain.logLevel == .info && plain.logFormat == .text && !plain.trustProxy && plain.groupCommit)
        #expect(plain.backupEvery == 3600 && plain.backupKeep == 48)
        let systemd = try ServeSettings.resolve(.init(), environment: ["STATE_DIRECTORY": "/var/lib/briefd2:/other"])
        #expect(systemd.data == "/var/lib/briefd2")
    }

    @Test func badValuesAreNamed() {
        for (name, value, words) in [
            ("BRIEFD_PORT", "http", "BRIEFD_PORT=http is not a number from 0 to 65535"),
            ("BRIEFD_LOG_LEVEL", "loud", "BRIEFD_LOG_LEVEL takes trace, debug"),
            ("BRIEFD_LOG_FORMAT", "xml", "BRIEFD_LOG_FORMAT takes text or json"),
            ("BRIEFD_BACKUP_EVERY", "often", "BRIEFD_BACKUP_EVERY takes a duration"),
            ("BRIEFD_TRUST_PROXY", "maybe", "BRIEFD_TRUST_PROXY takes true or false"),
            ("BRIEFD_GROUP_COMMIT", "sometimes", "BRIEFD_GROUP_COMMIT takes true or false"),
        ] {
            #expect {
                _ = try ServeSettings.resolve(.init(), environment: [name: value])
            } throws: { error in
                "\(error)".hasPrefix(words)
            }
        }
    }
}

/// The log lines: JSON parses, one object per line; text stays one line whatever a value holds.
@Suite struct LogLineTests {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var all: [String] = []
        func add(_ s: String) { lock.withLock { all.append(s) } }
    }

    @Test func jsonLinesParseAndTextLinesCannotBeForged() throws {
        let lines = Lines()
        var json = Logger(label: "t") { LogLineHandler(label: $0, format: .json, level: .info, write: lines.add) }
        json[metadataKey: "component"] = "access"
        json.info("request", metadata: ["user": "eve\n{\"forged\":1}", "status": .stringConvertible(200)])
        json.debug("hidden")
        let text = Logger(label: "t") { LogLineHandler(label: $0, format: .text, level: .info, write: lines.add) }
        text.notice("login refused", metadata: ["user": "eve\ninfo forged=1", "client": "10.0.0.1"])
        #expect(lines.all.count == 2)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: String])
        #expect(object["message"] == "request" && object["user"] == "eve\n{\"forged\":1}" && object["status"] == "200")
        #expect(object["component"] == "access" && object["level"] == "info" && object["ts"]?.hasSuffix("Z") == true)
        #expect(lines.all.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().contains("\n") == false })
        #expect(lines.all[1].contains(#"user="eve\ninfo forged=1""#))
    }
}
