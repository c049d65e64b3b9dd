/*
 * Evoke's canonical URLs for the FHIR artefacts it defines (Questionnaires, the discharge-reason
 * extension). They are identifiers, stable across releases; the host is Evoke's documentation
 * placeholder and need not resolve.
 */
export const EVOKE_FHIR_BASE = "https://evoke.example.org/fhir";

export const QUESTIONNAIRES = {
  readinessRuler: `${EVOKE_FHIR_BASE}/Questionnaire/readiness-ruler`,
  urica: `${EVOKE_FHIR_BASE}/Questionnaire/urica-subscales`,
  socrates: `${EVOKE_FHIR_BASE}/Questionnaire/socrates-8-subscales`,
  miti: `${EVOKE_FHIR_BASE}/Questionnaire/miti-4.2.1-rating`,
} as const;
