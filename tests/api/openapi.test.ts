import { describe, expect, it } from 'vitest';
import { makeApp } from '../support/api.ts';

interface Doc {
  openapi: string;
  info: { title: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; in: string; name: string }> };
}

describe('the API description', () => {
  it('is an OpenAPI 3.1 document listing the contract routes', async () => {
    const t = makeApp();
    const res = await t.req('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const doc = (await res.json()) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: '/api' }]);
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /auth/otp',
        'POST /auth/login',
        'POST /auth/logout',
        'GET /me',
        'GET /places/villages',
        'GET /villages/{id}',
        'POST /households',
        'POST /households/{id}/confirm',
        'POST /households/{id}/reject',
        'GET /villages/{id}/households',
        'POST /villages/{id}/households/import',
        'POST /campaigns',
        'GET /campaigns/{id}',
        'GET /campaigns/{id}/rounds',
        'POST /rounds/{id}/transition',
        'GET /audit',
      ]),
    );
  });

  it('describes request bodies, the error shape and the session cookie', async () => {
    const t = makeApp();
    const doc = (await (await t.req('GET', '/api/openapi.json')).json()) as Doc;
    expect(Object.keys(doc.paths['/auth/otp']!.post!.requestBody!.content)).toEqual(['application/json']);
    expect(Object.keys(doc.paths['/villages/{id}/households/import']!.post!.requestBody!.content)).toEqual(['text/csv']);
    expect(Object.keys(doc.paths['/rounds/{id}/transition']!.post!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409']));
    expect(Object.keys(doc.paths['/auth/otp']!.post!.responses)).toContain('429');
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(doc.components.securitySchemes.session).toEqual({ type: 'apiKey', in: 'cookie', name: 'cy_session' });
  });

  it('is browsable as an HTML page at /api/docs', async () => {
    const t = makeApp();
    const res = await t.req('GET', '/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('Courtyard API');
    expect(html).toContain('/api/auth/otp');
    expect(html).toContain('/api/rounds/{id}/transition');
    expect(html).toContain('href="/api/openapi.json"');
  });

  it('answers an unknown API path with 404 in the error shape', async () => {
    const t = makeApp();
    const res = await t.req('GET', '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: '没有这个接口。' } });
  });
});
