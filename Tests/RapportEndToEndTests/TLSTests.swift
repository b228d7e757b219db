import Foundation
import RapportClient
import RapportProto
import RapportServer
import RapportTesting
import RapportWire
import Testing

@Suite("TLS")
struct TLSTests {
    /// Runs `body` against a daemon serving TLS with a fresh self-signed certificate.
    private func withTLSDaemon(_ body: @Sendable (TestDaemon, TestCertificates) async throws -> Void) async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try await TestDaemon.run(configure: {
            $0.server.tls = ServerTLS(certificateChainPath: certificates.certificate, privateKeyPath: certificates.key)
        }) { daemon in
            try await body(daemon, certificates)
        }
    }

    @Test func callsGoOverTLSWhenTheClientTrustsTheServer() async throws {
        try await withTLSDaemon { daemon, certificates in
            for host in ["127.0.0.1", "localhost"] {
                let client = try await RapportClient.connect(
                    host: host, port: daemon.port,
                    configuration: .init(tls: .trusting(caCertificatesPath: certificates.certificate), bearerToken: daemon.localToken))
                let reply = try await client.diagnostics.echo(.with { $0.payload = Data("secret".utf8) })
                #expect(reply.payload == Data("secret".utf8))
                await client.close()
            }
        }
    }

    @Test func untrustedCertificateFailsTheCallAsUnavailable() async throws {
        try await withTLSDaemon { daemon, _ in
            // The system trust roots do not include the test's self-signed certificate.
            let client = try await RapportClient.connect(
                host: "127.0.0.1", port: daemon.port, configuration: .init(tls: ClientTLS()))
            let error = await rpcError { _ = try await client.health.check() }
            #expect(error?.code == .unavailable)
            await client.close()
        }
    }

    @Test func plainClientIsRefusedByATLSServer() async throws {
        try await withTLSDaemon { daemon, _ in
            let client = try await daemon.makeClient()
            let error = await rpcError { _ = try await client.health.check() }
            #expect(error?.code == .unavailable)
            await client.close()
        }
    }

    @Test func missingCertificateStopsTheServerBeforeItListens() async throws {
        await #expect(throws: TLSSetupError.self) {
            try await TestDaemon.run(configure: {
                $0.server.tls = ServerTLS(certificateChainPath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem")
            }) { _ in }
        }
    }
}
