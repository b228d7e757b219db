import Foundation
import RapportClient
import RapportProto
import Testing

/// The data directory holds personal data and the page-token secret: the `rapportd` binary keeps
/// it and its files its own user's alone whatever the umask it runs under.
@Suite("Permissions of the data directory")
struct DataDirectoryPermissionTests {
    static let files = ["rapport.sqlite", "rapport.sqlite-wal", "rapport.sqlite-shm", "rapportd.lock", "page-tokens.key"]

    /// The permission bits of `path`.
    static func mode(_ path: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path.path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    /// Directory and file modes, named, for one expectation that shows them all.
    static func modes(in data: URL) throws -> [String: String] {
        var modes = ["data": String(try mode(data), radix: 8)]
        for file in files {
            modes[file] = String(try mode(data.appendingPathComponent(file)), radix: 8)
        }
        return modes
    }

    static let privateModes: [String: String] = {
        var modes = ["data": "700"]
        for file in files { modes[file] = "600" }
        return modes
    }()

    @Test func underUmask000TheDirectoryIs0700AndEveryFile0600() async throws {
        let daemon = try await DaemonProcess.start(umask: "000")
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
            _ = try await client.customers.createCustomer(CustomerFixtures.create())
            await client.close()
            #expect(try Self.modes(in: daemon.dataDirectory) == Self.privateModes)
        } catch {
            _ = await daemon.stop()
            throw error
        }
        #expect(await daemon.stop() == 0)
    }

    @Test func filesLeftOpenByAnEarlierRunAreMadePrivateAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-modes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await DaemonProcess.start(in: directory)
        let data = first.dataDirectory
        // Stopped with SIGKILL, so the -wal and -shm stay for the next start to find.
        first.process.send(SIGKILL)
        _ = await first.process.waitForExit()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: data.path)
        for file in Self.files where file != "page-tokens.key" {
            let path = data.appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        let second = try await DaemonProcess.start(in: directory)
        #expect(try Self.modes(in: data) == Self.privateModes)
        #expect(await second.terminate() == 0)
    }

    @Test func aDirectoryOtherUsersCanWriteIsRefusedNamingIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rapportd-open-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: data.path)
        let error = await #expect(throws: DaemonProcess.StartFailure.self) { _ = try await DaemonProcess.start(in: directory) }
        #expect(error?.log.contains("data directory \(data.path) is writable by other users (mode 777)") == true, "\(error?.log ?? "")")
        #expect(error?.log.contains("chmod 700 \(data.path)") == true, "\(error?.log ?? "")")
    }
}
