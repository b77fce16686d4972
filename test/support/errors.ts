/** The error code a promise rejects with (null when it resolves), for tests of the host's refusals. */
export async function codeOf(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? "no code";
  }
}
