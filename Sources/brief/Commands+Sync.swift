import ArgumentParser
import BriefSyncClient
import Foundation

struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Log in to a briefd server.")
    @OptionGroup var global: GlobalOptions
    func run() async throws { throw ClientError(.notLoggedIn, "sync is not available yet") }
}

struct Logout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Log out and revoke the token.")
    @OptionGroup var global: GlobalOptions
    func run() async throws { throw ClientError(.notLoggedIn, "sync is not available yet") }
}

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Exchange changes with the server.")
    @OptionGroup var global: GlobalOptions
    func run() async throws { throw ClientError(.notLoggedIn, "sync is not available yet") }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the whole sync loop on an embedded server.")
    func run() async throws { throw ClientError(.notLoggedIn, "demo is not available yet") }
}
