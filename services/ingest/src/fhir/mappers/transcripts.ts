import type { Attachment, Communication, DocumentReference, Reference } from "@medplum/fhirtypes";
import {
  clientIdOf,
  type Findings,
  type MappingContext,
  referenceType,
  sessionIdOf,
  therapistIdOf,
} from "../context.ts";
import { defined, type EventDraft, type Mapper, nothingFor } from "./draft.ts";
import { type Candidate, programmeOfSession, sessionProgrammeCandidates } from "./sessions.ts";

/*
 * A session transcript → evoke.transcript.submitted: a DocumentReference or Communication whose
 * attachment is text/plain, one "Speaker: words" line per turn, or Evoke's JSON
 * ({ utterances: [{ speaker, text, startMs?, endMs? }], language?, changeGoal? }). Errors name
 * the line, never its words.
 */

const SPEAKER_LABELS: Readonly<Record<string, "therapist" | "client">> = {
  therapist: "therapist",
  clinician: "therapist",
  counsellor: "therapist",
  counselor: "therapist",
  practitioner: "therapist",
  t: "therapist",
  client: "client",
  patient: "client",
  c: "client",
};

interface Transcript {
  readonly utterances: unknown;
  readonly language?: unknown;
  readonly changeGoal?: unknown;
}

function parseLines(text: string, path: string, findings: Findings): Transcript | undefined {
  const utterances: { speaker: string; text: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const match = /^\s*([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
    const speaker = match === null ? undefined : SPEAKER_LABELS[(match[1] as string).toLowerCase()];
    if (match === null || speaker === undefined) {
      return findings.fail(
        path,
        `line ${index + 1} must start with a speaker label (Therapist: or Client:, also Clinician/Counsellor/Practitioner/T and Patient/C)`,
        "value",
      );
    }
    utterances.push({ speaker, text: (match[2] as string).trim() });
  }
  return { utterances };
}

const TEXT_TYPES = new Set(["text/plain"]);
const JSON_TYPES = new Set(["application/json", "application/vnd.evoke.transcript+json"]);

function transcriptOf(
  attachment: Attachment | undefined,
  path: string,
  dataPath: string,
  findings: Findings,
): Transcript | undefined {
  if (attachment === undefined) return findings.fail(path, "is required: the transcript as an attachment", "required");
  const type = attachment.contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === undefined)
    return findings.fail(`${path}.contentType`, "is required: text/plain or application/json", "required");
  if (!TEXT_TYPES.has(type) && !JSON_TYPES.has(type)) {
    return findings.fail(
      `${path}.contentType`,
      "must be text/plain (speaker-labelled lines) or application/json (Evoke's transcript JSON)",
      "not-supported",
    );
  }
  if (typeof attachment.data !== "string") {
    return findings.fail(
      dataPath,
      attachment.url === undefined
        ? "is required: the transcript, base64-encoded"
        : "is required: Evoke does not fetch attachment.url; send the transcript inline",
      attachment.url === undefined ? "required" : "not-supported",
    );
  }
  const text = Buffer.from(attachment.data, "base64").toString("utf8");
  if (TEXT_TYPES.has(type)) return parseLines(text, dataPath, findings);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Transcript;
  } catch {
    // Reported below.
  }
  return findings.fail(dataPath, "must be base64 of a JSON object { utterances: [...] }", "value");
}

const CLINICIAN = new Set(["Practitioner", "PractitionerRole"]);

interface TranscriptSource {
  readonly subject: Reference | undefined;
  readonly subjectPath: string;
  readonly encounter: Reference | undefined;
  readonly encounterPath: string;
  readonly clinicians: readonly { reference: Reference | undefined; path: string }[];
  readonly attachment: Attachment | undefined;
  readonly attachmentPath: string;
  /** Where the transcript's text is: the attachment's data, or a Communication's contentString. */
  readonly dataPath: string;
  readonly language: string | undefined;
  readonly languagePath: string;
}

