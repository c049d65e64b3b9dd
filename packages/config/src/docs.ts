import { z } from "zod";

export interface VariableDoc {
  readonly variable: string;
  readonly readBy: string;
  readonly defaultValue: string | undefined;
  readonly description: string;
}

/** What the docs need of a definition: who reads the variables, and their schema. */
export interface DocumentedConfig {
  readonly name: string;
  readonly schema: z.ZodObject;
}

interface JsonSchemaProperty {
  readonly default?: unknown;
  readonly description?: string;
}

/** The variables of each definition, as documented by their schemas (input side). */
export function describeConfig(definitions: readonly DocumentedConfig[]): VariableDoc[] {
  const byVariable = new Map<string, VariableDoc>();
  for (const definition of definitions) {
    const jsonSchema = z.toJSONSchema(definition.schema, { io: "input", unrepresentable: "any" });
    const properties = (jsonSchema.properties ?? {}) as Record<string, JsonSchemaProperty>;
    for (const [variable, property] of Object.entries(properties)) {
      const known = byVariable.get(variable);
      // A variable read by several services is described where it is first declared.
      byVariable.set(
        variable,
        known
          ? { ...known, readBy: `${known.readBy}, ${definition.name}` }
          : {
              variable,
              readBy: definition.name,
              defaultValue: property.default === undefined ? undefined : String(property.default),
              description: property.description ?? "",
            },
      );
    }
  }
  return [...byVariable.values()];
}

/** A Markdown table of every variable, for the README. */
export function renderConfigTable(definitions: readonly DocumentedConfig[]): string {
  const rows = describeConfig(definitions).map(
    (doc) =>
      `| \`${doc.variable}\` | ${doc.defaultValue === undefined ? "unset" : `\`${doc.defaultValue}\``} | ${doc.readBy} | ${doc.description.replaceAll("|", "\\|")} |`,
  );
  return ["| Variable | Default | Read by | Meaning |", "|---|---|---|---|", ...rows].join("\n");
}
