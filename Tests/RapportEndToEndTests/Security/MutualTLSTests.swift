import Foundation
import RapportAccess
import RapportClient
import RapportProto
import RapportServer
import RapportTesting
import RapportWire
import Testing

@Suite("Security: mutual TLS maps client certificates to principals")
struct MutualTLSTests {
    /// A daemon requiring client certificates from the test CA, with `reporting` (reader) known by
    /// its certificate's SAN URI and `ops` (manager) by its common name.
    private func withMutualTLSDaemon(
        _ body: @Sendable (TestDaemon, TestCertificateAuthority, TestPrincipals) async throws -> Void
    ) async throws {
        let authority = try await TestCertificateAuthority.make()
        defer { authority.remove() }
        let principals = try TestPrincipals.make(extra: [
            .init(name: "reporting", roles: [.reader], certificates: ["spiffe://bank/reporting"]),
            .init(name: "ops", roles: [.manager], certificates: ["ops.bank.internal"]),
        ])
        defer { principals.remove() }
        try await TestDaemon.run(configure: {
            $0.server.tls = ServerTLS(
                certificateChainPath: authority.serverCertificate, privateKeyPath: authority.serverKey,
                clientCAPath: authority.caCertificate)
            $0.principalsFile = principals.path
        }) { daemon in
            try await body(daemon, authority, principals)
        }
    }

    private func connect(_ daemon: TestDaemon, _ tls: ClientTLS, token: String? = nil) async throws -> RapportClient {
        try await RapportClient.connect(
            host: "127.0.0.1", port: daemon.port, configuration: ClientConfiguration(tls: tls, bearerToken: token))
    }

    @Test func aTrustedCertificateIsItsPrincipalBySANOrCommonName() async throws {
        try await withMutualTLSDaemon { daemon, authority, _ in
            let reporting = try await authority.issueClient(
                "reporting", commonName: "reporting-svc", alternativeNames: "URI:spiffe://bank/reporting")
            let client = try await connect(
                daemon, try .mutual(
                    caCertificatesPath: authority.caCertificate, certificateChainPath: reporting.certificate,
                    privateKeyPath: reporting.key))
            _ = try await client.customers.listCustomers(.init())
            #expect(await rpcError { _ = try await client.customers.createCustomer(CustomerFixtures.create()) }?.code == .permissionDenied)
            await client.close()

            let ops = try await authority.issueClient("ops", commonName: "ops.bank.internal")
            let manager = try await connect(
                daemon, try .mutual(caCertificatesPath: authority.caCertificate, certificateChainPath: ops.certificate, privateKeyPath: ops.key))
            _ = try await manager.customers.createCustomer(CustomerFixtures.create())
            await manager.close()
        }
    }

    @Test func aBearerTokenOverACertifiedConnectionSpeaksForItself() async throws {
        try await withMutualTLSDaemon { daemon, authority, principals in
            let reporting = try await authority.issueClient("r2", commonName: "x", alternativeNames: "URI:spiffe://bank/reporting")
            let tls = try ClientTLS.mutual(
                caCertificatesPath: authority.caCertificate, certificateChainPath: reporting.certificate, privateKeyPath: reporting.key)
            let client = try await connect(daemon, tls, token: principals.token("manager"))
            _ = try await client.customers.createCustomer(CustomerFixtures.create())
            await client.close()
        }
    }

    @Test func aCertificateNoPrincipalClaimsIsUnauthenticated() async throws {
        try await withMutualTLSDaemon { daemon, authority, _ in
            let stranger = try await authority.issueClient("stranger", commonName: "stranger.bank.internal")
            let client = try await connect(
                daemon, try .mutual(
                    caCertificatesPath: authority.caCertificate, certificateChainPath: stranger.certificate, privateKeyPath: stranger.key))
            #expect(await rpcError { _ = try await client.customers.listCustomers(.init()) }?.code == .unauthenticated)
            // Health stays open to it.
            _ = try await client.health.check()
            await client.close()
        }
    }

    @Test func anUntrustedCertificateOrNoneIsRefusedAtTheHandshake() async throws {
        try await withMutualTLSDaemon { daemon, authority, principals in
            let rogue = try await authority.issueClient(
                "rogue", commonName: "ops.bank.internal", alternativeNames: "URI:spiffe://bank/reporting", by: "rogue-ca")
            let impostor = try await connect(
                daemon, try .mutual(caCertificatesPath: authority.caCertificate, certificateChainPath: rogue.certificate, privateKeyPath: rogue.key))
            #expect(await rpcError { _ = try await impostor.health.check() }?.code == .unavailable)
            await impostor.close()
            // Without a certificate, even a valid token does not get past the handshake.
            let bare = try await connect(daemon, .trusting(caCertificatesPath: authority.caCertificate), token: principals.token("admin"))
            #expect(await rpcError { _ = try await bare.health.check() }?.code == .unavailable)
            await bare.close()
        }
    }
}
