import BriefSyncModel
import Crypto
import Foundation

/// One push, applied inside one write transaction of any backend: replay detection, policy,
/// merge, versions and conflict records, in that order for every mutation of the batch.
struct PushPipeline<Transaction: StoreTransaction> {
    let tx: Transaction
    let user: ServerUser
    let now: Int64

    func run(_ mutations: [EncodedMutation]) throws -> PushOutcome {
        var changedTeams = Set<String>()
        var conflicts = 0
        let memberships = try tx.memberships(userID: user.id)
        var seq = try tx.sequence()
        var clock = HybridLogicalClock(replica: "server", last: try tx.meta(MetaKey.clock).flatMap(Stamp.init))
        var results: [Wire.MutationResult] = []
        for encoded in mutations {
            let m = encoded.mutation
            if let earlier = try tx.mutation(id: m.id) {
                // A replay: the same answer as the first time, and nothing changes. A refusal
                // carries the record as it is now, as the first answer did, so a client whose
                // first answer was lost can still undo the refused change on screen.
                let current =
                    earlier.status == .rejected
                    ? Self.visible(try tx.record(id: m.delta.id), memberships: memberships) : nil
                results.append(
                    .init(
                        id: m.id, status: earlier.status, seq: earlier.seq, reason: earlier.reason, current: current,
                        after: earlier.after))
                continue
            }
            let current = try tx.record(id: m.delta.id)
            let decision = MutationPolicy.decide(
                m, current: current, parentTeam: try parentTeam(of: m, current: current), user: user,
                memberships: memberships, now: now, shapeProblem: encoded.shapeProblem)
            let body = encoded.body
            switch decision {
            case .reject(let reason):
                try tx.insertMutation(outcome(m, seq: 0, status: .rejected, reason: reason), body: body)
                results.append(
                    .init(
                        id: m.id, status: .rejected, seq: 0, reason: reason,
                        current: Self.visible(current, memberships: memberships)))
            case .accept(let team, let owner):
                // Records are never deleted, so one that is not stored has no versions and no
                // applied changes: nothing was seen (two lookups saved on every new note).
                let seen = current == nil ? nil : try seenState(m)
                let (merged, clashes) = Reconcile.apply(
                    m.delta, to: current?.record, seen: seen, clock: &clock, wall: now)
                // Exactly the state before plus this delta: the replica can know the result
                // without pulling it back (``Wire/MutationResult/after``).
                let exact = clashes.isEmpty && merged == (current.map { Record.merge($0.record, m.delta) } ?? m.delta)
                let after = exact ? (current?.seq ?? 0) : nil
                seq += 1
                // A new record nothing merged into is its delta, already written.
                let state = current == nil && exact ? encoded.delta : try WireJSON.string(merged)
                try tx.saveRecord(merged, state: state, team: team, owner: owner, seq: seq)
                try tx.insertMutation(outcome(m, seq: seq, status: .applied, reason: nil, after: after), body: body)
                try tx.insertVersion(
                    version(merged, seq: seq, mutation: m.id, fields: Array(m.delta.fields.keys)), state: state)
                results.append(.init(id: m.id, status: .applied, seq: seq, after: after))
                changedTeams.insert(team)
                conflicts += clashes.count
                for clash in clashes {
                    seq += 1
                    let conflict = try self.conflict(clash, record: merged, incoming: m)
                    let record = conflict.record(at: clock.tick(wall: now))
                    let state = try WireJSON.string(record)
                    try tx.saveRecord(record, state: state, team: team, owner: user.id, seq: seq)
                    try tx.insertVersion(
                        version(record, seq: seq, mutation: m.id, fields: Array(record.fields.keys)), state: state)
                }
            }
        }
        try tx.setMeta(MetaKey.seq, String(seq))
        try tx.setMeta(MetaKey.clock, clock.last.description)
        if !changedTeams.isEmpty { try tx.announce(teams: Array(changedTeams)) }
        return PushOutcome(
            results: results, changedTeams: changedTeams.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
            conflicts: conflicts)
    }

