import BriefSyncModel

/// A record as a store holds it.
struct StoredRecord: Sendable, Hashable {
    var record: Record
    var team: String
    var owner: Int64
    var seq: Int64
}

/// Decides whether a pushed mutation may be merged: shape, clock and authorization. Pure, so
/// every backend applies the same rules.
enum MutationPolicy {
    /// Stamps more than this far ahead of the server clock are rejected (milliseconds).
    static let maxClockAhead: Int64 = 5 * 60 * 1000

    enum Decision: Equatable {
        case accept(team: String, owner: Int64)
        case reject(String)
    }

    /// - Parameters:
    ///   - current: the record as stored, if it exists.
    ///   - briefingTeam: for an annotation, the team of the briefing it belongs to (if that exists).
    static func decide(
        _ m: Mutation, current: StoredRecord?, briefingTeam: String?, userID: Int64,
        memberships: [Wire.Membership], now: Int64
    ) -> Decision {
        let d = m.delta
        if let current, current.record.kind != d.kind {
            return .reject("record \(d.id) is a \(current.record.kind.rawValue), not a \(d.kind.rawValue)")
        }
        if let bad = d.fields.keys.first(where: { !allowed($0, kind: d.kind) }) {
            return .reject("unknown field '\(bad)' for a \(d.kind.rawValue)")
        }
        let latest = d.latestStamp
        if latest.physical > now + maxClockAhead {
            let ahead = (latest.physical - now) / 1000
            return .reject(
                "stamp is \(ahead) s ahead of the server clock (limit 300 s); fix this device's clock and sync again")
        }
        let team: String
        let action: Authorization.Action
        switch d.kind {
        case .briefing:
            let newTeam = d[Briefing.Field.team]?.string
            if let current {
                if let newTeam, newTeam != current.team {
                    return .reject("briefing \(d.id) belongs to team '\(current.team)'; moving it is not supported")
                }
                team = current.team
            } else {
                guard let newTeam, !newTeam.isEmpty else {
                    return .reject(
                        "briefing \(d.id) has no team; log in with 'brief login --team TEAM' so new briefings get one")
                }
                team = newTeam
            }
            action = .writeBriefing
        case .annotation:
            if let current, let moved = d[Annotation.Field.briefing]?.string,
                moved != current.record[Annotation.Field.briefing]?.string
            {
                return .reject("annotation \(d.id) cannot move to another briefing")
            }
            guard let briefingTeam else {
                return .reject(
                    "annotation \(d.id) belongs to a briefing the server does not have; push the briefing first")
            }
            team = briefingTeam
            action = .writeAnnotation(own: current.map { $0.owner == userID } ?? true)
        case .conflict:
            // Conflicts are made by the server; members resolve them.
            guard let current else {
                return .reject("conflict \(d.id) does not exist; conflicts are made by the server")
            }
            team = current.team
            action = .writeAnnotation(own: true)
        }
        let role = memberships.first { $0.team == team }?.role
        if let reason = Authorization.denial(role: role, action: action, team: team) {
            return .reject(reason)
        }
        return .accept(team: team, owner: current?.owner ?? userID)
    }

    static func allowed(_ field: String, kind: RecordKind) -> Bool {
        switch kind {
        case .briefing:
            if ["title", "source", "date", "status", "team", "sections"].contains(field) { return true }
            let parts = field.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 3 && parts[0] == "section" && !parts[1].isEmpty
                && (parts[2] == "heading" || parts[2] == "text")
        case .annotation:
            return ["briefing", "kind", "anchor", "note", "author", "parent", "state"].contains(field)
        case .conflict:
            return [Conflict.Field.status, Conflict.Field.resolution].contains(field)
        }
    }
}
