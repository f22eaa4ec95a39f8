import Foundation

/// Change notifications for `GET /v1/events`.
///
/// Each open event stream subscribes; a push that changes a team's records pokes every stream
/// but those opened with the pushing token (that replica pulls right after its push, so a poke
/// would only cost it a second, empty sync), and each stream decides, against its caller's memberships read afresh, whether to pass the
/// poke on (never a poke for a team the caller is not in). A revocation or a membership change
/// made through the API asks every stream to check its caller again at once; heartbeats make
/// them check at least once per interval (which covers admin commands and other servers).
public actor EventHub {
    /// What a stream hears.
    public enum Event: Sendable {
        /// These teams' records changed (one push's); with `after`, every change is after that
        /// sequence number (the stream may carry the pull itself, read once for all of them).
        case poke(teams: [String], after: Int64?)
        /// A token was revoked or a membership changed: check the caller now.
        case recheck
        /// Time for a heartbeat (and a check of the caller).
        case tick
    }

    private var streams: [UUID: AsyncStream<Event>.Continuation] = [:]
    /// The hash of the token each stream was opened with.
    private var sessions: [UUID: String] = [:]
    private var tickers: [UUID: Task<Void, Never>] = [:]

    public init() {}

    /// How many streams are open.
    public var count: Int { streams.count }

    /// A new stream for the token hashed as `session`, ticking every `heartbeat`; it ends by
    /// ``unsubscribe(_:)``.
    func subscribe(session: String, heartbeat: Duration) -> (UUID, AsyncStream<Event>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(256))
        streams[id] = continuation
        sessions[id] = session
        tickers[id] = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: heartbeat)
                continuation.yield(.tick)
            }
        }
        return (id, stream)
    }

    func unsubscribe(_ id: UUID) {
        tickers.removeValue(forKey: id)?.cancel()
        sessions.removeValue(forKey: id)
        streams.removeValue(forKey: id)?.finish()
    }

    /// Pokes every stream about each of `teams`, but those opened with the token hashed as
    /// `session` (the pusher's: `nil` pokes all); `after`: every change is after it.
    func poke(_ teams: [String], except session: String? = nil, after: Int64? = nil) {
        for (id, continuation) in streams {
            if let session, let own = sessions[id], own.utf8.elementsEqual(session.utf8) { continue }
            continuation.yield(.poke(teams: teams, after: after))
        }
    }

    /// Asks every stream to check its caller now.
    func recheck() {
        for continuation in streams.values { continuation.yield(.recheck) }
    }

    /// Ends every stream (the server is stopping).
    func finishAll() {
        for id in Array(streams.keys) { unsubscribe(id) }
    }
}
