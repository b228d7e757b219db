import RapportWire
import Testing

@Suite struct RPCErrorTests {
    @Test func okStatusIsNotAnError() {
        #expect(RPCError(status: .ok) == nil)
        #expect(RPCError(status: .with { $0.code = 0; $0.message = "fine" }, trailers: ["k": "v"]) == nil)
        #expect(Rapport_Wire_V1_Status.ok.code == 0)
        #expect(Rapport_Wire_V1_Status.ok.message == "")
    }

    @Test(arguments: StatusCode.allCodes.filter { $0 != .ok })
    func wireStatusRoundTrip(_ code: StatusCode) throws {
        let error = RPCError(code: code, message: "went wrong: \(code)")
        let status = error.wireStatus
        #expect(status.code == code.rawValue)
        #expect(status.message == "went wrong: \(code)")

        let back = try #require(RPCError(status: status))
        #expect(back.code == code)
        #expect(back.message == error.message)
        #expect(back.trailers.isEmpty)
    }

    @Test func statusCarriesTrailers() throws {
        let status = Rapport_Wire_V1_Status.with {
            $0.code = StatusCode.resourceExhausted.rawValue
            $0.message = "slow down"
        }
        let error = try #require(RPCError(status: status, trailers: ["retry-after-ms": "250"]))
        #expect(error.code == .resourceExhausted)
        #expect(error.trailers == ["retry-after-ms": "250"])
    }

    @Test func unknownWireCodeBecomesUnknown() throws {
        let status = Rapport_Wire_V1_Status.with {
            $0.code = 42
            $0.message = "from the future"
        }
        let error = try #require(RPCError(status: status))
        #expect(error.code == .unknown)
        #expect(error.message == "from the future")
        #expect(error.wireStatus.code == StatusCode.unknown.rawValue)
    }

    @Test func descriptionIsCodeNameAndMessage() {
        #expect(RPCError(code: .deadlineExceeded, message: "took 2s").description == "DEADLINE_EXCEEDED: took 2s")
    }
}
