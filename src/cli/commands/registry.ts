import type { ExtraCommand } from '../main.js';

/**
 * Commands beyond new/check/status. Each stage adds one entry: define options here (cheap),
 * implement `run` in its own module (loaded only when the command runs).
 */
export const EXTRA_COMMANDS: ExtraCommand[] = [
  {
    define: (program) =>
      program
        .command('serve')
        .description('preview dist/ over HTTP (feed, site, media with byte ranges); rebuilds nothing')
        .option('--port <n>', 'port to listen on (0 = any free port)', '8080')
        .option('--host <host>', 'address to listen on', '127.0.0.1')
        .option('--json', 'print the origin and feed URL as JSON'),
    load: () => import('./serve.js'),
  },
];
