import BriefSyncModel
import Foundation

/// Account and team management on the server: `brief passwd`, `brief members`, `brief member`.
extension SyncClient {
    /// The stored session, or the error that says to log in.
    func credentials() throws -> Credentials {
        guard let credentials = Credentials.load(home: replica.home) else {
            throw ClientError(.notLoggedIn, "not logged in; run 'brief login --server URL --user NAME' first")
        }
        return credentials
    }

    /// `team`, else the team this replica logged in with.
    func team(_ team: String?) throws -> (String, Credentials) {
        let credentials = try credentials()
        guard let team = team ?? credentials.team else {
            throw ClientError(.invalidArgument, "give --team TEAM: this replica logged in without a team")
        }
        return (team, credentials)
    }

    /// Who is in `team` (default: the replica's team), with their roles.
    public func members(team: String?) async throws -> Wire.TeamMembers {
        let (team, credentials) = try self.team(team)
        return try await call("GET", Wire.Endpoint.members.path(team), body: nil, token: credentials.token)
    }

    /// Adds `user` to the team with `role`, or changes their role; `nil` removes them. Owners only.
    public func setMember(_ user: String, role: Wire.Role?, team: String?) async throws {
        let (team, credentials) = try self.team(team)
        let endpoint = role == nil ? Wire.Endpoint.removeMember : Wire.Endpoint.setMember
        let body = try role.map { try WireJSON.data(["role": $0]) }
        let _: [String: String] = try await call(
            endpoint.method, endpoint.path(team, user), body: body, token: credentials.token)
    }

    /// Changes the password on the server and keeps the new token it answers with (every
    /// earlier token, on every device, is revoked by the server).
    public func changePassword(current: String, new: String) async throws {
        if let problem = Wire.Validation.passwordProblem(new) {
            throw ClientError(.invalidArgument, problem + "; nothing was changed")
        }
        let credentials = try credentials()
        let answer: Wire.LoginResponse
        do {
            answer = try await call(
                "POST", Wire.Endpoint.password.path(),
                body: try WireJSON.data(Wire.PasswordChange(current: current, new: new)), token: credentials.token)
        } catch let error as ClientError where error.code == .unauthorized && error.message.hasPrefix("wrong") {
            throw ClientError(.unauthorized, "the current password is wrong; nothing was changed")
        }
        try Credentials(server: credentials.server, user: answer.user, team: credentials.team, token: answer.token)
            .save(home: replica.home)
    }
}
