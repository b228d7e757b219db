import Foundation

/// Shorthands for the frames both ends build.
extension Rapport_Wire_V1_Frame {
    /// A Response frame.
    public static func response(
        callID: UInt64,
        status: Rapport_Wire_V1_Status? = nil,
        payload: [UInt8] = [],
        endOfStream: Bool,
        trailers: [String: String] = [:]
    ) -> Rapport_Wire_V1_Frame {
        .with {
            $0.response = .with {
                $0.callID = callID
                if let status { $0.status = status }
                $0.payload = Data(payload)
                $0.endOfStream = endOfStream
                $0.trailers = trailers
            }
        }
    }

    /// The final Response of a call that failed.
    public static func failure(callID: UInt64, _ error: RPCError) -> Rapport_Wire_V1_Frame {
        response(callID: callID, status: error.wireStatus, endOfStream: true, trailers: error.trailers)
    }

    /// A GoAway frame: the sender is closing the connection on purpose.
    public static func goAway(_ code: StatusCode, _ message: String, lastCallID: UInt64) -> Rapport_Wire_V1_Frame {
        .with {
            $0.goAway = .with {
                $0.status = .with {
                    $0.code = code.rawValue
                    $0.message = message
                }
                $0.lastCallID = lastCallID
            }
        }
    }

    /// A Pong answering a Ping.
    public static func pong(nonce: UInt64) -> Rapport_Wire_V1_Frame {
        .with { $0.pong = .with { $0.nonce = nonce } }
    }
}
