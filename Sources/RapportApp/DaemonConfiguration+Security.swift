import RapportAccess
import RapportProto
import RapportServer

extension DaemonConfiguration {
    /// The identity and transport-security settings of a config file (or flags).
    mutating func applySecurity(_ file: DaemonConfigFile) throws {
        if let path = file.tlsClientCA {
            guard server.tls != nil else {
                throw ConfigurationError("tls_client_ca / --tls-client-ca needs TLS: set tls_cert and tls_key too")
            }
            server.tls?.clientCAPath = path
        }
        if let path = file.principalsFile { principalsFile = path }
        if let insecure = file.insecure { self.insecure = insecure }
        if let open = file.openReflection { openReflection = open }
        if let open = file.openDiagnostics { openDiagnostics = open }
    }

    /// A daemon reachable beyond this machine needs TLS and a principals file, unless `insecure`.
    func validateSecurity() throws {
        guard !Self.isLoopback(server.host), !insecure else { return }
        var missing: [String] = []
        if server.tls == nil { missing.append("TLS (tls_cert, tls_key)") }
        if principalsFile == nil { missing.append("a principals file (principals_file)") }
        guard missing.isEmpty else {
            throw ConfigurationError(
                "listening on \(server.host), beyond loopback, needs \(missing.joined(separator: " and ")); "
                    + "pass --insecure to listen there anyway (not for production)")
        }
    }

    /// Whether the daemon listens beyond loopback without TLS or a principals file (`insecure` allowed it).
    public var isExposedInsecurely: Bool {
        !Self.isLoopback(server.host) && (server.tls == nil || principalsFile == nil)
    }

    /// Whether `host` names only this machine: localhost, 127.0.0.0/8 or ::1.
    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        if lowered == "localhost" || lowered == "::1" || lowered == "[::1]" { return true }
        let octets = lowered.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The access rules the daemon enforces: the permission table, with reflection and
    /// diagnostics opened when configured.
    public var accessTable: [String: MethodAccess] {
        var table = PermissionTable.access
        if openReflection {
            for method in Rapport_Reflection_V1_Reflection.descriptor.methods { table[method.path] = .open }
        }
        if openDiagnostics {
            for method in Rapport_Diagnostics_V1_Diagnostics.descriptor.methods { table[method.path] = .open }
        }
        return table
    }
}
