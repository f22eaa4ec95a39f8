import BriefSyncModel
import Foundation
import GRDB

/// What `brief move` did.
public struct MoveResult: Sendable, Hashable, Codable {
    /// The briefing in the new team: the same id when it had never reached the server, else a copy's.
    public var id: String
    public var team: String
    /// Annotations copied with it (yours; every one when the briefing moved in place).
    public var annotations: Int
    /// Whether the original stays in its team (`--keep`, or it moved in place).
    public var keptOriginal: Bool
    /// Whether it moved in place (never synced), keeping its id.
    public var inPlace: Bool
}

extension Replica {
    /// Moves briefing `id` to `team`.
    ///
    /// A briefing the server has never had moves in place: its team changes, ids stay. One the
    /// server has cannot change team (the server refuses it: members of the old team hold it),
    /// so it is copied — same title, metadata, tags and sections (section keys too, so quotes
    /// anchor as before) with your annotations and replies — and the original is removed unless
    /// `keep`. Other members' annotations cannot be re-signed by you: with any present the move
    /// is refused unless `keep`, so nobody's note disappears with the original.
    public func move(_ id: String, toTeam team: String, keep: Bool = false) throws -> MoveResult {
        if let problem = Wire.Validation.nameProblem(team, what: "the team name") {
            throw ClientError(.invalidArgument, problem)
        }
        return try change { ctx in
            let record = try RecordStore.resolve(ctx.db, id, kind: .briefing)
            let briefing = Briefing(record: record)!
            if let known = try Replica.meta(ctx.db, "teams"), !known.isEmpty {
                let teams = known.split(separator: ",").map(String.init)
                guard teams.contains(where: { $0.utf8.elementsEqual(team.utf8) }) else {
                    throw ClientError(
                        .invalidArgument,
                        "you are not in team '\(team)' (your teams: \(teams.joined(separator: ", "))); nothing was moved"
                    )
                }
            }
            if let current = briefing.team, current.utf8.elementsEqual(team.utf8) {
                throw ClientError(
                    .invalidArgument, "briefing \(Identifier.short(record.id)) is already in team '\(team)'")
            }
            let annotations = try String.fetchAll(
                ctx.db,
                sql: "SELECT state FROM records WHERE briefing = ? AND kind = 'annotation' AND deleted = 0",
                arguments: [record.id]
            ).map { try WireJSON.decode(Record.self, from: $0) }.compactMap(Annotation.init(record:))
            let onServer =
                try Bool.fetchOne(ctx.db, sql: "SELECT on_server FROM records WHERE id = ?", arguments: [record.id])
                ?? false
            if !onServer {
                // Nobody has seen its queued changes: they are rewritten with the new team, as a
                // first login gives one (the server would refuse a later change of team).
                try Outbox.giveTeam(&ctx, [record], team: team)
                return MoveResult(
                    id: record.id, team: team, annotations: annotations.count, keptOriginal: false, inPlace: true)
            }
            let author = ctx.author
            let yours = Set(annotations.filter { $0.author.utf8.elementsEqual(author.utf8) }.map(\.id))
            // Yours, except replies to someone else's annotation (their parent stays behind).
            let mine = annotations.filter { yours.contains($0.id) && ($0.parent.map(yours.contains) ?? true) }
            let others = Set(annotations.map(\.author)).subtracting([author]).sorted()
            if !others.isEmpty, !keep {
                throw ClientError(
                    .invalidArgument,
                    "\(annotations.count - mine.count) annotation(s) by \(others.joined(separator: ", ")) are on this briefing and only their authors can move them; 'brief move \(Identifier.short(record.id)) --team \(team) --keep' copies it with your annotations and keeps the original; nothing was moved"
                )
            }
            var copy = briefing
            copy.id = ctx.newID()
            copy.team = team
            try ctx.apply(copy.record(at: ctx.stamp()))
            // New ids for your annotations; replies follow their parents (parents first).
            var newIDs: [String: String] = [:]
            for a in mine { newIDs[a.id] = ctx.newID() }
            for a in mine.sorted(by: { ($0.parent == nil ? 0 : 1, $0.id) < ($1.parent == nil ? 0 : 1, $1.id) }) {
                var moved = a
                moved.id = newIDs[a.id]!
                moved.briefing = copy.id
                moved.parent = a.parent.flatMap { newIDs[$0] }
                try ctx.apply(moved.record(at: ctx.stamp()))
            }
            if !keep {
                var delta = Record(id: record.id, kind: .briefing)
                delta.deleted = ctx.stamp()
                try ctx.apply(delta)
            }
            return MoveResult(id: copy.id, team: team, annotations: mine.count, keptOriginal: keep, inPlace: false)
        }
    }
}
