import Foundation
import RapportAccess
import RapportServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The credential of a daemon run without a principals file: `DATA_DIR/local-admin.token`, made
/// on first start (0600, the token then a newline) for principal `local-admin`, who may do
/// everything. Clients on the same machine find it there (see `LocalCredential` in RapportClient).
public enum LocalAdminCredential {
    public static let fileName = "local-admin.token"
    public static let principalName = "local-admin"

    /// The token file's path in `dataDirectory`.
    public static func path(in dataDirectory: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName).path
    }

    /// The principal the token proves: every role and every permission.
    public static var principal: Principal {
        Principal(name: principalName, roles: Set(Role.allCases), extraPermissions: Set(Permission.allCases))
    }

    /// Reads the token file in `dataDirectory`, creating it with a fresh token when there is none.
    /// - Returns: the directory with `local-admin` as its one principal, and whether the file was made now.
    /// - Throws: `ConfigurationError` when the file cannot be made, read, or holds no usable token.
    ///
    /// `local-admin` is the only principal, so by default it has no per-principal limit of its own
    /// (that limit keeps principals from starving each other); the per-connection and connection
    /// limits still hold.
    public static func loadOrCreate(in dataDirectory: String, maxConcurrentCalls: Int = .max)
        throws -> (directory: PrincipalDirectory, created: Bool)
    {
        let path = path(in: dataDirectory)
        var created = false
        if !FileManager.default.fileExists(atPath: path) {
            try create(at: path)
            created = true
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError("cannot read the local admin token file \(path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard isWellFormed(token) else {
            throw ConfigurationError(
                "the local admin token file \(path) does not hold a token ('rapport_' and 43 characters); remove it to make a new one")
        }
        let entry = PrincipalDirectory.Entry(
            principal: principal, tokenDigests: [TokenDigest(token: token)], certificateNames: [],
            maxConcurrentCalls: maxConcurrentCalls)
        return (PrincipalDirectory(entries: [entry]), created)
    }

    /// A fresh token: `rapport_` and 32 random bytes in unpadded base64url (43 characters).
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "rapport_" + base64
    }

    static func isWellFormed(_ token: String) -> Bool {
        guard token.hasPrefix("rapport_") else { return false }
        let body = token.utf8.dropFirst(8)
        return body.count == 43
            && body.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2D || byte == 0x5F
            }
    }

    /// Creates the file owner-only from its first byte (O_EXCL: never over another's file).
    private static func create(at path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError("cannot create the local admin token file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // The umask may only narrow the mode; make sure it is exactly owner read/write.
        _ = fchmod(descriptor, 0o600)
        let line = Array((makeToken() + "\n").utf8)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw ConfigurationError("cannot write the local admin token file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
