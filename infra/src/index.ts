// What the test harness and later the pipeline supervisor build on.
export { InfraError, isInfraError } from "./errors.ts";
export {
  type LocalBroker,
  type LocalBrokerOptions,
  localBrokerStatus,
  type SecuredListenerOptions,
  startLocalBroker,
  stopLocalBroker,
} from "./kafka/broker.ts";
export { ensureBrokerJars } from "./kafka/jars.ts";
export { SERVICE_GROUPS, serviceAccess } from "./kafka/service-access.ts";
export {
  type BrokerTlsMaterial,
  type ClientCertificate,
  ensureBrokerTlsMaterial,
  issueClientCertificate,
} from "./kafka/tls-material.ts";
export { REPO_ROOT } from "./paths.ts";
export {
  embeddedPostgresStatus,
  embeddedUrl,
  startEmbeddedPostgres,
  stopEmbeddedPostgres,
} from "./postgres/embedded.ts";
export { isAlive } from "./processes.ts";
export { type Progress, silentProgress } from "./progress.ts";
export { type RunningService, startService } from "./services.ts";
export {
  type Infrastructure,
  type KafkaEndpoint,
  localDirectories,
  type PostgresEndpoint,
  provisionInfrastructure,
} from "./stack.ts";
export { type CertificateFiles, createCertificateAuthority, signCertificate } from "./tls/certificates.ts";
export { setUpTopics } from "./topics.ts";
