/** Error codes the offline host raises, spelled as Excel.ErrorCodes / OfficeExtension.ErrorCodes spell them. */
export type HostErrorCode =
  | "PropertyNotLoaded"
  | "InvalidArgument"
  | "InvalidReference"
  | "InvalidOperation"
  | "ItemNotFound"
  | "ItemAlreadyExists"
  | "AccessDenied"
  | "ApiNotFound"
  | "RequestPayloadSizeLimitExceeded"
  | "ResponsePayloadSizeLimitExceeded"
  | "RangeExceedsLimit"
  | "InvalidOperationInCellEditMode"
  | "MergedRangeConflict"
  | "InvalidObjectPath"
  | "NotImplemented";

/**
 * An error shaped like OfficeExtension.Error: name "RichApi.Error", a `code`, a message and debugInfo, so callers
 * classify offline failures with the same code they use in Excel.
 */
export class HostError extends Error {
  readonly code: HostErrorCode;
  readonly debugInfo: { code: HostErrorCode; message: string; errorLocation?: string };
  readonly traceMessages: string[] = [];
  readonly innerError: null = null;

  constructor(code: HostErrorCode, message: string, errorLocation?: string) {
    super(message);
    this.name = "RichApi.Error";
    this.code = code;
    this.debugInfo = errorLocation === undefined ? { code, message } : { code, message, errorLocation };
  }
}

/** Throws a HostError; a helper for expressions. */
export function fail(code: HostErrorCode, message: string, errorLocation?: string): never {
  throw new HostError(code, message, errorLocation);
}
