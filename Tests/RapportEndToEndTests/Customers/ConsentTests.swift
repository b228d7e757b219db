import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import SwiftProtobuf
import Testing

@Suite("CustomerService: consent")
struct ConsentTests {
    /// Decisions are dated `offset` seconds from now: they may not predate the customer, nor lie
    /// further back than the daemon's backdating window.
    private func decision(_ channel: Rapport_V1_ConsentChannel, _ purpose: Rapport_V1_ConsentPurpose, granted: Bool, at offset: Int64)
        -> Rapport_V1_ConsentDecision
    {
        let seconds = Int64(Date().timeIntervalSince1970) + offset
        return .with {
            $0.channel = channel
            $0.purpose = purpose
            $0.granted = granted
            $0.decidedAt = Google_Protobuf_Timestamp(seconds: seconds)
            $0.source = .branch
            $0.sourceDetail = "0042"
            $0.recordedBy = "staff-17"
        }
    }

    @Test func latestDecisionPerChannelAndPurposeAppliesAndHistoryIsKept() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let customer = try await client.customers.createCustomer(CustomerFixtures.create())
            _ = try await client.customers.setConsent(.with {
                $0.customerID = customer.id
                $0.decisions = [
                    decision(.email, .marketing, granted: true, at: 1),
                    decision(.sms, .service, granted: true, at: 1),
                ]
            })
            let afterWithdrawal = try await client.customers.setConsent(.with {
                $0.customerID = customer.id
                $0.decisions = [decision(.email, .marketing, granted: false, at: 120)]
            })
            #expect(afterWithdrawal.current.count == 2)
            let email = afterWithdrawal.current.first { $0.channel == .email && $0.purpose == .marketing }
            #expect(email?.granted == false)
            // Provenance comes from the credential; the staff member the caller named is kept beside it.
            #expect(email?.recordedBy == "local-admin")
            #expect(email?.actingFor == "staff-17")
            #expect(email?.source == .branch)
            let read = try await client.customers.getConsent(.with {
                $0.customerID = customer.id
                $0.includeHistory = true
            })
            #expect(read.current == afterWithdrawal.current)
            #expect(read.history.count == 3)
            #expect(read.history.last?.granted == false)
            let withoutHistory = try await client.customers.getConsent(.with { $0.customerID = customer.id })
            #expect(withoutHistory.history.isEmpty)
            await client.close()
        }
    }

    @Test func consentErrors() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let customer = try await client.customers.createCustomer(CustomerFixtures.create())
            let unknownCustomer = await rpcError { _ = try await client.customers.setConsent(.with {
                $0.customerID = "cus_missing"
                $0.decisions = [decision(.post, .marketing, granted: true, at: 1)]
            }) }
            #expect(unknownCustomer?.code == .notFound)
            // No caller text is needed: the authenticated principal is the recorder.
            var anonymous = decision(.post, .marketing, granted: true, at: 1)
            anonymous.recordedBy = ""
            let recorded = try await client.customers.setConsent(.with {
                $0.customerID = customer.id
                $0.decisions = [anonymous]
            })
            let post = recorded.current.first { $0.channel == .post }
            #expect(post?.recordedBy == "local-admin")
            #expect(post?.actingFor == "")
            var noChannel = decision(.post, .marketing, granted: true, at: 1)
            noChannel.channel = .unspecified
            let missingChannel = await rpcError { _ = try await client.customers.setConsent(.with {
                $0.customerID = customer.id
                $0.decisions = [noChannel]
            }) }
            #expect(missingChannel?.message.hasPrefix("decisions[0].channel") == true)
            let empty = await rpcError { _ = try await client.customers.setConsent(.with { $0.customerID = customer.id }) }
            #expect(empty?.code == .invalidArgument)
            let missingRead = await rpcError { _ = try await client.customers.getConsent(.with { $0.customerID = "cus_missing" }) }
            #expect(missingRead?.code == .notFound)
            await client.close()
        }
    }
}
