import Foundation
import RapportAccess
import RapportServer

/// The principals file (`principals_file`): who may call, how each proves it, and their limits.
///
/// ```json
/// {"default_max_concurrent_calls": 64,
///  "principals": [
///    {"name": "crm-web", "roles": ["agent"], "tokens": ["sha256:<64 hex digits>"]},
///    {"name": "reporting", "roles": ["reader"], "permissions": ["consent.backdate"],
///     "certificates": ["reporting.bank.internal"], "max_concurrent_calls": 16}]}
/// ```
///
/// Keys are strict (an unknown one is refused, so a typo never silently drops a setting). It holds
/// token digests only, never tokens, so it may be readable by others; it may not be writable by
/// anyone but its owner, since whoever can write it can make themselves admin.
public enum PrincipalsFile {
    /// Calls a principal may have in flight at once unless the file says otherwise.
    public static let defaultMaxConcurrentCalls = 256

    /// Reads and validates the file into the directory the server checks credentials against.
    /// - Throws: `ConfigurationError` naming the file and what is wrong with it.
    public static func load(path: String) throws -> PrincipalDirectory {
        let attributes: [FileAttributeKey: Any]
        let data: Data
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError("cannot read principals file \(path): \(error.localizedDescription)")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value, mode & 0o022 != 0 {
            throw ConfigurationError(
                "principals file \(path) is writable by group or others (mode \(String(mode & 0o777, radix: 8))); chmod go-w it")
        }
        return try parse(data, source: path)
    }

    /// Parses the file's JSON; `source` names it in errors.
    public static func parse(_ data: Data, source: String) throws -> PrincipalDirectory {
        let at = "principals file \(source)"
        let object = try? JSONSerialization.jsonObject(with: data)
        guard let root = object as? [String: Any] else {
            throw ConfigurationError("\(at) is not a JSON object")
        }
        try checkKeys(root, allowed: Layout.CodingKeys.allCases.map(\.rawValue), at: at)
        for (index, item) in ((root["principals"] as? [Any]) ?? []).enumerated() {
            guard let fields = item as? [String: Any] else { throw ConfigurationError("\(at), principals[\(index)] is not an object") }
            try checkKeys(fields, allowed: Layout.Principal.CodingKeys.allCases.map(\.rawValue), at: "\(at), principals[\(index)]")
        }
        let layout: Layout
        do {
            layout = try JSONDecoder().decode(Layout.self, from: data)
        } catch {
            throw ConfigurationError("\(at): \(error)")
        }
        let defaultLimit = try checkedLimit(layout.defaultMaxConcurrentCalls, at: "\(at): default_max_concurrent_calls")
            ?? defaultMaxConcurrentCalls
        var entries: [PrincipalDirectory.Entry] = []
        var names: Set<String> = []
        var tokens: Set<String> = []
        var certificates: Set<String> = []
        for (index, item) in layout.principals.enumerated() {
            let entry = try principal(item, defaultLimit: defaultLimit, at: "\(at), principals[\(index)]")
            let name = entry.principal.name
            guard names.insert(name).inserted else {
                throw ConfigurationError("\(at): principal '\(name)' is listed twice")
            }
            for digest in entry.tokenDigests where !tokens.insert(digest.description).inserted {
                throw ConfigurationError("\(at): a token hash of '\(name)' is listed twice or given to another principal too")
            }
            for certificate in entry.certificateNames where !certificates.insert(certificate).inserted {
                throw ConfigurationError("\(at): certificate name '\(certificate)' of '\(name)' is given to another principal too")
            }
            entries.append(entry)
        }
        return PrincipalDirectory(entries: entries)
    }

    /// The file as JSON spells it.
    struct Layout: Decodable {
        var principals: [Principal]
        var defaultMaxConcurrentCalls: Int?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case principals
            case defaultMaxConcurrentCalls = "default_max_concurrent_calls"
        }

        struct Principal: Decodable {
            var name: String
            var roles: [String]?
            var permissions: [String]?
            var tokens: [String]?
            var certificates: [String]?
            var maxConcurrentCalls: Int?

            enum CodingKeys: String, CodingKey, CaseIterable {
                case name, roles, permissions, tokens, certificates
                case maxConcurrentCalls = "max_concurrent_calls"
            }
        }
    }

    private static func principal(_ item: Layout.Principal, defaultLimit: Int, at: String) throws -> PrincipalDirectory.Entry {
        let name = item.name
        guard isUsableName(name) else {
            throw ConfigurationError("\(at): 'name' must be 1-128 letters, digits, '.', '_', '-' or '@'")
        }
        let roles = try (item.roles ?? []).map { raw -> Role in
            guard let role = Role(rawValue: raw) else {
                throw ConfigurationError(
                    "\(at): unknown role '\(raw)'; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return role
        }
        let permissions = try (item.permissions ?? []).map { raw -> Permission in
            guard let permission = Permission(rawValue: raw) else {
                throw ConfigurationError("\(at): unknown permission '\(raw)'")
            }
            return permission
        }
        let digests = try (item.tokens ?? []).map { raw -> TokenDigest in
            guard let digest = TokenDigest(spelled: raw) else {
                throw ConfigurationError("\(at): a token must be given as 'sha256:<64 hex digits>', never the token itself")
            }
            return digest
        }
        let certificateNames = item.certificates ?? []
        guard certificateNames.allSatisfy({ !$0.isEmpty }) else {
            throw ConfigurationError("\(at): certificate names must not be empty")
        }
        guard !digests.isEmpty || !certificateNames.isEmpty else {
            throw ConfigurationError("\(at): '\(name)' has neither tokens nor certificates, so nobody can be it")
        }
        let limit = try checkedLimit(item.maxConcurrentCalls, at: "\(at).max_concurrent_calls") ?? defaultLimit
        return PrincipalDirectory.Entry(
            principal: RapportAccess.Principal(name: name, roles: Set(roles), extraPermissions: Set(permissions)),
            tokenDigests: digests, certificateNames: Set(certificateNames), maxConcurrentCalls: limit)
    }

    private static func checkKeys(_ object: [String: Any], allowed: [String], at: String) throws {
        if let unknown = Set(object.keys).subtracting(allowed).sorted().first {
            throw ConfigurationError("\(at): unknown key '\(unknown)'")
        }
    }

    private static func checkedLimit(_ value: Int?, at: String) throws -> Int? {
        guard let value else { return nil }
        guard (1...1_000_000).contains(value) else {
            throw ConfigurationError("\(at) must be from 1 to 1000000, not \(value)")
        }
        return value
    }

    private static func isUsableName(_ name: String) -> Bool {
        (1...128).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-@".unicodeScalars.contains(scalar))
            }
    }
}
