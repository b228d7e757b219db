import Crypto
import Foundation
import Testing
@testable import RapportStore

@Suite struct NonceReserveTests {
    /// Nonces never repeat, across several refills of the reserve, and each is a full 12 bytes.
    @Test func noncesAreDistinctAcrossRefills() throws {
        let count = NonceReserve.refillSize / NonceReserve.nonceSize * 3 + 7
        var seen = Set<Data>()
        for _ in 0..<count {
            let nonce = try NonceReserve.next()
            let bytes = nonce.withUnsafeBytes { Data($0) }
            #expect(bytes.count == NonceReserve.nonceSize)
            seen.insert(bytes)
        }
        #expect(seen.count == count)
    }

    @Test func randomBytesFillTheWholeBuffer() {
        let first = NonceReserve.randomBytes(4096)
        let second = NonceReserve.randomBytes(4096)
        #expect(first.count == 4096)
        #expect(first != second)
        // 4 KiB of zeros from a working generator is not going to happen.
        #expect(first.contains { $0 != 0 })
    }
}
