#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.0 GET against a local probe server: what `trialtransit health` and the tests
/// use (no HTTP client library in the binary). Blocking; call it off Swift's cooperative pool.
public enum ProbeClient {
    /// An answer: status code and body.
    public struct Answer: Sendable, Equatable {
        public var status: Int
        public var body: String
    }

    /// Why no answer came.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `GET path` from `host:port` (IPv4), waiting at most `timeoutSeconds` for each step.
    public static func get(_ path: String, port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 5) throws -> Answer {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw Failure(description: "not an IPv4 address: \(host)") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            throw Failure(description: "nothing answers on \(host):\(port) (\(String(cString: strerror(errno))))")
        }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "send to \(host):\(port) failed (\(String(cString: strerror(errno))))") }
            sent += count
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { break }
            guard count > 0 else {
                throw Failure(description: "no complete answer from \(host):\(port) (\(String(cString: strerror(errno))))")
            }
            response += buffer[0..<count]
        }
        return try parse(response, from: "\(host):\(port)")
    }

    static func parse(_ response: [UInt8], from origin: String) throws -> Answer {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard response.starts(with: Array("HTTP/".utf8)),
            let headerEnd = response.indices.first(where: { response[$0...].starts(with: separator) })
        else { throw Failure(description: "not an HTTP answer from \(origin)") }
        let statusLine = String(decoding: response[..<headerEnd].prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw Failure(description: "bad status line from \(origin): \(statusLine)")
        }
        return Answer(status: status, body: String(decoding: response[(headerEnd + separator.count)...], as: UTF8.self))
    }
}
