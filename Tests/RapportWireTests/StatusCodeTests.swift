import RapportWire
import Testing

@Suite struct StatusCodeTests {
    /// gRPC's table, written out independently of the implementation.
    struct Row: Sendable, CustomTestStringConvertible {
        let code: StatusCode
        let number: Int32
        let name: String
        var testDescription: String { name }
    }

    static let grpcTable: [Row] = [
        Row(code: .ok, number: 0, name: "OK"),
        Row(code: .cancelled, number: 1, name: "CANCELLED"),
        Row(code: .unknown, number: 2, name: "UNKNOWN"),
        Row(code: .invalidArgument, number: 3, name: "INVALID_ARGUMENT"),
        Row(code: .deadlineExceeded, number: 4, name: "DEADLINE_EXCEEDED"),
        Row(code: .notFound, number: 5, name: "NOT_FOUND"),
        Row(code: .alreadyExists, number: 6, name: "ALREADY_EXISTS"),
        Row(code: .permissionDenied, number: 7, name: "PERMISSION_DENIED"),
        Row(code: .resourceExhausted, number: 8, name: "RESOURCE_EXHAUSTED"),
        Row(code: .failedPrecondition, number: 9, name: "FAILED_PRECONDITION"),
        Row(code: .aborted, number: 10, name: "ABORTED"),
        Row(code: .outOfRange, number: 11, name: "OUT_OF_RANGE"),
        Row(code: .unimplemented, number: 12, name: "UNIMPLEMENTED"),
        Row(code: .internal, number: 13, name: "INTERNAL"),
        Row(code: .unavailable, number: 14, name: "UNAVAILABLE"),
        Row(code: .dataLoss, number: 15, name: "DATA_LOSS"),
        Row(code: .unauthenticated, number: 16, name: "UNAUTHENTICATED"),
    ]

    @Test(arguments: grpcTable)
    func numberAndName(_ row: Row) {
        #expect(row.code.rawValue == row.number)
        #expect(row.code.description == row.name)
        #expect(String(describing: row.code) == row.name)
        #expect(StatusCode(rawValue: row.number) == row.code)
        #expect(StatusCode(wireValue: row.number) == row.code)
    }

    @Test func allCodesAreTheSeventeenInNumericOrder() {
        #expect(StatusCode.allCodes.count == 17)
        #expect(StatusCode.allCodes == Self.grpcTable.map(\.code))
        #expect(StatusCode.allCodes.map(\.rawValue) == Array(0...16))
        #expect(Set(StatusCode.allCodes).count == 17)
    }

    @Test(arguments: [Int32(-1), 17, 18, 100, Int32.max, Int32.min])
    func unknownWireValueMapsToUnknown(_ number: Int32) {
        #expect(StatusCode(wireValue: number) == .unknown)
        #expect(StatusCode(wireValue: number).description == "UNKNOWN")
        #expect(StatusCode(rawValue: number) == nil)
    }
}
