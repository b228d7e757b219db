/// The amounts, in a currency's minor units, at or above which a customer reaches a value tier.
public struct ValueThresholds: Sendable, Codable, Hashable {
    /// Assets under management that make a private-banking customer.
    public var privateAssets: Int64
    /// Annual income that makes a private-banking customer.
    public var privateIncome: Int64
    /// Assets under management that make an affluent customer.
    public var affluentAssets: Int64
    /// Annual income that makes an affluent customer.
    public var affluentIncome: Int64

    public init(privateAssets: Int64, privateIncome: Int64, affluentAssets: Int64, affluentIncome: Int64) {
        self.privateAssets = privateAssets
        self.privateIncome = privateIncome
        self.affluentAssets = affluentAssets
        self.affluentIncome = affluentIncome
    }
}
