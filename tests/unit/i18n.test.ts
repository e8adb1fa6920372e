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

const texts = sources(WEB).map((file) => readFileSync(file, 'utf8'));
/** Every message id the web app asks for: `msg(…, { id: '…' })`. */
const ids = new Set(texts.flatMap((text) => [...text.matchAll(/\{\s*id:\s*'([\w.-]+)'\s*\}/g)].map((m) => m[1]!)));
/** The ids of messages written as Lit templates, `msg(html`…`, { id })`: they hold the server's words in a span marked Chinese. */
const templateIds = new Set(texts.flatMap((text) => [...text.matchAll(/msg\(html`[\s\S]*?`,\s*\{\s*id:\s*'([\w.-]+)'\s*\}\)/g)].map((m) => m[1]!)));

describe('the English texts', () => {
  it('the app asks for its texts by id', () => {
    expect(ids.size).toBeGreaterThan(300);
  });

  it('every text the app shows has an English translation', () => {
    expect([...ids].filter((id) => !(id in templates)).sort()).toEqual([]);
  });

  it('a message that marks the server\'s words is translated as a template too, not as text (which would read [object Object])', () => {
    expect(templateIds.size).toBeGreaterThan(10);
    const isTemplate = (t: unknown) => typeof t === 'object' && t !== null && '_$litType$' in t;
    expect([...templateIds].filter((id) => !isTemplate(templates[id])).sort()).toEqual([]);
    expect([...ids].filter((id) => !templateIds.has(id) && isTemplate(templates[id])).sort()).toEqual([]);
  });
});
