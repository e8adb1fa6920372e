import { OpenAPIHono, type Hook } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Db } from '../db/client.ts';
import { DomainError, unauthenticated } from '../domain/errors.ts';
import type { Actor } from '../domain/permissions.ts';
import type { Clock } from '../lib/clock.ts';
import type { Delivery } from '../lib/delivery.ts';
import type { Logger } from '../lib/log.ts';
import type { PhotoStore } from '../media/store.ts';
import type { PhotoPool } from '../media/pool.ts';
import type { LikeWriter } from '../db/likes.ts';
import { header } from './answer.ts';

export interface AppDeps {
  db: Db;
  clock: Clock;
  delivery: Delivery;
  log: Logger;
  photos: PhotoStore;
  /** Decodes, checks and re-encodes uploads off the request thread (PhotoPool). */
  photoPool: Pick<PhotoPool, 'process' | 'processUpload'>;
  /** Applies likes in group commits. */
  likes: Pick<LikeWriter, 'submit'>;
  /** Deployment secret (32+ bytes, hex) for hashing one-time codes. */
  secret: string;
  /** Demo mode: sign-in answers carry the code, so anyone can try the app. */
  demo: boolean;
  /** The address people reach the app at; its origin is trusted for state-changing requests. */
  publicUrl: string;
}

export interface SignedIn extends Actor {
  phone: string;
  sessionHash: string;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    actor: SignedIn | null;
  };
}

export type Ctx = Context<AppEnv>;

/** The signed-in account, or a 401 that asks the person to sign in. */
export function requireActor(c: Ctx): SignedIn {
  const actor = c.get('actor');
  if (!actor) throw unauthenticated();
  return actor;
}

/** The client's address as the socket saw it (a reverse proxy in front should set X-Forwarded-For; see README). */
export function clientIp(c: Ctx): string {
  const forwarded = header(c, 'x-forwarded-for');
  // The last address is the one the proxy in front saw; any before it are the client's own say.
  if (forwarded && c.get('deps').publicUrl.startsWith('https://')) return forwarded.slice(forwarded.lastIndexOf(',') + 1).trim();
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? '127.0.0.1';
}

/** Names people read, for the fields a message may need to name. */
const FIELD_LABELS: Record<string, string> = {
  phone: '手机号',
  code: '验证码',
  villageId: '村（社区）',
  headName: '户主姓名',
  doorNumber: '门牌号',
  title: '活动名称',
  format: '评比形式',
  villageIds: '村庄',
  reason: '原因',
  description: '作品介绍',
  to: '目标状态',
};

function fieldLabel(path: string): string {
  const head = path.split('.')[0] ?? path;
  return FIELD_LABELS[head] ?? path;
}

/**
 * Bad input answers with the project's own error shape: the first problem as a sentence,
 * and every problem with its field in `details.problems`. Our own messages are whole
 * sentences (ending in 。) and stand alone; a generic one is prefixed with the field's name.
 */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw invalidInput(result.error.issues);
};

/** A request that breaks its contract: every problem named, the first as the message. */
export function invalidInput(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): DomainError {
  const problems = issues.map((i) => {
    const field = i.path.join('.') || '(body)';
    const sentence = i.message.endsWith('。') || field === '(body)' ? i.message : `${fieldLabel(field)}：${i.message}。`;
    return { field, problem: sentence };
  });
  return new DomainError(400, 'invalid_input', problems[0]?.problem ?? '请求内容不正确。', { problems });
}

export function router() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
