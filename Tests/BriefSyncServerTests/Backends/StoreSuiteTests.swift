import BriefSyncModel
import BriefSyncServer
import Foundation
import TestSupport
import Testing

/// Every behaviour of ``SyncStore``, tested once and run against every backend: what
/// `SyncStore.swift` promises holds on SQLite and PostgreSQL alike.
@Suite struct StoreSuiteTests {
    /// A fresh store for one test; `body` gets it, then it is dropped.
    func withStore(_ backend: TestBackend, _ body: (any SyncStore, TestStore) async throws -> Void) async throws {
        let dir = TemporaryDirectory("store-suite")
        let stored = try await backend.makeStore(folder: dir.file("server"))
        do {
            try await body(stored.store, stored)
        } catch {
            await stored.drop()
            dir.remove()
            throw error
        }
        await stored.drop()
        dir.remove()
    }

    static let t0: Int64 = 1_780_000_000_000

    func briefing(_ id: String, title: String, team: String = "analysts", at ms: Int64 = t0, replica: String = "r1")
        -> Record
    {
        var delta = Record(id: id, kind: .briefing)
        let stamp = Stamp(physical: ms, counter: 0, replica: replica)
        delta.set(Briefing.Field.title, .string(title), at: stamp)
        delta.set(Briefing.Field.team, .string(team), at: stamp)
        return delta
    }

