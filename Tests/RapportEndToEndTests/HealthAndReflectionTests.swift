import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import SwiftProtobuf
import Testing

@Suite("Health and reflection")
struct HealthAndReflectionTests {
    @Test(arguments: [
        ("", Rapport_Health_V1_HealthCheckResponse.ServingStatus.serving),
        ("rapport.health.v1.Health", .serving),
        ("rapport.diagnostics.v1.Diagnostics", .serving),
        ("rapport.v1.CustomerService", .serving),
        ("rapport.v1.InteractionService", .serving),
        ("rapport.v1.RecommendationService", .serving),
        ("rapport.v1.AdminService", .serving),
        ("rapport.nope.v1.Nope", .serviceUnknown),
    ])
    func checkReportsEachService(service: String, expected: Rapport_Health_V1_HealthCheckResponse.ServingStatus) async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let response = try await client.unary(Rapport_Health_V1_Health.Method.check, .with { $0.service = service })
            #expect(response.status == expected)
            await client.close()
        }
    }

    @Test func listServicesNamesEveryMethodWithItsTypes() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let listing = try await client.unary(Rapport_Reflection_V1_Reflection.Method.listServices, .init())
            #expect(listing.services.map(\.name) == [
                "rapport.diagnostics.v1.Diagnostics", "rapport.health.v1.Health", "rapport.reflection.v1.Reflection",
                "rapport.v1.AdminService", "rapport.v1.CustomerService", "rapport.v1.InteractionService", "rapport.v1.KeyService",
                "rapport.v1.RecommendationService",
            ])
            let health = try #require(listing.services.first { $0.name == "rapport.health.v1.Health" })
            let watch = try #require(health.methods.first { $0.name == "Watch" })
            #expect(watch.path == "/rapport.health.v1.Health/Watch")
            #expect(watch.requestType == "rapport.health.v1.HealthCheckRequest")
            #expect(watch.responseType == "rapport.health.v1.HealthCheckResponse")
            #expect(watch.serverStreaming)
            #expect(health.methods.first { $0.name == "Check" }?.serverStreaming == false)
            await client.close()
        }
    }

    @Test func fileDescriptorSetDescribesEveryServedService() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let response = try await client.unary(Rapport_Reflection_V1_Reflection.Method.getFileDescriptorSet, .init())
            let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: response.fileDescriptorSet)
            let services = set.file.flatMap { file in file.service.map { "\(file.package).\($0.name)" } }
            let listing = try await client.unary(Rapport_Reflection_V1_Reflection.Method.listServices, .init())
            #expect(Set(listing.services.map(\.name)).isSubset(of: Set(services)))
            let echo = set.file.flatMap(\.service).first { $0.name == "Diagnostics" }?.method.first
            #expect(echo?.inputType == ".rapport.diagnostics.v1.EchoRequest")
            await client.close()
        }
    }
}
