import { TOPICS } from "@evoke/events";
import type { PrincipalAccess } from "@evoke/kafka";

/*
 * What each Evoke process may do on a cluster that checks ACLs: its own topics and groups and
 * nothing else. The Kubernetes KafkaUsers (infra/k8s/kafka-users.yaml) grant the same; the
 * integration test test/integration/kafka.sasl-ssl-and-acls.test.ts grants these and proves a
 * user without them is refused.
 */

/** The consumer groups and transactional-id prefix of the services (see services/*). */
export const SERVICE_GROUPS = {
  coding: "coding",
  aggregation: "aggregation",
  codingTransactionalIdPrefix: "evoke-coding-",
  dashboardDeadLetterWatchPrefix: "evoke-dashboard-dlq-",
} as const;

/** Each service's access, for the SASL user it runs as. */
export function serviceAccess(users: {
  readonly ingest: string;
  readonly coding: string;
  readonly aggregation: string;
  readonly dashboard: string;
}): PrincipalAccess[] {
  return [
    { user: users.ingest, writeTopics: [TOPICS.intake, TOPICS.transcripts] },
    {
      user: users.coding,
      // Intake only for CODING_READ_INTAKE, while upgrading (docs/scaling.md).
      readTopics: [TOPICS.transcripts, TOPICS.intake],
      writeTopics: [TOPICS.coded, TOPICS.deadLetter],
      groups: [SERVICE_GROUPS.coding],
      transactionalIdPrefixes: [SERVICE_GROUPS.codingTransactionalIdPrefix],
    },
    {
      user: users.aggregation,
      readTopics: [TOPICS.intake, TOPICS.transcripts, TOPICS.coded],
      writeTopics: [TOPICS.deadLetter],
      groups: [SERVICE_GROUPS.aggregation],
    },
    {
      user: users.dashboard,
      readTopics: [TOPICS.deadLetter],
      describeTopics: [TOPICS.intake, TOPICS.transcripts, TOPICS.coded],
      groupPrefixes: [SERVICE_GROUPS.dashboardDeadLetterWatchPrefix],
      describeGroups: [SERVICE_GROUPS.coding, SERVICE_GROUPS.aggregation],
    },
  ];
}
