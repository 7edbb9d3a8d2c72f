import { describe, expect, it } from 'vitest';
import { resolveRequestPath } from '../../../src/serve/resolve-request-path.js';

const root = '/srv/dist';

describe('resolveRequestPath', () => {
  it('maps paths inside dist/ and folders to their index.html', () => {
    expect(resolveRequestPath(root, '/')).toBe('/srv/dist/index.html');
    expect(resolveRequestPath(root, '/feed.xml?x=1')).toBe('/srv/dist/feed.xml');
    expect(resolveRequestPath(root, '/episodes/a/')).toBe('/srv/dist/episodes/a/index.html');
    expect(resolveRequestPath(root, '/episodes/a%20b.mp3')).toBe('/srv/dist/episodes/a b.mp3');
  });

  it.each(['/../secret', '/%2e%2e/secret', '/%2E%2E%2Fsecret', '/episodes/..%2f..%2fetc/passwd', '/a/%2e%2e/%2e%2e/x', '/..\\x', '/%5c..%5cx', '/x%00.mp3', '/%zz', 'http://evil/x', '//etc/passwd/..', '/.feed.xml.123.tmp', '/episodes/.hidden'])(
    'refuses %s',
    (target) => {
      const resolved = resolveRequestPath(root, target);
      if (resolved !== undefined) expect(resolved.startsWith('/srv/dist/')).toBe(true);
      if (!target.startsWith('//')) expect(resolved).toBeUndefined();
    },
  );
});
