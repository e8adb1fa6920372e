import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPException } from 'hono/http-exception';
import { DomainError } from '../domain/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { Ctx } from './context.ts';

// What every answer of the server carries, and how a refusal is written: one module for the
// middleware that serves most routes and for the like route, which is served ahead of it.

/** Pages may load only this site's own scripts, styles, images and connections. */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

/**
 * The headers every answer to `path` carries: the request id, the security headers, a CSP on
 * pages, and the server's time `now` as its Date. The Date is the app's clock (a demo may run it
 * ahead), not Node's own: the web app sets its clock by it, since a phone's may be days out.
 */
export function answerHeaders(path: string, requestId: string, now: number): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': requestId, date: httpDate(now), ...SECURITY_HEADERS };
  if (!path.startsWith('/api/') || path === '/api/docs') headers['content-security-policy'] = CSP;
  return headers;
}

let dateSecond = Number.NaN;
let dateText = '';

/** An HTTP date (whole seconds), written once a second as Node writes its own. */
function httpDate(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/**
 * Put the answer headers on whatever the request is answered with. Under Node they go on
 * Node's response, which merges them into the answer when it is written: set on the context
 * instead, they would make every answer carry a Fetch Headers object, built and then read
 * back, which costs more than a small route does. In-process requests (tests) have only the
 * context.
 */
export function stampAnswer(c: Ctx, headers: Record<string, string>): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.setHeader === 'function') {
    for (const name in headers) outgoing.setHeader(name, headers[name]!);
  } else {
    for (const name in headers) c.header(name, headers[name]);
  }
}

/** The caller's request id if it is a plain token (a proxy's), otherwise a new one. */
export function requestIdFrom(incoming: string | undefined): string {
  return incoming && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
}

/**
 * A request header, its name in lower case. Under Node it is read from the headers Node has already parsed: asking the
 * Fetch request for one makes it build a Headers object of them all, which costs more than a
 * small route does. In-process requests (tests) have only the Fetch request.
 */
export function header(c: Ctx, name: string): string | undefined {
  const parsed = (c.env as { incoming?: Partial<IncomingMessage> } | undefined)?.incoming?.headers;
  if (!parsed) return c.req.header(name);
  const value = parsed[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string; details?: unknown } };
  retryAfter?: number;
}

/**
 * A thrown error as the person asking sees it: a refusal with its code and sentence, a
 * malformed request, or (logged with its stack) an internal error that names the request id.
 */
export function errorAnswer(err: unknown, requestId: string, log: Logger): ErrorAnswer {
  if (err instanceof DomainError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: withProblems(err) }) } },
      retryAfter: err.retryAfter,
    };
  }
  if (err instanceof HTTPException && err.status < 500) {
    const malformed = /json/i.test(err.message);
    return {
      status: err.status,
      body: { error: { code: malformed ? 'malformed_json' : 'bad_request', message: malformed ? '请求内容不是有效的 JSON。' : '请求不正确。' } },
    };
  }
  log.error('unhandled error', { requestId, error: String(err), stack: err instanceof Error ? err.stack : undefined });
  return { status: 500, body: { error: { code: 'internal', message: '服务器出错了，请稍后再试。', details: { requestId } } } };
}

/**
 * Every error that names a field also lists it in `details.problems`, the one shape a client
 * reads to put a message next to the field, whichever rule refused the request.
 */
function withProblems(err: DomainError): unknown {
  const d = err.details as { field?: unknown; problems?: unknown } | null;
  if (!d || typeof d !== 'object' || Array.isArray(d) || d.problems !== undefined || typeof d.field !== 'string') return err.details;
  return { ...d, problems: [{ field: d.field, problem: err.message }] };
}

/** The access log's line for one request. */
export function logAnswer(log: Logger, line: { requestId: string; method: string; path: string; status: number; started: number }): void {
  const ms = Math.round((performance.now() - line.started) * 10) / 10;
  log[line.status >= 500 ? 'error' : 'info']('request', { requestId: line.requestId, method: line.method, path: line.path, status: line.status, ms });
}

/**
 * A Content-Disposition that names the file in Chinese (荣誉门牌-2026H1.csv), as a cadre saves it
 * next to the village's other spreadsheets, with a plain-letters name for old browsers (RFC 6266).
 */
export function fileNamed(how: 'attachment' | 'inline', chinese: string, fallback: string): string {
  return `${how}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(chinese)}`;
}
