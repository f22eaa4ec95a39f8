/// Where an annotation's quote lies in a briefing's current text, and how sure that is.
public struct Placement: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// The quote, in its section, with its context.
        case anchored
        /// The quote, with its context, in another section.
        case moved
        /// Text like the quote (reworded, or a short quote without supporting context): needs
        /// confirmation (`brief confirm`).
        case fuzzy
        /// Several places fit about as well: none is chosen with confidence.
        case ambiguous
        /// The passage is gone.
        case orphan

        /// Whether the place is shown as the annotation's passage without a warning.
        public var isConfident: Bool { self == .anchored || self == .moved }
    }

    public var status: Status
    /// The section of the best place, if any.
    public var section: String?
    /// Code-point range of the best place in that section's text.
    public var range: Range<Int>?

    public init(status: Status, section: String? = nil, range: Range<Int>? = nil) {
        self.status = status
        self.section = section
        self.range = range
    }
}
