/**
 * Statements of one transaction run side by side (postgres.js pipelines them on the
 * transaction's connection). Every one is waited for, even after one has failed: a statement
 * still to be sent when the transaction rolled back would run outside it. The first failure is
 * the one reported; the later statements fail only because the transaction was aborted.
 */
export async function pipelined<const T extends readonly Promise<unknown>[]>(
  statements: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  let firstFailure: { error: unknown } | undefined;
  for (const statement of statements)
    statement.catch((error: unknown) => {
      firstFailure ??= { error };
    });
  const settled = await Promise.allSettled(statements);
  if (firstFailure !== undefined) throw firstFailure.error;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}
