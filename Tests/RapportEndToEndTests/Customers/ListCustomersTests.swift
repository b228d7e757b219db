import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("CustomerService: ListCustomers")
struct ListCustomersTests {
    @Test func pagesCoverEveryMatchOnceInAStableOrder() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            var created: [String] = []
            for index in 0..<10 {
                let branch = index.isMultiple(of: 2) ? "0001" : "0002"
                created.append(try await client.customers.createCustomer(
                    CustomerFixtures.create(CustomerFixtures.profile(name: "Customer \(index)", branch: branch))).id)
            }
            var seen: [String] = []
            var token = ""
            repeat {
                let page = try await client.customers.listCustomers(.with {
                    $0.pageSize = 3
                    $0.pageToken = token
                })
                #expect(page.customers.count <= 3)
                seen += page.customers.map(\.id)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == created)
            let branch = try await client.customers.listCustomers(.with { $0.branchID = "0002" })
            #expect(branch.customers.map(\.id) == created.enumerated().filter { !$0.offset.isMultiple(of: 2) }.map(\.element))
            #expect(branch.nextPageToken.isEmpty)
            let named = try await client.customers.listCustomers(.with { $0.namePrefix = "customer 1" })
            #expect(named.customers.map(\.profile.fullName) == ["Customer 1"])
            await client.close()
        }
    }

    @Test func tokensAndPageSizesAreChecked() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            for index in 0..<3 {
                _ = try await client.customers.createCustomer(CustomerFixtures.create(CustomerFixtures.profile(name: "P \(index)")))
            }
            let first = try await client.customers.listCustomers(.with { $0.pageSize = 1 })
            #expect(!first.nextPageToken.isEmpty)
            let otherQuery = await rpcError { _ = try await client.customers.listCustomers(.with {
                $0.pageSize = 1
                $0.branchID = "0042"
                $0.pageToken = first.nextPageToken
            }) }
            #expect(otherQuery?.code == .invalidArgument)
            let garbage = await rpcError { _ = try await client.customers.listCustomers(.with { $0.pageToken = "%%%not-a-token" }) }
            #expect(garbage?.code == .invalidArgument)
            let negative = await rpcError { _ = try await client.customers.listCustomers(.with { $0.pageSize = -1 }) }
            #expect(negative?.code == .invalidArgument)
            let huge = try await client.customers.listCustomers(.with { $0.pageSize = 1_000_000 })
            #expect(huge.customers.count == 3)
            let unknownTier = await rpcError { _ = try await client.customers.listCustomers(.with { $0.valueTier = .UNRECOGNIZED(9) }) }
            #expect(unknownTier?.code == .invalidArgument)
            await client.close()
        }
    }
}
