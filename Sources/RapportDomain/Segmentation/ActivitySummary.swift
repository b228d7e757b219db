/// Contact counts over the last two 90-day windows, from the interaction log; feeds lifecycle decline.
public struct ActivitySummary: Sendable, Hashable {
    /// Contacts in the 90 days up to today.
    public var contactsLast90Days: Int
    /// Contacts in the 90 days before that.
    public var contactsPrevious90Days: Int
    /// Complaints in the 90 days up to today.
    public var complaintsLast90Days: Int
    /// The day of the first contact on record, or nil when there is none.
    public var firstContact: CalendarDate?
    /// The day of the latest contact on record, or nil when there is none.
    public var lastContact: CalendarDate?

    public init(
        contactsLast90Days: Int, contactsPrevious90Days: Int, complaintsLast90Days: Int,
        firstContact: CalendarDate? = nil, lastContact: CalendarDate? = nil
    ) {
        self.contactsLast90Days = contactsLast90Days
        self.contactsPrevious90Days = contactsPrevious90Days
        self.complaintsLast90Days = complaintsLast90Days
        self.firstContact = firstContact
        self.lastContact = lastContact
    }
}
