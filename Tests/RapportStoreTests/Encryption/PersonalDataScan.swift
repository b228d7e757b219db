import Foundation
import GRDB
import RapportDomain
@testable import RapportStore

/// A customer whose every personal value is unique to the test, and a scan of files for them.
enum PersonalDataScan {
    /// A customer with distinctive personal values, all returned by `values(of:)`.
    static func distinctCustomer(tag: String = String(UUID().uuidString.prefix(8)), now: Date = LogFixture.now) -> Customer {
        var customer = makeCustomer(name: "Zenobia Quarrington \(tag)", externalRef: "EXTREF-\(tag)", now: now)
        customer.profile.email = "zenobia.\(tag.lowercased())@quarrington.example"
        customer.profile.phone = "+44770090\(tag.filter(\.isNumber).prefix(4))77"
        customer.profile.nationalID = "NI\(tag)QQ"
        customer.profile.address = PostalAddress(
            line1: "17 Wisteria Crescent \(tag)", city: "Lowestoft", postalCode: "NR32 9ZZ", countryCode: "GB")
        customer.profile.occupation = "Lighthouse keeper \(tag)"
        return customer
    }

    /// The personal values of a customer that must never appear in a file.
    static func values(of customer: Customer) -> [String] {
        var values = [customer.profile.fullName, customer.profile.email, customer.profile.phone, customer.profile.nationalID]
        if let ref = customer.externalRef { values.append(ref) }
        if let address = customer.profile.address { values += [address.line1, address.postalCode] }
        values.append(customer.profile.occupation)
        return values.filter { !$0.isEmpty }
    }

    /// The values of `needles` found in the files at `paths` (missing files are skipped).
    static func found(_ needles: [String], in paths: [String]) -> [String] {
        let contents = paths.compactMap { FileManager.default.contents(atPath: $0) }
        return needles.filter { needle in
            let bytes = Data(needle.utf8)
            return contents.contains { $0.range(of: bytes) != nil }
        }
    }

    /// The database file, its log, and the key database of a data directory.
    static func storeFiles(_ directory: String) -> [String] {
        ["rapport.sqlite", "rapport.sqlite-wal", "keys.sqlite", "keys.sqlite-wal"].map { (directory as NSString).appendingPathComponent($0) }
    }
}
