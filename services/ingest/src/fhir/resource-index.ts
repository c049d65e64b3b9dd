import type { Resource } from "@medplum/fhirtypes";

/** A resource in the request and where it sits (the FHIRPath of the resource itself). */
export interface Located {
  readonly resource: Resource & { readonly id?: string };
  /** e.g. "Bundle.entry[3].resource", or "Appointment" for a single resource. */
  readonly root: string;
  readonly fullUrl: string | undefined;
}

const URN_UUID = /^urn:uuid:([0-9a-fA-F-]{36})$/;
/** "Type/id", optionally after a base URL and before "/_history/<version>". */
const RELATIVE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9.-]{1,64})(?:\/_history\/[A-Za-z0-9.-]{1,64})?$/;

/** The type and logical id a literal reference names, when it names them ("Patient/123"). */
export function parseReference(reference: string): { type: string; id: string } | undefined {
  const match = RELATIVE.exec(reference);
  return match === null ? undefined : { type: match[1] as string, id: match[2] as string };
}

/**
 * The resources of one request, found by fullUrl or by "Type/id", so references between them
 * (urn:uuid:... in a transaction, Patient/123 in a batch) resolve without a FHIR server.
 */
export class ResourceIndex {
  readonly #byKey = new Map<string, Located>();

  add(located: Located): void {
    const { resource, fullUrl } = located;
    if (fullUrl !== undefined) this.#byKey.set(fullUrl, located);
    if (typeof resource.id === "string") this.#byKey.set(`${resource.resourceType}/${resource.id}`, located);
    const fromUrl = fullUrl === undefined ? undefined : parseReference(fullUrl);
    if (fromUrl !== undefined && fromUrl.type === resource.resourceType) {
      this.#byKey.set(`${fromUrl.type}/${fromUrl.id}`, located);
    }
  }

  resolve(reference: string): Located | undefined {
    const direct = this.#byKey.get(reference);
    if (direct !== undefined) return direct;
    const parsed = parseReference(reference);
    return parsed === undefined ? undefined : this.#byKey.get(`${parsed.type}/${parsed.id}`);
  }
}

/**
 * The resource's logical id: its `id`, else the uuid of a urn:uuid fullUrl (transactions that
 * create resources often carry no id). Undefined when it has neither.
 */
export function logicalIdOf(located: Pick<Located, "resource" | "fullUrl">): string | undefined {
  if (typeof located.resource.id === "string" && located.resource.id !== "") return located.resource.id;
  return located.fullUrl === undefined ? undefined : URN_UUID.exec(located.fullUrl)?.[1];
}