    func code(_ body: () async throws -> Void) async -> StoreError.Code? {
        do {
            try await body()
            return nil
        } catch let error as StoreError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test(arguments: TestBackend.all) func accountsKeepOneIdentityPerName(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let alice = try await store.addUser(name: "alice", passwordHash: "h1", now: 1)
            let zed = try await store.addUser(name: "Zed", passwordHash: "h2", now: 1)
            _ = try await store.addUser(name: "\u{C9}mile", passwordHash: "h3", now: 1)
            #expect(alice.id != zed.id)
            #expect(await code { _ = try await store.addUser(name: "alice", passwordHash: "x", now: 2) } == .exists)
            // NFD of an existing NFC name is the same identity.
            #expect(
                await code { _ = try await store.addUser(name: "E\u{301}mile", passwordHash: "x", now: 2) } == .exists)
            #expect(
                await code { _ = try await store.addUser(name: "bad\u{0}name", passwordHash: "x", now: 2) } == .invalid)
            // Byte-wise order, whatever the database's collation.
            #expect(try await store.users().map(\.name) == ["Zed", "alice", "\u{C9}mile"])
            let found = try await store.user(named: "alice")
            #expect(found?.user == alice && found?.passwordHash == "h1")
            #expect(try await store.user(named: "ALICE") == nil)
            #expect(await code { try await store.setDisabled("nobody", true) } == .notFound)
        }
    }

    @Test(arguments: TestBackend.all) func teamsAndMembersByteWise(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let bob = try await store.addUser(name: "bob", passwordHash: "h", now: 1)
            _ = try await store.addUser(name: "Ann", passwordHash: "h", now: 1)
            try await store.addTeam(name: "zeta", now: 1)
            try await store.addTeam(name: "Alpha", now: 1)
            #expect(await code { try await store.addTeam(name: "zeta", now: 2) } == .exists)
            #expect(await code { try await store.setMember(team: "nope", user: "bob", role: .editor) } == .notFound)
            #expect(await code { try await store.setMember(team: "zeta", user: "nope", role: .editor) } == .notFound)
            try await store.setMember(team: "zeta", user: "bob", role: .viewer)
            try await store.setMember(team: "zeta", user: "bob", role: .owner)
            try await store.setMember(team: "zeta", user: "Ann", role: .editor)
            try await store.setMember(team: "Alpha", user: "bob", role: .editor)
            let teams = try await store.teams()
            #expect(teams.map(\.name) == ["Alpha", "zeta"])
            #expect(teams[1].members == [.init(user: "Ann", role: .editor), .init(user: "bob", role: .owner)])
            #expect(
                try await store.memberships(userID: bob.id) == [
                    Wire.Membership(team: "Alpha", role: .editor), Wire.Membership(team: "zeta", role: .owner),
                ])
            try await store.setMember(team: "Alpha", user: "bob", role: nil)
            #expect(await code { try await store.setMember(team: "Alpha", user: "bob", role: nil) } == .notFound)
            #expect(try await store.memberships(userID: bob.id) == [Wire.Membership(team: "zeta", role: .owner)])
            // One team's members, byte order; no such team is nil, not an empty list.
            #expect(
                try await store.members(team: "zeta") == [
                    .init(user: "Ann", role: .editor), .init(user: "bob", role: .owner),
                ])
            #expect(try await store.members(team: "Alpha") == [])
            #expect(try await store.members(team: "nope") == nil)
            // Keeping an owner: the only owner can neither leave nor step down; another can.
            for role in [nil, Wire.Role.editor] {
                #expect(
                    await code {
                        try await store.setMember(team: "zeta", user: "bob", role: role, keepingAnOwner: true)
                    } == .lastOwner)
            }
            try await store.setMember(team: "zeta", user: "Ann", role: .owner, keepingAnOwner: true)
            try await store.setMember(team: "zeta", user: "bob", role: nil, keepingAnOwner: true)
            #expect(try await store.members(team: "zeta") == [.init(user: "Ann", role: .owner)])
        }
    }

    @Test(arguments: TestBackend.all) func tokensExpireAndRevoke(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let carol = try await store.addUser(name: "carol", passwordHash: "h", now: 1)
            try await store.addToken(hash: "t1", userID: carol.id, now: 10, expires: 100)
            try await store.addToken(hash: "t2", userID: carol.id, now: 10, expires: 100)
            #expect(try await store.user(tokenHash: "t1", now: 99) == carol)
            #expect(try await store.user(tokenHash: "t1", now: 100) == nil)
            #expect(try await store.user(tokenHash: "unknown", now: 50) == nil)
            try await store.revokeToken(hash: "t1")
            #expect(try await store.user(tokenHash: "t1", now: 50) == nil)
            #expect(try await store.user(tokenHash: "t2", now: 50) == carol)
            // Disabling a user revokes every token they hold.
            try await store.setDisabled("carol", true)
            try await store.setDisabled("carol", false)
            #expect(try await store.user(tokenHash: "t2", now: 50) == nil)
        }
    }

    @Test(arguments: TestBackend.all) func loginLimitsCountAndForgive(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let rule = LoginRule(user: "dana", address: "10.0.0.1")
            for i in 0..<5 { #expect(try await store.admitLogin(rule, now: 1_000 + Int64(i)) == nil) }
            // The sixth within the minute waits until the oldest leaves the window.
            #expect(try await store.admitLogin(rule, now: 2_000) == 1_000 + 60_000 - 2_000)
            // Someone elsewhere typing the same name is not locked out.
            #expect(try await store.admitLogin(LoginRule(user: "dana", address: "10.0.0.2"), now: 2_000) == nil)
            // After the window, attempts are forgotten.
            #expect(try await store.admitLogin(rule, now: 61_001) == nil)
            // A success clears the user's count at that address.
            try await store.loginSucceeded(rule)
            for i in 0..<5 { #expect(try await store.admitLogin(rule, now: 61_100 + Int64(i)) == nil) }
            // Twenty attempts from one address across names, then that address waits.
            let flood = (0..<20).map { LoginRule(user: "u\($0)", address: "10.9.9.9") }
            for r in flood { #expect(try await store.admitLogin(r, now: 70_000) == nil) }
            #expect(try await store.admitLogin(LoginRule(user: "other", address: "10.9.9.9"), now: 70_001) == 59_999)
        }
    }

    @Test(arguments: TestBackend.all) func pushNumbersPullsPagesAndKeepsHistory(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, stored in
            let ed = try await store.addUser(name: "ed", passwordHash: "h", now: 1)
            let vi = try await store.addUser(name: "vi", passwordHash: "h", now: 1)
            try await store.addTeam(name: "analysts", now: 1)
            try await store.setMember(team: "analysts", user: "ed", role: .editor)
            try await store.setMember(team: "analysts", user: "vi", role: .viewer)
            let now = Self.t0 + 1_000
            let batch = (1...5).map {
                Mutation(id: "m\($0)", replica: "r1", delta: briefing("b\($0)", title: "T\($0)"))
            }
            let results = try await store.push(batch, user: ed, now: now).results
            #expect(results.map(\.status) == Array(repeating: .applied, count: 5))
            #expect(results.map(\.seq) == [1, 2, 3, 4, 5])
            // A replay gets the same answer and changes nothing.
            #expect(try await store.push([batch[2]], user: ed, now: now).results.map(\.seq) == [3])
            // A viewer's write is refused, and its replay carries the record as it is.
            let refused = Mutation(id: "m-vi", replica: "r2", delta: briefing("b1", title: "mine", replica: "r2"))
            let first = try await store.push([refused], user: vi, now: now).results
            let again = try await store.push([refused], user: vi, now: now).results
            #expect(first[0].status == .rejected && again[0].status == .rejected)
            #expect(again[0].current?[Briefing.Field.title]?.string == "T1")
            // An edit makes version 6 of b1.
            var edit = Record(id: "b1", kind: .briefing)
            edit.set(
                Briefing.Field.title, .string("T1 edited"), at: Stamp(physical: Self.t0 + 10, counter: 0, replica: "r1")
            )
            #expect(
                try await store.push([Mutation(id: "m6", replica: "r1", delta: edit, base: 1)], user: ed, now: now)
                    .results.map(
                        \.seq) == [6])
            // b1 moved to 6: after 2 come b3, b4, b5 and b1.
            #expect(try await store.count(after: 2, teams: ["analysts"]) == 4)
            #expect(try await store.count(after: 0, teams: ["other"]) == 0)
            // Pages by sequence; acks only to the replica's own user, and only up to the page's end.
            let page1 = try await store.pull(after: 0, limit: 2, teams: ["analysts"], replica: "r1", userID: ed.id)
            #expect((try page1.records.map { try $0.decoded().record.id }) == ["b2", "b3"] && page1.more)
            // m1's version (1) is gone from the pages, but it is acknowledged with them.
            #expect(page1.acked == ["m1", "m2", "m3"])
            let page2 = try await store.pull(after: 3, limit: 10, teams: ["analysts"], replica: "r1", userID: ed.id)
            #expect(page2.records.map(\.seq) == [4, 5, 6] && !page2.more)
            #expect(page2.acked == ["m4", "m5", "m6"])
            let other = try await store.pull(after: 0, limit: 10, teams: ["analysts"], replica: "r1", userID: vi.id)
            #expect(other.acked.isEmpty)
            let history = try #require(try await store.history(recordID: "b1"))
            #expect(history.team == "analysts")
            #expect(history.entries.map(\.seq) == [1, 6] && history.entries.map(\.user) == ["ed", "ed"])
            #expect(history.entries[1].fields == [Briefing.Field.title])
            #expect(try await store.history(recordID: "nope") == nil)
            // Another server on the same database (or a reopened one) sees the same epoch and data.
            let epoch = try await store.epoch()
            #expect(epoch.epoch.count == 8 && epoch.ancestors.isEmpty)
            let second = try await stored.another()
            #expect(try await second.epoch() == epoch)
            #expect(try await second.count(after: 0, teams: ["analysts"]) == 5)
        }
    }

    /// Editor `ed` of team `analysts`, who has pushed briefings b1…b3 (sequence numbers 1…3).
    func threeBriefings(_ store: any SyncStore) async throws -> ServerUser {
        let ed = try await store.addUser(name: "ed", passwordHash: "h", now: 1)
        try await store.addTeam(name: "analysts", now: 1)
        try await store.setMember(team: "analysts", user: "ed", role: .editor)
        let batch = (1...3).map { Mutation(id: "m\($0)", replica: "r1", delta: briefing("b\($0)", title: "T")) }
        _ = try await store.push(batch, user: ed, now: Self.t0 + 1_000)
        return ed
    }

    @Test(arguments: TestBackend.all) func renewingTheEpochKeepsItsLineage(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let ed = try await threeBriefings(store)
            let first = try await store.epoch()
            let (old, new) = try await store.renewEpoch()
            #expect(old == first && new.epoch != first.epoch && new.epoch.count == 8)
            #expect(new.ancestors == [Wire.Epoch.Ancestor(epoch: first.epoch, upTo: 3)])
            #expect(try await store.epoch() == new)
            let (_, newer) = try await store.renewEpoch()
            #expect(newer.ancestors.map(\.epoch) == [new.epoch, first.epoch])
            // Sequence numbers go on from where they were.
            let more = Mutation(id: "m4", replica: "r1", delta: briefing("b4", title: "T"))
            #expect(try await store.push([more], user: ed, now: Self.t0 + 2_000).results.map(\.seq) == [4])
        }
    }

    /// A push or a pull naming an epoch is checked against the store's in its own transaction: a
    /// push of another epoch applies nothing; a pull from another epoch's cursor starts over at 0,
    /// its `have` (that epoch's numbers) ignored, and its count and cursor of the store's epoch.
    @Test(arguments: TestBackend.all) func anotherEpochIsAnsweredInTheSameTransaction(_ backend: TestBackend)
        async throws
    {
        try await withStore(backend) { store, _ in
            let ed = try await threeBriefings(store)
            let (old, new) = try await store.renewEpoch()
            let late = Mutation(id: "m4", replica: "r1", delta: briefing("b4", title: "T"))
            do {
                _ = try await store.push([late], epoch: old.epoch, user: ed, now: Self.t0 + 2_000)
                Issue.record("a push of the old epoch was applied")
            } catch let mismatch as EpochMismatch {
                #expect(mismatch.current == new)
            }
            #expect(try await store.count(after: 0, teams: ["analysts"]) == 3)
            #expect(
                try await store.push([late], epoch: new.epoch, user: ed, now: Self.t0 + 2_000).results.map(\.seq) == [4]
            )

            let stale = try await store.pull(
                PullRequest(
                    after: 3, epoch: old.epoch, limit: 10, teams: ["analysts"], replica: "r1", userID: ed.id,
                    have: Wire.SeqRanges([2]), total: true))
            #expect(stale.records.map(\.seq) == [1, 2, 3, 4] && stale.epoch == new.epoch && stale.total == 4)
            #expect(stale.reached == 4 && stale.acked == ["m1", "m2", "m3", "m4"])
            let current = try await store.pull(
                PullRequest(
                    after: 3, epoch: new.epoch, limit: 10, teams: ["analysts"], replica: "r1", userID: ed.id,
                    have: Wire.SeqRanges([4]), total: true))
            #expect(current.records.isEmpty && current.reached == 4 && current.total == 1 && current.acked.isEmpty)
        }
    }

    @Test(arguments: TestBackend.all) func adminChangesPasswordsTokensAndTeamNames(_ backend: TestBackend) async throws
    {
        try await withStore(backend) { store, _ in
            let ed = try await store.addUser(name: "ed", passwordHash: "old", now: 1)
            try await store.addTeam(name: "analysts", now: 1)
            try await store.addTeam(name: "ops", now: 1)
            try await store.setMember(team: "analysts", user: "ed", role: .editor)
            try await store.addToken(hash: "aaaaaa11", userID: ed.id, now: 10, expires: 1_000)
            try await store.addToken(hash: "aaaaaa22", userID: ed.id, now: 20, expires: 1_000)
            try await store.addToken(hash: "bbbbbb33", userID: ed.id, now: 30, expires: 1_000)
            #expect(try await store.tokens(of: "ed").map(\.id) == ["bbbbbb33", "aaaaaa22", "aaaaaa11"])
            #expect(await code { _ = try await store.revokeTokens(of: "ed", id: "aaaaaa") } == .invalid)
            #expect(try await store.revokeTokens(of: "ed", id: "bbbbbb") == 1)
            #expect(try await store.user(tokenHash: "bbbbbb33", now: 50) == nil)
            #expect(try await store.user(tokenHash: "aaaaaa11", now: 50) == ed)
            try await store.setPassword("ed", hash: "new")
            #expect(try await store.user(named: "ed")?.passwordHash == "new")
            #expect(try await store.tokens(of: "ed").allSatisfy(\.revoked))
            #expect(await code { try await store.setPassword("nobody", hash: "x") } == .notFound)

            _ = try await store.push(
                [Mutation(id: "m1", replica: "r1", delta: briefing("b1", title: "T"))], user: ed, now: Self.t0 + 1_000)
            #expect(
                await code { _ = try await store.renameTeam("analysts", to: "ops", now: Self.t0 + 2_000) } == .exists)
            #expect(try await store.renameTeam("analysts", to: "research", now: Self.t0 + 2_000) == 1)
            #expect(try await store.teams().map(\.name) == ["ops", "research"])
            #expect(try await store.memberships(userID: ed.id) == [Wire.Membership(team: "research", role: .editor)])
            let page = try await store.pull(after: 1, limit: 10, teams: ["research"], replica: "x", userID: ed.id)
            #expect(page.records.map(\.seq) == [2])
            #expect((try page.records.first?.decoded().record[Briefing.Field.team]?.string) == "research")
            let history = try #require(try await store.history(recordID: "b1"))
            #expect(history.team == "research" && history.entries.map(\.user) == ["ed", "(server)"])
            #expect(history.entries.last?.fields == [Briefing.Field.team])
        }
    }
}
