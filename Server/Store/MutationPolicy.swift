import BriefSyncModel

/// Decides whether a pushed mutation may be merged: shape, clock and authorization. Pure, so
/// every backend applies the same rules.
enum MutationPolicy {
    /// Stamps more than this far ahead of the server clock are rejected (milliseconds).
    static let maxClockAhead: Int64 = 5 * 60 * 1000

    enum Decision: Equatable {
        case accept(team: String, owner: Int64)
        case reject(String)
    }

    /// What is wrong with a delta's shape (fields, stamps, tags, clock) whatever is stored: checked
    /// before the write transaction (``EncodedMutation``), and reported in ``decide`` after the
    /// checks that hide whether a record exists.
    static func shapeProblem(_ d: Record, now: Int64) -> String? {
        if let bad = d.fields.keys.first(where: { !allowed($0, kind: d.kind) }) {
            return "unknown field '\(bad)' for a \(d.kind.rawValue)"
        }
        for stamp in d.allStamps {
            if let problem = Wire.Validation.stampProblem(stamp) { return problem }
        }
        for tag in d.tags.added.keys {
            if let problem = Wire.Validation.tagProblem(tag) { return problem }
        }
        let latest = d.latestStamp
        if latest.physical > now + maxClockAhead {
            let ahead = (latest.physical - now) / 1000
            return "stamp is \(ahead) s ahead of the server clock (limit 300 s); fix this device's clock and sync again"
        }
        return nil
    }

    /// - Parameters:
    ///   - current: the record as stored, if it exists.
    ///   - parentTeam: for an annotation, the team of the briefing it belongs to; for a
    ///     conflict, the team of the record it is about (if that exists).
    ///   - shapeProblem: ``shapeProblem(_:now:)`` of the delta.
    static func decide(
        _ m: Mutation, current: StoredRecord?, parentTeam: String?, user: ServerUser,
        memberships: [Wire.Membership], now: Int64, shapeProblem: String?
    ) -> Decision {
        let d = m.delta
        let role = { (team: String) in Authorization.role(memberships, team: team) }
        // Not yours and does not exist get the same answer: a non-member learns nothing of a
        // record (its kind, its team) from a refusal.
        if let current, role(current.team) == nil {
            return .reject(notYours(d))
        }
        if let current, current.record.kind != d.kind {
            return .reject("record \(d.id) is a \(current.record.kind.rawValue), not a \(d.kind.rawValue)")
        }
        if let shapeProblem { return .reject(shapeProblem) }
        let team: String
        let action: Authorization.Action
        switch d.kind {
        case .briefing:
            let newTeam = d[Briefing.Field.team]?.string
            if let current {
                if let newTeam, !newTeam.utf8.elementsEqual(current.team.utf8) {
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
            if let author = d[Annotation.Field.author] {
                // Authorship is the server's to say: only the signed-in user's own name.
                guard author.string.map({ $0.utf8.elementsEqual(user.name.utf8) }) == true else {
                    return .reject("annotation \(d.id) is signed by someone else; an annotation's author is you")
                }
            }
            let anchors = [d[Annotation.Field.anchor], d[Annotation.Field.origin]].compactMap { $0 }
            if anchors.contains(where: { $0 != .null && Anchor(json: $0) == nil }) {
                return .reject("annotation \(d.id) has an anchor without a quote or with impossible positions")
            }
            if let current, let moved = d[Annotation.Field.briefing]?.string,
                moved != current.record[Annotation.Field.briefing]?.string
            {
                return .reject("annotation \(d.id) cannot move to another briefing")
            }
            guard let briefingTeam = parentTeam, role(briefingTeam) != nil else {
                return .reject(
                    "annotation \(d.id) belongs to a briefing the server does not have or that you cannot see; push the briefing first"
                )
            }
            team = briefingTeam
            action = .writeAnnotation(own: current.map { $0.owner == user.id } ?? true)
        case .conflict:
            // Conflicts are made by the server; members resolve them, never delete or tag them.
            guard d.deleted == nil, d.tags.isEmpty else {
                return .reject("conflict \(d.id) can only be resolved (status, resolution), not deleted or tagged")
            }
            if let current {
                guard d.fields.keys.allSatisfy({ [Conflict.Field.status, Conflict.Field.resolution].contains($0) })
                else {
                    return .reject("conflict \(d.id) can only be resolved (status, resolution)")
                }
                team = current.team
            } else {
                // A conflict a restored server lost, pushed back whole by a replica that holds it
                // (`docs/sync-model.md`): only about a record the server has, in a team where
                // the user may write.
                guard Conflict(record: d) != nil, let parentTeam, d[Conflict.Field.record]?.string != nil else {
                    return .reject(notYours(d))
                }
                team = parentTeam
            }
            action = .writeAnnotation(own: true)
        }
        if let reason = Authorization.denial(role: role(team), action: action, team: team) {
            return .reject(role(team) == nil ? notYours(d) : reason)
        }
        return .accept(team: team, owner: current?.owner ?? user.id)
    }

    /// The refusal for a record the user may not see, worded the same whether it exists or not.
    static func notYours(_ d: Record) -> String {
        "record \(d.id) is not in a team you belong to (or does not exist); check the team you logged in with"
    }

    static func allowed(_ field: String, kind: RecordKind) -> Bool {
        switch kind {
        case .briefing:
            if Briefing.Field.scalars.contains(field) { return true }
            let parts = field.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 3 && parts[0] == "section" && !parts[1].isEmpty
                && (parts[2] == "heading" || parts[2] == "text" || parts[2] == "level")
        case .annotation:
            return Annotation.Field.all.contains(field)
        case .conflict:
            return Conflict.Field.all.contains(field)
        }
    }
}
