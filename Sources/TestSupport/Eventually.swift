import Foundation

/// Waits for an outcome: checks `condition` every 50 ms until it holds or `seconds` pass, and
/// returns whether it held. For what another process does in its own time, not a timing claim.
public func eventually(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}
