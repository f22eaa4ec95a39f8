import BriefSyncModel
import Foundation

extension SyncClient {
    /// What a poke asked of a watching replica.
    enum PokeOutcome {
        /// The pull it carried is applied.
        case applied(SyncSummary)
        /// It carried a pull this replica already holds all of.
        case current
        /// Pull as usual: it carried no pull, or one that does not follow on from here.
        case pull
    }

    /// Applies the pull a poke carries (``Wire/Events/Poke``: the event's first data line names
    /// where it starts, its second is the page) when it follows on from this replica's cursor,
    /// saving the round trip of a pull. Anything else — no page, a page cut short or unreadable,
    /// another epoch, other teams, a cursor before the page's start, a heal under way — is
    /// `.pull`, and the watcher pulls as it would for a plain poke: the page only ever replaces a
    /// pull whose answer it is.
    func applyPoke(_ data: String) throws -> PokeOutcome {
        let bytes = Array(data.utf8)
        guard let newline = bytes.firstIndex(of: 10),
            let head = try? WireJSON.decode(Wire.Events.Poke.self, from: Data(bytes[..<newline])),
            let from = head.from.flatMap(Wire.Cursor.init),
            let (page, states) = try? Wire.PullResponse.decodeKeepingStates(Array(bytes[(newline + 1)...])),
            !page.more, page.acked.isEmpty
        else { return .pull }
        // Whether it follows on (cursor, epoch, teams, no heal) is decided inside the apply's transaction.
        let received = ReceivedPage(FetchedPage(page: page, states: states))
        do {
            let effect = try replica.applyPull(
                page, rows: received.rows, ours: [], meta: Self.finished(at: replica.now()), following: from)
            return .applied(
                SyncSummary(
                    pushed: 0, pulled: effect.received, merged: effect.merged, rejected: [],
                    conflicts: effect.conflicts))
        } catch let refused as Replica.NotFollowing {
            return refused.held ? .current : .pull
        }
    }
}
