import RapportWire

/// Why a call was refused before its handler ran, and whether the refusal observer hears of it.
struct CallRejection: Sendable {
    let error: RPCError
    /// The caller's principal when its credential was valid.
    let principal: String?
    /// Refused for its credential, permission or principal limit: reported to the `CallRefusalObserver`.
    let reported: Bool

    init(_ error: RPCError, principal: String? = nil, reported: Bool = false) {
        self.error = error
        self.principal = principal
        self.reported = reported
    }
}
