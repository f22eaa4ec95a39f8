import BriefSyncModel

extension SyncClient {
    /// Pages requested while earlier ones are still being applied: a clone's pages then wait for
    /// the replica's writes, not for the server and the network (issue 12).
    public static let pagesAhead = 2

    /// A pull page as decoded, each record's JSON text as received beside it.
    struct FetchedPage: Sendable {
        var page: Wire.PullResponse
        var states: [String]
    }

    /// A pull page and its records' ``RecordRows`` (their JSON as received among them), both made
    /// off the task that applies pages.
    struct ReceivedPage: Sendable {
        var page: Wire.PullResponse
        var rows: [RecordRows]

        init(_ fetched: FetchedPage) {
            page = fetched.page
            rows = fetched.page.records.indices.map {
                RecordRows(fetched.page.records[$0].record, state: fetched.states[$0])
            }
        }
    }

    /// A page on its way: fetched and decoded by one task, its rows derived by another, so the
    /// request for the page after it leaves as soon as this one's cursor is known.
    struct PendingPage {
        let fetch: Task<FetchedPage?, any Error>
        let rows: Task<ReceivedPage?, any Error>

        init(_ fetch: Task<FetchedPage?, any Error>) {
            self.fetch = fetch
            rows = Task { try await fetch.value.map(ReceivedPage.init) }
        }

        func cancel() {
            fetch.cancel()
            rows.cancel()
        }
    }

    /// Pulls the restored server from the start, queueing what it lacks (``Replica/startHeal(to:)``).
    func healPull(token: String, summary: inout SyncSummary) async throws {
        let before = try replica.status().pending
        while true {
            let received = ReceivedPage(try await fetchPage(token: token))
            let page = received.page
            try Self.check(page, epoch: try replica.epoch())
            let effect = try replica.applyPull(
                page, rows: received.rows, ours: [], healing: true)
            summary.conflicts += effect.conflicts
            summary.pulled += page.records.count
            if !page.more {
                let (_, kept) = try replica.finishHeal(readable: Set(page.teams))
                let queued = try replica.status().pending - before
                summary.restored =
                    "the server was restored from a backup: \(queued) change(s) it lacked are pushed back"
                    + (kept > 0 ? "; \(kept) record(s) written by others stay here until their authors sync" : "")
                return
            }
        }
    }

    /// One pull page from the stored cursor (or from `after`, a page not yet applied). It reads
    /// nothing from the replica when given `after`: a prefetching task that did would wait for
    /// the page being applied to commit.
    func fetchPage(
        token: String, total: Bool = false, after: String? = nil, have: Wire.SeqRanges = .init()
    ) async throws -> FetchedPage {
        var query = ["limit": String(pageSize), "replica": replica.replicaID]
        if total { query["total"] = "1" }
        if !have.isEmpty { query[Wire.SeqRanges.queryName] = have.description }
        if let cursor = try after ?? replica.syncMeta("cursor") { query["cursor"] = cursor }
        let (page, states) = try await call("GET", "/v1/pull", query: query, body: nil, token: token) {
            try Wire.PullResponse.decodeKeepingStates(Array($0))
        }
        return FetchedPage(page: page, states: states)
    }

    /// Throws `epochChanged` for a page of another epoch than `epoch` (the replica's,
    /// ``Replica/epoch()``; a replica that never pulled has none).
    static func check(_ page: Wire.PullResponse, epoch: String?) throws {
        if let mine = epoch, let theirs = Wire.Cursor(page.cursor)?.epoch, mine != theirs {
            throw ClientError(.epochChanged, "the server was restored from a backup (epoch \(theirs))")
        }
    }

    /// The page after `previous`'s, requested as soon as `previous` is decoded (`nil` once a
    /// page said there are no more).
    private func pageAfter(_ previous: PendingPage, token: String, have: Wire.SeqRanges) -> PendingPage {
        let client = self
        return PendingPage(
            Task {
                guard let before = try await previous.fetch.value, before.page.more else { return nil }
                try Task.checkCancellation()
                return try await client.fetchPage(token: token, after: before.page.cursor, have: have)
            })
    }

    func pullAll(token: String, summary: inout SyncSummary, ours: Set<String>, have: Wire.SeqRanges)
        async throws
    {
        var checkpoints: PullCheckpoints?
        do {
            try await pullPages(token: token, summary: &summary, ours: ours, have: have, checkpoints: &checkpoints)
        } catch {
            await checkpoints?.finish()
            throw error
        }
        await checkpoints?.finish()
    }

    /// Every page from the stored cursor on; from the second page of a pull of many, the log is
    /// copied to the database file beside the writer (`checkpoints`, for the caller to finish).
    private func pullPages(
        token: String, summary: inout SyncSummary, ours: Set<String>, have: Wire.SeqRanges,
        checkpoints: inout PullCheckpoints?
    ) async throws {
        var total: Int? = nil
        var seen = 0
        // Every page's cursor carries the epoch of the first one applied (a clone has none yet).
        var epoch = try replica.epoch()
        // The page to apply next, then up to `pagesAhead` after it, each requested once the one
        // before it is decoded. Only an applied page's cursor is ever stored, so a crash resumes
        // where the replica is.
        var window: [PendingPage] = []
        defer { window.forEach { $0.cancel() } }
        while true {
            if window.isEmpty {
                let (client, first) = (self, progress != nil && total == nil)
                window.append(PendingPage(Task { try await client.fetchPage(token: token, total: first, have: have) }))
            }
            while window.count <= Self.pagesAhead {
                window.append(pageAfter(window[window.count - 1], token: token, have: have))
            }
            // The window's first page exists: only a page after one with no more is `nil`.
            guard let received = try await window.removeFirst().rows.value else { break }
            let page = received.page
            if let t = page.total { total = t }
            try Self.check(page, epoch: epoch)
            if epoch == nil { epoch = Wire.Cursor(page.cursor)?.epoch }
            let teams = page.teams.joined(separator: ",")
            if try replica.syncMeta("cursor") != nil, let known = try replica.syncMeta("teams"), known != teams {
                // Joined (or left) a team: start over so the new team's older records arrive too.
                try replica.setSyncMeta(["cursor": nil, "teams": teams])
                window.forEach { $0.cancel() }
                window = []
                continue
            }
            // The last page is the sync's last step: its transaction records the sync's end.
            let effect = try replica.applyPull(
                page, rows: received.rows, ours: ours,
                meta: page.more ? [:] : Self.finished(at: replica.now()))
            if page.more, checkpoints == nil { checkpoints = try? PullCheckpoints(replica) }
            checkpoints?.committed()
            summary.merged += effect.merged
            summary.conflicts += effect.conflicts
            summary.pulled += effect.received
            seen += page.records.count
            progress?(seen, total)
            if !page.more { break }
        }
    }
}
