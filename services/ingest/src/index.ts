export { createIngestApp, type IngestAppOptions } from "./app.ts";
export { type FhirPlan, planFhirRequest } from "./fhir/bundle.ts";
export { MAX_BATCH_EVENTS, MEDIA_TYPES } from "./http-binding.ts";
export { IngestMetrics } from "./metrics.ts";
export { openApiDocument } from "./openapi.ts";
export { PROBLEM_TYPES, type ProblemSlug } from "./problems.ts";
export {
  BrokerUnavailableError,
  createKafkaPublisher,
  type KafkaPublisher,
  type Publisher,
  type PublishTopics,
} from "./publisher.ts";
export { type RunningIngest, startIngestServer } from "./server.ts";
