import Foundation
import RapportApp
import RapportDomain
import Testing

@Suite("rapportd configuration: the interactions object")
struct InteractionConfigurationTests {
    private func load(_ json: String) throws -> DaemonConfiguration {
        try configuration(fromConfigFile: json)
    }

    @Test func defaultsApplyWithoutTheKey() throws {
        #expect(try load("{}").interactions == .defaults)
    }

    @Test func statedKeysApplyAndTheRestKeepTheirDefaults() throws {
        let configuration = try load(#"{"interactions": {"followUpSLASeconds": 7200, "maxBatchSize": 50}}"#)
        try configuration.validate()
        #expect(configuration.interactions == InteractionPolicy(followUpSLASeconds: 7200, maxBatchSize: 50))
    }

    @Test func anUnknownKeyInsideIsRefusedByName() {
        let error = #expect(throws: ConfigurationError.self) { _ = try load(#"{"interactions": {"slaSeconds": 60}}"#) }
        #expect(error?.description.contains("slaSeconds") == true, "\(String(describing: error))")
    }

    @Test func unusableValuesStopTheStartWithEveryProblem() throws {
        let configuration = try load(#"{"interactions": {"followUpSLASeconds": 0, "maxBatchSize": 0}}"#)
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("interactions: "))
        #expect(text.contains("followUpSLASeconds must be") && text.contains("maxBatchSize must be at least 1"), "\(text)")
    }
}
