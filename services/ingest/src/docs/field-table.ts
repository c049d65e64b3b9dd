import type { JsonSchema } from "@evoke/events";

/*
 * Turns a data JSON Schema into rows of a Markdown table: one row per field, nested objects and
 * arrays flattened to dotted paths (utterances[].text), with type, whether it is required and
 * its constraints in words.
 */

interface Row {
  readonly field: string;
  readonly type: string;
  readonly required: boolean;
  readonly rule: string;
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `"${String(schema.const)}"`;
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => `\`${String(value)}\``).join(" \\| ");
  if (schema.type === "array") return `array of ${typeOf((schema.items ?? {}) as JsonSchema)}`;
  if (schema.format === "date-time") return "RFC 3339 date-time";
  if (typeof schema.pattern === "string" && schema.pattern.startsWith("^[A-Za-z0-9][A-Za-z0-9._:-]")) return "ID";
  return String(schema.type ?? "any");
}

function ruleOf(schema: JsonSchema): string {
  const rules: string[] = [];
  if (typeof schema.minLength === "number" && schema.minLength > 1)
    rules.push(`at least ${schema.minLength} characters`);
  if (typeof schema.maxLength === "number") rules.push(`at most ${schema.maxLength} characters`);
  if (typeof schema.minimum === "number") rules.push(`≥ ${schema.minimum}`);
  if (typeof schema.exclusiveMinimum === "number") rules.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.maximum === "number") rules.push(`≤ ${schema.maximum}`);
  if (typeof schema.minItems === "number" && schema.minItems > 0) rules.push(`${schema.minItems}+ items`);
  if (typeof schema.maxItems === "number") rules.push(`at most ${schema.maxItems} items`);
  if (schema.type === "integer") rules.push("whole number");
  // IDs and timestamps are explained once, above the tables.
  const selfExplained = typeOf(schema) === "ID" || schema.format === "date-time";
  if (typeof schema.description === "string" && !selfExplained) rules.push(schema.description);
  return rules.join("; ");
}

export function fieldRows(schema: JsonSchema, prefix = ""): Row[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, property]) => {
    const field = `${prefix}${name}`;
    const row: Row = { field, type: typeOf(property), required: required.has(name), rule: ruleOf(property) };
    if (property.type === "object" && property.properties !== undefined) {
      return [{ ...row, type: "object" }, ...fieldRows(property, `${field}.`)];
    }
    const items = property.items as JsonSchema | undefined;
    if (property.type === "array" && items?.type === "object") {
      return [{ ...row, type: "array of objects" }, ...fieldRows(items, `${field}[].`)];
    }
    return [row];
  });
}

export function fieldTable(schema: JsonSchema): string {
  const rows = fieldRows(schema).map(
    (row) => `| \`${row.field}\` | ${row.type} | ${row.required ? "yes" : "no"} | ${row.rule.replaceAll("|", "\\|")} |`,
  );
  return ["| field | type | required | rules |", "|---|---|---|---|", ...rows].join("\n");
}
