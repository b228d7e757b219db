import Foundation
import Logging
import RapportAccess
import RapportApp
import RapportClient
import RapportProto
import RapportServer
import RapportTesting
import RapportWire
import Testing

/// Answers who the server says is calling, from where: the handler's `CallContext`.
struct WhoAmI: RPCService {
    static let method = MethodDescriptor<EchoRequest, EchoResponse>(service: "rapport.test.v1.WhoAmI", method: "Get", kind: .unary)

    func register(into registry: inout MethodRegistry) {
        registry.register(Self.method) { _, context in
            .with { $0.payload = Data("\(context.principal?.name ?? "-")|\(context.peer ?? "-")".utf8) }
        }
    }
}

@Suite("Security: refusals, principals in the call context, per-principal limits")
struct CallRefusalTests {
    @Test func refusedCallsAreReportedWithPrincipalMethodRequestIDAndPeerButNeverTheToken() async throws {
        let principals = try TestPrincipals.make()
        defer { principals.remove() }
        let refusals = RefusalLog()
        try await TestDaemon.run(configure: { $0.principalsFile = principals.path }, refusalObserver: refusals) { daemon in
            let reader = try await daemon.makeClient(token: principals.token("reader"))
            let denied = await rpcError {
                _ = try await reader.customers.createCustomer(
                    CustomerFixtures.create(), options: CallOptions(metadata: ["x-request-id": "req-denied"]))
            }
            #expect(denied?.code == .permissionDenied)
            #expect(denied?.message.contains("customers.write") == true)
            let anonymous = try await daemon.makeClient(token: nil)
            let unauthenticated = await rpcError {
                _ = try await anonymous.customers.listCustomers(.init(), options: CallOptions(metadata: ["x-request-id": "req-anon"]))
            }
            #expect(unauthenticated?.code == .unauthenticated)
            // Served calls and open calls are not refusals.
            _ = try await reader.customers.listCustomers(.init())
            _ = try await anonymous.health.check()

            let all = refusals.all
            #expect(all.count == 2)
            let first = try #require(all.first { $0.requestID == "req-denied" })
            #expect(first.principal == "reader")
            #expect(first.code == .permissionDenied)
            #expect(first.method == Rapport_V1_CustomerService.Method.createCustomer.path)
            #expect(first.peer?.hasPrefix("127.0.0.1:") == true)
            let second = try #require(all.first { $0.requestID == "req-anon" })
            #expect(second.principal == nil)
            #expect(second.code == .unauthenticated)
            await reader.close()
            await anonymous.close()
        }
    }

    @Test func handlersSeeThePrincipalAndThePeer() async throws {
        try await TestDaemon.run(extraServices: [WhoAmI()]) { daemon in
            let client = try await daemon.makeClient()
            let reply = try await client.unary(WhoAmI.method, EchoRequest())
            let parts = String(decoding: reply.payload, as: UTF8.self).split(separator: "|")
            #expect(parts.first == "local-admin")
            #expect(parts.last?.hasPrefix("127.0.0.1:") == true)
            await client.close()
        }
    }

    @Test func aPrincipalsConcurrentCallsAreLimitedAcrossConnectionsAndOthersAreStillServed() async throws {
        let busy = LocalAdminCredential.makeToken()
        let principals = try TestPrincipals.make(extra: [.init(name: "batch", roles: [.reader], tokens: [busy], maxConcurrentCalls: 2)])
        defer { principals.remove() }
        let refusals = RefusalLog()
        let doubles = TestDoubles()
        try await TestDaemon.run(
            configure: { $0.principalsFile = principals.path }, extraServices: [doubles], refusalObserver: refusals
        ) { daemon in
            let server = daemon.daemon.server
            let first = try await daemon.makeClient(token: busy)
            let second = try await daemon.makeClient(token: busy)
            let hangs = [first, second].map { client in
                Task { try await client.unary(TestDoubles.hang, EchoRequest()) }
            }
            // At the limit: both admitted, on two connections.
            #expect(await eventually { server.callsInFlight(of: "batch") == 2 })
            #expect(await doubles.started.wait(for: 2))

            let third = try await daemon.makeClient(token: busy)
            let refused = await rpcError { _ = try await third.diagnostics.echo(EchoRequest()) }
            #expect(refused?.code == .resourceExhausted)
            #expect(refused?.message.contains("batch") == true)
            #expect(refusals.all.contains { $0.code == .resourceExhausted && $0.principal == "batch" })

            // Another principal is not held back by it.
            let other = try await daemon.makeClient(token: principals.token("reader"))
            _ = try await other.diagnostics.echo(EchoRequest())

            // A finished call frees its place.
            hangs[0].cancel()
            #expect(await eventually { server.callsInFlight(of: "batch") == 1 })
            _ = try await third.diagnostics.echo(EchoRequest())
            hangs[1].cancel()
            #expect(await eventually { server.callsInFlight(of: "batch") == 0 })
            for client in [first, second, third, other] { await client.close() }
        }
    }

    @Test func aServedMethodWithoutARuleStopsTheDaemonBeforeItStarts() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-norule-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = DaemonConfiguration(dataDirectory: directory)
        configuration.server.port = 0
        let error = #expect(throws: MissingAccessRuleError.self) {
            _ = try Daemon(configuration: configuration, extraServices: [WhoAmI()], logger: .init(label: "test"))
        }
        #expect(error?.paths == [WhoAmI.method.path])
        // The data directory was unlocked again: a daemon with the rule starts on it.
        _ = try Daemon(
            configuration: configuration, extraServices: [WhoAmI()], extraAccess: [WhoAmI.method.path: .authenticated],
            logger: .init(label: "test")
        ).close()
    }
}
