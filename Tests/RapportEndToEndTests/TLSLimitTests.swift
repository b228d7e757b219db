import Foundation
import RapportClient
import RapportProto
import RapportServer
import RapportTesting
import RapportWire
import Testing

/// The transport limits with TLS between the frames and the socket.
@Suite("Transport limits under TLS")
struct TLSLimitTests {
    @Test func connectionBeyondTheLimitLearnsWhyOverTLSAndTheAdmittedOneIsServed() async throws {
        let certificates = try await TestCertificates.make()
        defer { certificates.remove() }
        try await TestDaemon.run(configure: {
            $0.server.tls = ServerTLS(certificateChainPath: certificates.certificate, privateKeyPath: certificates.key)
            $0.server.limits.maxConnections = 1
        }) { daemon in
            let tls = ClientConfiguration(tls: .trusting(caCertificatesPath: certificates.certificate), bearerToken: daemon.localToken)
            let admitted = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: tls)
            _ = try await admitted.diagnostics.echo(.with { $0.payload = Data("first".utf8) })

            let refused = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: tls)
            let error = await rpcError { _ = try await refused.diagnostics.echo(EchoRequest()) }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("limit of 1 open connections") == true, "\(String(describing: error))")
            await refused.close()

            let reply = try await admitted.diagnostics.echo(.with { $0.payload = Data("still".utf8) })
            #expect(reply.payload == Data("still".utf8))
            await admitted.close()
        }
    }
}
