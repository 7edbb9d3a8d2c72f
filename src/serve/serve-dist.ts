import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { contentTypeFor, isRewritable } from './content-type.js';
import { parseRange } from './parse-range.js';
import { resolveRequestPath } from './resolve-request-path.js';

export interface ServeOptions {
  /** The dist/ folder. */
  root: string;
  /** show.yaml site.baseUrl (with trailing slash): rewritten to the preview origin. */
  baseUrl: string;
  /** Called once per request, for logging. */
  onRequest?: (req: IncomingMessage, status: number) => void;
}

/**
 * A static file server for dist/, enough for podcatchers and browsers: GET and HEAD, single
 * byte ranges (RFC 9110 §14: 206, Accept-Ranges, Content-Range, 416), exact types, nothing
 * outside dist/. Feed and pages name site.baseUrl; those are rewritten to this server's
 * origin so a podcatcher on this machine subscribes to the preview and downloads from it.
 */
export function createDistServer(options: ServeOptions): Server {
  return createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      if (!res.headersSent) send(res, req, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}\n`, options);
      else res.destroy();
    });
  });
}

function send(res: ServerResponse, req: IncomingMessage, status: number, body: string, options: ServeOptions, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(req.method === 'HEAD' ? undefined : body);
  options.onRequest?.(req, status);
}

/** The origin the client used (Host header), so "localhost" and "127.0.0.1" both work. */
export function requestOrigin(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  const local = req.socket.localAddress ?? '127.0.0.1';
  const fallback = `${local.includes(':') ? `[${local}]` : local}:${req.socket.localPort ?? 80}`;
  return `http://${/^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9a-fA-F:.]+\](:\d+)?$/.test(host) ? host : fallback}/`;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ServeOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, req, 405, 'Only GET and HEAD\n', options, { Allow: 'GET, HEAD' });
    return;
  }
  const path = resolveRequestPath(options.root, req.url ?? '/');
  if (!path) {
    send(res, req, 404, 'Not found\n', options);
    return;
  }
  const info = await stat(path).catch(() => undefined);
  let file = path;
  if (info?.isDirectory()) {
    // /episodes/x → the folder's page; relative links need the slash, so redirect.
    const location = `${(req.url ?? '/').split('?')[0]}/`;
    send(res, req, 301, `Moved to ${location}\n`, options, { Location: location });
    return;
  }
  if (!info?.isFile()) {
    send(res, req, 404, 'Not found\n', options);
    return;
  }
  // A symlink inside dist/ must not lead outside it.
  const [realRoot, realFile] = await Promise.all([realpath(options.root), realpath(file)]);
  if (!realFile.startsWith(realRoot + sep)) {
    send(res, req, 404, 'Not found\n', options);
    return;
  }
  file = realFile;
  const type = contentTypeFor(file);
  const common: Record<string, string> = { 'Content-Type': type, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache', 'Last-Modified': info.mtime.toUTCString() };

  let body: Buffer | undefined;
  let size = info.size;
  if (isRewritable(file)) {
    const text = await readFile(file, 'utf8');
    const origin = requestOrigin(req);
    // Both spellings: raw, and as XML/HTML attribute text (a baseUrl with & in it).
    const escaped = options.baseUrl.replace(/&/g, '&amp;');
    body = Buffer.from(text.split(options.baseUrl).join(origin).split(escaped).join(origin), 'utf8');
    size = body.length;
  }
  const range = parseRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') {
    send(res, req, 416, 'Range not satisfiable\n', options, { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' });
    return;
  }
  const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200];
  const headers: Record<string, string> = { ...common, 'Content-Length': String(Math.max(0, end - start + 1)) };
  if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  res.writeHead(status, headers);
  options.onRequest?.(req, status);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  if (body) {
    res.end(body.subarray(start, end + 1));
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Listen, resolving with the bound origin; a busy port is a clear error. */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      resolve(`http://${shownHost}:${bound}/`);
    });
  });
}

