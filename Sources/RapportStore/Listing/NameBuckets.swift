/// What name-prefix search keeps in the file: a keyed bucket of each name, never the name.
///
/// A customer's `name_key` is the blind index (HMAC-SHA-256 under the index key) of the first
/// `length` characters of their `NameKey` (the folded name). A query with a prefix of at least that
/// many characters walks its bucket's `(name_key, id)` index range and keeps the rows whose
/// decrypted name starts with the whole prefix; a shorter prefix has no bucket and is checked
/// on the rows the other filters select. Either way a page examines at most
/// `CustomerQuery.maximumExaminedPerPage` rows (see `SQLiteCustomerStore.list`).
///
/// The file shows which customers share their first three letters (a bucket's size), not the letters.
enum NameBuckets {
    /// The characters (Unicode scalars of the folded name) a bucket covers.
    static let length = 3

    /// The bucket stored for a full name.
    static func bucket(ofName name: String, _ keyring: Keyring) -> String {
        keyring.blindIndex(BlindIndexNames.nameBucket, head(NameKey.key(for: name)))
    }

    /// The bucket a normalised query prefix searches, or nil when it is shorter than `length`.
    static func bucket(ofPrefix prefix: String, _ keyring: Keyring) -> String? {
        guard prefix.unicodeScalars.count >= length else { return nil }
        return keyring.blindIndex(BlindIndexNames.nameBucket, head(prefix))
    }

    /// Whether `name` (a full name) starts with the normalised `prefix`.
    static func name(_ name: String, hasPrefix prefix: String) -> Bool {
        NameKey.key(for: name).unicodeScalars.starts(with: prefix.unicodeScalars)
    }

    private static func head(_ key: String) -> String {
        String(String.UnicodeScalarView(key.unicodeScalars.prefix(length)))
    }
}
