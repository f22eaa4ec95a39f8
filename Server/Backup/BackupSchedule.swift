import Foundation
import Logging

/// Backups the server takes itself (`briefd serve --backup-dir D --backup-every 1h --backup-keep 48`):
/// each is written, verified, and the oldest beyond `keep` removed. The last outcome shows in
/// `/healthz` and the log.
public struct BackupSchedule: Sendable {
    public let store: SQLiteSyncStore
    public let folder: URL
    /// Seconds between backups.
    public let every: Int64
    public let keep: Int
    public let status: BackupStatus
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(
        store: SQLiteSyncStore, folder: URL, every: Int64, keep: Int, status: BackupStatus, logger: Logger,
        now: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.folder = folder
        self.every = every
        self.keep = keep
        self.status = status
        self.logger = logger
        self.now = now
    }

    /// File names the schedule writes and rotates (it never touches other files).
    static let prefix = "briefd-"
    static let suffix = ".backup"

    /// Takes a backup every `every` seconds until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(every))
            } catch {
                return
            }
            await takeOne()
        }
    }

    /// One scheduled backup: write, verify, rotate; the outcome goes to `status` and the log.
    public func takeOne() async {
        let t = now()
        let url = folder.appendingPathComponent(Self.prefix + SQLiteSyncStore.stampName(t) + Self.suffix)
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let written = try store.backup(to: url, now: t)
            let checked = try SQLiteSyncStore.verifyBackup(url)
            guard checked == written else {
                throw BackupError(.damaged, "\(url.path) read back differently from what was written")
            }
            let removed = try rotate()
            await status.succeeded(at: t, file: url.lastPathComponent, highestSeq: written.highestSeq)
            logger.notice(
                "backup written and verified",
                metadata: [
                    "file": .string(url.path), "seq": .stringConvertible(written.highestSeq),
                    "records": .stringConvertible(written.counts.records), "removed": .stringConvertible(removed),
                ])
        } catch {
            let message = (error as? BackupError)?.message ?? (error as? StoreError)?.message ?? "\(error)"
            await status.failed(at: t, message: message)
            logger.error("backup failed", metadata: ["file": .string(url.path), "error": .string(message)])
        }
    }

    /// Removes the oldest scheduled backups beyond `keep`; returns how many.
    func rotate() throws -> Int {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
            $0.hasPrefix(Self.prefix) && $0.hasSuffix(Self.suffix)
        }.sorted()
        let old = names.dropLast(keep)
        for name in old { try FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
        return old.count
    }

    /// Parses `90s`, `30m`, `1h`, `2d` (or plain seconds) into seconds; `nil` if not one of those.
    public static func seconds(_ text: String) -> Int64? {
        guard let last = text.last, text.utf8.count <= 12 else { return nil }
        let unit: Int64
        var digits = Substring(text)
        switch last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86400
        default: unit = 1
        }
        if !last.isNumber { digits = digits.dropLast() }
        guard let n = Int64(digits), n > 0 else { return nil }
        let (total, overflow) = n.multipliedReportingOverflow(by: unit)
        return overflow ? nil : total
    }
}

/// The last scheduled backup's outcome, for `/healthz`.
public actor BackupStatus {
    /// What `/healthz` shows under `backup`.
    public struct Report: Sendable, Hashable, Codable {
        /// Backups written and verified since the server started.
        public var taken: Int = 0
        public var lastSuccess: Int64?
        public var lastFile: String?
        public var lastSeq: Int64?
        public var lastFailure: Int64?
        public var lastError: String?
        /// Whether the latest attempt succeeded (`nil` before the first).
        public var ok: Bool?
    }

    public private(set) var report = Report()

    public init() {}

    func succeeded(at: Int64, file: String, highestSeq: Int64) {
        report.taken += 1
        report.lastSuccess = at
        report.lastFile = file
        report.lastSeq = highestSeq
        report.ok = true
    }

    func failed(at: Int64, message: String) {
        report.lastFailure = at
        report.lastError = message
        report.ok = false
    }
}
