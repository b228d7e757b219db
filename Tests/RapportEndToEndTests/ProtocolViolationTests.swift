import Foundation
import RapportClient
import RapportProto
import RapportTesting
import RapportWire
import Testing

@Suite("Malformed input closes only the offending connection")
struct ProtocolViolationTests {
    static let echoPath = Rapport_Diagnostics_V1_Diagnostics.Method.echo.path

    /// Byte sequences that break the protocol, each answered with GoAway and a close.
    static let violations: [(name: String, bytes: [UInt8], code: StatusCode)] = {
        let encode = { (frame: Rapport_Wire_V1_Frame) in (try? RawConnection.encode(frame)) ?? [] }
        return [
            ("garbage body", [0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], .invalidArgument),
            ("frame with no kind", [0, 0, 0, 0], .invalidArgument),
            ("call id zero", encode(RawConnection.request(callID: 0, method: echoPath)), .invalidArgument),
            ("client sends a response", encode(.response(callID: 1, endOfStream: true)), .invalidArgument),
            ("client sends go_away", encode(.goAway(.ok, "bye", lastCallID: 0)), .invalidArgument),
            ("length prefix over the limit", [0x00, 0x40, 0x00, 0x01], .resourceExhausted),
            ("length prefix of 4 GiB", [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3], .resourceExhausted),
        ]
    }()

    @Test(arguments: 0..<violations.count)
    func violationGetsGoAwayAndCloseWhileOthersAreServed(index: Int) async throws {
        let violation = Self.violations[index]
        try await TestDaemon.run { daemon in
            let bystander = try await daemon.makeClient()
            let exchange = try await RawConnection.exchange(port: daemon.port, sending: violation.bytes)
            #expect(exchange.serverClosed, "\(violation.name): server kept the connection open")
            #expect(exchange.goAway?.status.code == violation.code.rawValue, "\(violation.name): \(exchange.frames)")
            #expect(exchange.goAway?.status.message.isEmpty == false)
            // The connection that was open all along, and a new one, are both still served.
            _ = try await bystander.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())
            let newcomer = try await daemon.makeClient()
            _ = try await newcomer.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())
            await newcomer.close()
            await bystander.close()
        }
    }

    @Test func duplicateInFlightCallIDClosesTheConnection() async throws {
        try await TestDaemon.run(extraServices: [TestDoubles()]) { daemon in
            let hang = try RawConnection.encode(RawConnection.request(callID: 3, method: TestDoubles.hang.path))
            let exchange = try await RawConnection.exchange(port: daemon.port, sending: hang + hang)
            #expect(exchange.serverClosed)
            #expect(exchange.goAway?.status.code == StatusCode.invalidArgument.rawValue)
            #expect(exchange.goAway?.lastCallID == 3)
        }
    }

    @Test func randomGarbageNeverStopsTheServer() async throws {
        try await TestDaemon.run { daemon in
            var generator = SystemRandomNumberGenerator()
            for round in 0..<20 {
                let bytes = (0..<(round * 37 + 1)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                _ = try await RawConnection.exchange(port: daemon.port, sending: bytes, timeout: .milliseconds(200))
            }
            let client = try await daemon.makeClient()
            _ = try await client.unary(Rapport_Diagnostics_V1_Diagnostics.Method.echo, EchoRequest())
            await client.close()
        }
    }
}
