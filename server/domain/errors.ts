/**
 * The one error type the server throws for a refusal a person should understand.
 * `app.onError` maps it to `{error:{code,message,details?}}` with its status.
 * Messages are Chinese sentences; `code` is a stable English identifier.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 413 | 415 | 429 | 503;

export class DomainError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds, for 429 answers. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, details?: unknown) =>
  new DomainError(400, code, message, details);
export const unauthenticated = () => new DomainError(401, 'unauthenticated', '请先登录。');
export const forbidden = (message = '您没有权限进行此操作。') => new DomainError(403, 'forbidden', message);
export const notFound = (what: string) => new DomainError(404, 'not_found', `找不到该${what}。`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError(409, code, message, details);
export const tooMany = (code: string, message: string, retryAfter: number) =>
  new DomainError(429, code, message, undefined, Math.max(1, Math.ceil(retryAfter)));

/** A request naming things that do not exist (likes, rewards): 400 naming the first five. */
export const unknownIds = (code: string, what: string, field: string, missing: readonly string[]) =>
  invalid(code, `找不到这些${what}：${missing.slice(0, 5).join('、')}${missing.length > 5 ? ' 等' : ''}。`, { field, missing });
