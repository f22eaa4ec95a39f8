import Foundation

/// Change notifications for `GET /v1/events`.
///
/// Each open event stream subscribes; a push that changes a team's records pokes every stream,
/// and each stream decides, against its caller's memberships read afresh, whether to pass the
/// poke on (never a poke for a team the caller is not in). A revocation or a membership change
/// made through the API asks every stream to check its caller again at once; heartbeats make
/// them check at least once per interval (which covers admin commands and other servers).
public actor EventHub {
    /// What a stream hears.
    public enum Event: Sendable {
        case poke(team: String)
        /// A token was revoked or a membership changed: check the caller now.
        case recheck
        /// Time for a heartbeat (and a check of the caller).
        case tick
    }

    private var streams: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var tickers: [UUID: Task<Void, Never>] = [:]

    public init() {}

    /// How many streams are open.
    public var count: Int { streams.count }

    /// A new stream, ticking every `heartbeat`; it ends by ``unsubscribe(_:)``.
    func subscribe(heartbeat: Duration) -> (UUID, AsyncStream<Event>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(256))
        streams[id] = continuation
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
        streams.removeValue(forKey: id)?.finish()
    }

    /// Pokes every stream about each of `teams`.
    func poke(_ teams: [String]) {
        for continuation in streams.values {
            for team in teams { continuation.yield(.poke(team: team)) }
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
