import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CastlineError } from '../../core/errors.js';
import { readServeConfig } from '../../serve/read-serve-config.js';
import { createDistServer, listen } from '../../serve/serve-dist.js';
import type { CommandContext } from '../main.js';

/**
 * `castline serve [--port N] [--host H]`: preview dist/ over HTTP. Rebuilds nothing. Prints
 * the feed URL on stdout (one line, or a JSON document with --json) so scripts and tests can
 * read it; request log lines go to stderr with --debug.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const opts = ctx.options as { port?: string; host?: string };
  const port = Number(opts.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CastlineError('bad-port', `--port ${opts.port} is not a port number`, { hint: 'use a number from 1 to 65535, or 0 for any free port' });
  }
  const host = opts.host ?? '127.0.0.1';
  const { root, baseUrl } = await readServeConfig(ctx.cwd, ctx.options.root);
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'feed.xml'))) {
    throw new CastlineError('no-dist', `Nothing to serve: ${join(dist, 'feed.xml')} does not exist`, { hint: 'run castline build first; serve only previews what was built' });
  }
  const server = createDistServer({
    root: dist,
    baseUrl: baseUrl,
    onRequest: (req, status) => ctx.reporter.debug(`${status} ${req.method} ${req.url}`),
  });
  let origin: string;
  try {
    origin = await listen(server, port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CastlineError('serve-listen', `Cannot listen on ${host}:${port} (${code ?? String(error)})`, {
      hint: code === 'EADDRINUSE' ? `port ${port} is in use: pass --port with another number, or --port 0 for any free port` : 'check --host and --port',
      cause: error,
    });
  }
  const feedUrl = `${origin}feed.xml`;
  if (ctx.reporter.json) ctx.reporter.result({ origin, feedUrl, root: dist });
  else process.stdout.write(`${feedUrl}\n`);
  ctx.reporter.info(`Serving ${dist} at ${origin} (feed: ${feedUrl}; links to ${baseUrl} point here). Ctrl+C stops.`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
