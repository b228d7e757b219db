import RapportWire
import Testing

@Suite struct MethodDescriptorTests {
    @Test func anyDescriptorPathIsSlashServiceSlashMethod() {
        let method = AnyMethodDescriptor(
            service: "rapport.health.v1.Health",
            method: "Check",
            kind: .unary,
            requestType: "rapport.health.v1.HealthCheckRequest",
            responseType: "rapport.health.v1.HealthCheckResponse"
        )
        #expect(method.path == "/rapport.health.v1.Health/Check")
    }

    @Test func typedDescriptorCarriesPathKindAndMessageNames() {
        let method = MethodDescriptor<Rapport_Wire_V1_Ping, Rapport_Wire_V1_Pong>(
            service: "rapport.test.v1.Echo",
            method: "Stream",
            kind: .serverStreaming
        )
        #expect(method.path == "/rapport.test.v1.Echo/Stream")
        #expect(method.kind == .serverStreaming)
        #expect(method.erased.service == "rapport.test.v1.Echo")
        #expect(method.erased.method == "Stream")
        #expect(method.erased.requestType == "rapport.wire.v1.Ping")
        #expect(method.erased.responseType == "rapport.wire.v1.Pong")
        #expect(method.erased.path == method.path)
    }

    @Test func serviceDescriptorListsItsMethods() {
        let check = MethodDescriptor<Rapport_Wire_V1_Ping, Rapport_Wire_V1_Pong>(
            service: "rapport.test.v1.Echo", method: "Once", kind: .unary
        ).erased
        let service = ServiceDescriptor(name: "rapport.test.v1.Echo", methods: [check])
        #expect(service.methods.map(\.path) == ["/rapport.test.v1.Echo/Once"])
    }
}
