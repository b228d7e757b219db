import Foundation
import Testing
@testable import RapportStore

/// The store keeps its directory and files its user's alone, whatever the umask.
@Suite struct StoreFilePermissionTests {
    static let files = [
        StoreConfiguration.databaseFileName, StoreConfiguration.databaseFileName + "-wal",
        StoreConfiguration.databaseFileName + "-shm", DataDirectory.lockFileName, PageTokenSecret.fileName,
    ]

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    /// Each file's mode in octal (nil when missing), and the directory's under "".
    static func modes(_ directory: String) -> [String: String] {
        var modes = ["": mode(directory).map { String($0, radix: 8) } ?? "missing"]
        for file in files {
            modes[file] = mode((directory as NSString).appendingPathComponent(file)).map { String($0, radix: 8) } ?? "missing"
        }
        return modes
    }

    static var privateModes: [String: String] {
        var modes = ["": "700"]
        for file in files { modes[file] = "600" }
        return modes
    }

    @Test func aNewDirectoryIs0700AndItsFiles0600() async throws {
        let parent = try TemporaryDirectory()
        defer { parent.remove() }
        let path = (parent.path as NSString).appendingPathComponent("data")
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: path))
        _ = try await store.create(makeCustomer(), requestID: nil)
        #expect(Self.modes(path) == Self.privateModes)
        try store.close()
    }

    @Test func anExistingDirectoryAndFilesAreTightened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        _ = try await store.create(makeCustomer(), requestID: nil)
        // Left open as a crash would leave them, with their -wal and -shm, then loosened.
        for file in Self.files where file != PageTokenSecret.fileName {
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o644], ofItemAtPath: (directory.path as NSString).appendingPathComponent(file))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        try store.close()
        // close() may have removed the -wal and -shm; make them again as a crashed run leaves them.
        for suffix in ["-wal", "-shm"] {
            let path = (directory.path as NSString).appendingPathComponent(StoreConfiguration.databaseFileName + suffix)
            if !FileManager.default.fileExists(atPath: path) {
                #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644]))
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        let reopened = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        #expect(Self.modes(directory.path) == Self.privateModes)
        try reopened.close()
    }

    @Test(arguments: [0o777, 0o770, 0o707, 0o1777])
    func aDirectoryOthersCanWriteIsRefused(_ mode: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: directory.path)
        let error = #expect(throws: StoreError.self) {
            _ = try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
        }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains("data directory \(directory.path) is writable by other users") == true)
        #expect(error?.message.contains("chmod 700 \(directory.path)") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
