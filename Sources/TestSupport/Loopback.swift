import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Socket helpers shared by the proxies that sit between a client and a server on loopback.
public enum Loopback {
    /// `127.0.0.1:port` (0: any free port, for `bind`).
    public static func address(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return addr
    }

    /// The `Content-Length` of an HTTP message head, if it has one.
    public static func contentLength(_ head: [UInt8]) -> Int? {
        for line in String(decoding: head, as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }
}
