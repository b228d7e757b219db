import Foundation
import GRDB
import RapportDomain

/// Counts compared and mismatched keys of one check and keeps its first few examples.
struct MismatchTally {
    private let examplesKept: Int
    private(set) var compared = 0
    private(set) var mismatched = 0
    private(set) var examples: [String] = []

    init(examples: Int) {
        examplesKept = max(examples, 0)
    }

    mutating func matched() {
        compared += 1
    }

    /// Counts a mismatch; `example` is built only while examples are still wanted.
    mutating func mismatch(_ example: @autoclosure () -> String) {
        compared += 1
        mismatched += 1
        if examples.count < examplesKept { examples.append(example()) }
    }

    func check(_ name: String, notes: String = "") -> ConsistencyReport.Check {
        ConsistencyReport.Check(name: name, compared: compared, mismatched: mismatched, examples: examples, notes: notes)
    }

    /// A stored value as an example shows it: keys and counts are ids, codes and integers.
    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let integer): String(integer)
        case .double(let double): String(double)
        case .string(let string): string
        case .blob(let data): "<\(data.count) bytes>"
        }
    }

    /// `name=value` pairs, space-separated; a UTC day number also as its date.
    static func text(_ columns: [String], _ values: [DatabaseValue]) -> String {
        zip(columns, values).map { column, value in
            if column == "day", case .int64(let day) = value.storage {
                return "day=\(day) (\(UTCDay.date(day).isoString))"
            }
            return "\(column)=\(text(value))"
        }.joined(separator: " ")
    }
}
