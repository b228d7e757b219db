import Foundation
import RapportClient
import RapportProto
import RapportTesting
import Testing

@Suite("Generated Swift stubs")
struct GeneratedStubTests {
    @Test func typedClientsCallEveryBuiltInMethod() async throws {
        try await TestDaemon.run { daemon in
            let client = try await daemon.makeClient()
            #expect(try await client.health.check().status == .serving)
            #expect(try await client.diagnostics.echo(.with { $0.payload = Data([1, 2, 3]) }).payload == Data([1, 2, 3]))
            #expect(try await client.reflection.listServices().services.count == 8)
            #expect(try await !client.reflection.getFileDescriptorSet().fileDescriptorSet.isEmpty)
            var watch = try await client.health.watch(options: .init(timeout: .seconds(5))).makeAsyncIterator()
            #expect(try await watch.next()?.status == .serving)
            await client.close()
        }
    }
}
