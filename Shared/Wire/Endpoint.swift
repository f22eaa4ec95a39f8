import Foundation

extension Wire {
    /// One HTTP endpoint of the sync API. The server's routes, the client's calls and the test
    /// that checks `docs/openapi.yaml` all read ``all``, so a path is spelled once.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// `GET`, `POST`, `PUT` or `DELETE`.
        public let method: String
        /// The path, with `{name}` for each parameter, as the OpenAPI document writes it.
        public let template: String
        /// Whether the caller must send `Authorization: Bearer TOKEN`.
        public let authenticated: Bool

        init(_ method: String, _ template: String, authenticated: Bool = true) {
            self.method = method
            self.template = template
            self.authenticated = authenticated
        }

        public static let healthz = Endpoint("GET", "/healthz", authenticated: false)
        public static let readyz = Endpoint("GET", "/readyz", authenticated: false)
        public static let metrics = Endpoint("GET", "/metrics", authenticated: false)
        public static let login = Endpoint("POST", "/v1/login", authenticated: false)
        public static let logout = Endpoint("POST", "/v1/logout")
        public static let me = Endpoint("GET", "/v1/me")
        public static let push = Endpoint("POST", "/v1/push")
        public static let pull = Endpoint("GET", "/v1/pull")
        public static let events = Endpoint("GET", "/v1/events")
        public static let history = Endpoint("GET", "/v1/records/{id}/history")
        public static let password = Endpoint("POST", "/v1/password")
        public static let members = Endpoint("GET", "/v1/teams/{team}/members")
        public static let setMember = Endpoint("PUT", "/v1/teams/{team}/members/{user}")
        public static let removeMember = Endpoint("DELETE", "/v1/teams/{team}/members/{user}")

        /// Every endpoint the server answers.
        public static let all: [Endpoint] = [
            healthz, readyz, metrics, login, logout, me, password, push, pull, events, history, members, setMember,
            removeMember,
        ]

        /// The template's segments (`records`, `{id}`, `history`).
        public var segments: [Substring] { template.split(separator: "/") }

        /// The path with each `{name}` replaced, in order, by a percent-encoded value.
        public func path(_ values: String...) -> String {
            var values = values.makeIterator()
            let parts = segments.map { segment -> String in
                guard segment.hasPrefix("{") else { return String(segment) }
                let value = values.next() ?? ""
                return value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? value
            }
            return "/" + parts.joined(separator: "/")
        }

        /// Whether `segments` (a request's path, split at `/`) fit this template.
        public func matches(_ segments: [String]) -> Bool {
            let template = self.segments
            guard template.count == segments.count else { return false }
            return zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }

        /// The methods the API takes on a path, or `nil` for a path it does not know.
        public static func methods(for segments: [String]) -> [String]? {
            let methods = all.filter { $0.matches(segments) }.map(\.method)
            return methods.isEmpty ? nil : methods
        }

        public var description: String { "\(method) \(template)" }
    }
}

extension Wire {
    /// The events of `GET /v1/events` (Server-Sent Events), as their `data:` JSON.
    public enum Events {
        /// `event: ready`: the stream is open and covers these teams.
        public struct Ready: Sendable, Codable, Hashable {
            public var teams: [String]
            public init(teams: [String]) { self.teams = teams }
        }

        /// `event: poke`: the team's records changed; pull.
        ///
        /// With `from` (a cursor), the event carries the pull itself: its data's second line is
        /// a pull page (`GET /v1/pull`'s answer, no acks) holding every record the stream's caller
        /// may read after `from`, up to the page's cursor, with no more to come. A replica whose
        /// cursor is at or after `from` (same epoch, same teams) may apply it instead of pulling;
        /// any other pulls as usual.
        public struct Poke: Sendable, Codable, Hashable {
            public var team: String
            public var from: String?
            public init(team: String, from: String? = nil) {
                self.team = team
                self.from = from
            }
        }

        /// The most records a poke carries; a push that changed more is pulled.
        public static let maxPokeRecords = 50
        /// The most bytes a poke's page takes, under ``Wire/EventStreamParser/maxLine``: a larger
        /// page is pulled.
        public static let maxPokeBytes = 48 * 1024
    }
}
