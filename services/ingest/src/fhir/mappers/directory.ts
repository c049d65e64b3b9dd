import type { HealthcareService, Organization, Practitioner, PractitionerRole } from "@medplum/fhirtypes";
import { programmeIdOf, programmeIdOfResource, resolveReference, therapistIdOf } from "../context.ts";
import { type Mapper, nothingFor } from "./draft.ts";

/*
 * The directory: programmes (Organization, HealthcareService) and therapists (PractitionerRole,
 * named from its Practitioner). Staff names are not health data; Evoke shows them on the dashboard.
 */

function nameRequired(name: unknown, findings: Parameters<Mapper<Organization>>[2]): string | undefined {
  if (typeof name === "string" && name.trim() !== "") return name;
  return findings.fail("name", "is required: the programme's display name", "required");
}

export const mapOrganization: Mapper<Organization & { id: string }> = (organization, context, findings) => {
  const name = nameRequired(organization.name, findings);
  if (name === undefined) return [];
  const programmeId = programmeIdOfResource(context, "Organization", organization.id);
  return [
    { type: "evoke.programme.registered", data: { programmeId, name }, origins: { programmeId: "id", name: "name" } },
  ];
};

export const mapHealthcareService: Mapper<HealthcareService & { id: string }> = (service, context, findings) => {
  const name = nameRequired(service.name, findings);
  if (name === undefined) return [];
  const programmeId = programmeIdOfResource(context, "HealthcareService", service.id);
  return [
    { type: "evoke.programme.registered", data: { programmeId, name }, origins: { programmeId: "id", name: "name" } },
  ];
};

/** A HumanName as "Given Family", or its text. */
function displayNameOf(practitioner: Practitioner | undefined): string | undefined {
  const name = practitioner?.name?.find((candidate) => candidate.use === "official") ?? practitioner?.name?.[0];
  if (name === undefined) return undefined;
  if (typeof name.text === "string" && name.text.trim() !== "") return name.text.trim();
  const parts = [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(
    (part): part is string => typeof part === "string" && part.trim() !== "",
  );
  return parts.length === 0 ? undefined : parts.join(" ");
}

export const mapPractitioner: Mapper<Practitioner> = (_practitioner, _context, findings) =>
  nothingFor(
    findings,
    "",
    "A Practitioner alone names no programme: Evoke registers the therapist from a PractitionerRole that refers to it (send both in one Bundle to use this Practitioner's name).",
  );

export const mapPractitionerRole: Mapper<PractitionerRole> = (role, context, findings) => {
  if (role.active === false)
    return nothingFor(findings, "active", "An inactive PractitionerRole registers no therapist.");
  const therapistId = therapistIdOf(context, role.practitioner, "practitioner", findings);
  const programmePath = role.healthcareService?.[0] === undefined ? "organization" : "healthcareService[0]";
  const programmeId = programmeIdOf(context, role.healthcareService?.[0] ?? role.organization, programmePath, findings);
  const practitioner = resolveReference(context, role.practitioner)?.resource;
  const displayName =
    displayNameOf(practitioner?.resourceType === "Practitioner" ? practitioner : undefined) ??
    (typeof role.practitioner?.display === "string" && role.practitioner.display.trim() !== ""
      ? role.practitioner.display
      : undefined);
  if (displayName === undefined) {
    findings.fail(
      "practitioner",
      "needs a name: include the Practitioner (with a name) in the Bundle, or set practitioner.display",
      "required",
    );
  }
  if (!findings.ok || therapistId === undefined || programmeId === undefined) return [];
  return [
    {
      type: "evoke.therapist.registered",
      data: { therapistId, programmeId, displayName },
      origins: { therapistId: "practitioner", programmeId: programmePath, displayName: "practitioner" },
    },
  ];
};
