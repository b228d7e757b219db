import Foundation
import RapportApp
import Testing

@Suite("rapportd configuration")
struct DaemonConfigurationTests {
    private func write(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func defaultsListenOnLoopbackPort7420() {
        let configuration = DaemonConfiguration()
        #expect(configuration.server.host == "127.0.0.1")
        #expect(configuration.server.port == 7420)
        #expect(configuration.server.limits.maxFrameSize == 4 * 1024 * 1024)
        #expect(configuration.server.limits.maxConcurrentCallsPerConnection == 128)
        #expect(configuration.logLevel == .info)
    }

    @Test func configFileValuesApply() throws {
        let path = try write("""
            {"host": "0.0.0.0", "insecure": true, "port": 9000, "data_dir": "/tmp/r", "log_level": "debug", "max_frame_size": 65536,
             "max_concurrent_calls": 8, "idle_timeout_seconds": 1.5, "shutdown_grace_seconds": 2}
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = DaemonConfiguration()
        try configuration.apply(DaemonConfigFile.load(path: path))
        try configuration.validate()
        #expect(configuration.server.host == "0.0.0.0")
        #expect(configuration.server.port == 9000)
        #expect(configuration.dataDirectory == "/tmp/r")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.server.limits.maxFrameSize == 65536)
        #expect(configuration.server.limits.maxConcurrentCallsPerConnection == 8)
        #expect(configuration.server.limits.idleTimeout == .milliseconds(1500))
        #expect(configuration.server.limits.shutdownGracePeriod == .seconds(2))
    }

    @Test(arguments: [
        (#"{"prot": 1}"#, "unknown key 'prot'"),
        (#"[1, 2]"#, "is not a JSON object"),
        (#"{"port": "seven"}"#, "config file"),
        (#"{"log_level": "loud"}"#, "unknown log level 'loud'"),
        (#"{"idle_timeout_seconds": -1}"#, "idle_timeout_seconds must be a positive number"),
    ])
    func badConfigFileIsRefusedWithTheReason(json: String, reason: String) throws {
        let path = try write(json)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = DaemonConfiguration()
        let error = #expect(throws: ConfigurationError.self) {
            try configuration.apply(DaemonConfigFile.load(path: path))
        }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func missingConfigFileIsRefused() {
        #expect(throws: ConfigurationError.self) { try DaemonConfigFile.load(path: "/nonexistent/rapportd.json") }
    }

    /// Values `validate()` must refuse, each with the words its message must contain.
    enum BadValue: CaseIterable, Sendable {
        case port, frameSize, concurrentCalls, dataDirectory

        func apply(to configuration: inout DaemonConfiguration) {
            switch self {
            case .port: configuration.server.port = 70_000
            case .frameSize: configuration.server.limits.maxFrameSize = 10
            case .concurrentCalls: configuration.server.limits.maxConcurrentCallsPerConnection = 0
            case .dataDirectory: configuration.dataDirectory = ""
            }
        }

        var reason: String {
            switch self {
            case .port: "port 70000"
            case .frameSize: "max frame size 10"
            case .concurrentCalls: "at least 1"
            case .dataDirectory: "data directory"
            }
        }
    }

    @Test(arguments: BadValue.allCases)
    func invalidValuesAreRefused(value: BadValue) {
        var configuration = DaemonConfiguration()
        value.apply(to: &configuration)
        let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(error?.description.contains(value.reason) == true)
    }
}