function mapTranscript(source: TranscriptSource, context: MappingContext, findings: Findings): EventDraft[] {
  const clientId = clientIdOf(context, source.subject, source.subjectPath, findings);
  const sessionId = sessionIdOf(context, source.encounter, source.encounterPath, findings);
  const clinician = source.clinicians.find((candidate) =>
    CLINICIAN.has(referenceType(context, candidate.reference) ?? ""),
  );
  const therapistId =
    clinician === undefined
      ? findings.fail(
          source.clinicians[0]?.path ?? "author",
          "must name the clinician (a Practitioner or PractitionerRole)",
          "required",
        )
      : therapistIdOf(context, clinician.reference, clinician.path, findings);
  const candidates: Candidate[] = sessionProgrammeCandidates(context, source.encounter);
  if (clinician !== undefined) candidates.push(clinician);
  const programmeId = programmeOfSession(context, candidates, source.encounterPath, findings);
  const transcript = transcriptOf(source.attachment, source.attachmentPath, source.dataPath, findings);
  const language = source.language ?? transcript?.language;
  if (language === undefined) {
    findings.fail(source.languagePath, "is required: the transcript's language (BCP 47, e.g. en)", "required");
  }
  if (!findings.ok || clientId === undefined || transcript === undefined) return [];
  return [
    {
      type: "evoke.transcript.submitted",
      subject: clientId,
      data: defined({
        sessionId,
        clientId,
        therapistId,
        programmeId,
        language,
        utterances: transcript.utterances,
        changeGoal: transcript.changeGoal,
      }),
      origins: {
        sessionId: source.encounterPath,
        clientId: source.subjectPath,
        therapistId: clinician?.path ?? "",
        language: source.languagePath,
        utterances: source.dataPath,
        changeGoal: source.dataPath,
      },
    },
  ];
}

export const mapDocumentReference: Mapper<DocumentReference> = (document, context, findings) => {
  if (document.status !== "current") {
    if (document.status === "superseded" || document.status === "entered-in-error") {
      return nothingFor(findings, "status", `A ${document.status} document is not published.`);
    }
    return findings.fail("status", "must be current, superseded or entered-in-error", "code-invalid") ?? [];
  }
  const attachment = document.content?.[0]?.attachment;
  return mapTranscript(
    {
      subject: document.subject,
      subjectPath: "subject",
      encounter: document.context?.encounter?.[0],
      encounterPath: "context.encounter[0]",
      clinicians: (document.author ?? []).map((reference, index) => ({ reference, path: `author[${index}]` })),
      attachment,
      attachmentPath: "content[0].attachment",
      dataPath: "content[0].attachment.data",
      language: attachment?.language ?? document.language,
      languagePath: "content[0].attachment.language",
    },
    context,
    findings,
  );
};

export const mapCommunication: Mapper<Communication> = (communication, context, findings) => {
  if (communication.status !== "completed") {
    return nothingFor(findings, "status", "Only a completed Communication is published as a transcript.");
  }
  const at = (communication.payload ?? []).findIndex(
    (payload) => payload.contentAttachment !== undefined || typeof payload.contentString === "string",
  );
  const payload = at === -1 ? undefined : communication.payload?.[at];
  // A contentString is the text/plain form, held as an attachment so both are read alike.
  const attachment: Attachment | undefined =
    payload?.contentAttachment ??
    (typeof payload?.contentString === "string"
      ? { contentType: "text/plain", data: Buffer.from(payload.contentString, "utf8").toString("base64") }
      : undefined);
  const attachmentPath =
    payload?.contentAttachment === undefined ? `payload[${at}]` : `payload[${at}].contentAttachment`;
  return mapTranscript(
    {
      subject: communication.subject,
      subjectPath: "subject",
      encounter: communication.encounter,
      encounterPath: "encounter",
      clinicians: [
        { reference: communication.sender, path: "sender" },
        ...(communication.recipient ?? []).map((reference, index) => ({ reference, path: `recipient[${index}]` })),
      ],
      attachment: at === -1 ? undefined : attachment,
      attachmentPath: at === -1 ? "payload" : attachmentPath,
      dataPath: payload?.contentAttachment === undefined ? `payload[${at}].contentString` : `${attachmentPath}.data`,
      language: payload?.contentAttachment?.language ?? communication.language,
      languagePath: payload?.contentAttachment === undefined ? "language" : `${attachmentPath}.language`,
    },
    context,
    findings,
  );
};
