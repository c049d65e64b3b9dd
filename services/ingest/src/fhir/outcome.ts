import type { OperationOutcome, OperationOutcomeIssue } from "@medplum/fhirtypes";

/*
 * What the FHIR endpoint says back: OperationOutcome issues whose `expression` is the FHIRPath
 * of the element at fault (e.g. Bundle.entry[3].resource.status). Diagnostics say what is
 * expected, never the value that was sent: it could be a name or transcript text.
 */

export type IssueCode = NonNullable<OperationOutcomeIssue["code"]>;

/**
 * One finding about a resource. `path` is relative to the resource (e.g. "participant[0].actor"),
 * or absolute when it starts with a type name: a fault found in another resource of the request.
 */
export interface FhirIssue {
  readonly severity: "error" | "warning" | "information";
  readonly code: IssueCode;
  readonly path: string;
  readonly diagnostics: string;
}

export function error(path: string, diagnostics: string, code: IssueCode = "invalid"): FhirIssue {
  return { severity: "error", code, path, diagnostics };
}

export function information(path: string, diagnostics: string): FhirIssue {
  return { severity: "information", code: "informational", path, diagnostics };
}

/** The FHIRPath of `path` inside the resource at `root` (e.g. "Bundle.entry[3].resource"). */
export function expressionOf(root: string, path: string): string {
  if (path === "") return root;
  if (/^[A-Z]/.test(path)) return path;
  return path.startsWith("[") ? `${root}${path}` : `${root}.${path}`;
}

export function operationOutcome(
  issues: readonly { issue: FhirIssue; root: string }[],
): OperationOutcome & { issue: OperationOutcomeIssue[] } {
  return {
    resourceType: "OperationOutcome",
    issue: issues.map(({ issue, root }) => ({
      severity: issue.severity,
      code: issue.code,
      diagnostics: issue.diagnostics,
      expression: [expressionOf(root, issue.path)],
    })),
  };
}

/** An OperationOutcome about the request as a whole (no element to point at). */
export function requestOutcome(
  severity: FhirIssue["severity"] | "fatal",
  code: IssueCode,
  diagnostics: string,
): OperationOutcome & { issue: OperationOutcomeIssue[] } {
  return { resourceType: "OperationOutcome", issue: [{ severity, code, diagnostics }] };
}

export const FHIR_JSON = "application/fhir+json";
