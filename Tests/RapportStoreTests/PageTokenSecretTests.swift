import Foundation
import RapportDomain
import Testing
@testable import RapportStore

/// The page-token secret in the data directory: made once, private, kept across opens, and
/// refused when it could have been read by others or is not one rapportd wrote.
@Suite struct PageTokenSecretTests {
    static func secretPath(_ directory: TemporaryDirectory) -> String {
        (directory.path as NSString).appendingPathComponent(PageTokenSecret.fileName)
    }

    static func open(_ directory: TemporaryDirectory) throws -> SQLiteCustomerStore {
        try SQLiteCustomerStore(configuration: StoreConfiguration(dataDirectory: directory.path))
    }

    @Test func isMadeOnceAsThirtyTwoPrivateBytesAndTokensOutliveAReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let query = CustomerQuery(namePrefix: "ada")
        let cursor = PageCursor(afterID: "cus_1", afterNameKey: "ada byron")
        let store = try Self.open(directory)
        let token = store.pageTokens.token(for: cursor, query: query)
        try store.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: Self.secretPath(directory))
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(attributes[.size] as? Int == 32)
        #expect(!FileManager.default.fileExists(atPath: Self.secretPath(directory) + ".new"))
        let secret = try Data(contentsOf: URL(fileURLWithPath: Self.secretPath(directory)))

        let reopened = try Self.open(directory)
        #expect(try reopened.pageTokens.cursor(token, for: query) == cursor)
        try reopened.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.secretPath(directory))) == secret)
    }

    @Test func aReplacedSecretRefusesEarlierTokens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.open(directory)
        let token = store.pageTokens.token(for: PageCursor(afterID: "cus_1"), query: CustomerQuery())
        try store.close()
        try FileManager.default.removeItem(atPath: Self.secretPath(directory))
        let reopened = try Self.open(directory)
        defer { try? reopened.close() }
        let error = #expect(throws: StoreError.self) { try reopened.pageTokens.cursor(token, for: CustomerQuery()) }
        #expect(error?.kind == .invalidPageToken)
    }

    @Test(arguments: [0o640, 0o604, 0o660, 0o606])
    func aSecretOtherUsersCanReadOrWriteIsRefused(_ mode: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.open(directory).close()
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: Self.secretPath(directory))
        let error = #expect(throws: StoreError.self) { _ = try Self.open(directory) }
        #expect(error?.message.contains(Self.secretPath(directory)) == true)
        #expect(error?.message.contains("other users (mode \(String(mode, radix: 8)))") == true)
        // The failed open released the directory.
        DataDirectory.releasedAfterFailure(directory.path)
    }

    @Test(arguments: [0, 16, 31, 33, 64])
    func aSecretOfAnotherSizeIsRefused(_ size: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.open(directory).close()
        try Data(repeating: 7, count: size).write(to: URL(fileURLWithPath: Self.secretPath(directory)))
        let error = #expect(throws: StoreError.self) { _ = try Self.open(directory) }
        #expect(error?.message.contains("holds \(size) bytes, not 32") == true)
        DataDirectory.releasedAfterFailure(directory.path)
    }
}

extension DataDirectory {
    /// Expects that the directory at `path` can be locked again.
    static func releasedAfterFailure(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try DataDirectory.open(path).close()
        } catch {
            Issue.record("the directory is still locked: \(error)", sourceLocation: sourceLocation)
        }
    }
}
