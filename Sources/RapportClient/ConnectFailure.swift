import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a connection could not be made, in the words an operator acts on ("connection refused
/// (is rapportd running on that port?)") rather than NIO's error dump.
enum ConnectFailure {
    /// What went wrong connecting to `endpoint` ("host:port").
    static func describe(_ error: any Error, endpoint: String) -> String {
        "cannot connect to \(endpoint): \(reason(error))"
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            // One failure per address tried; the first errno-bearing one says the most.
            let attempts = error.connectionErrors.map(\.error)
            if let first = attempts.first {
                return reason(first)
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return "cannot resolve host \(error.host)"
            }
            return "no address found for host \(error.host)"
        case let error as IOError:
            return errnoReason(error.errnoCode) ?? "\(error)"
        case ChannelError.connectTimeout(let timeout):
            return "no answer within \(timeout.nanoseconds / 1_000_000) ms (is the host reachable and the port open?)"
        case let error as SocketAddressError:
            return "cannot resolve host (\(error))"
        default:
            return "\(error)"
        }
    }

    private static func errnoReason(_ code: CInt) -> String? {
        switch code {
        case ECONNREFUSED: "connection refused (is rapportd running on that port?)"
        case ETIMEDOUT: "timed out (is the host reachable and the port open?)"
        case EHOSTUNREACH: "host unreachable"
        case ENETUNREACH: "network unreachable"
        case ECONNRESET: "connection reset by the server"
        case EADDRNOTAVAIL: "address not available"
        case EACCES, EPERM: "not permitted (a firewall or policy refused the connection)"
        default: nil
        }
    }
}
