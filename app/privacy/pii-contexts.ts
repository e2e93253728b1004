/**
 * The associated data bound into each encrypted column's ciphertexts, so a
 * value copied into another column fails to decrypt. Rotation needs the same names.
 */
export const leadPiiContext = {
  email: "download_leads.email",
  name: "download_leads.name",
  company: "download_leads.company",
  jobTitle: "download_leads.job_title",
} as const;

export const consultationPiiContext = {
  email: "consultations.email",
  name: "consultations.name",
  company: "consultations.company",
  jobTitle: "consultations.job_title",
  message: "consultations.message",
} as const;

export const staffAccountPiiContext = { totpSecret: "staff_accounts.totp_secret" } as const;

export const consultationNotePiiContext = { note: "consultation_notes.note" } as const;

export const privacyRequestPiiContext = {
  email: "privacy_requests.email",
  details: "privacy_requests.details",
  extensionReason: "privacy_requests.extension_reason",
  outcomeNote: "privacy_requests.outcome_note",
} as const;

export const privacyRequestNotePiiContext = { note: "privacy_request_notes.note" } as const;

export const privacyVerificationPiiContext = {
  email: "privacy_request_verifications.email",
  details: "privacy_request_verifications.details",
} as const;
