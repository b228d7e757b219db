import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import SwiftProtobuf
import Testing

@Suite("Interaction log → lifecycle stage")
struct LifecycleTests {
    /// Six contacts 100 to 170 days ago: all in the previous 90-day window.
    static func oldContacts(_ customerID: String, _ clock: TestClock) -> [Rapport_V1_Interaction] {
        stride(from: 100.0, through: 170, by: 14).map {
            InteractionFixtures.interaction(customerID, .inquiry, channel: .phone, at: clock.offset(days: -$0))
        }
    }

    @Test func aCustomerWhoseContactsStoppedIsInDeclineAndTheEtagStays() async throws {
        try await InteractionHarness.run { world in
            let created = try await world.customer()
            #expect(created.segmentation.lifecycleStage != .decline)
            for contact in Self.oldContacts(created.id, world.clock) {
                _ = try await world.log(contact)
            }
            let now = try await world.client.customers.getCustomer(.with { $0.id = created.id })
            #expect(now.segmentation.lifecycleStage == .decline)
            let reasons = now.segmentation.lifecycleReasons
            #expect(reasons.contains { $0.contains("contacts fell") && $0.contains("from 6 to 0") }, "\(reasons)")
            // Logging changes only the segments: an etag held for an update stays good.
            #expect(now.etag == created.etag)
            #expect(now.updateTime == created.updateTime)
            #expect(now.profile == created.profile)
            _ = try await world.client.customers.updateCustomer(.with {
                $0.id = created.id
                $0.profile = .with { $0.occupation = "Poet" }
                $0.updateMask = .init(protoPaths: ["occupation"])
                $0.etag = created.etag
            })
        }
    }

    /// Nobody writes for the customer after their contacts stop; the daily sweep sees the new day
    /// and marks them declining.
    @Test func theDailySweepMarksACustomerWhoWentQuiet() async throws {
        try await InteractionHarness.run(sweepCheckSeconds: 0.05) { world in
            let created = try await world.customer()
            _ = try await world.logBatch(stride(from: 20.0, through: 60, by: 8).map {
                InteractionFixtures.interaction(created.id, .transaction, channel: .mobileApp, at: world.clock.offset(days: -$0))
            })
            let active = try await world.client.customers.getCustomer(.with { $0.id = created.id })
            #expect(active.segmentation.lifecycleStage != .decline)
            world.clock.advance(by: 120 * 86_400)
            let declined = await eventually(within: .seconds(20)) {
                let now = try? await world.client.customers.getCustomer(.with { $0.id = created.id })
                return now?.segmentation.lifecycleStage == .decline
            }
            #expect(declined, "the sweep did not re-segment the quiet customer")
            let now = try await world.client.customers.getCustomer(.with { $0.id = created.id })
            #expect(now.etag == active.etag)
        }
    }

    /// A background job that has nothing to do must not end the daemon with it.
    @Test func aDaemonWithTheSweepTurnedOffKeepsServing() async throws {
        try await TestDaemon.run(configure: { $0.segmentSweep.enabled = false }) { daemon in
            let client = try await daemon.makeClient()
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await client.health.check().status == .serving)
            await client.close()
        }
    }

    @Test func recentContactsKeepACustomerOutOfDecline() async throws {
        try await InteractionHarness.run { world in
            let created = try await world.customer()
            let recent = (1...4).map {
                InteractionFixtures.interaction(created.id, .transaction, channel: .mobileApp, at: world.clock.offset(days: -Double($0 * 10)))
            }
            _ = try await world.logBatch(Self.oldContacts(created.id, world.clock) + recent)
            let now = try await world.client.customers.getCustomer(.with { $0.id = created.id })
            #expect(now.segmentation.lifecycleStage == created.segmentation.lifecycleStage)
            #expect(now.segmentation.lifecycleStage != .decline)
        }
    }

    @Test func notesMarketingAndOfferPresentationsAreNotActivity() async throws {
        try await InteractionHarness.run { world in
            let created = try await world.customer()
            try await world.setConsent(created.id, .email, granted: true)
            let recentNonActivity: [Rapport_V1_Interaction] = [
                InteractionFixtures.interaction(created.id, .note, at: world.clock.offset(days: -5)),
                InteractionFixtures.interaction(created.id, .marketingContact, channel: .email, at: world.clock.offset(days: -4)),
                InteractionFixtures.interaction(created.id, .offerPresented, channel: .email, at: world.clock.offset(days: -3)),
            ]
            _ = try await world.logBatch(Self.oldContacts(created.id, world.clock) + recentNonActivity)
            let now = try await world.client.customers.getCustomer(.with { $0.id = created.id })
            #expect(now.segmentation.lifecycleStage == .decline)
        }
    }

    @Test func tenureStartsAtTheFirstContactWhenNoProductSaysOtherwise() async throws {
        try await InteractionHarness.run { world in
            let created = try await world.client.customers.createCustomer(.with {
                $0.profile = .with { $0.fullName = "Sam Newcomer" }
            })
            #expect(created.segmentation.lifecycleStage == .acquisition)
            _ = try await world.log(InteractionFixtures.interaction(created.id, .inquiry, at: world.clock.offset(days: -400)))
            let now = try await world.client.customers.getCustomer(.with { $0.id = created.id })
            #expect(now.segmentation.lifecycleStage != .acquisition)
            #expect(now.segmentation.lifecycleReasons.contains { $0.contains("first contact") }, "\(now.segmentation.lifecycleReasons)")
        }
    }
}
