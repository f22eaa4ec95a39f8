import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Plain HTTP requests for tests that check exactly what a server answers (status, headers).
public enum HTTPProbe {
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
    }

    public static func status(_ url: String, token: String? = nil) async throws -> Int {
        try await send("GET", url, token: token).status
    }

    public static func send(_ method: String, _ url: String, body: Data? = nil, token: String? = nil) async throws
        -> Answer
    {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http?.allHeaderFields ?? [:] {
            if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
        }
        return Answer(status: http?.statusCode ?? 0, headers: headers, body: data)
    }
}
