/** What middleware leaves on each request's context for the handlers after it. */
export interface IngestEnv {
  Variables: {
    /** `req_<random>`, echoed in X-Request-Id, problem documents and logs. */
    requestId: string;
    /** The name of the API key that authenticated the request (never its secret). */
    apiKeyName: string;
  };
}
