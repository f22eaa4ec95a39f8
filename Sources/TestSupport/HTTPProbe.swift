import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One plain HTTP GET, for tests that check what a server answers to a token.
public enum HTTPProbe {
    public static func status(_ url: String, token: String? = nil) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
