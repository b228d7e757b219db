/// Contact counts over the last two 90-day windows, from the interaction log; feeds lifecycle decline.
public struct ActivitySummary: Sendable, Hashable {
    /// Contacts in the 90 days up to today.
    public var contactsLast90Days: Int
    /// Contacts in the 90 days before that.
    public var contactsPrevious90Days: Int
    /// Complaints in the 90 days up to today.
    public var complaintsLast90Days: Int

    public init(contactsLast90Days: Int, contactsPrevious90Days: Int, complaintsLast90Days: Int) {
        self.contactsLast90Days = contactsLast90Days
        self.contactsPrevious90Days = contactsPrevious90Days
        self.complaintsLast90Days = complaintsLast90Days
    }
}
