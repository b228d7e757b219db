import Foundation
import RapportApp
import Testing

@Suite("rapportd configuration: transport limits")
struct TransportLimitConfigurationTests {
    @Test func defaultsBoundQueuesFramesAndConnections() {
        let configuration = DaemonConfiguration()
        #expect(configuration.server.limits.maxQueuedWriteBytes == 4 * 1024 * 1024)
        #expect(configuration.server.limits.writeStallTimeout == .seconds(30))
        #expect(configuration.server.limits.frameReadTimeout == .seconds(30))
        #expect(configuration.server.limits.maxConnections == 1024)
        #expect(configuration.server.listenBacklog == 1024)
    }

    @Test func configFileValuesApply() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-\(UUID().uuidString).json").path
        try Data("""
            {"max_queued_write_bytes": 1048576, "write_stall_timeout_seconds": 2.5, "frame_read_timeout_seconds": 7,
             "max_connections": 3, "listen_backlog": 4096}
            """.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = DaemonConfiguration()
        try configuration.apply(DaemonConfigFile.load(path: path))
        try configuration.validate()
        #expect(configuration.server.limits.maxQueuedWriteBytes == 1_048_576)
        #expect(configuration.server.limits.writeStallTimeout == .milliseconds(2500))
        #expect(configuration.server.limits.frameReadTimeout == .seconds(7))
        #expect(configuration.server.limits.maxConnections == 3)
        #expect(configuration.server.listenBacklog == 4096)
    }

    @Test(arguments: [
        (#"{"write_stall_timeout_seconds": 0}"#, "write_stall_timeout_seconds must be a positive number"),
        (#"{"frame_read_timeout_seconds": -1}"#, "frame_read_timeout_seconds must be a positive number"),
    ])
    func nonPositiveTimeoutsAreRefused(json: String, reason: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = DaemonConfiguration()
        let error = #expect(throws: ConfigurationError.self) { try configuration.apply(DaemonConfigFile.load(path: path)) }
        #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
    }

    /// A limit's edges: `apply(to:accepted: true)` sets the last value accepted, `false` the first refused.
    enum Edge: CaseIterable, Sendable {
        case smallestWriteQueue, largestWriteQueue, fewestConnections, smallestBacklog, largestBacklog

        func apply(to configuration: inout DaemonConfiguration, accepted: Bool) {
            switch self {
            case .smallestWriteQueue: configuration.server.limits.maxQueuedWriteBytes = accepted ? 65_536 : 65_535
            case .largestWriteQueue: configuration.server.limits.maxQueuedWriteBytes = accepted ? 1 << 30 : (1 << 30) + 1
            case .fewestConnections: configuration.server.limits.maxConnections = accepted ? 1 : 0
            case .smallestBacklog: configuration.server.listenBacklog = accepted ? 1 : 0
            case .largestBacklog: configuration.server.listenBacklog = accepted ? 65_535 : 65_536
            }
        }

        var reason: String {
            switch self {
            case .smallestWriteQueue, .largestWriteQueue: "max queued write bytes"
            case .fewestConnections: "max connections"
            case .smallestBacklog, .largestBacklog: "listen backlog"
            }
        }
    }

    @Test(arguments: Edge.allCases)
    func limitsAreCheckedAtTheirEdges(edge: Edge) throws {
        var accepted = DaemonConfiguration()
        edge.apply(to: &accepted, accepted: true)
        try accepted.validate()
        var refused = DaemonConfiguration()
        edge.apply(to: &refused, accepted: false)
        let error = #expect(throws: ConfigurationError.self) { try refused.validate() }
        #expect(error?.description.contains(edge.reason) == true, "\(String(describing: error))")
    }
}
