import Foundation
import RapportApp
import RapportStore
import Testing

@Suite("rapportd configuration: the master key")
struct MasterKeyConfigurationTests {
    @Test func theDefaultIsAKeyFileInTheDataDirectory() throws {
        guard case .dataDirectory = DaemonConfiguration().store.masterKey else {
            Issue.record("expected the data directory's master.key")
            return
        }
    }

    @Test func aKeyFileFromTheConfigFileReachesTheStore() throws {
        let configuration = try configuration(
            fromConfigFile: #"{"master_key_file": "/etc/rapport/master.key", "previous_master_key_file": "/etc/rapport/old.key"}"#)
        guard case .file(let path) = configuration.store.masterKey, case .file(let previous)? = configuration.store.previousMasterKeys.first
        else {
            Issue.record("expected key files")
            return
        }
        #expect(path == "/etc/rapport/master.key")
        #expect(previous == "/etc/rapport/old.key")
    }

    @Test func theEnvironmentGivesTheKeyAsBase64() throws {
        let key = MasterKey.random()
        var configuration = DaemonConfiguration()
        try configuration.applyEnvironment(["RAPPORT_MASTER_KEY": key.base64 + "\n"])
        guard case .key(let given) = configuration.store.masterKey else {
            Issue.record("expected the key from the environment")
            return
        }
        #expect(given.id == key.id)
        try configuration.applyEnvironment([:])
        guard case .key = configuration.masterKey else {
            Issue.record("an absent variable changes nothing")
            return
        }
    }

    @Test(arguments: ["", "c2hvcnQ=", "not base64 at all", Data(count: 33).base64EncodedString()])
    func anUnusableEnvironmentKeyIsRefused(_ text: String) throws {
        var configuration = DaemonConfiguration()
        let error = #expect(throws: ConfigurationError.self) { try configuration.applyEnvironment(["RAPPORT_MASTER_KEY": text]) }
        #expect(error?.description.contains("RAPPORT_MASTER_KEY") == true)
        #expect(error?.description.contains(text) != true || text.isEmpty, "the value itself is never echoed")
    }

    @Test func aKeyFileAndTheEnvironmentTogetherAreRefused() throws {
        var configuration = try configuration(fromConfigFile: #"{"master_key_file": "/etc/rapport/master.key"}"#)
        let error = #expect(throws: ConfigurationError.self) {
            try configuration.applyEnvironment(["RAPPORT_MASTER_KEY": MasterKey.random().base64])
        }
        #expect(error?.description.contains("keep one") == true)
    }
}
