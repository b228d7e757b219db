import Foundation
import RapportClient
import RapportProto
import RapportWire
import Testing

@Suite("Reads under load: point reads and asynchronous reads never starve each other")
struct ConcurrentReadTests {
    /// GetRecommendations mixes a point read (the customer's evidence) with asynchronous reads
    /// (catalog, statistics); ListCustomers and GetCustomer add more of each. Before the read gate,
    /// 16 such calls on 2 cores held every reader with suspended asynchronous reads while the
    /// cooperative threads waited in point reads, and the daemon stopped answering.
    @Test(.timeLimit(.minutes(1))) func manyMixedReadsInFlightAllComplete() async throws {
        try await InteractionHarness.run { harness in
            try await RecommendationWorld.install(harness)
            let id = try await RecommendationWorld.customer(harness)
            let client = harness.client
            let options = CallOptions(timeout: .seconds(20))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<120 {
                    group.addTask {
                        switch index % 3 {
                        case 0: _ = try await client.recommendations.getRecommendations(RecommendationWorld.request(id), options: options)
                        case 1: _ = try await client.customers.listCustomers(.with { $0.pageSize = 10 }, options: options)
                        default: _ = try await client.customers.getCustomer(.with { $0.id = id }, options: options)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
