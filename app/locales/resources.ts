import enAssessment from "./en/assessment.json";
import enCommon from "./en/common.json";
import enIntegrations from "./en/integrations.json";
import enQuestionnaire from "./en/questionnaire.json";
import koAssessment from "./ko/assessment.json";
import koCommon from "./ko/common.json";
import koIntegrations from "./ko/integrations.json";
import koQuestionnaire from "./ko/questionnaire.json";

/** Every translation namespace, loaded once into memory (server) or fetched once (client). */
export const resources = {
  ko: {
    common: koCommon,
    assessment: koAssessment,
    questionnaire: koQuestionnaire,
    integrations: koIntegrations,
  },
  en: {
    common: enCommon,
    assessment: enAssessment,
    questionnaire: enQuestionnaire,
    integrations: enIntegrations,
  },
};
