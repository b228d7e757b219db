import Foundation
import RapportApp
import Testing

@Suite("rapportd configuration: customer_cache_capacity")
struct CustomerCacheConfigurationTests {
    private func load(_ json: String) throws -> DaemonConfiguration {
        try configuration(fromConfigFile: json)
    }

    @Test func theDefaultKeepsAHundredThousandCustomers() throws {
        #expect(DaemonConfiguration().customerCacheCapacity == 100_000)
        #expect(DaemonConfiguration().store.customerCacheCapacity == 100_000)
        #expect(try load("{}").store.customerCacheCapacity == 100_000)
    }

    @Test(arguments: [0, 1, 250_000, 10_000_000])
    func aCapacityInRangeReachesTheStore(_ capacity: Int) throws {
        let configuration = try load(#"{"customer_cache_capacity": \#(capacity)}"#)
        try configuration.validate()
        #expect(configuration.customerCacheCapacity == capacity)
        #expect(configuration.store.customerCacheCapacity == capacity)
    }

    @Test(arguments: [-1, 10_000_001])
    func aCapacityOutOfRangeIsRefusedNamingTheKey(_ capacity: Int) throws {
        let configuration = try load(#"{"customer_cache_capacity": \#(capacity)}"#)
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(error?.description.hasPrefix("customer_cache_capacity \(capacity) is outside 0...10000000") == true,
                "\(String(describing: error))")
    }

    @Test func aCapacityThatIsNotAnIntegerIsRefused() throws {
        #expect(throws: ConfigurationError.self) { _ = try load(#"{"customer_cache_capacity": "big"}"#) }
    }
}
