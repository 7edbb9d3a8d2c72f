import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/cli.js';

/**
 * A local stand-in for the newsletter platforms: node:http on a random loopback port, serving
 * the hand-written fixtures in test/fixtures/newsletters/ with the content types the real
 * platforms send, plus the failure modes castline must survive (redirect chains, a page that
 * never answers, a page larger than the size cap, 404).
 */

export const NEWSLETTER_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'newsletters');

const ROUTES: Record<string, [file: string, contentType: string]> = {
  '/substack/feed': ['substack-feed.xml', 'application/rss+xml; charset=utf-8'],
  '/wordpress/feed/': ['wordpress-feed.xml', 'application/rss+xml; charset=UTF-8'],
  '/ghost/rss/': ['ghost-feed.xml', 'application/rss+xml; charset=utf-8'],
  '/buttondown/rss': ['buttondown-feed.xml', 'application/atom+xml'],
  '/substack/p/issue-40-the-eval-crunch': ['substack-page.html', 'text/html; charset=utf-8'],
  '/ghost/open-weights-17/': ['ghost-page.html', 'text/html; charset=utf-8'],
  // Declared only by <meta http-equiv> inside the page, as old CMS pages do.
  '/cafe/summer': ['windows-1252-page.html', 'text/html'],
  '/cafe/undeclared': ['undeclared-latin1-page.html', 'text/html'],
  '/empty/feed': ['empty-feed.xml', 'application/rss+xml; charset=utf-8'],
  '/substack/sign-in': ['login-page.html', 'text/html; charset=utf-8'],
};

export interface NewsletterServer {
  origin: string;
  /** User-Agent of every request, in order. */
  userAgents: string[];
  close: () => Promise<void>;
}

export async function startNewsletterServer(): Promise<NewsletterServer> {
  const userAgents: string[] = [];
  const hanging = new Set<ServerResponse>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    userAgents.push(req.headers['user-agent'] ?? '');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = ROUTES[path];
    if (route) {
      const body = await readFile(join(NEWSLETTER_FIXTURES, route[0]));
      res.writeHead(200, { 'content-type': route[1], 'content-length': body.length });
      res.end(body);
      return;
    }
    const hop = /^\/hop\/(\d+)$/.exec(path);
    if (hop) {
      const n = Number(hop[1]);
      res.writeHead(n === 0 ? 301 : 302, { location: n === 0 ? '/substack/p/issue-40-the-eval-crunch' : `/hop/${n - 1}` });
      res.end();
      return;
    }
    if (path === '/huge') {
      // 21 MiB of HTML in 64 KiB chunks with no Content-Length: only the streaming cap stops it.
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      const chunk = Buffer.from(`<p>${'lorem ipsum '.repeat(5460)}</p>\n`);
      let sent = 0;
      const pump = (): void => {
        while (sent < 21 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
      return;
    }
    if (path === '/slow') {
      hanging.add(res);
      return; // never answers
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    userAgents,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
