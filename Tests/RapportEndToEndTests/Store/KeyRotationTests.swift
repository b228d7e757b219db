import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

/// `rapport.v1.KeyService/RotateMasterKey` while the daemon serves: writes keep flowing during
/// the rotation, and the daemon restarted with the new key file alone reads every customer.
@Suite("End to end: master key rotation", .serialized)
struct KeyRotationEndToEndTests {
    static func keyFile(_ url: URL, mode: Int = 0o600) throws {
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: mode]))
    }

    @Test func rotatesUnderLoadAndRestartsWithTheNewKey() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-rotate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data").path
        let oldKey = root.appendingPathComponent("old.key")
        let newKey = root.appendingPathComponent("new.key")
        let readableKey = root.appendingPathComponent("readable.key")
        try Self.keyFile(oldKey)
        try Self.keyFile(newKey)
        try Self.keyFile(readableKey, mode: 0o644)

        let ids = try await TestDaemon.run(configure: {
            $0.dataDirectory = data
            $0.masterKey = .file(oldKey.path)
        }) { daemon in
            let client = try await daemon.makeClient()
            var ids: [String] = []
            for index in 0..<30 {
                ids.append(try await client.customers.createCustomer(
                    CustomerFixtures.create(CustomerFixtures.profile(name: "Before \(index)"))).id)
            }
            let refused = await rpcError {
                _ = try await client.keys.rotateMasterKey(.with { $0.newKeyFile = readableKey.path })
            }
            #expect(refused?.code == .failedPrecondition)
            let relative = await rpcError { _ = try await client.keys.rotateMasterKey(.with { $0.newKeyFile = "new.key" }) }
            #expect(relative?.code == .invalidArgument)

            let (rotation, during) = try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    var written: [String] = []
                    for index in 0..<20 {
                        let id = try await client.customers.createCustomer(
                            CustomerFixtures.create(CustomerFixtures.profile(name: "During \(index)"))).id
                        _ = try await client.interactions.logInteraction(InteractionFixtures.request(
                            InteractionFixtures.interaction(id, at: Date(), summary: "logged while rotating")))
                        written.append(id)
                    }
                    return written
                }
                let rotation = try await client.keys.rotateMasterKey(.with { $0.newKeyFile = newKey.path })
                var written: [String] = []
                for try await batch in group { written += batch }
                return (rotation, written)
            }
            #expect(rotation.previousKeyID != rotation.newKeyID)
            #expect(rotation.keysRewrapped >= 31)
            await client.close()
            return ids + during
        }

        try await TestDaemon.run(configure: {
            $0.dataDirectory = data
            $0.masterKey = .file(newKey.path)
        }) { daemon in
            let client = try await daemon.makeClient()
            for id in ids {
                let customer = try await client.customers.getCustomer(.with { $0.id = id })
                #expect(customer.profile.fullName.hasPrefix("Before") || customer.profile.fullName.hasPrefix("During"))
            }
            await client.close()
        }

        // The old key alone no longer opens the data.
        await #expect(throws: (any Error).self) {
            try await TestDaemon.run(configure: {
                $0.dataDirectory = data
                $0.masterKey = .file(oldKey.path)
            }) { _ in }
        }
    }

    /// `rapportd rotate-key` asks the running daemon; with the default key in the data directory
    /// the daemon replaces `master.key`, and the next start opens everything with it.
    @Test func theRotateKeyCommandRotatesTheRunningDaemon() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-rotate-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let newKey = root.appendingPathComponent("new.key")
        try Self.keyFile(newKey)
        let daemon = try await DaemonProcess.start([], in: root)
        let id: String
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: daemon.port, configuration: daemon.clientConfiguration)
            id = try await client.customers.createCustomer(CustomerFixtures.create()).id
            await client.close()
            let rotated = try await ProcessRun.run(Probe.rapportd, [
                "rotate-key", "--new-key-file", newKey.path, "--port", "\(daemon.port)", "--data-dir", daemon.dataDirectory.path,
            ])
            #expect(rotated.status == 0, "\(rotated.errors)")
            #expect(rotated.output.contains("master key rotated"), "\(rotated.output)")
            let missing = try await ProcessRun.run(Probe.rapportd, [
                "rotate-key", "--new-key-file", root.appendingPathComponent("absent.key").path, "--port", "\(daemon.port)",
                "--data-dir", daemon.dataDirectory.path,
            ])
            #expect(missing.status != 0)
            #expect(missing.errors.contains("does not exist"), "\(missing.errors)")
        } catch {
            _ = await daemon.terminate()
            throw error
        }
        #expect(await daemon.terminate() == 0)
        let stored = FileManager.default.contents(atPath: daemon.dataDirectory.appendingPathComponent("master.key").path)
        #expect(stored == FileManager.default.contents(atPath: newKey.path))

        let restarted = try await DaemonProcess.start([], in: root)
        do {
            let client = try await RapportClient.connect(host: "127.0.0.1", port: restarted.port, configuration: restarted.clientConfiguration)
            #expect(try await client.customers.getCustomer(.with { $0.id = id }).profile.fullName == "Ada Lovelace")
            await client.close()
        } catch {
            _ = await restarted.terminate()
            throw error
        }
        #expect(await restarted.terminate() == 0)
    }
}
