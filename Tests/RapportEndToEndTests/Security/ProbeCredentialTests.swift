import Foundation
import RapportClient
import RapportServer
import RapportTesting
import Testing

@Suite("Security: rapport-probe credentials and TLS")
struct ProbeCredentialTests {
    static let list = "/rapport.v1.CustomerService/ListCustomers"

    @Test func theTokenComesFromTheOptionTheFileOrTheDataDirectory() async throws {
        try await TestDaemon.run { daemon in
            let port = "\(daemon.port)"
            let token = try #require(daemon.localToken)
            let empty = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: empty) }

            let explicit = try await Probe.run(["call", "--port", port, "--data-dir", empty.path, "--token", token, Self.list, "{}"])
            #expect(explicit.status == 0, "\(explicit.errors)")
            let file = empty.appendingPathComponent("token")
            try (token + "\n").write(to: file, atomically: true, encoding: .utf8)
            let fromFile = try await Probe.run(["call", "--port", port, "--data-dir", empty.path, "--token-file", file.path, Self.list, "{}"])
            #expect(fromFile.status == 0, "\(fromFile.errors)")
            let fromDataDir = try await Probe.run(["call", "--port", port, "--data-dir", daemon.daemon.configuration.dataDirectory, Self.list, "{}"])
            #expect(fromDataDir.status == 0, "\(fromDataDir.errors)")

            let none = try await Probe.run(["call", "--port", port, "--data-dir", empty.path, Self.list, "{}"])
            #expect(none.status == 3)
            #expect(none.errors.contains("UNAUTHENTICATED (16)"))
            let health = try await Probe.run(["health", "--port", port, "--data-dir", empty.path])
            #expect(health.status == 0, "health needs no credential")
            let wrong = try await Probe.run(["call", "--port", port, "--token", "rapport_wrong", Self.list, "{}"])
            #expect(wrong.status == 3)
            #expect(wrong.errors.contains("UNAUTHENTICATED (16)"))
            #expect(!wrong.errors.contains("rapport_wrong"))
            let missingFile = try await Probe.run(["call", "--port", port, "--token-file", empty.appendingPathComponent("nope").path, Self.list, "{}"])
            #expect(missingFile.status == 1)
            #expect(missingFile.errors.contains("cannot read the token file"))
        }
    }

    @Test func clientsLookForTheCredentialInTheAgreedOrder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cred-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "from-data-dir\n".write(to: directory.appendingPathComponent("local-admin.token"), atomically: true, encoding: .utf8)
        let envFile = directory.appendingPathComponent("env-token")
        try "from-env-file\n".write(to: envFile, atomically: true, encoding: .utf8)
        let environment = ["RAPPORT_TOKEN": "from-env", "RAPPORT_TOKEN_FILE": envFile.path]
        let find = { (token: String?, environment: [String: String]) in
            try LocalCredential.find(token: token, dataDirectory: directory.path, environment: environment)?.token
        }
        #expect(try find("explicit", environment) == "explicit")
        #expect(try find(nil, environment) == "from-env")
        #expect(try find(nil, ["RAPPORT_TOKEN_FILE": envFile.path]) == "from-env-file")
        #expect(try find(nil, [:]) == "from-data-dir")
        #expect(try LocalCredential.find(dataDirectory: directory.appendingPathComponent("none").path, environment: [:]) == nil)
        // The machine's admin token is never offered to another machine.
        for host in ["localhost", "127.0.0.2", "::1", "[::1]"] {
            #expect(try LocalCredential.find(dataDirectory: directory.path, host: host, environment: [:])?.token == "from-data-dir")
        }
        for host in ["10.0.0.7", "rapport.bank.internal", "127.0.0.1.example.com", "::2"] {
            #expect(try LocalCredential.find(dataDirectory: directory.path, host: host, environment: [:]) == nil)
        }
    }

    @Test func aPlainProbeAtATLSPortIsToldToPassTLSAndWithItIsServed() async throws {
        let authority = try await TestCertificateAuthority.make()
        defer { authority.remove() }
        try await TestDaemon.run(configure: {
            $0.server.tls = ServerTLS(certificateChainPath: authority.serverCertificate, privateKeyPath: authority.serverKey)
        }) { daemon in
            let port = "\(daemon.port)"
            let plain = try await Probe.run(["health", "--port", port])
            #expect(plain.status == 2)
            #expect(plain.errors.contains("the server speaks TLS; pass --tls"), "\(plain.errors)")
            #expect(!plain.errors.contains("exceeds the limit"))
            let dataDir = daemon.daemon.configuration.dataDirectory
            let secured = try await Probe.run(["call", "--port", port, "--data-dir", dataDir, "--tls", "--ca", authority.caCertificate, Self.list, "{}"])
            #expect(secured.status == 0, "\(secured.errors)")
        }
    }

    @Test func theProbePresentsAClientCertificateForMutualTLS() async throws {
        let authority = try await TestCertificateAuthority.make()
        defer { authority.remove() }
        let principals = try TestPrincipals.make(extra: [.init(name: "probe", roles: [.reader], certificates: ["probe.bank.internal"])])
        defer { principals.remove() }
        let client = try await authority.issueClient("probe", commonName: "probe.bank.internal")
        try await TestDaemon.run(configure: {
            $0.server.tls = ServerTLS(
                certificateChainPath: authority.serverCertificate, privateKeyPath: authority.serverKey, clientCAPath: authority.caCertificate)
            $0.principalsFile = principals.path
        }) { daemon in
            let port = "\(daemon.port)"
            let run = try await Probe.run([
                "call", "--port", port, "--ca", authority.caCertificate, "--cert", client.certificate, "--key", client.key, Self.list, "{}",
            ])
            #expect(run.status == 0, "\(run.errors)")
            let withoutCertificate = try await Probe.run(["health", "--port", port, "--ca", authority.caCertificate])
            #expect(withoutCertificate.status != 0)
        }
    }
}
