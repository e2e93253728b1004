import enCohorts from "./en/cohorts.json";
import koCohorts from "./ko/cohorts.json";
import enAdminCohorts from "./en/admin-cohorts.json";
import koAdminCohorts from "./ko/admin-cohorts.json";
import enRetention from "./en/retention.json";
import koRetention from "./ko/retention.json";
import enPrivacyRequests from "./en/privacy-requests.json";
import koPrivacyRequests from "./ko/privacy-requests.json";
import enAdminPrivacy from "./en/admin-privacy.json";
import koAdminPrivacy from "./ko/admin-privacy.json";
import enAdminRopa from "./en/admin-ropa.json";
import koAdminRopa from "./ko/admin-ropa.json";
import enAdmin from "./en/admin.json";
import enAdminLeads from "./en/admin-leads.json";
import enAdminDashboard from "./en/admin-dashboard.json";
import enAdminAudit from "./en/admin-audit.json";
import enAdminConsultations from "./en/admin-consultations.json";
import koAdmin from "./ko/admin.json";
import koAdminLeads from "./ko/admin-leads.json";
import koAdminDashboard from "./ko/admin-dashboard.json";
import koAdminAudit from "./ko/admin-audit.json";
import koAdminConsultations from "./ko/admin-consultations.json";
import enAssessment from "./en/assessment.json";
import enCommon from "./en/common.json";
import enEmail from "./en/email.json";
import enIntegrations from "./en/integrations.json";
import enLeads from "./en/leads.json";
import enPdf from "./en/pdf.json";
import enPrivacy from "./en/privacy.json";
import enQuestionnaire from "./en/questionnaire.json";
import enReport from "./en/report.json";
import enShare from "./en/share.json";
import koAssessment from "./ko/assessment.json";
import koCommon from "./ko/common.json";
import koEmail from "./ko/email.json";
import koIntegrations from "./ko/integrations.json";
import koLeads from "./ko/leads.json";
import koPdf from "./ko/pdf.json";
import koPrivacy from "./ko/privacy.json";
import koQuestionnaire from "./ko/questionnaire.json";
import koReport from "./ko/report.json";
import koShare from "./ko/share.json";

/** Every translation namespace, loaded once into memory (server) or fetched once (client). */
export const resources = {
  ko: {
    common: koCommon,
    email: koEmail,
    assessment: koAssessment,
    questionnaire: koQuestionnaire,
    report: koReport,
    share: koShare,
    integrations: koIntegrations,
    pdf: koPdf,
    leads: koLeads,
    privacy: koPrivacy,
    admin: koAdmin,
    "admin-leads": koAdminLeads,
    "admin-dashboard": koAdminDashboard,
    "admin-audit": koAdminAudit,
    "admin-consultations": koAdminConsultations,
    retention: koRetention,
    "privacy-requests": koPrivacyRequests,
    "admin-privacy": koAdminPrivacy,
    "admin-ropa": koAdminRopa,
    cohorts: koCohorts,
    "admin-cohorts": koAdminCohorts,
  },
  en: {
    common: enCommon,
    email: enEmail,
    assessment: enAssessment,
    questionnaire: enQuestionnaire,
    report: enReport,
    share: enShare,
    integrations: enIntegrations,
    pdf: enPdf,
    leads: enLeads,
    privacy: enPrivacy,
    admin: enAdmin,
    "admin-leads": enAdminLeads,
    "admin-dashboard": enAdminDashboard,
    "admin-audit": enAdminAudit,
    "admin-consultations": enAdminConsultations,
    retention: enRetention,
    "privacy-requests": enPrivacyRequests,
    "admin-privacy": enAdminPrivacy,
    "admin-ropa": enAdminRopa,
    cohorts: enCohorts,
    "admin-cohorts": enAdminCohorts,
  },
};

/** Only the staff area's pages use these; the respondent's browser never downloads them. */
export const staffNamespaces = [
  "admin",
  "admin-leads",
  "admin-dashboard",
  "admin-audit",
  "admin-consultations",
  "admin-privacy",
  "admin-ropa",
  "admin-cohorts",
] as const;
