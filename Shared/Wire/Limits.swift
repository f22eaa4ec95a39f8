extension Wire {
    /// Sizes both sides agree on, so a client refuses what the server would refuse before it is
    /// queued (`docs/protocol.md`).
    public enum Limits {
        /// Largest request body the server reads, in bytes.
        public static let maxBody = 4 * 1024 * 1024
        /// Largest single mutation, as encoded JSON: a briefing of about 300,000 words. Half the
        /// body limit, so any mutation the client accepts fits in a push on its own.
        public static let maxMutationBytes = 2 * 1024 * 1024
        /// Most sections in one briefing.
        public static let maxSections = 5_000
    }
}
