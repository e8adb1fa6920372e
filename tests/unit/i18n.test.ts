import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templates } from '../../web/i18n/en.ts';

const WEB = resolve(import.meta.dirname, '../../web');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith(join('i18n', 'en.ts')) ? [path] : [];
  });
}

/** Every message id the web app asks for: `msg(…, { id: '…' })`. */
const ids = new Set(sources(WEB).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\{\s*id:\s*'([\w.-]+)'\s*\}/g)].map((m) => m[1]!)));

describe('the English texts', () => {
  it('the app asks for its texts by id', () => {
    expect(ids.size).toBeGreaterThan(300);
  });

  it('every text the app shows has an English translation', () => {
    expect([...ids].filter((id) => !(id in templates)).sort()).toEqual([]);
  });
});
