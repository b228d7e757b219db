import Foundation
import RapportWire
import Testing

/// One frame of each kind, with every field set to a non-default value.
struct SampleFrame: Sendable, CustomTestStringConvertible {
    let name: String
    let frame: Rapport_Wire_V1_Frame

    var testDescription: String { name }

    static let request = SampleFrame(name: "request", frame: .with {
        $0.request = .with {
            $0.callID = 7
            $0.method = "/rapport.health.v1.Health/Check"
            $0.timeoutMs = 1500
            $0.metadata = ["x-request-id": "abc-123", "authorization": "Bearer t0ken"]
            $0.payload = Data([0x0A, 0x03, 0x66, 0x6F, 0x6F, 0x00, 0xFF])
        }
    })

    static let response = SampleFrame(name: "response", frame: .with {
        $0.response = .with {
            $0.callID = 7
            $0.status = .with {
                $0.code = StatusCode.notFound.rawValue
                $0.message = "no such service"
            }
            $0.payload = Data([0x08, 0x01])
            $0.endOfStream = true
            $0.trailers = ["retry-after-ms": "250", "server": "rapportd"]
        }
    })

    static let cancel = SampleFrame(name: "cancel", frame: .with {
        $0.cancel = .with { $0.callID = UInt64.max }
    })

    static let ping = SampleFrame(name: "ping", frame: .with {
        $0.ping = .with { $0.nonce = 0xDEAD_BEEF_CAFE }
    })

    static let pong = SampleFrame(name: "pong", frame: .with {
        $0.pong = .with { $0.nonce = 0xDEAD_BEEF_CAFE }
    })

    static let goAway = SampleFrame(name: "go_away", frame: .with {
        $0.goAway = .with {
            $0.status = .with {
                $0.code = StatusCode.unavailable.rawValue
                $0.message = "server shutting down"
            }
            $0.lastCallID = 41
        }
    })

    /// One of each kind, in field-number order.
    static let all: [SampleFrame] = [request, response, cancel, ping, pong, goAway]
}
