import Foundation
import RapportAccess
import RapportApp
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

/// Every served method called by every role, by no one and by a stranger, checked against the
/// permission table. The methods come from the generated descriptors, so a new method is covered
/// the day it is added.
@Suite("Security: every method × every role")
struct AccessMatrixTests {
    static let methods = RapportCatalog.services.flatMap(\.methods)

    @Test func thePermissionTableHasARuleForEveryGeneratedMethodAndNoOther() {
        #expect(Set(PermissionTable.access.keys) == Set(Self.methods.map(\.path)))
        #expect(Self.methods.count >= 25)
    }

    @Test(arguments: Role.allCases)
    func eachRoleIsServedExactlyWhatItsPermissionsAllow(role: Role) async throws {
        let principals = try TestPrincipals.make()
        defer { principals.remove() }
        try await TestDaemon.run(configure: { $0.principalsFile = principals.path }) { daemon in
            let client = try await daemon.makeClient(token: principals.token(role.rawValue))
            let principal = Principal(name: role.rawValue, roles: [role])
            for method in Self.methods {
                let rule = try #require(PermissionTable.access[method.path])
                let allowed: Bool =
                    switch rule {
                    case .open, .authenticated: true
                    case .requires(let permission): principal.may(permission)
                    }
                let code = await Self.outcome(of: method, on: client)
                if allowed {
                    #expect(code != .permissionDenied && code != .unauthenticated, "\(role) → \(method.path): \(code)")
                } else {
                    #expect(code == .permissionDenied, "\(role) → \(method.path): \(code)")
                }
            }
            await client.close()
        }
    }

    @Test func withoutACredentialOnlyOpenMethodsAnswerAndAWrongTokenGetsNothing() async throws {
        try await TestDaemon.run { daemon in
            let anonymous = try await daemon.makeClient(token: nil)
            let stranger = try await daemon.makeClient(token: LocalAdminCredential.makeToken())
            for method in Self.methods {
                let open = PermissionTable.access[method.path] == .open
                let code = await Self.outcome(of: method, on: anonymous)
                if open {
                    #expect(code == .ok, "health stays open: \(method.path) → \(code)")
                } else {
                    #expect(code == .unauthenticated, "\(method.path) without credential → \(code)")
                }
                #expect(await Self.outcome(of: method, on: stranger) == .unauthenticated, "\(method.path) with a wrong token")
            }
            let malformed = try await daemon.makeClient(token: nil)
            let error = await rpcError {
                _ = try await malformed.unaryRaw(
                    path: Rapport_V1_CustomerService.Method.getCustomer.path, payload: [],
                    options: CallOptions(metadata: ["authorization": "Basic dXNlcjpwYXNz"]))
            }
            #expect(error?.code == .unauthenticated)
            #expect(error?.message.contains("Bearer") == true)
            // The scheme is case-insensitive and may be followed by several spaces; the token is one
            // word. Alternating values on one connection: each is judged on its own, never by the last.
            let token = try #require(daemon.localToken)
            let health = Rapport_Health_V1_Health.Method.check.path
            for (header, accepted) in [
                ("bearer \(token)", true), ("BEARER   \(token)", true), ("Bearer \(token) extra", false),
                ("Bearer ", false), ("Bearer\(token)", false), ("Bearer \(token)", true), ("Bearer \(token)x", false),
            ] {
                var outcome: RPCError?
                do {
                    _ = try await malformed.unaryRaw(path: health, payload: [], options: CallOptions(metadata: ["authorization": header]))
                } catch let error as RPCError {
                    outcome = error
                }
                #expect(accepted ? outcome == nil : outcome?.code == .unauthenticated, "\(header.prefix(9))…: \(String(describing: outcome))")
            }
            for client in [anonymous, stranger, malformed] { await client.close() }
        }
    }

    @Test func reflectionAndDiagnosticsCanBeOpened() async throws {
        try await TestDaemon.run(configure: { $0.openReflection = true; $0.openDiagnostics = true }) { daemon in
            let anonymous = try await daemon.makeClient(token: nil)
            for method in Rapport_Reflection_V1_Reflection.descriptor.methods + Rapport_Diagnostics_V1_Diagnostics.descriptor.methods {
                #expect(await Self.outcome(of: method, on: anonymous) == .ok, "\(method.path)")
            }
            #expect(await Self.outcome(of: Rapport_V1_CustomerService.Method.listCustomers.erased, on: anonymous) == .unauthenticated)
            await anonymous.close()
        }
    }

    /// The status a call with an empty request ends with (`.ok` when it succeeded or streamed a message).
    static func outcome(of method: AnyMethodDescriptor, on client: RapportClient) async -> StatusCode {
        let options = CallOptions(timeout: .seconds(10))
        do {
            switch method.kind {
            case .unary:
                _ = try await client.unaryRaw(path: method.path, payload: [], options: options)
            case .serverStreaming:
                // The first message (or the end) is enough: a watch streams until cancelled.
                for try await _ in try await client.serverStreamingRaw(path: method.path, payload: [], options: options) {
                    break
                }
            }
            return .ok
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }
}
