import BriefSyncModel
import Foundation

extension SyncService {
    func push(_ data: Data, token: String?) async throws -> Data {
        let (user, _) = try await authenticate(token)
        let body = try StrictJSON.decode(Wire.PushRequest.self, from: data, shape: StrictJSON.push)
        guard body.mutations.count <= limits.maxBatch else {
            throw APIError.tooLarge(
                "a push holds at most \(limits.maxBatch) mutations; this one has \(body.mutations.count): split it")
        }
        guard Set(body.mutations.map(\.id)).count == body.mutations.count else {
            throw APIError.badRequest("the batch repeats a mutation id; each mutation needs its own id")
        }
        if let bad = body.mutations.first(where: { $0.id.isEmpty || $0.replica.isEmpty || $0.delta.id.isEmpty }) {
            throw APIError.badRequest("mutation '\(bad.id)' needs a non-empty id, replica and record id")
        }
        let results = try await store.push(body.mutations, user: user, now: now())
        return try WireJSON.data(Wire.PushResponse(results: results))
    }

    func pull(_ query: [String: String], token: String?) async throws -> Data {
        let (_, memberships) = try await authenticate(token)
        let limit: Int
        if let l = query["limit"] {
            guard let n = Int(l), (1...limits.maxPull).contains(n) else {
                throw APIError.badRequest("limit must be a whole number from 1 to \(limits.maxPull)")
            }
            limit = n
        } else {
            limit = limits.defaultPull
        }
        guard let replica = query["replica"], !replica.isEmpty else {
            throw APIError.badRequest("give the replica id: /v1/pull?replica=ID")
        }
        let epoch = try await store.epoch()
        var after: Int64 = 0
        if let cursor = query["cursor"], !cursor.isEmpty {
            let parts = cursor.split(separator: ".")
            guard parts.count == 2, let seq = Int64(parts[1]), seq >= 0 else {
                throw APIError.badRequest(
                    "cursor '\(cursor)' is not one this server gave out; pull without a cursor to start over")
            }
            // A cursor from another epoch means the server's history was reset: start over.
            after = parts[0] == epoch ? seq : 0
        }
        let teams = Authorization.readableTeams(memberships).sorted()
        let page = try await store.pull(after: after, limit: limit, teams: teams, replica: replica)
        let next = page.records.last?.seq ?? after
        return try WireJSON.data(
            Wire.PullResponse(
                records: page.records, cursor: "\(epoch).\(next)", more: page.more, acked: page.acked, teams: teams))
    }

    func history(_ id: String, token: String?) async throws -> Data {
        let (_, memberships) = try await authenticate(token)
        guard let found = try await store.history(recordID: id) else {
            throw APIError.notFound("no such team or record")
        }
        try Authorization.check(memberships, team: found.team, action: .read)
        return try WireJSON.data(found.entries)
    }

    func setMember(_ team: String, _ user: String, _ data: Data, token: String?) async throws -> Data {
        let (_, memberships) = try await authenticate(token)
        try Authorization.check(memberships, team: team, action: .manageMembers)
        let body = try StrictJSON.decode([String: Wire.Role].self, from: data, shape: StrictJSON.member)
        try await store.setMember(team: team, user: user, role: body["role"]!)
        return try WireJSON.data(["status": "ok"])
    }

    func removeMember(_ team: String, _ user: String, token: String?) async throws -> Data {
        let (_, memberships) = try await authenticate(token)
        try Authorization.check(memberships, team: team, action: .manageMembers)
        try await store.setMember(team: team, user: user, role: nil)
        return try WireJSON.data(["status": "ok"])
    }
}
