import { describe, expect, it } from 'vitest';
import { safeNext } from '../../web/router.ts';

describe('safeNext: where sign-in may send a person back to', () => {
  it.each([
    ['/villages/350582102207', '/villages/350582102207'],
    ['/entries/en_1?from=share#photos', '/entries/en_1?from=share#photos'],
    ['/me/../console', '/console'],
  ])('a page of this site %s goes to %s', (next, to) => {
    expect(safeNext(next, '/me')).toBe(to);
  });

  it.each([
    ['another site', 'https://evil.example/login'],
    ['a protocol-relative address', '//evil.example/login'],
    ['a backslash the browser reads as a slash', '/\\evil.example/login'],
    ['a tab inside the slashes', '/\t/evil.example'],
    ['a script', 'javascript:alert(1)'],
    ['the API', '/api/auth/logout'],
    ['nothing', ''],
    ['a relative path', 'me'],
  ])('%s is not followed: %s', (_what, next) => {
    expect(safeNext(next, '/me')).toBe('/me');
  });
  it('a missing target falls back', () => expect(safeNext(null, '/me')).toBe('/me'));
});
