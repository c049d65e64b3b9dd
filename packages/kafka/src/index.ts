// The kafkajs types callers need, re-exported so that only this package imports kafkajs and
// the client can be swapped without touching the services.
export type {
  Batch,
  Consumer,
  EachBatchHandler,
  EachBatchPayload,
  EachMessageHandler,
  EachMessagePayload,
  IHeaders,
  Kafka,
  KafkaMessage,
  Message,
  Producer,
  RecordMetadata,
  Transaction,
} from "kafkajs";
export {
  type AccessContext,
  explainKafkaError,
  KafkaAccessError,
  type KafkaAccessProblem,
  withAccessExplained,
} from "./access-errors.ts";
export { aclEntries, grantAccess, type PrincipalAccess } from "./acls.ts";
export { createKafkaClient, type KafkaClientOptions } from "./client.ts";
export { ConsumerJoinError, type ConsumerOptions, type RunningConsumer, startConsumer } from "./consumer.ts";
export { DEAD_LETTER_HEADERS, type DeadLetterOrigin, deadLetterMessage } from "./dead-letter.ts";
export { type GroupCommitOptions, groupCommit } from "./group-commit.ts";
export { type ClusterInfo, describeCluster, waitForBroker } from "./health.ts";
export {
  connectTransactional,
  createProducer,
  createTransactionalProducer,
  inTransaction,
  sendOffsetsRetrying,
} from "./producer.ts";
export { readTopicToEnd } from "./read-to-end.ts";
export type { KafkaSaslSettings, KafkaSecurity, KafkaTlsSettings } from "./security.ts";
export { deleteTopics, ensureTopics, type TopicSpec } from "./topics.ts";
