import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { SignedInCache } from '../db/accounts.ts';
import { DomainError, forbidden } from '../domain/errors.ts';
import { sha256 } from '../lib/ids.ts';
import type { AppEnv } from './context.ts';

export const SESSION_COOKIE = 'cy_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Body types a route may take beyond JSON: the roster import takes CSV, photo uploads multipart. */
export interface BodyRule {
  test: RegExp;
  types: string[];
  maxBytes: number;
}
const JSON_ONLY: BodyRule = { test: /.*/, types: ['application/json'], maxBytes: 256 * 1024 };
export const BODY_RULES: BodyRule[] = [
  { test: /^\/api\/villages\/[^/]+\/households\/import$/, types: ['text/csv'], maxBytes: 2 * 1024 * 1024 },
  // One photo of at most 15 MB, plus the multipart framing and the kind field.
  { test: /^\/api\/(entries\/[^/]+\/(photos|score-sheets\/mine\/photos)|objections\/[^/]+\/photos)$/, types: ['multipart/form-data'], maxBytes: 15 * 1024 * 1024 + 64 * 1024 },
];

/**
 * CSRF for a JSON API: a state-changing request must come from one of our own origins
 * (Origin header, which browsers always send on such requests) and carry a body type a
 * cross-site HTML form cannot send without a preflight. SameSite=Lax on the cookie is the
 * second line.
 */
export function originGuard(): MiddlewareHandler<AppEnv> {
  let publicOrigin = '';
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    publicOrigin ||= new URL(c.get('deps').publicUrl).origin;
    // The request's own origin is the scheme://host[:port] its URL starts with.
    const own = c.req.url.slice(0, c.req.url.indexOf('/', c.req.url.indexOf('//') + 2));
    if (!origin || (origin !== own && origin !== publicOrigin)) {
      throw new DomainError(
        403,
        'bad_origin',
        origin ? `请求来源 ${origin} 不被信任，请从本站页面操作。` : '请求缺少来源（Origin）信息，请从本站页面操作。',
      );
    }
    const rule = BODY_RULES.find((r) => r.test.test(c.req.path)) ?? JSON_ONLY;
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    // A body is announced by its length, its transfer encoding or its type; a bodyless
    // request (a like, a confirmation) goes straight on.
    const length = c.req.header('content-length');
    const hasBody = (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined || type !== '';
    if (!hasBody) return next();
    if (!rule.types.includes(type)) {
      throw new DomainError(415, 'unsupported_media_type', `请求内容类型应为 ${rule.types.join(' 或 ')}，收到的是 ${type || '（未注明）'}。`, {
        expected: rule.types,
      });
    }
    return bodyLimit({
      maxSize: rule.maxBytes,
      onError: () => {
        throw new DomainError(413, 'body_too_large', `请求内容太大，最多 ${Math.round(rule.maxBytes / 1024)} KB。`);
      },
    })(c, next);
  };
}

/** Who is asking: the session cookie, hashed, looked up (or remembered) with the account's roles and household. */
export function session(): MiddlewareHandler<AppEnv> {
  let cache: SignedInCache | undefined;
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const { db, clock } = c.get('deps');
    cache ??= new SignedInCache(db);
    c.set('actor', token ? cache.get(sha256(token), clock.now()) : null);
    return next();
  };
}

export function authorize(allowed: boolean, message?: string): void {
  if (!allowed) throw forbidden(message);
}
