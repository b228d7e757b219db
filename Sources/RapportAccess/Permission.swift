/// One thing a caller may do. Every RPC needs at most one permission (the daemon's permission
/// table says which); roles are named sets of permissions.
///
/// The raw values are what principals files and audit records spell; they never change once shipped.
public enum Permission: String, CaseIterable, Sendable, Hashable, Codable {
    /// Customer profiles (personal data masked unless `readPersonalData` is also held), consent, overviews.
    case readCustomers = "customers.read"
    /// Personal data unmasked: names, contact details, national ids, dates of birth, addresses, notes.
    case readPersonalData = "customers.read_personal_data"
    /// Creating and updating customers.
    case writeCustomers = "customers.write"
    /// Erasing a customer (the right to be forgotten).
    case eraseCustomers = "customers.erase"
    /// The interaction log, its exports and reports, follow-up queues.
    case readInteractions = "interactions.read"
    /// Logging interactions.
    case writeInteractions = "interactions.write"
    /// Recording consent decisions.
    case writeConsent = "consent.write"
    /// Recording a consent decision dated further back than the configured window allows.
    case backdateConsent = "consent.backdate"
    /// Recommendations, the product catalog and offer reports.
    case readRecommendations = "recommendations.read"
    /// Recording what a customer did with an offer.
    case recordOfferOutcomes = "offers.write"
    /// Adding, changing and retiring catalog products.
    case manageCatalog = "catalog.write"
    /// Reading, exporting and verifying the audit trail.
    case readAudit = "audit.read"
    /// Taking backups.
    case backup = "backup"
    /// Managing principals and keys.
    case managePrincipals = "principals.manage"
    /// The diagnostics service (Echo).
    case diagnostics = "diagnostics"
}
