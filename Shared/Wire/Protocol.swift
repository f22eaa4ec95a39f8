/// Request and response bodies of the sync protocol (`docs/protocol.md`).
public enum Wire {
    /// A member's role in a team, weakest first.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case viewer, commenter, editor, owner

        public static func < (a: Role, b: Role) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// `POST /v1/login`
    public struct LoginRequest: Sendable, Hashable, Codable {
        public var user: String
        public var password: String
        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }
    }

    /// `POST /v1/password`: the current password (checked like a login) and the new one. The
    /// answer is a ``LoginResponse`` with a new token: every earlier token is revoked.
    public struct PasswordChange: Sendable, Hashable, Codable {
        public var current: String
        public var new: String
        public init(current: String, new: String) {
            self.current = current
            self.new = new
        }
    }

    /// `GET /v1/teams/{team}/members`: who is in a team, by name (byte order), with roles.
    public struct TeamMembers: Sendable, Hashable, Codable {
        public struct Member: Sendable, Hashable, Codable {
            public var user: String
            public var role: Role
            public init(user: String, role: Role) {
                self.user = user
                self.role = role
            }
        }
        public var team: String
        public var members: [Member]
        public init(team: String, members: [Member]) {
            self.team = team
            self.members = members
        }
    }

    /// A team the user belongs to, with their role.
    public struct Membership: Sendable, Hashable, Codable {
        public var team: String
        public var role: Role
        public init(team: String, role: Role) {
            self.team = team
            self.role = role
        }
    }

    /// Answer to a login: a bearer token (shown once; the server keeps only its hash).
    public struct LoginResponse: Sendable, Hashable, Codable {
        public var token: String
        public var user: String
        public var teams: [Membership]
        /// The server's epoch: changes when the server is restored from a backup.
        public var epoch: String
        /// The epochs this one was restored from (``Epoch/ancestors``), newest first.
        public var ancestors: [Epoch.Ancestor]
        public init(
            token: String, user: String, teams: [Membership], epoch: String, ancestors: [Epoch.Ancestor] = []
        ) {
            self.token = token
            self.user = user
            self.teams = teams
            self.epoch = epoch
            self.ancestors = ancestors
        }

        enum CodingKeys: String, CodingKey {
            case token, user, teams, epoch, ancestors
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            token = try c.decode(String.self, forKey: .token)
            user = try c.decode(String.self, forKey: .user)
            teams = try c.decode([Membership].self, forKey: .teams)
            epoch = try c.decode(String.self, forKey: .epoch)
            ancestors = try c.decodeIfPresent([Epoch.Ancestor].self, forKey: .ancestors) ?? []
        }

        /// The epoch with its lineage.
        public var lineage: Epoch { Epoch(epoch: epoch, ancestors: ancestors) }
    }

    /// `POST /v1/push`: mutations in the order they were made.
    public struct PushRequest: Sendable, Hashable, Codable {
        /// The server epoch the mutations' `base` sequence numbers belong to. A server in another
        /// epoch refuses the whole push with 409 ``ErrorCode/epochChanged`` (nothing applied):
        /// the client heals first (`docs/sync-model.md`). Absent: bases are taken as they are.
        public var epoch: String?
        public var mutations: [Mutation]
        public init(mutations: [Mutation], epoch: String? = nil) {
            self.mutations = mutations
            self.epoch = epoch
        }

        enum CodingKeys: String, CodingKey {
            case epoch, mutations
        }

        /// `epoch` may be left out; present, it is a string (null is refused).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mutations = try c.decode([Mutation].self, forKey: .mutations)
            epoch = c.contains(.epoch) ? try c.decode(String.self, forKey: .epoch) : nil
        }
    }

    /// Codes in ``ErrorBody/error`` that clients act on.
    public enum ErrorCode {
        /// The server was restored from a backup since the client last synced (409).
        public static let epochChanged = "epoch_changed"
    }

    /// What happened to one pushed mutation.
    public struct MutationResult: Sendable, Hashable, Codable {
        public enum Status: String, Sendable, Hashable, Codable {
            /// Merged (now, or by an earlier push of the same mutation id: a replay gets the
            /// same answer as the first push).
            case applied
            /// Not merged; `reason` says why. Nothing of it was applied.
            case rejected
        }

        public var id: String
        public var status: Status
        /// Server sequence number of the change (0 when rejected).
        public var seq: Int64
        public var reason: String?
        /// For a rejected mutation, the record as the server holds it (if the user may see it), so
        /// the replica can undo the refused change locally.
        public var current: Record?
        /// For an applied mutation whose result is exactly the record's state at version `after`
        /// (0: no earlier version) merged with this delta (``Record/merge(_:_:)``), nothing else:
        /// a replica holding version `after` knows version `seq` without pulling it, and names
        /// it in its pull's `have` so the server leaves it out (no echo of its own change).
        /// Absent when others' changes were merged in or clashed. A replay gets it again.
        public var after: Int64?

        public init(
            id: String, status: Status, seq: Int64, reason: String? = nil, current: Record? = nil, after: Int64? = nil
        ) {
            self.id = id
            self.status = status
            self.seq = seq
            self.reason = reason
            self.current = current
            self.after = after
        }
    }

    /// Answer to a push: one result per mutation, in order.
    public struct PushResponse: Sendable, Hashable, Codable {
        public var results: [MutationResult]
        public init(results: [MutationResult]) { self.results = results }
    }

    /// One changed record in a pull page: its whole merged state and the sequence number of its
    /// latest change.
    public struct PulledRecord: Sendable, Hashable, Codable {
        public var seq: Int64
        public var record: Record
        public init(seq: Int64, record: Record) {
            self.seq = seq
            self.record = record
        }
    }

    /// `GET /v1/pull?cursor=C&limit=N&replica=R`
    public struct PullResponse: Sendable, Hashable, Codable {
        public var records: [PulledRecord]
        /// Opaque; pass it to the next pull.
        public var cursor: String
        /// Whether more changes wait after this page.
        public var more: Bool
        /// Ids of this replica's mutations that the server has committed up to this page.
        public var acked: [String]
        /// The teams this page covers (those the user may read). When it changes, the client
        /// pulls again from the start so records of a newly joined team arrive too.
        public var teams: [String]
        /// With `total=1` in the query: how many records wait after the cursor, this page's
        /// included (for progress).
        public var total: Int?
        public init(
            records: [PulledRecord], cursor: String, more: Bool, acked: [String], teams: [String] = [],
            total: Int? = nil
        ) {
            self.records = records
            self.cursor = cursor
            self.more = more
            self.acked = acked
            self.teams = teams
            self.total = total
        }

        enum CodingKeys: String, CodingKey {
            case records, cursor, more, acked, teams, total
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            records = try c.decode([PulledRecord].self, forKey: .records)
            cursor = try c.decode(String.self, forKey: .cursor)
            more = try c.decode(Bool.self, forKey: .more)
            acked = try c.decode([String].self, forKey: .acked)
            teams = try c.decodeIfPresent([String].self, forKey: .teams) ?? []
            total = try c.decodeIfPresent(Int.self, forKey: .total)
        }
    }

    /// One accepted version of a record (`GET /v1/records/{id}/history`).
    public struct Version: Sendable, Hashable, Codable {
        /// The server sequence number of this version: `brief revert --to` takes it.
        public var seq: Int64
        /// The mutation that made it.
        public var mutation: String
        /// Who made it (`server` for versions the server made by merging).
        public var user: String
        /// When the server accepted it (ms since 1970).
        public var received: Int64
        /// The fields the change wrote.
        public var fields: [String]
        /// The whole record after the change.
        public var state: Record
        public init(seq: Int64, mutation: String, user: String, received: Int64, fields: [String], state: Record) {
            self.seq = seq
            self.mutation = mutation
            self.user = user
            self.received = received
            self.fields = fields
            self.state = state
        }
    }

    /// The body of every 4xx and 5xx answer.
    public struct ErrorBody: Sendable, Hashable, Codable {
        public var error: String
        public var message: String
        public init(error: String, message: String) {
            self.error = error
            self.message = message
        }
    }
}
