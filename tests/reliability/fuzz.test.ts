import { describe, expect, it } from 'vitest';
import { loadDoc, resolve, sample, type Operation } from './openapi.ts';
import { report } from './support.ts';
import { fillPath, makeWorld, type World } from './world.ts';

// Issue 7 (b): bad requests generated from the OpenAPI document against every route — wrong
// types, missing and extra fields, huge strings, unicode oddities, wrong ids, bad path and
// query parameters, broken bodies. Whatever comes in, the answer is never a 5xx, every
// refusal has the API's error shape, and the server is still healthy afterwards. Sent as a
// signed-in villager, panel member, village cadre and town admin (who may act on everything
// here), with the site's Origin, so that requests get past the CSRF check to validation and
// the handlers.

const BAD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  '',
  ' ',
  'x'.repeat(100_000),
  '\u0000',
  '\ud800',
  '\u202e漢字\u200b\ufeff',
  '🏡'.repeat(2000),
  'e\u0301\u0301\u0301\u0301',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '../../etc/passwd',
  '%00%ff',
  {},
  [],
  [[[[[]]]]],
  { __proto__: { admin: true } },
  Array.from({ length: 1000 }, () => 1),
];

const BAD_IDS = ['0', 'x'.repeat(5000), '中文编号', '%00', '..%2F..%2Fetc%2Fpasswd', '%ZZ', 'ac_bench0', '-1', '1e9', '%F0%9F%8F%A1', 'null', "'; drop table entries; --", '%E2%80%AE', ' '];
const BAD_QUERY = ['', '-1', '1e999', 'x'.repeat(10_000), '%00', '%ZZ', '中文', 'true', '[]', '{}', '999999999999999999999', '0.5', '%F0%9F%8F%A1', 'null', '&&&'];

interface Case {
  method: string;
  path: string;
  body?: string | FormData;
  contentType?: string;
  what: string;
}

function deepNest(n: number): string {
  return '['.repeat(n) + ']'.repeat(n);
}

