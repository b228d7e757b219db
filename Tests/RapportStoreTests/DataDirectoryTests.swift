import Foundation
import Testing
@testable import RapportStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct DataDirectoryTests {
    @Test func createsTheDirectoryAndWritesThePID() throws {
        let parent = try TemporaryDirectory()
        defer { parent.remove() }
        let path = (parent.path as NSString).appendingPathComponent("nested/data")
        let directory = try DataDirectory.open(path)
        defer { directory.close() }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        let lock = try String(contentsOfFile: directory.filePath(DataDirectory.lockFileName), encoding: .utf8)
        #expect(lock == "\(getpid())\n")
    }

    @Test func aSecondOpenInTheSameProcessIsRefusedUntilTheFirstCloses() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let first = try DataDirectory.open(temporary.path)
        let error = #expect(throws: StoreError.self) { _ = try DataDirectory.open(temporary.path) }
        #expect(error?.kind == .inUse)
        #expect(error?.message == "data directory \(temporary.path) is in use by another rapportd (pid \(getpid()))")
        #expect(first.isOpen)

        first.close()
        #expect(!first.isOpen)
        first.close()  // idempotent
        let second = try DataDirectory.open(temporary.path)
        second.close()
    }

    @Test func releasesTheLockWhenDeallocated() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        do {
            _ = try DataDirectory.open(temporary.path)
        }
        let again = try DataDirectory.open(temporary.path)
        again.close()
    }

    @Test func aSecondStoreOnTheSameDirectoryIsRefused() async throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let configuration = StoreConfiguration(dataDirectory: temporary.path)
        let store = try SQLiteCustomerStore(configuration: configuration)
        let error = #expect(throws: StoreError.self) { _ = try SQLiteCustomerStore(configuration: configuration) }
        #expect(error?.kind == .inUse)
        #expect(error?.message.contains("pid \(getpid())") == true)
        try store.close()
        let reopened = try SQLiteCustomerStore(configuration: configuration)
        try reopened.close()
    }

    @Test func aFileInTheWayIsReportedNotCrashedOn() throws {
        let temporary = try TemporaryDirectory()
        defer { temporary.remove() }
        let path = (temporary.path as NSString).appendingPathComponent("file")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        let error = #expect(throws: StoreError.self) { _ = try DataDirectory.open(path) }
        #expect(error?.kind == .unavailable)
        #expect(error?.message.contains(path) == true)
    }
}
