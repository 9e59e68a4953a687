// Where the milter listens, in libmilter's own notation: `unix:PATH` (also `local:PATH`),
// `inet:PORT@HOST` and `inet6:PORT@HOST`. Parsed at load time so a typo is a config error,
// not a failure at start.

/// A milter listening address.
public enum MilterSocket: Equatable, Sendable, CustomStringConvertible {
    case unix(path: String)
    case inet(port: Int, host: String)
    case inet6(port: Int, host: String)

    /// Parses libmilter notation; returns nil when malformed.
    public init?(_ spec: String) {
        guard let colon = spec.firstIndex(of: ":") else {
            return nil
        }
        let scheme = spec[..<colon].lowercased()
        let rest = String(spec[spec.index(after: colon)...])

        switch scheme {
        case "unix", "local":
            guard rest.hasPrefix("/") else {
                return nil
            }
            self = .unix(path: rest)
        case "inet", "inet6":
            let pieces = rest.split(separator: "@", maxSplits: 1).map(String.init)
            guard let port = Int(pieces[0]), (1...65535).contains(port) else {
                return nil
            }
            let host = pieces.count > 1 ? pieces[1] : (scheme == "inet" ? "127.0.0.1" : "::1")
            guard !host.isEmpty else {
                return nil
            }
            self = scheme == "inet" ? .inet(port: port, host: host) : .inet6(port: port, host: host)
        default:
            return nil
        }
    }

    /// The spec as libmilter's `smfi_setconn` takes it.
    public var description: String {
        switch self {
        case .unix(let path): return "unix:\(path)"
        case .inet(let port, let host): return "inet:\(port)@\(host)"
        case .inet6(let port, let host): return "inet6:\(port)@\(host)"
        }
    }
}
