import type { ExtraCommand } from '../main.js';

/**
 * Commands beyond new/check/status. Each stage adds one entry: define options here (cheap),
 * implement `run` in its own module (loaded only when the command runs).
 */
export const EXTRA_COMMANDS: ExtraCommand[] = [
  {
    define: (program) =>
      program
        .command('build')
        .description('transcode recordings into MP3 + MP4 + thumbnail + chapters + captions, then write the feed and site into dist/')
        .argument('[episodes...]', 'episode folder names or paths (default: all recorded episodes)')
        .option('--force', 'rebuild every output even when its inputs are unchanged')
        .option('--json', 'print what was built (outputs, sizes, durations, loudness, plan steps) as JSON'),
    load: () => import('./build.js'),
  },
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
