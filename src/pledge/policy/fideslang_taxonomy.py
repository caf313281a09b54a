"""The default fideslang taxonomy keys (Ethyca's open privacy taxonomy, fideslang 3.x).

A vocabulary, not policy: the policy file chooses from these keys (or extends one with a dotted
suffix) so that it can be exchanged with other privacy tooling. Deprecated keys are left out.
Taken from fideslang's ``default_taxonomy`` (data_categories.py, data_uses, data_subjects).
"""

DATA_CATEGORIES = frozenset(
    """
    system system.authentication system.operations
    user user.account user.account.username user.authorization user.authorization.credentials
    user.authorization.biometrics user.authorization.password
    user.behavior user.behavior.browsing_history user.behavior.media_consumption
    user.behavior.purchase_history user.behavior.search_history
    user.biometrics user.biometrics.fingerprint user.biometrics.retinal user.biometrics.voice
    user.children user.children.children_under_thirteen user.children.thirteen_to_sixteen
    user.contact user.contact.address user.contact.address.city user.contact.address.country
    user.contact.address.postal_code user.contact.address.state user.contact.address.street
    user.contact.address.mailing_address user.contact.email user.contact.phone_number
    user.contact.fax_number user.contact.social_url
    user.content user.content.private user.content.public user.content.self_image
    user.demographic user.demographic.age_range user.demographic.date_of_birth
    user.demographic.gender user.demographic.language user.demographic.marital_status
    user.demographic.political_opinion user.demographic.profile user.demographic.race_ethnicity
    user.demographic.religious_belief user.demographic.sexual_orientation
    user.demographic.citizenship_or_immigration_status user.demographic.philosophical_belief
    user.demographic.protected_classifications user.demographic.union_membership
    user.location user.location.coarse user.location.precise
    user.device user.device.cookie user.device.cookie_id user.device.device_id
    user.device.ip_address user.device.sensor user.device.telemetry
    user.payment user.social_activity user.settings
    user.unique_id user.unique_id.deterministic user.unique_id.probablistic
    user.financial user.financial.bank_account user.financial.credit_card
    user.government_id user.government_id.birth_certificate
    user.government_id.drivers_license_number user.government_id.immigration
    user.government_id.national_identification_number user.government_id.passport_number
    user.government_id.vehicle_registration
    user.health user.health.genetic user.health.insurance_beneficiary_id user.health.record_id
    user.health.condition user.health.medical_diagnosis user.health.medications
    user.health.prescriptions user.health.treatment
    user.name user.name.first user.name.last user.criminal_history user.privacy_preferences
    user.professional_information user.professional_information.job_title
    user.professional_information.workplace
    """.split()
)

# Art. 9 and 10 data: a shop has no business with these, so the policy must say so explicitly.
SPECIAL_CATEGORY_ROOTS = (
    "user.biometrics",
    "user.health",
    "user.criminal_history",
    "user.demographic.political_opinion",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
    "user.demographic.philosophical_belief",
    "user.demographic.union_membership",
    "user.government_id.national_identification_number",
)

DATA_USES = frozenset(
    """
    analytics analytics.reporting analytics.reporting.ad_performance
    analytics.reporting.content_performance analytics.reporting.campaign_insights
    analytics.reporting.system analytics.reporting.system.performance
    collect essential essential.fraud_detection essential.legal_obligation essential.service
    essential.service.authentication essential.service.notifications
    essential.service.notifications.email essential.service.notifications.sms
    essential.service.operations essential.service.operations.support
    essential.service.operations.improve essential.service.payment_processing
    essential.service.security essential.service.upgrades
    finance functional functional.storage functional.storage.privacy_preferences
    functional.service functional.service.improve
    marketing marketing.advertising marketing.advertising.first_party
    marketing.advertising.first_party.contextual marketing.advertising.first_party.targeted
    marketing.advertising.frequency_capping marketing.advertising.negative_targeting
    marketing.advertising.profiling marketing.advertising.serving
    marketing.advertising.third_party marketing.advertising.third_party.targeted
    marketing.communications marketing.communications.email marketing.communications.sms
    operations personalize personalize.content personalize.content.limited
    personalize.content.profiling personalize.content.profiled personalize.system
    sales third_party_sharing third_party_sharing.legal_obligation
    """.split()
)

DATA_SUBJECTS = frozenset(
    """
    anonymous_user citizen_voter commuter consultant customer employee job_applicant
    next_of_kin passenger patient prospect shareholder supplier_vendor trainee visitor
    """.split()
)


def parent_key(key: str) -> str | None:
    head, _, _ = key.rpartition(".")
    return head or None
