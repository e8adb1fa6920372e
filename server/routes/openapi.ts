import type { z } from 'zod';
import { ErrorBody } from '../contracts/common.ts';

/** A JSON response of the OpenAPI document. */
export const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  content: { 'application/json': { schema } },
  description,
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});

const ERROR_TEXT = {
  400: 'Invalid input; details name the field',
  401: 'Not signed in',
  403: 'Signed in but not allowed, or the request came from another origin',
  404: 'No such resource',
  408: 'An upload stopped sending for a minute and was given up',
  409: 'Conflict with the current state',
  413: 'Body too large',
  415: 'Unsupported content type',
  429: 'Too many requests; see Retry-After',
  503: 'A service the server needs is unavailable: the Chinese font for a PDF, or the SMS gateway for a code',
} as const;

/** The error answers a route can give, documented with the one error shape. */
export function errors<S extends keyof typeof ERROR_TEXT>(...statuses: S[]): Record<S, ReturnType<typeof json<typeof ErrorBody>>> {
  return Object.fromEntries(statuses.map((s) => [s, json(ErrorBody, ERROR_TEXT[s])])) as Record<S, ReturnType<typeof json<typeof ErrorBody>>>;
}

export const cookieAuth = [{ session: [] as string[] }];