/** Every bad request this suite makes for one operation. */
function casesFor(doc: Parameters<typeof sample>[0], op: Operation, ids: Record<string, string>): Case[] {
  const cases: Case[] = [];
  const path = fillPath(op.path, op.method, ids);
  const json = (value: unknown, what: string, p = path) => cases.push({ method: op.method, path: p, body: typeof value === 'string' ? value : JSON.stringify(value), contentType: 'application/json', what });
  const base = op.bodySchema ? sample(doc, op.bodySchema) : undefined;

  // Path parameters: wrong ids of every kind.
  for (const param of op.params.filter((p) => p.in === 'path')) {
    for (const bad of BAD_IDS) {
      const p = fillPath(op.path, op.method, ids, { name: param.name, value: bad });
      if (op.bodyType === 'application/json') json(base ?? {}, `path ${param.name}=${bad.slice(0, 20)}`, p);
      else cases.push({ method: op.method, path: p, what: `path ${param.name}=${bad.slice(0, 20)}` });
    }
  }
  // Query parameters: bad values, repeated, and unknown ones.
  for (const param of op.params.filter((p) => p.in === 'query')) {
    for (const bad of BAD_QUERY) cases.push({ method: op.method, path: `${path}?${param.name}=${bad}`, what: `query ${param.name}=${bad.slice(0, 20)}` });
    cases.push({ method: op.method, path: `${path}?${param.name}=1&${param.name}=2`, what: `query ${param.name} twice` });
  }
  cases.push({ method: op.method, path: `${path}?unknown=${'x'.repeat(3000)}&__proto__=1`, what: 'unknown query' });

  if (op.bodyType === 'application/json') {
    const schema = resolve(doc, op.bodySchema ?? undefined);
    const obj = (base ?? {}) as Record<string, unknown>;
    json(obj, 'plausible body');
    for (const key of Object.keys(schema.properties ?? {})) {
      for (const bad of BAD_VALUES) json({ ...obj, [key]: bad }, `${key}=${JSON.stringify(bad)?.slice(0, 20)}`);
      const rest = { ...obj };
      delete rest[key];
      json(rest, `missing ${key}`);
      // One level down: bad values inside object fields (points, rules…).
      const inner = resolve(doc, schema.properties![key]);
      if (inner.type === 'object' || (typeof obj[key] === 'object' && obj[key] !== null && !Array.isArray(obj[key]))) {
        for (const bad of BAD_VALUES.slice(0, 12)) json({ ...obj, [key]: { ...(obj[key] as object), hygiene: bad, ['x'.repeat(300)]: bad } }, `${key}.* = ${JSON.stringify(bad)?.slice(0, 20)}`);
        json({ ...obj, [key]: JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": 1}}') }, `${key} with __proto__`);
      }
      if (inner.type === 'array') {
        json({ ...obj, [key]: Array.from({ length: 10_000 }, () => (obj[key] as unknown[] | undefined)?.[0] ?? 1) }, `${key}: 10000 items`);
        json({ ...obj, [key]: [null, 'x', 1, {}, []] }, `${key}: mixed items`);
      }
    }
    json({ ...obj, extra: 'field', isAdmin: true }, 'extra fields');
    json(JSON.parse('{"__proto__": {"isAdmin": true}}'), '__proto__ body');
    for (const whole of [null, [], 'string', 123, true]) json(whole, `body ${JSON.stringify(whole)}`);
    json('{"broken": ', 'malformed JSON');
    json('', 'empty body');
    json(deepNest(5000), 'arrays nested 5000 deep');
    json({ ...obj, pad: 'x'.repeat(200_000) }, '200 KB body');
    json({ ...obj, pad: 'x'.repeat(300_000) }, '300 KB body (over the limit)');
    json('\ufeff' + JSON.stringify(obj), 'body with a BOM');
    cases.push({ method: op.method, path, body: JSON.stringify(obj), contentType: 'text/plain', what: 'JSON as text/plain' });
    cases.push({ method: op.method, path, body: 'a=1&b=2', contentType: 'application/x-www-form-urlencoded', what: 'form-encoded' });
  } else if (op.bodyType === 'multipart/form-data') {
    const form = (fill: (f: FormData) => void) => {
      const f = new FormData();
      fill(f);
      return f;
    };
    const random = new Uint8Array(4096).map(() => Math.floor(Math.random() * 256));
    const parts: Array<[string, FormData]> = [
      ['empty form', form(() => {})],
      ['random bytes', form((f) => f.append('file', new Blob([random]), 'x.jpg'))],
      ['file as text', form((f) => f.append('file', 'not a file'))],
      ['JPEG magic then garbage', form((f) => f.append('file', new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...random])]), 'x.jpg'))],
      ['PNG magic then garbage', form((f) => f.append('file', new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...random])]), 'x.png'))],
      ['RIFF WEBP header then garbage', form((f) => f.append('file', new Blob([new Uint8Array([...Buffer.from('RIFF'), 0xff, 0xff, 0xff, 0x7f, ...Buffer.from('WEBPVP8 '), ...random])]), 'x.webp'))],
      ['two files', form((f) => { f.append('file', new Blob([random]), 'a.jpg'); f.append('file', new Blob([random]), 'b.jpg'); })],
      ['bad kind', form((f) => { f.append('file', new Blob([random]), 'a.jpg'); f.append('kind', '🏡'.repeat(500)); })],
      ['name with path and NUL', form((f) => f.append('file', new Blob([random]), '../../\u0000evil.jpg'))],
    ];
    for (const [what, body] of parts) cases.push({ method: op.method, path, body, what });
    cases.push({ method: op.method, path, body: 'garbage', contentType: 'multipart/form-data', what: 'multipart without boundary' });
    cases.push({ method: op.method, path, body: '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nunterminated', contentType: 'multipart/form-data; boundary=b', what: 'unterminated multipart' });
    cases.push({ method: op.method, path, body: JSON.stringify({ file: 'x' }), contentType: 'application/json', what: 'JSON instead of multipart' });
  } else if (op.bodyType === 'text/csv') {
    const csv = (body: string, what: string) => cases.push({ method: op.method, path, body, contentType: 'text/csv', what });
    csv('', 'empty CSV');
    csv('户主姓名,门牌号,手机号\n', 'header only');
    csv('\ufeff户主姓名,门牌号,手机号\n陈大明,洋尾村200号,13912345678\n', 'BOM');
    csv('户主姓名,门牌号,手机号\n"unterminated,洋尾村1号,139\n', 'unbalanced quote');
    csv('a,b,c\n' + '1,2,3\n'.repeat(50_000), '50000 rows of the wrong columns');
    csv('户主姓名,门牌号,手机号\n' + `${'长'.repeat(5000)},${'\u0000'.repeat(10)},${'1'.repeat(200)}\n`, 'huge cells');
    csv('\u0000\u0001\u0002binary', 'binary');
    csv('户主姓名,门牌号,手机号\n=cmd|" /C calc"!A0,洋尾村300号,13912345679\n', 'formula injection');
    cases.push({ method: op.method, path, body: JSON.stringify({ csv: 'x' }), contentType: 'application/json', what: 'JSON instead of CSV' });
  } else if (op.method !== 'GET') {
    json({ unexpected: 'body' }, 'a body where none is expected');
    json('{"broken": ', 'malformed JSON where none is expected');
  }
  return cases;
}

