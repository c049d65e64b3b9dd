import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "./client.ts";
import { annotations } from "./schema/annotations.ts";

/*
 * Writing and removing chart annotations. Reading them is an analytic (packages/analytics):
 * it comes with the charts they mark.
 */

export interface NewAnnotation {
  readonly programmeId: string | null;
  readonly day: Date;
  readonly label: string;
  readonly createdBy: string;
}

/** Stores an annotation and returns its id. */
export async function recordAnnotation(db: Database, annotation: NewAnnotation): Promise<string> {
  const [row] = await db.insert(annotations).values(annotation).returning({ annotationId: annotations.annotationId });
  if (row === undefined) throw new Error("annotation insert returned no row");
  return row.annotationId;
}

/**
 * Removes an annotation if it belongs to one of `programmeIds` (null: any, the
 * organisation-wide ones included). Returns whether one was removed.
 */
export async function removeAnnotation(
  db: Database,
  annotationId: string,
  programmeIds: readonly string[] | null,
): Promise<boolean> {
  const inScope = programmeIds === null ? undefined : inArray(annotations.programmeId, [...programmeIds]);
  const removed = await db
    .delete(annotations)
    .where(and(eq(annotations.annotationId, annotationId), inScope))
    .returning({ annotationId: annotations.annotationId });
  return removed.length > 0;
}
