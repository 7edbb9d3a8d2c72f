import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { makeDeployShow } from './deploy-show.js';

// A deploy that changes the feed tells the WebSub hub and Podcast Index, through endpoints the
// environment points at a local HTTP server; failures are warnings, never a failed deploy.
interface Hit {
  method: string;
  url: string;
  body: string;
  type: string | undefined;
}

describe('directory notifications after a deploy', () => {
  const hits: Hit[] = [];
  let status = 204;
  let server: http.Server;
  let origin = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d));
      req.on('end', () => {
        hits.push({ method: req.method!, url: req.url!, body, type: req.headers['content-type'] });
        res.writeHead(status).end(status < 300 ? '' : 'hub is down');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('POSTs hub.mode=publish to the hub and pings Podcast Index once per changed feed; a failing hub is a warning', async () => {
    const show = await makeDeployShow({ target: 'local', path: 'public' }, { feed: { websub: { hub: 'https://pubsubhubbub.appspot.com/' } }, notify: { podcastIndex: true } });
    const env = { CASTLINE_WEBSUB_HUB_URL: `${origin}/hub`, CASTLINE_PODCASTINDEX_PUBNOTIFY_URL: `${origin}/api/1.0/hub/pubnotify` };
    try {
      const first = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(first.code, first.stderr).toBe(0);
      const self = 'https://example.org/mlaisu/feed.xml';
      const feed = await readFile(join(show.root, 'public', 'feed.xml'), 'utf8');
      expect(feed).toContain('<atom:link href="https://pubsubhubbub.appspot.com/" rel="hub"/>');
      expect(feed).toContain(`<atom:link href="${self}" rel="self" type="application/rss+xml"/>`);
      expect(hits).toEqual([
        { method: 'POST', url: '/hub', body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': self }).toString(), type: 'application/x-www-form-urlencoded' },
        { method: 'GET', url: `/api/1.0/hub/pubnotify?url=${encodeURIComponent(self)}`, body: '', type: undefined },
      ]);

      hits.length = 0;
      const same = await runCli(['deploy'], { cwd: show.root, env });
      expect(same.code, same.stderr).toBe(0);
      expect(hits).toEqual([]);

      // A changed feed with the hub down: deployed, and a warning that says what to do.
      status = 500;
      const epYaml = join(show.root, 'episodes', '2023-01-20-mlaisu', 'episode.yaml');
      await writeFile(epYaml, (await readFile(epYaml, 'utf8')).replace(/^title: (.*)$/m, 'title: $1 (revised)'));
      const down = await runCli(['deploy', '--json'], { cwd: show.root, env });
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).toContain('warning: the WebSub hub');
      expect(down.stderr).toContain('HTTP 500');
      expect(JSON.parse(down.stdout).feedChanged).toBe(true);
    } finally {
      status = 204;
      await show.cleanup();
    }
  }, 120_000);
});
