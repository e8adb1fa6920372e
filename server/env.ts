import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /** The address to listen on: 0.0.0.0 (every interface) or 127.0.0.1 behind a reverse proxy. */
  HOST: z.string().regex(/^[\w.:-]+$/, { message: 'HOST must be an address to listen on, such as 127.0.0.1 or 0.0.0.0' }).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url({ message: 'PUBLIC_URL must be a full URL such as https://courtyard.example.cn' }).optional(),
  DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Delivery of one-time codes and notifications: console (development) or webhook. */
  DELIVERY: z.enum(['console', 'webhook']).default('console'),
  DELIVERY_WEBHOOK_URL: z.url({ message: 'DELIVERY_WEBHOOK_URL must be a full URL such as http://127.0.0.1:9000/sms' }).optional(),
  /**
   * FULL: a commit survives a power loss (every acknowledged like is on disk); likes are
   * committed in groups so this costs little. NORMAL survives a crash of the process only.
   */
  SQLITE_SYNCHRONOUS: z.enum(['FULL', 'NORMAL']).default('FULL'),
  LIKES_PER_ACCOUNT_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  LIKES_PER_NETWORK_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  SIGNIN_CODES_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(60),
  /**
   * Demo only: run the clock this many days ahead, to walk a whole contest cycle (announce,
   * let the objection period pass, finalise) in one sitting. Refused outside demo mode.
   */
  CLOCK_OFFSET_DAYS: z.coerce.number().int().min(0).max(400).default(0),
});

export type Env = z.infer<typeof EnvSchema> & { PUBLIC_URL: string };

/** Parse the process environment; on a bad value print which variable and why, then exit 1. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    console.error(`Courtyard cannot start: the environment is not valid.\n${lines.join('\n')}`);
    process.exit(1);
  }
  const env = parsed.data;
  if (env.DELIVERY === 'webhook' && !env.DELIVERY_WEBHOOK_URL) {
    console.error('Courtyard cannot start: DELIVERY=webhook needs DELIVERY_WEBHOOK_URL.');
    process.exit(1);
  }
  if (env.CLOCK_OFFSET_DAYS && !env.DEMO) {
    console.error('Courtyard cannot start: CLOCK_OFFSET_DAYS is for demo mode only (DEMO=1).');
    process.exit(1);
  }
  return { ...env, PUBLIC_URL: env.PUBLIC_URL ?? `http://localhost:${env.PORT}` };
}
