/**
 * The contract suite's view of an Excel host: only Excel.run-shaped batches. The offline host implements it here; the
 * task pane's diagnostics can implement it over Excel.run to run the same suite inside real Excel.
 */
export type ContractHost = {
  /** A short label for reports ("offline", "Excel on the web" …). */
  name: string;
  run<T>(batch: (context: Excel.RequestContext) => Promise<T>): Promise<T>;
};

/** Error shape shared by Office's OfficeExtension.Error and the offline HostError. */
export type ApiError = { name: string; code: string; message: string };

/** Runs `fn` and returns the API error it raised, or null when it raised none. */
export async function apiError(fn: () => Promise<unknown>): Promise<ApiError | null> {
  try {
    await fn();
    return null;
  } catch (e) {
    const err = e as Partial<ApiError>;
    if (typeof err.code !== "string") throw e;
    return { name: String(err.name), code: err.code, message: String(err.message) };
  }
}

let counter = 0;

/** Adds a fresh worksheet for one test and returns its name, so tests never see each other's cells. */
export async function freshSheet(host: ContractHost): Promise<string> {
  counter++;
  const name = `Contract${Date.now().toString(36).slice(-4)}${counter}`;
  await host.run(async (context) => {
    context.workbook.worksheets.add(name);
    await context.sync();
  });
  return name;
}
