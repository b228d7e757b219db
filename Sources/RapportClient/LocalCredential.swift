import Foundation

/// Finds the bearer token a client sends, in the order every Rapport client uses: an explicit
/// token; the `RAPPORT_TOKEN` environment variable; the file `RAPPORT_TOKEN_FILE` names; the
/// local admin token a daemon without a principals file writes, `<data dir>/local-admin.token` —
/// offered to a loopback host only, so the machine's admin token never travels to another machine.
public enum LocalCredential {
    /// The data directory a daemon uses unless told otherwise, relative to its working directory.
    public static let defaultDataDirectory = "rapport-data"
    /// The local admin token's file name in the data directory.
    public static let tokenFileName = "local-admin.token"

    /// Where the token came from, for messages (never the token itself).
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case explicit
        case environment
        case file(String)

        public var description: String {
            switch self {
            case .explicit: "the explicit token"
            case .environment: "RAPPORT_TOKEN"
            case .file(let path): path
            }
        }
    }

    /// The token to send, or nil when none is found (a call to an open method needs none).
    /// - Parameters:
    ///   - token: an explicitly given token; wins when set.
    ///   - tokenFile: an explicitly given file holding the token; next after `token`.
    ///   - dataDirectory: the daemon's data directory, for its local admin token.
    ///   - host: the host the client connects to; the local admin token is only used for a loopback one.
    ///   - environment: where `RAPPORT_TOKEN` and `RAPPORT_TOKEN_FILE` are looked up.
    /// - Throws: `LocalCredentialError` when a named file (explicit or `RAPPORT_TOKEN_FILE`) cannot be read.
    public static func find(
        token: String? = nil, tokenFile: String? = nil, dataDirectory: String = defaultDataDirectory,
        host: String = "127.0.0.1", environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (token: String, source: Source)? {
        if let token, !token.isEmpty { return (token, .explicit) }
        if let tokenFile { return (try read(tokenFile), .file(tokenFile)) }
        if let token = environment["RAPPORT_TOKEN"], !token.isEmpty { return (token, .environment) }
        if let file = environment["RAPPORT_TOKEN_FILE"], !file.isEmpty { return (try read(file), .file(file)) }
        guard isLoopback(host) else { return nil }
        let local = URL(fileURLWithPath: dataDirectory).appendingPathComponent(tokenFileName).path
        guard FileManager.default.fileExists(atPath: local) else { return nil }
        return (try read(local), .file(local))
    }

    /// Whether `host` names this machine: `localhost`, or an IPv4 127.0.0.0/8 or IPv6 ::1 address.
    public static func isLoopback(_ host: String) -> Bool {
        let trimmed = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if trimmed == "localhost" || trimmed == "::1" || trimmed == "0:0:0:0:0:0:0:1" { return true }
        let octets = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }

    /// The token in a file: its first line, surrounding whitespace trimmed.
    public static func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LocalCredentialError(message: "cannot read the token file \(path)")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty else { throw LocalCredentialError(message: "the token file \(path) is empty") }
        return token
    }
}

/// A token file that was named could not be used.
public struct LocalCredentialError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
