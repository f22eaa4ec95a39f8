extension Wire {
    /// A pull position: the server epoch it belongs to and the last sequence number received.
    ///
    /// Written `EPOCH.SEQ`. Clients treat it as opaque except for the epoch, which tells them the
    /// server was restored (``Epoch``).
    public struct Cursor: Sendable, Hashable, CustomStringConvertible {
        public var epoch: String
        public var seq: Int64

        public init(epoch: String, seq: Int64) {
            self.epoch = epoch
            self.seq = seq
        }

        /// Parses `EPOCH.SEQ`; `nil` for anything else (hostile input: bounded, no trapping).
        public init?(_ text: String) {
            guard text.utf8.count <= 160 else { return nil }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let seq = Int64(parts[1]), seq >= 0,
                Wire.Validation.identifierProblem(String(parts[0]), what: "epoch") == nil
            else { return nil }
            self.init(epoch: String(parts[0]), seq: seq)
        }

        public var description: String { "\(epoch).\(seq)" }
    }

    /// A server epoch and where it came from.
    ///
    /// A server restored from a backup gets a new epoch; its history up to the backup's highest
    /// sequence number is the same as the epoch the backup was taken in. `ancestors` lists those
    /// earlier epochs with the last sequence number each shares with this one, so a client that
    /// last synced in one of them knows which of its merge bases still hold.
    public struct Epoch: Sendable, Hashable, Codable {
        public struct Ancestor: Sendable, Hashable, Codable {
            public var epoch: String
            /// Versions up to this sequence number are identical in both epochs.
            public var upTo: Int64
            public init(epoch: String, upTo: Int64) {
                self.epoch = epoch
                self.upTo = upTo
            }
        }

        public var epoch: String
        public var ancestors: [Ancestor]

        public init(epoch: String, ancestors: [Ancestor] = []) {
            self.epoch = epoch
            self.ancestors = ancestors
        }

        /// The highest sequence number that means the same in `other` and in this epoch: all of
        /// them for the same epoch, the shared prefix for an ancestor, none otherwise.
        public func sharedUpTo(_ other: String) -> Int64 {
            if other == epoch { return .max }
            return ancestors.first { $0.epoch == other }?.upTo ?? 0
        }

        /// The lineage of an epoch restored from a snapshot of this one taken at `seq`.
        public func restored(as newEpoch: String, at seq: Int64) -> Epoch {
            Epoch(
                epoch: newEpoch,
                ancestors: [Ancestor(epoch: epoch, upTo: seq)]
                    + ancestors.map { Ancestor(epoch: $0.epoch, upTo: min($0.upTo, seq)) })
        }
    }
}