async function send(w: World, c: Case, cookie: string | undefined) {
  const headers: Record<string, string> = { origin: 'http://localhost' };
  if (cookie) headers.cookie = cookie;
  if (c.contentType) headers['content-type'] = c.contentType;
  const env = { incoming: { socket: { remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` } } };
  return w.t.app.request(c.path, { method: c.method, headers, body: c.body }, env);
}

describe('bad requests against every route of the OpenAPI document', () => {
  it('≥ 5,000 generated bad requests: 0 answers of 5xx, every refusal in the error shape, the server healthy', async () => {
    const w = await makeWorld();
    const { doc, operations } = await loadDoc(w.t);
    const cases = operations.flatMap((op) => casesFor(doc, op, w.ids));
    const byStatus = new Map<number, number>();
    const serverErrors: string[] = [];
    const badShape: string[] = [];
    let sent = 0;
    const started = Date.now();
    // A villager, a panel member, then 洋尾村's cadre and the town admin: their changes come last.
    for (const role of ['villager', 'panel', 'cadre', 'townAdmin'] as const) {
      for (const c of cases) {
        // Signing out would end the session the remaining cases use.
        const cookie = c.path.startsWith('/api/auth/logout') ? undefined : w.cookie[role];
        let res: Response;
        try {
          res = await send(w, c, cookie);
        } catch (e) {
          serverErrors.push(`${c.method} ${c.path.slice(0, 120)} (${c.what}): threw ${(e as Error).message}`);
          continue;
        }
        sent++;
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        const text = await res.text();
        if (process.env.FUZZ_DEBUG && res.status === Number(process.env.FUZZ_DEBUG)) console.log(role, c.method, c.path.slice(0, 80), c.what, text.slice(0, 100));
        if (res.status >= 500) serverErrors.push(`${c.method} ${c.path.slice(0, 120)} (${c.what}) as ${role}: ${res.status} ${text.slice(0, 200)}`);
        else if (res.status >= 400) {
          let ok = false;
          try {
            const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
            ok = typeof body.error?.code === 'string' && typeof body.error?.message === 'string';
          } catch {
            /* not JSON */
          }
          if (!ok && badShape.length < 20) badShape.push(`${c.method} ${c.path.slice(0, 100)} (${c.what}): ${res.status} ${text.slice(0, 120)}`);
        }
      }
    }
    const health = await w.t.req('GET', '/healthz');
    const village = await w.t.req('GET', `/api/villages/${w.ids.village}`);

    const statuses = [...byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
    report('(b) bad requests', 'routes in the OpenAPI document', operations.length);
    report('(b) bad requests', 'requests sent', `${sent} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    report('(b) bad requests', 'answers of 5xx', serverErrors.length);
    report('(b) bad requests', 'answers by status', statuses);
    report('(b) bad requests', 'refusals not in the error shape', badShape.length);
    report('(b) bad requests', '/healthz afterwards', health.status);

    expect(serverErrors).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(5000);
    expect(badShape).toEqual([]);
    expect(health.status).toBe(200);
    expect(village.status).toBe(200);
  });
});