    /// For an annotation, the team of its briefing; for a new conflict, the team of the record it
    /// is about. `nil` when that record is missing or of the wrong kind.
    func parentTeam(of m: Mutation, current: StoredRecord?) throws -> String? {
        switch m.delta.kind {
        case .annotation:
            let id = m.delta[Annotation.Field.briefing]?.string ?? current?.record[Annotation.Field.briefing]?.string
            guard let id, let placement = try tx.placement(ofRecord: id), placement.kind == .briefing else {
                return nil
            }
            return placement.team
        case .conflict where current == nil:
            guard let id = m.delta[Conflict.Field.record]?.string, let placement = try tx.placement(ofRecord: id),
                placement.kind != .conflict
            else { return nil }
            return placement.team
        default:
            return nil
        }
    }

    func outcome(
        _ m: Mutation, seq: Int64, status: Wire.MutationResult.Status, reason: String?, after: Int64? = nil
    ) -> StoredMutation {
        StoredMutation(
            id: m.id, replica: m.replica, userID: user.id, recordID: m.delta.id, seq: seq, status: status,
            reason: reason, received: now, after: after)
    }

    func version(_ record: Record, seq: Int64, mutation: String, fields: [String]) -> StoredVersion {
        StoredVersion(
            record: record, seq: seq, userID: user.id, mutation: mutation, received: now, fields: fields.sorted())
    }

    /// The stored record if the user may read it.
    static func visible(_ stored: StoredRecord?, memberships: [Wire.Membership]) -> Record? {
        stored.flatMap { c in
            Authorization.denial(role: Authorization.role(memberships, team: c.team), action: .read, team: c.team)
                == nil ? c.record : nil
        }
    }

    /// What the mutation's replica had seen of the record: the version at its base, plus the
    /// replica's own changes accepted since (it wrote them, so it knew them).
    func seenState(_ m: Mutation) throws -> Record? {
        var seen = try tx.versionState(recordID: m.delta.id, atOrBelow: m.base)
        for body in try tx.appliedBodies(recordID: m.delta.id, replica: m.replica, after: m.base) {
            let delta = try WireJSON.decode(Mutation.self, from: body).delta
            seen = seen.map { Record.merge($0, delta) } ?? delta
        }
        return seen
    }

    /// The conflict record for a clash, naming who wrote each side.
    func conflict(_ clash: Reconcile.TextClash, record: Record, incoming: Mutation) throws -> Conflict {
        func author(_ register: Register) throws -> String {
            if register.stamp.replica == "server" { return "merge" }
            if register.stamp.replica == incoming.replica { return user.name }
            return try tx.userName(ofReplica: register.stamp.replica) ?? "unknown"
        }
        func side(_ r: Register) throws -> Conflict.Side {
            Conflict.Side(text: r.value.string ?? "", author: try author(r), stamp: r.stamp)
        }
        let briefing = record.kind == .briefing ? record.id : (record[Annotation.Field.briefing]?.string ?? "")
        // Derived from the mutation and field, so a conflict's id is the same wherever it is recomputed.
        let digest = Array(SHA256.hash(data: Data("\(incoming.id)/\(clash.field)".utf8)))
        var bytes = SeededBytes(digest)
        return Conflict(
            id: Identifier.uuid(using: &bytes), record: record.id, briefing: briefing, field: clash.field,
            base: clash.base, winner: try side(clash.winner), loser: try side(clash.loser))
    }
}

/// Replays fixed bytes as a random number generator (for ids derived from a hash).
struct SeededBytes: RandomNumberGenerator {
    let bytes: [UInt8]
    var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    mutating func next() -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 {
            value = value << 8 | UInt64(bytes[index % bytes.count])
            index += 1
        }
        return value
    }
}
