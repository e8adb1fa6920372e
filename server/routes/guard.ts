import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { SignedInCache } from '../db/accounts.ts';
import { DomainError, forbidden, tooMany, unauthenticated } from '../domain/errors.ts';
import { sha256 } from '../lib/ids.ts';
import type { Db } from '../db/client.ts';
import { header } from './answer.ts';
import type { AppEnv, SignedIn } from './context.ts';

export const SESSION_COOKIE = 'cy_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Body types a route may take beyond JSON: the roster import takes CSV, photo uploads multipart. */
export interface BodyRule {
  test: RegExp;
  types: string[];
  maxBytes: number;
}
const JSON_ONLY: BodyRule = { test: /.*/, types: ['application/json'], maxBytes: 256 * 1024 };
/** A signed-out request's body: a phone number and a code. */
const ANONYMOUS_MAX_BYTES = 16 * 1024;
/** Photos one account may be sending at once: the web app sends one after another; a cadre entering for several families may have a few pages open. */
export const UPLOADS_AT_ONCE = 3;
export const BODY_RULES: BodyRule[] = [
  { test: /^\/api\/villages\/[^/]+\/households\/import$/, types: ['text/csv'], maxBytes: 2 * 1024 * 1024 },
  // One photo of at most 15 MB, plus the multipart framing and the kind field.
  { test: /^\/api\/(entries\/[^/]+\/(photos|score-sheets\/mine\/photos)|objections\/[^/]+\/photos)$/, types: ['multipart/form-data'], maxBytes: 15 * 1024 * 1024 + 64 * 1024 },
];

/** What a request to this path may carry as its body. */
export function bodyRuleOf(path: string): BodyRule {
  return BODY_RULES.find((r) => r.test.test(path)) ?? JSON_ONLY;
}

/**
 * CSRF for a JSON API: a state-changing request must come from one of our own origins
 * (Origin header, which browsers always send on such requests) and carry a body type a
 * cross-site HTML form cannot send without a preflight. SameSite=Lax on the cookie is the
 * second line.
 */
export function originGuard(): MiddlewareHandler<AppEnv> {
  const uploading = new Map<string, number>();
  return async (c, next) => {
    const rule = checkOrigin(c.req.method, c.req.url, c.req.path, c.get('deps').publicUrl, (name) => header(c, name));
    if (!rule) return next();
    const actor = c.get('actor');
    const tooLarge = (maxBytes: number) => new DomainError(413, 'body_too_large', `请求内容太大，最多 ${Math.round(maxBytes / 1024)} KB。`);
    // Nobody signed out sends a file, and what they may send (a phone number, a code) is small:
    // a stranger's body is refused before it is read, or read only as far as that.
    if (!actor && rule !== JSON_ONLY) throw unauthenticated();
    const maxBytes = actor ? rule.maxBytes : ANONYMOUS_MAX_BYTES;
    if (rule.types.includes('multipart/form-data')) {
      // A photo is streamed to disk by its route (receivePhoto), which counts its bytes; here
      // only its announced length is checked, and how many one account sends at once.
      if (Number(header(c, 'content-length') ?? 0) > maxBytes) throw tooLarge(maxBytes);
      const id = actor!.accountId;
      const now = uploading.get(id) ?? 0;
      if (now >= UPLOADS_AT_ONCE) throw tooMany('uploads_at_once', '您有照片正在上传，请等它传完再传下一张。', 5);
      uploading.set(id, now + 1);
      try {
        return await next();
      } finally {
        const left = (uploading.get(id) ?? 1) - 1;
        if (left > 0) uploading.set(id, left);
        else uploading.delete(id);
      }
    }
    return bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw tooLarge(maxBytes);
      },
    })(c, next);
  };
}

const origins = new Map<string, string>();
const originOf = (url: string) => {
  let origin = origins.get(url);
  if (origin === undefined) origins.set(url, (origin = new URL(url).origin));
  return origin;
};

/**
 * The origin and body-type rules of a request: throws the refusal, or returns the body rule
 * the request's body must keep to (null when it is not state-changing or has no body).
 */
export function checkOrigin(method: string, url: string, path: string, publicUrl: string, header: (name: string) => string | undefined): BodyRule | null {
  if (!UNSAFE.has(method)) return null;
  const origin = header('origin');
  // The request's own origin is the scheme://host[:port] its URL starts with.
  const own = url.slice(0, url.indexOf('/', url.indexOf('//') + 2));
  if (!origin || (origin !== own && origin !== originOf(publicUrl))) {
    throw new DomainError(
      403,
      'bad_origin',
      origin ? `请求来源 ${origin} 不被信任，请从本站页面操作。` : '请求缺少来源（Origin）信息，请从本站页面操作。',
    );
  }
  const rule = bodyRuleOf(path);
  const type = (header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // A body is announced by its length, its transfer encoding or its type; a bodyless
  // request (a like, a confirmation) goes straight on.
  const length = header('content-length');
  const hasBody = (length !== undefined && length !== '0') || header('transfer-encoding') !== undefined || type !== '';
  if (!hasBody) return null;
  if (!rule.types.includes(type)) {
    throw new DomainError(415, 'unsupported_media_type', `请求内容类型应为 ${rule.types.join(' 或 ')}，收到的是 ${type || '（未注明）'}。`, {
      expected: rule.types,
    });
  }
  return rule;
}

/** Who is asking: the session cookie, hashed, looked up (or remembered) with the account's roles and household. */
export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, clock } = c.get('deps');
    c.set('actor', signedIn(db, header(c, 'cookie'), clock.now()));
    return next();
  };
}

const caches = new WeakMap<Db, SignedInCache>();

/** The signed-in account of a request's Cookie header, or null. */
export function signedIn(db: Db, cookieHeader: string | undefined, now: number): SignedIn | null {
  const token = cookieValue(cookieHeader, SESSION_COOKIE);
  if (!token) return null;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new SignedInCache(db)));
  return cache.get(sha256(token), now);
}

/** One cookie's value from a Cookie header (`a=1; b=2`), as browsers send it. */
export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      let value = part.slice(eq + 1).trim();
      if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      try {
        return value.includes('%') ? decodeURIComponent(value) : value;
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

export function authorize(allowed: boolean, message?: string): void {
  if (!allowed) throw forbidden(message);
}
