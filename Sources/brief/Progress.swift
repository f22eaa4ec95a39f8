import Foundation

/// One line of progress on stderr — count, total, rate, time left — redrawn in place, only when
/// stderr is a terminal (piped or redirected runs print nothing). At most ten redraws a second.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let lock = NSLock()

    /// `nil` when stderr is not a terminal.
    init?(_ label: String, unit: String) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.label = label
        self.unit = unit
    }

    func update(_ done: Int, of total: Int?) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard done > 0, now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        drawn = true
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        var line = "\r\(label): \(done)"
        if let total { line += " of \(total)" }
        line += " \(unit), \(Int(rate))/s"
        if let total, total > done, rate > 0 {
            line += ", about \(Self.duration(Double(total - done) / rate)) left"
        }
        // Clear what a longer earlier line left behind.
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    /// Ends the line (if one was drawn).
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        return s < 60 ? "\(s) s" : s < 3600 ? "\(s / 60) min \(s % 60) s" : "\(s / 3600) h \(s / 60 % 60) min"
    }
}
