// What test/setup/global-setup.ts hands to every integration suite through `inject()`.
declare module "vitest" {
  export interface ProvidedContext {
    /** Bootstrap servers of the real broker, e.g. ["127.0.0.1:9092"]. */
    kafkaBrokers: string[];
    /** A URL on the real PostgreSQL server with the right to create databases. */
    databaseUrl: string;
  }
}

export {};
