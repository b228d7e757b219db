import RapportServer
import RapportWire
import Testing

@Suite("Log text: caller-derived values and summaries")
struct LogTextTests {
    @Test("Line breaks, controls, separators and backslashes are escaped", arguments: [
        ("a\nb", #"a\nb"#), ("a\r\nb", #"a\r\nb"#), ("tab\there", #"tab\there"#), ("back\\slash", #"back\\slash"#),
        ("nul\u{0}", #"nul\u{0}"#), ("esc\u{1B}[31m", #"esc\u{1b}[31m"#), ("ls\u{2028}ps\u{2029}", #"ls\u{2028}ps\u{2029}"#),
        ("bidi\u{202E}", #"bidi\u{202e}"#), ("cus_01ABC", "cus_01ABC"), ("Zoë", "Zoë"),
    ])
    func escapes(_ text: String, _ expected: String) {
        #expect(LogText.escaped(text) == expected)
        #expect(!LogText.escaped(text).contains("\n"))
    }

    @Test("At most the limit of characters is kept; the rest is counted in bytes")
    func bounded() {
        #expect(LogText.escaped(String(repeating: "x", count: 64)) == String(repeating: "x", count: 64))
        let huge = String(repeating: "Z", count: 4 * 1024 * 1024)
        #expect(LogText.escaped(huge) == String(repeating: "Z", count: 64) + "…(+\(4 * 1024 * 1024 - 64) bytes)")
        #expect(LogText.escaped("abcdef", limit: 2) == "ab…(+4 bytes)")
    }

    @Test("A summary keeps only a field path's characters, bounded")
    func summaryPaths() {
        let path = "items[3].interaction.occurred_at"
        #expect(LogSummary("\(path: path): invalid").description == "items[3].interaction.occurred_at: invalid")
        let hostile = "id\n2026 info rapportd: forged 1899-05-17"
        #expect(LogSummary("\(path: hostile): invalid").description == "id?2026?info?rapportd??forged?1899?05?17: invalid")
        let long = LogSummary("\(path: String(repeating: "a", count: 10_000))")
        #expect(long.description.count == LogSummary.maxPathLength + 1)
        #expect(LogSummary("\(count: 100) of \(count: 5000)").description == "100 of 5000")
    }

    @Test("RPCError keeps its summary apart from the caller's message")
    func rpcErrorSummary() {
        let error = RPCError(code: .notFound, message: "customer with external_ref EXT-1 not found", logSummary: "customer not found")
        #expect(error.logSummary?.description == "customer not found")
        #expect(error.wireStatus.message == "customer with external_ref EXT-1 not found")
        #expect(RPCError(code: .internal, message: "x").logSummary == nil)
    }
}
