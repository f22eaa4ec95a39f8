import BriefSyncModel

/// The one authorization check. Every read and write path asks it, with the actor's role in the
/// team that owns the data.
///
/// - viewer: reads the team's records.
/// - commenter: also writes their own annotations.
/// - editor: also writes briefings.
/// - owner: also manages members and may edit or delete anyone's annotations.
public enum Authorization {
    /// What an actor wants to do in a team.
    public enum Action: Sendable, Hashable {
        case read
        case writeAnnotation(own: Bool)
        case writeBriefing
        case manageMembers
    }

    /// `nil` if `role` (the actor's role in the team, `nil` for non-members) allows `action`,
    /// else the reason it does not.
    public static func denial(role: Wire.Role?, action: Action, team: String) -> String? {
        guard let role else { return "you are not a member of team '\(team)'" }
        let needed: Wire.Role
        switch action {
        case .read: needed = .viewer
        case .writeAnnotation(own: true): needed = .commenter
        case .writeAnnotation(own: false): needed = .owner
        case .writeBriefing: needed = .editor
        case .manageMembers: needed = .owner
        }
        guard role >= needed else {
            let what: String
            switch action {
            case .read: what = "read"
            case .writeAnnotation(own: true): what = "write annotations"
            case .writeAnnotation(own: false): what = "change another member's annotation"
            case .writeBriefing: what = "write briefings"
            case .manageMembers: what = "manage members"
            }
            return "your role in team '\(team)' is \(role.rawValue); to \(what) you need \(needed.rawValue) or above"
        }
        return nil
    }

    /// The user's role in `team`. Names are compared byte for byte, as the database compares
    /// them: Swift's `==` would call canonically equivalent names (NFC `café`, NFD `café`) equal.
    static func role(_ memberships: [Wire.Membership], team: String) -> Wire.Role? {
        memberships.first { $0.team.utf8.elementsEqual(team.utf8) }?.role
    }

    /// Throws 403 (or 404 for non-members, so they learn nothing) unless allowed.
    static func check(_ memberships: [Wire.Membership], team: String, action: Action) throws {
        let role = role(memberships, team: team)
        if let reason = denial(role: role, action: action, team: team) {
            throw role == nil ? APIError.notFound("no such team or record") : APIError.forbidden(reason)
        }
    }

    /// The teams whose records `memberships` may read.
    static func readableTeams(_ memberships: [Wire.Membership]) -> [String] {
        memberships.filter { denial(role: $0.role, action: .read, team: $0.team) == nil }.map(\.team)
    }
}
