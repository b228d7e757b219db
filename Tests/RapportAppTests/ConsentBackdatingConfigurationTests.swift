import Foundation
import RapportApp
import Testing

@Suite("rapportd configuration: consent_backdating_days")
struct ConsentBackdatingConfigurationTests {
    @Test func theDefaultIsAWeek() throws {
        #expect(DaemonConfiguration().consentBackdatingWindow == 7 * 86_400)
        #expect(try configuration(fromConfigFile: "{}").consentBackdatingWindow == 7 * 86_400)
    }

    @Test(arguments: [0.0, 0.5, 30, 3650])
    func daysInRangeBecomeTheWindow(_ days: Double) throws {
        #expect(try configuration(fromConfigFile: #"{"consent_backdating_days": \#(days)}"#).consentBackdatingWindow == days * 86_400)
    }

    @Test(arguments: ["-1", "3651", "1e308", "\"week\""])
    func anythingElseIsRefusedNamingTheKey(_ value: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            _ = try configuration(fromConfigFile: #"{"consent_backdating_days": \#(value)}"#)
        }
        #expect(error?.description.contains("consent_backdating_days") == true, "\(String(describing: error))")
    }
}
