import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import SwiftProtobuf
import Testing

@Suite("CustomerService: create, get, update, delete")
struct CustomerCRUDTests {
    @Test func createdCustomerCanBeReadByIdAndExternalRefWithExplainedSegments() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create(externalRef: "CB-1001"))
            #expect(created.id.hasPrefix("cus_"))
            #expect(!created.etag.isEmpty)
            #expect(created.profile == CustomerFixtures.profile())
            #expect(created.segmentation.valueTier != .unspecified)
            #expect(!created.segmentation.valueTierReasons.isEmpty)
            #expect(created.segmentation.lifecycleStage != .unspecified)
            #expect(!created.segmentation.lifecycleReasons.isEmpty)
            let byID = try await client.customers.getCustomer(.with { $0.id = created.id })
            #expect(byID == created)
            let byRef = try await client.customers.getCustomer(.with { $0.externalRef = "CB-1001" })
            #expect(byRef == created)
            await client.close()
        }
    }

    @Test func segmentsFollowAssets() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let rich = try await client.customers.createCustomer(CustomerFixtures.create(CustomerFixtures.profile(assets: 250_000_000)))
            let modest = try await client.customers.createCustomer(.with {
                $0.profile = .with { $0.fullName = "Sam Modest" }
            })
            #expect(rich.segmentation.valueTier == .private)
            #expect(modest.segmentation.valueTier == .mass)
            #expect(modest.segmentation.lifecycleStage == .acquisition)
            await client.close()
        }
    }

    /// Each invalid profile is refused with INVALID_ARGUMENT naming the field.
    static let invalidProfiles: [(String, @Sendable (inout Rapport_V1_CustomerProfile) -> Void)] = [
        ("profile.full_name", { $0.fullName = "  " }),
        ("profile.email", { $0.email = "not-an-address" }),
        ("profile.phone", { $0.phone = "0770 0900" }),
        ("profile.date_of_birth", { $0.dateOfBirth = .with { $0.year = 2999; $0.month = 1; $0.day = 1 } }),
        ("profile.date_of_birth", { $0.dateOfBirth = .with { $0.year = 2023; $0.month = 2; $0.day = 29 } }),
        ("profile.annual_income", { $0.annualIncome = .with { $0.minorUnits = -1; $0.currencyCode = "GBP" } }),
        ("profile.assets_under_management", { $0.assetsUnderManagement = .with { $0.minorUnits = 1; $0.currencyCode = "pounds" } }),
        ("profile.risk_level", { $0.riskLevel = .UNRECOGNIZED(99) }),
        ("profile.preferred_channel", { $0.preferredChannel = .UNRECOGNIZED(42) }),
    ]

    @Test(arguments: 0..<invalidProfiles.count)
    func invalidProfileIsRefusedNamingTheField(index: Int) async throws {
        let (field, spoil) = Self.invalidProfiles[index]
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            var profile = CustomerFixtures.profile()
            spoil(&profile)
            let error = await rpcError { _ = try await client.customers.createCustomer(CustomerFixtures.create(profile)) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.hasPrefix("\(field):") == true, "\(String(describing: error))")
            await client.close()
        }
    }

    @Test func duplicateExternalRefIsAlreadyExists() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            _ = try await client.customers.createCustomer(CustomerFixtures.create(externalRef: "CB-7"))
            let error = await rpcError { _ = try await client.customers.createCustomer(CustomerFixtures.create(externalRef: "CB-7")) }
            #expect(error?.code == .alreadyExists)
            #expect(error?.message.contains("external_ref") == true)
            await client.close()
        }
    }

    @Test func retriedCreateWithTheSameRequestIDReturnsTheFirstCustomer() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let first = try await client.customers.createCustomer(CustomerFixtures.create(requestID: "req-1"))
            let retry = try await client.customers.createCustomer(CustomerFixtures.create(requestID: "req-1"))
            #expect(retry.id == first.id)
            let other = try await client.customers.createCustomer(CustomerFixtures.create(requestID: "req-2"))
            #expect(other.id != first.id)
            // The same request id for another person: refused, without a word about the first.
            var someoneElse = CustomerFixtures.profile()
            someoneElse.fullName = "Somebody Else"
            let reused = await rpcError {
                _ = try await client.customers.createCustomer(CustomerFixtures.create(someoneElse, requestID: "req-1"))
            }
            #expect(reused?.code == .alreadyExists)
            #expect(reused?.message.hasPrefix("request_id: req-1 was already used to create a different customer") == true)
            #expect(reused?.message.contains(first.id) == false)
            await client.close()
        }
    }

    @Test func missingCustomerIsNotFoundAndAKeyIsRequired() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let missing = await rpcError { _ = try await client.customers.getCustomer(.with { $0.id = "cus_nope" }) }
            #expect(missing?.code == .notFound)
            let noKey = await rpcError { _ = try await client.customers.getCustomer() }
            #expect(noKey?.code == .invalidArgument)
            await client.close()
        }
    }

    @Test func updateChangesOnlyTheMaskedFields() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create())
            let updated = try await client.customers.updateCustomer(.with {
                $0.id = created.id
                $0.profile = .with {
                    $0.email = "ada.l@example.org"
                    $0.fullName = "ignored: not in the mask"
                }
                $0.updateMask = Google_Protobuf_FieldMask(protoPaths: ["email"])
                $0.etag = created.etag
            })
            #expect(updated.profile.email == "ada.l@example.org")
            #expect(updated.profile.fullName == created.profile.fullName)
            #expect(updated.etag != created.etag)
            #expect(updated.createTime == created.createTime)
            await client.close()
        }
    }

    @Test func updateRefusesUnknownPathsStaleEtagsAndInvalidResults() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create())
            let unknown = await rpcError { _ = try await client.customers.updateCustomer(.with {
                $0.id = created.id
                $0.updateMask = Google_Protobuf_FieldMask(protoPaths: ["shoe_size"])
            }) }
            #expect(unknown?.code == .invalidArgument)
            #expect(unknown?.message.contains("shoe_size") == true)
            let invalid = await rpcError { _ = try await client.customers.updateCustomer(.with {
                $0.id = created.id
                $0.profile = .with { $0.email = "broken" }
                $0.updateMask = Google_Protobuf_FieldMask(protoPaths: ["email"])
            }) }
            #expect(invalid?.code == .invalidArgument)
            #expect(invalid?.message.hasPrefix("profile.email:") == true)
            let stale = await rpcError { _ = try await client.customers.updateCustomer(.with {
                $0.id = created.id
                $0.profile = .with { $0.occupation = "Poet" }
                $0.updateMask = Google_Protobuf_FieldMask(protoPaths: ["occupation"])
                $0.etag = "stale"
            }) }
            #expect(stale?.code == .aborted)
            let unchanged = try await client.customers.getCustomer(.with { $0.id = created.id })
            #expect(unchanged == created)
            await client.close()
        }
    }

    @Test func ofTwoConcurrentUpdatersWithTheSameEtagExactlyOneWins() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create())
            let outcomes = await withTaskGroup(of: StatusCode?.self) { group in
                for occupation in ["Poet", "Painter", "Pilot", "Potter"] {
                    group.addTask {
                        do {
                            _ = try await client.customers.updateCustomer(.with {
                                $0.id = created.id
                                $0.profile = .with { $0.occupation = occupation }
                                $0.updateMask = Google_Protobuf_FieldMask(protoPaths: ["occupation"])
                                $0.etag = created.etag
                            })
                            return nil
                        } catch let error as RPCError {
                            return error.code
                        } catch {
                            return .unknown
                        }
                    }
                }
                return await group.reduce(into: [StatusCode?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.filter { $0 == .aborted }.count == 3)
            await client.close()
        }
    }

    @Test func deleteRemovesTheCustomer() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            let created = try await client.customers.createCustomer(CustomerFixtures.create(externalRef: "CB-9"))
            let stale = await rpcError { _ = try await client.customers.deleteCustomer(.with {
                $0.id = created.id
                $0.etag = "stale"
            }) }
            #expect(stale?.code == .aborted)
            _ = try await client.customers.deleteCustomer(.with { $0.id = created.id })
            let gone = await rpcError { _ = try await client.customers.getCustomer(.with { $0.externalRef = "CB-9" }) }
            #expect(gone?.code == .notFound)
            let again = await rpcError { _ = try await client.customers.deleteCustomer(.with { $0.id = created.id }) }
            #expect(again?.code == .notFound)
            // The external_ref is free again.
            _ = try await client.customers.createCustomer(CustomerFixtures.create(externalRef: "CB-9"))
            await client.close()
        }
    }
}
