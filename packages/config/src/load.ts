import { z } from "zod";

/** A service's environment: the variables it reads and how they become its typed config. */
export interface ConfigDefinition<Shape extends z.ZodRawShape, Config> {
  /** Who reads these variables, as shown in errors and docs ("ingest", "infrastructure"). */
  readonly name: string;
  readonly schema: z.ZodObject<Shape>;
  readonly build: (env: z.output<z.ZodObject<Shape>>) => Config;
  /** Rules across variables (each already valid alone), e.g. "a user needs a password". */
  readonly check?: (env: z.output<z.ZodObject<Shape>>) => readonly ConfigIssue[];
}

export function defineConfig<Shape extends z.ZodRawShape, Config>(
  name: string,
  variables: Shape,
  build: (env: z.output<z.ZodObject<Shape>>) => Config,
  check?: (env: z.output<z.ZodObject<Shape>>) => readonly ConfigIssue[],
): ConfigDefinition<Shape, Config> {
  return { name, schema: z.object(variables), build, ...(check === undefined ? {} : { check }) };
}

export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

/** Thrown at start-up when the environment does not satisfy a service's schema. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly ConfigIssue[];

  constructor(service: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((issue) => `  ${issue.variable}: ${issue.message}`);
    super(`Invalid ${service} configuration:\n${lines.join("\n")}`);
    this.issues = issues;
  }
}

/**
 * Parses the environment once. Empty strings count as unset, so `KAFKA_BROKERS= npm start`
 * falls back to the default exactly like leaving the variable out.
 */
export function loadConfig<Shape extends z.ZodRawShape, Config>(
  definition: ConfigDefinition<Shape, Config>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  const relevant: Record<string, string> = {};
  for (const variable of Object.keys(definition.schema.shape)) {
    const value = env[variable];
    if (value !== undefined && value !== "") relevant[variable] = value;
  }
  const parsed = definition.schema.safeParse(relevant);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "(environment)"),
      message: issue.message,
    }));
    throw new ConfigError(definition.name, issues);
  }
  const crossIssues = definition.check?.(parsed.data) ?? [];
  if (crossIssues.length > 0) throw new ConfigError(definition.name, crossIssues);
  return definition.build(parsed.data);
}

/**
 * For a service's entry point: the config, or the error's message on stderr and exit code 1,
 * before anything else starts (fail fast, naming every bad variable).
 */
export function loadConfigOrExit<Shape extends z.ZodRawShape, Config>(
  definition: ConfigDefinition<Shape, Config>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  try {
    return loadConfig(definition, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
