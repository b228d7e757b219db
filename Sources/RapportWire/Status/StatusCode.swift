/// A gRPC status code, with gRPC's numbering and meanings.
///
/// A struct over a private enum (the shape of grpc-swift's `RPCError.Code`), so codes
/// read as `StatusCode.notFound` and new codes are not a source-breaking change.
public struct StatusCode: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Int32, Sendable, CaseIterable {
        case ok = 0, cancelled, unknown, invalidArgument, deadlineExceeded, notFound
        case alreadyExists, permissionDenied, resourceExhausted, failedPrecondition, aborted
        case outOfRange, unimplemented, `internal`, unavailable, dataLoss, unauthenticated
    }

    private let wrapped: Wrapped

    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// The code for a wire value; nil for numbers outside gRPC's 0...16.
    public init?(rawValue: Int32) {
        guard let wrapped = Wrapped(rawValue: rawValue) else { return nil }
        self.wrapped = wrapped
    }

    /// The code for a wire value, mapping numbers outside gRPC's 0...16 to `unknown` as gRPC does.
    public init(wireValue: Int32) {
        self = StatusCode(rawValue: wireValue) ?? .unknown
    }

    /// The number sent on the wire.
    public var rawValue: Int32 { wrapped.rawValue }

    /// All 17 codes, in numeric order.
    public static let allCodes: [StatusCode] = Wrapped.allCases.map(StatusCode.init)

    /// gRPC's upper-case name, e.g. `DEADLINE_EXCEEDED`.
    public var description: String {
        switch wrapped {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }

    public static let ok = StatusCode(.ok)
    public static let cancelled = StatusCode(.cancelled)
    public static let unknown = StatusCode(.unknown)
    public static let invalidArgument = StatusCode(.invalidArgument)
    public static let deadlineExceeded = StatusCode(.deadlineExceeded)
    public static let notFound = StatusCode(.notFound)
    public static let alreadyExists = StatusCode(.alreadyExists)
    public static let permissionDenied = StatusCode(.permissionDenied)
    public static let resourceExhausted = StatusCode(.resourceExhausted)
    public static let failedPrecondition = StatusCode(.failedPrecondition)
    public static let aborted = StatusCode(.aborted)
    public static let outOfRange = StatusCode(.outOfRange)
    public static let unimplemented = StatusCode(.unimplemented)
    public static let `internal` = StatusCode(.internal)
    public static let unavailable = StatusCode(.unavailable)
    public static let dataLoss = StatusCode(.dataLoss)
    public static let unauthenticated = StatusCode(.unauthenticated)
}
