import BriefSyncModel
import Foundation

extension SyncService {
    func push(_ data: Data, caller: Caller) async throws -> Data {
        let user = caller.user
        let body = try StrictJSON.decode(
            Wire.PushRequest.self, from: data, shape: StrictJSON.push,
            maxArray: max(limits.maxBatch, Wire.Limits.maxSections))
        guard body.mutations.count <= limits.maxBatch else {
            throw APIError.tooLarge(
                "a push holds at most \(limits.maxBatch) mutations; this one has \(body.mutations.count): split it")
        }
        guard Set(body.mutations.map(\.id)).count == body.mutations.count else {
            throw APIError.badRequest("the batch repeats a mutation id; each mutation needs its own id")
        }
        for (i, m) in body.mutations.enumerated() {
            let problem =
                Wire.Validation.identifierProblem(m.id, what: "mutations[\(i)].id")
                ?? Wire.Validation.identifierProblem(m.replica, what: "mutations[\(i)].replica")
                ?? Wire.Validation.identifierProblem(m.delta.id, what: "mutations[\(i)].delta.id")
            if let problem { throw APIError.badRequest(problem + "; nothing was applied") }
            guard m.base >= 0 else {
                throw APIError.badRequest("mutations[\(i)].base is negative; nothing was applied")
            }
        }
        let outcome: PushOutcome
        do {
            outcome = try await store.push(body.mutations, epoch: body.epoch, user: user, now: now())
        } catch let mismatch as EpochMismatch {
            throw APIError.epochChanged(
                "this server was restored from a backup (epoch \(mismatch.current.epoch), your changes' bases are from \(body.epoch?.prefix(40) ?? "")); nothing was applied: pull from the start, rebase and push again ('brief sync' does this)"
            )
        }
        metrics?.pushed(outcome)
        if !outcome.changedTeams.isEmpty {
            // Every change of this push is after its lowest new sequence number's predecessor.
            let first = outcome.results.lazy.filter { $0.status == .applied && $0.seq > 0 }.map(\.seq).min()
            await events.poke(outcome.changedTeams, except: caller.tokenHash, after: first.map { $0 - 1 })
        }
        return try WireJSON.data(Wire.PushResponse(results: outcome.results))
    }

    func pull(_ query: [String: String], caller: Caller) async throws -> Data {
        let (user, memberships) = (caller.user, caller.memberships)
        let limit: Int
        if let l = query["limit"] {
            guard let n = Int(l), (1...limits.maxPull).contains(n) else {
                throw APIError.badRequest("limit must be a whole number from 1 to \(limits.maxPull)")
            }
            limit = n
        } else {
            limit = limits.defaultPull
        }
        guard let replica = query["replica"] else {
            throw APIError.badRequest("give the replica id: /v1/pull?replica=ID")
        }
        if let problem = Wire.Validation.identifierProblem(replica, what: "the replica id") {
            throw APIError.badRequest(problem)
        }
        var after: Int64 = 0
        var epoch: String? = nil
        if let text = query["cursor"], !text.isEmpty {
            guard let cursor = Wire.Cursor(text) else {
                throw APIError.badRequest(
                    "cursor '\(text.prefix(80))' is not one this server gave out; pull without a cursor to start over")
            }
            // A cursor from another epoch (the server was restored, so its sequence numbers mean
            // something else now) starts over: the store compares, and the new epoch in the
            // answer's cursor tells the client to heal.
            (after, epoch) = (cursor.seq, cursor.epoch)
        }
        var have = Wire.SeqRanges()
        if let text = query[Wire.SeqRanges.queryName] {
            guard let ranges = Wire.SeqRanges(text) else {
                throw APIError.badRequest(
                    "have must be ascending sequence numbers and ranges like 5-9,12 (at most \(Wire.SeqRanges.maxRanges), each from 1), or left out"
                )
            }
            have = ranges
        }
        let total: Bool
        switch query["total"] {
        case nil: total = false
        case "1": total = true
        default:
            throw APIError.badRequest("total takes only 1 (to count the records after the cursor), or leave it out")
        }
        let teams = Authorization.readableTeams(memberships).sorted()
        let page = try await store.pull(
            PullRequest(
                after: after, epoch: epoch, limit: limit, teams: teams, replica: replica, userID: user.id, have: have,
                total: total))
        metrics?.pulled(records: page.records.count)
        return Data(
            Wire.PullResponse.bytes(
                stored: page.records, cursor: Wire.Cursor(epoch: page.epoch, seq: page.reached).description,
                more: page.more, acked: page.acked, teams: teams, total: page.total))
    }

    func history(_ id: String, caller: Caller) async throws -> Data {
        let memberships = caller.memberships
        if let problem = Wire.Validation.identifierProblem(id, what: "the record id") {
            throw APIError.badRequest(problem)
        }
        guard let found = try await store.history(recordID: id) else {
            throw APIError.notFound("no such team or record")
        }
        try Authorization.check(memberships, team: found.team, action: .read)
        return try WireJSON.data(found.entries)
    }

    func setMember(_ team: String, _ user: String, _ data: Data, caller: Caller) async throws -> Data {
        let memberships = caller.memberships
        try Self.checkNames(team: team, user: user)
        try Authorization.check(memberships, team: team, action: .manageMembers)
        let body = try StrictJSON.decode([String: Wire.Role].self, from: data, shape: StrictJSON.member)
        try await store.setMember(team: team, user: user, role: body["role"]!, keepingAnOwner: true)
        await events.recheck()
        return try WireJSON.data(["status": "ok"])
    }

    func removeMember(_ team: String, _ user: String, caller: Caller) async throws -> Data {
        let memberships = caller.memberships
        try Self.checkNames(team: team, user: user)
        try Authorization.check(memberships, team: team, action: .manageMembers)
        try await store.setMember(team: team, user: user, role: nil, keepingAnOwner: true)
        await events.recheck()
        return try WireJSON.data(["status": "ok"])
    }

    /// Who is in a team: any member may look; for others the team does not exist.
    func members(_ team: String, caller: Caller) async throws -> Data {
        if let problem = Wire.Validation.nameProblem(team, what: "the team name") { throw APIError.badRequest(problem) }
        try Authorization.check(caller.memberships, team: team, action: .read)
        guard let members = try await store.members(team: team) else {
            throw APIError.notFound("no such team or record")
        }
        return try WireJSON.data(
            Wire.TeamMembers(team: team, members: members.map { .init(user: $0.user, role: $0.role) }))
    }

    static func checkNames(team: String, user: String) throws {
        if let problem = Wire.Validation.nameProblem(team, what: "the team name")
            ?? Wire.Validation.nameProblem(user, what: "the user name")
        {
            throw APIError.badRequest(problem)
        }
    }
}
