import Foundation
import RapportClient
import RapportProto
import RapportServer
import RapportTesting
import RapportWire
import SwiftProtobuf
import Testing

/// Masking through the real daemon: the principal a bearer token proves decides what a call sees.
@Suite("End to end: personal data masked by role", .serialized)
struct MaskingEndToEndTests {
    static let tokens: [String: String] = [
        "manager": "rapport_" + String(repeating: "M", count: 43),
        "agent": "rapport_" + String(repeating: "G", count: 43),
        "reader": "rapport_" + String(repeating: "R", count: 43),
        "admin": "rapport_" + String(repeating: "A", count: 43),
    ]
    static let hidden = String(repeating: "\u{2022}", count: 7)

    /// A principals file giving each role of `tokens` one principal.
    static func principalsFile() throws -> URL {
        let principals = tokens.sorted { $0.key < $1.key }.map { role, token in
            #"{"name": "\#(role)-1", "roles": ["\#(role)"], "tokens": ["\#(TokenDigest(token: token).description)"]}"#
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-principals-\(UUID().uuidString).json")
        try Data(#"{"principals": [\#(principals.joined(separator: ", "))]}"#.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        return url
    }

    @Test func eachRoleSeesWhatItsPermissionsAllow() async throws {
        let file = try Self.principalsFile()
        defer { try? FileManager.default.removeItem(at: file) }
        try await TestDaemon.run(configure: { $0.principalsFile = file.path }) { daemon in
            let manager = try await daemon.makeClient(token: Self.tokens["manager"])
            let created = try await manager.customers.createCustomer(CustomerFixtures.create())
            _ = try await manager.interactions.logInteraction(.with {
                $0.interaction = .with {
                    $0.customerID = created.id
                    $0.channel = .branch
                    $0.kind = .surveyResponse
                    $0.occurredAt = Google_Protobuf_Timestamp(date: Date().addingTimeInterval(-3600))
                    $0.summary = "called about the overdraft fee"
                    $0.survey = .with { $0.npsScore = 2; $0.reason = "the fee was not explained" }
                }
            })
            await manager.close()

            for (role, token) in Self.tokens.sorted(by: { $0.key < $1.key }) {
                let client = try await daemon.makeClient(token: token)
                let customer = try await client.customers.getCustomer(.with { $0.id = created.id })
                let overview = try await client.customers.getCustomerOverview(.with { $0.id = created.id })
                var exported: [Rapport_V1_Interaction] = []
                for try await interaction in try await client.interactions.exportInteractions(.init()) {
                    exported.append(interaction)
                }
                if role == "manager" {
                    #expect(customer.profile.phone == "+447700900123")
                    #expect(customer.maskedFields.isEmpty)
                    #expect(exported.map(\.summary) == ["called about the overdraft fee"])
                } else {
                    #expect(customer.profile.phone == Self.hidden + "123", "\(role)")
                    #expect(customer.profile.email == "a" + Self.hidden + "@example.com", "\(role)")
                    #expect(customer.profile.nationalID == Self.hidden + "456C", "\(role)")
                    #expect(customer.profile.dateOfBirth == .with { $0.year = 1985 }, "\(role)")
                    #expect(customer.profile.address == .with { $0.line1 = Self.hidden; $0.city = "London" }, "\(role)")
                    #expect(customer.profile.fullName == "Ada Lovelace")
                    #expect(customer.maskedFields.count == 5, "\(role)")
                    #expect(overview.customer.profile.phone == Self.hidden + "123", "\(role)")
                    #expect(overview.latestSurvey.survey.reason.isEmpty && overview.latestSurvey.summary.isEmpty, "\(role)")
                    #expect(overview.openFollowUps.allSatisfy { $0.interaction.summary.isEmpty }, "\(role)")
                    #expect(exported.map(\.summary) == [""], "\(role)")
                    #expect(exported.map(\.maskedFields) == [["summary", "survey.reason"]], "\(role)")
                }
                await client.close()
            }
        }
    }
}
