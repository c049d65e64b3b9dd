import kafkajs, { type AclEntry, type Kafka } from "kafkajs";

// Node's ESM loader cannot see these among kafkajs's CommonJS exports (its module.exports
// spreads its errors in, which stops the export scan): read them from the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;
type AclOperationTypes = (typeof AclOperationTypes)[keyof typeof AclOperationTypes];
type AclResourceTypes = (typeof AclResourceTypes)[keyof typeof AclResourceTypes];

/**
 * What one Kafka user may do, stated as Evoke thinks of it (topics it reads or writes, its
 * consumer groups, its transactional ids); `grantAccess` turns it into the broker's ACLs.
 */
export interface PrincipalAccess {
  /** The SASL user name (principal User:<name>). */
  readonly user: string;
  readonly readTopics?: readonly string[];
  readonly writeTopics?: readonly string[];
  /** Topics it only looks at (offsets, metadata), e.g. for a lag view. */
  readonly describeTopics?: readonly string[];
  /** Consumer groups it joins and commits offsets for. */
  readonly groups?: readonly string[];
  /** Prefixes of throwaway consumer groups it makes (e.g. a watcher's per-process group). */
  readonly groupPrefixes?: readonly string[];
  /** Other principals' groups it may only describe (state, committed offsets). */
  readonly describeGroups?: readonly string[];
  /** Transactional-id prefixes its transactional producers use. */
  readonly transactionalIdPrefixes?: readonly string[];
}

function allow(
  user: string,
  resourceType: AclResourceTypes,
  resourceName: string,
  operation: AclOperationTypes,
  pattern = ResourcePatternTypes.LITERAL,
): AclEntry {
  return {
    resourceType,
    resourceName,
    resourcePatternType: pattern,
    principal: `User:${user}`,
    host: "*",
    operation,
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/** The ACL entries that give `access`, and nothing more. */
export function aclEntries(access: PrincipalAccess): AclEntry[] {
  const { user } = access;
  const topic = (name: string, operation: AclOperationTypes) => allow(user, AclResourceTypes.TOPIC, name, operation);
  return [
    ...(access.readTopics ?? []).flatMap((name) => [
      topic(name, AclOperationTypes.READ),
      topic(name, AclOperationTypes.DESCRIBE),
    ]),
    ...(access.writeTopics ?? []).flatMap((name) => [
      topic(name, AclOperationTypes.WRITE),
      topic(name, AclOperationTypes.DESCRIBE),
    ]),
    ...(access.describeTopics ?? []).map((name) => topic(name, AclOperationTypes.DESCRIBE)),
    ...(access.groups ?? []).map((name) => allow(user, AclResourceTypes.GROUP, name, AclOperationTypes.READ)),
    ...(access.groupPrefixes ?? []).map((prefix) =>
      allow(user, AclResourceTypes.GROUP, prefix, AclOperationTypes.READ, ResourcePatternTypes.PREFIXED),
    ),
    ...(access.describeGroups ?? []).map((name) =>
      allow(user, AclResourceTypes.GROUP, name, AclOperationTypes.DESCRIBE),
    ),
    ...(access.transactionalIdPrefixes ?? []).flatMap((prefix) => [
      allow(user, AclResourceTypes.TRANSACTIONAL_ID, prefix, AclOperationTypes.WRITE, ResourcePatternTypes.PREFIXED),
      allow(user, AclResourceTypes.TRANSACTIONAL_ID, prefix, AclOperationTypes.DESCRIBE, ResourcePatternTypes.PREFIXED),
    ]),
    // Idempotent producers (every Evoke producer) need IdempotentWrite on the cluster.
    ...((access.writeTopics ?? []).length > 0
      ? [allow(user, AclResourceTypes.CLUSTER, "kafka-cluster", AclOperationTypes.IDEMPOTENT_WRITE)]
      : []),
  ];
}

/** Creates the ACLs of each principal, through a client connected as a super user. */
export async function grantAccess(kafka: Kafka, principals: readonly PrincipalAccess[]): Promise<void> {
  const acl = principals.flatMap(aclEntries);
  if (acl.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createAcls({ acl });
  } finally {
    await admin.disconnect();
  }
}
