import RapportAccess
import RapportProto

/// Who may call each method the daemon serves: the one place that says it.
///
/// The daemon checks at start that every registered method has an entry here and refuses to
/// start otherwise, so a new method is never served open by omission.
public enum PermissionTable {
    /// The access rule of every served method, by wire path.
    public static let access: [String: MethodAccess] = [
        // Health stays open: load balancers and orchestrators probe without credentials.
        Rapport_Health_V1_Health.Method.check.path: .open,
        Rapport_Health_V1_Health.Method.watch.path: .open,
        Rapport_Reflection_V1_Reflection.Method.listServices.path: .authenticated,
        Rapport_Reflection_V1_Reflection.Method.getFileDescriptorSet.path: .authenticated,
        Rapport_Diagnostics_V1_Diagnostics.Method.echo.path: .requires(.diagnostics),

        Rapport_V1_CustomerService.Method.createCustomer.path: .requires(.writeCustomers),
        Rapport_V1_CustomerService.Method.getCustomer.path: .requires(.readCustomers),
        Rapport_V1_CustomerService.Method.updateCustomer.path: .requires(.writeCustomers),
        Rapport_V1_CustomerService.Method.deleteCustomer.path: .requires(.eraseCustomers),
        Rapport_V1_CustomerService.Method.setConsent.path: .requires(.writeConsent),
        Rapport_V1_CustomerService.Method.getConsent.path: .requires(.readCustomers),
        Rapport_V1_CustomerService.Method.listCustomers.path: .requires(.readCustomers),
        Rapport_V1_CustomerService.Method.getCustomerOverview.path: .requires(.readCustomers),

        Rapport_V1_InteractionService.Method.logInteraction.path: .requires(.writeInteractions),
        Rapport_V1_InteractionService.Method.logInteractions.path: .requires(.writeInteractions),
        Rapport_V1_InteractionService.Method.listInteractions.path: .requires(.readInteractions),
        Rapport_V1_InteractionService.Method.exportInteractions.path: .requires(.readInteractions),
        Rapport_V1_InteractionService.Method.getNpsReport.path: .requires(.readInteractions),
        Rapport_V1_InteractionService.Method.listFollowUps.path: .requires(.readInteractions),

        Rapport_V1_RecommendationService.Method.upsertProduct.path: .requires(.manageCatalog),
        Rapport_V1_RecommendationService.Method.getProduct.path: .requires(.readRecommendations),
        Rapport_V1_RecommendationService.Method.listProducts.path: .requires(.readRecommendations),
        Rapport_V1_RecommendationService.Method.retireProduct.path: .requires(.manageCatalog),
        Rapport_V1_RecommendationService.Method.getRecommendations.path: .requires(.readRecommendations),
        Rapport_V1_RecommendationService.Method.recordOfferOutcome.path: .requires(.recordOfferOutcomes),
        Rapport_V1_RecommendationService.Method.getOfferReport.path: .requires(.readRecommendations),

        Rapport_V1_AdminService.Method.listAuditEvents.path: .requires(.readAudit),
        Rapport_V1_AdminService.Method.exportAuditEvents.path: .requires(.readAudit),
        Rapport_V1_AdminService.Method.verifyAuditChain.path: .requires(.readAudit),
        // Key rotation is an administrator's operation on the daemon's host, like managing principals.
        Rapport_V1_KeyService.Method.rotateMasterKey.path: .requires(.managePrincipals),
    ]
}
