import type { ExtraCommand } from '../main.js';

/**
 * Commands beyond new/check/status. Each stage adds one entry: define options here (cheap),
 * implement `run` in its own module (loaded only when the command runs).
 */
export const EXTRA_COMMANDS: ExtraCommand[] = [
  {
    define: (program) =>
      program
        .command('ci')
        .description('write CI files that publish the show on every push and weekly: github (.github/workflows/castline.yml), gitlab (.gitlab-ci.yml), k8s (an Indexed Job for a sharded build)')
        .argument('<engine>', 'github, gitlab or k8s')
        .option('--matrix <n>', 'build in N shards in parallel (castline build --shard K/N), then one publish job')
        .option('--package <spec>', 'what the jobs install with npm install -g (default: this castline version)')
        .option('--cron <schedule>', 'the weekly schedule, cron in UTC', '0 6 * * 1')
        .option('--force', 'replace CI files that exist')
        .option('--json', 'print the files written and the secrets to set as JSON'),
    load: () => import('./ci.js'),
  },
  {
    define: (program) =>
      program
        .command('init')
        .description('create a new show folder: show.yaml (asked on a terminal, or from the flags), a cover drawn from the title, episodes/, assets/, .gitignore, README, git init')
        .argument('[dir]', 'the folder to create or fill (default: the current folder)')
        .option('--title <title>', 'the show\'s name')
        .option('--author <name>', 'the author shown in podcast apps (also the feed owner\'s name)')
        .option('--email <address>', 'the owner email (Apple and Spotify send ownership checks there)')
        .option('--base-url <url>', 'the https URL where the built site (dist/) will be hosted')
        .option('--language <code>', 'ISO 639-1 language, like en or en-us (default: en)')
        .option('--description <text>', 'one line about the show (default: from the title)')
        .option('--category <name>', 'an Apple Podcasts category (default: News)')
        .option('--yes', 'ask nothing: take the defaults, fail listing any required field not given')
        .option('--json', 'print what was created as JSON'),
    load: () => import('./init.js'),
  },
  {
    define: (program) =>
      program
        .command('script')
        .description('write script.md (what the host reads) and notes.md (show notes) from issue.md')
        .argument('<episode>', 'episode folder name or path')
        .option('--force', 'overwrite script.md / notes.md even if you edited them')
        .option('--wpm <n>', 'reading speed for time estimates (default: show.yaml script.wpm)')
        .option('--no-download', 'do not download the issue\'s images into visuals/ (their cues keep the URLs)')
        .option('--json', 'also print the sections, estimates and notes as JSON'),
    load: () => import('./script.js'),
  },
  {
    define: (program) =>
      program
        .command('build')
        .description('transcode recordings into MP3 + MP4 + thumbnail + chapters + captions, then write the feed and site into dist/')
        .argument('[episodes...]', 'episode folder names or paths (default: all recorded episodes)')
        .option('--force', 'rebuild every output even when its inputs are unchanged')
        .option('--dry-run', 'print what would be encoded and why (after checking every input) and write nothing')
        .option('--shard <K/N>', 'build only shard K of N (a stable share of the episodes, by a hash of each id) and write only their outputs: no feed or site')
        .option('--json', 'print what was built (outputs, sizes, durations, loudness, plan steps) as JSON'),
    load: () => import('./build.js'),
  },
  {
    define: (program) =>
      program
        .command('plan')
        .description('list the episodes a build would encode, with the reasons, for a job engine to fan out (writes nothing)')
        .argument('[episodes...]', 'episode folder names or paths (default: all recorded episodes)')
        .option('--shards <N>', 'also give each episode\'s shard among N (the K of `castline build --shard K/N`)')
        .option('--force', 'plan as `castline build --force` would: every output rebuilt')
        .option('--json', 'print the plan as one JSON document'),
    load: () => import('./plan.js'),
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
  {
    define: (program) =>
      program
        .command('publish')
        .description('upload new videos to YouTube, push corrections, write the feed and site, deploy; plan first')
        .argument('[episodes...]', 'episode folder names or paths (default: every episode that needs it)')
        .option('--dry-run', 'print the plan (steps and YouTube quota cost) and change nothing; needs no credentials')
        .option('--youtube-only', 'only the YouTube part: no feed, site or deploy')
        .option('--no-verify', 'after deploying to S3 or SFTP, do not check the live feed and its files')
        .option('--json', 'print the plan and what was done (YouTube ids, states) as JSON'),
    load: () => import('./publish.js'),
  },
  {
    define: (program) =>
      program
        .command('deploy')
        .description('write the feed and site, then upload dist/ to show.yaml\'s deploy target (media first, feed.xml last; only changed files); no YouTube')
        .option('--dry-run', 'list what would be uploaded or deleted; change nothing')
        .option('--setup', 'S3: apply the bucket CORS rule web players need for chapters and transcripts')
        .option('--json', 'print what was uploaded, unchanged and deleted as JSON'),
    load: () => import('./deploy.js'),
  },
  {
    define: (program) =>
      program
        .command('verify')
        .description('fetch the live feed and check every file it names: status, Content-Length against dist/, Content-Type, byte ranges')
        .option('--base-url <url>', 'check the site at this address instead of show.yaml site.baseUrl')
        .option('--json', 'print every URL checked and every problem as JSON'),
    load: () => import('./verify.js'),
  },
  {
    define: (program) =>
      program
        .command('clip')
        .description('cut a short clip of a built episode for social video: captions burned in, the show name, optional waveform → dist/episodes/<id>/clips/')
        .argument('<episode>', 'episode folder name or path')
        .option('--from <time>', 'start in the published audio: 12:30, 1:02:03 or seconds')
        .option('--to <time>', 'end, the same way')
        .option('--format <format>', 'vertical (1080×1920, ≤ 60 s), square (1080×1080) or landscape (1920×1080); default vertical')
        .option('--title <text>', 'drawn at the top under the show name (also the soundbite title)')
        .option('--waveform', 'draw a waveform of the sound under the captions')
        .option('--json', 'print the clip (path, start, duration, title, loudness) as JSON'),
    load: () => import('./clip.js'),
  },
  {
    define: (program) =>
      program
        .command('links')
        .description('print the block to paste into the newsletter: YouTube video, episode page, Spotify/Apple links, chapters with timestamps')
        .argument('<episode>', 'episode folder name or path')
        .option('--format <format>', 'markdown, html or text', 'markdown')
        .option('--json', 'print the links and the rendered block as JSON'),
    load: () => import('./links.js'),
  },
  {
    define: (program) =>
      program
        .command('auth')
        .description('authorize castline to upload to a YouTube channel (OAuth in the browser; token stored 0600 in your config folder)')
        .argument('<service>', 'youtube')
        .option('--status', 'show which channel the stored or environment credentials are for')
        .option('--client-secrets <file>', 'the OAuth client JSON (Desktop app) from Google Cloud console')
        .option('--json', 'print the result as JSON'),
    load: () => import('./auth.js'),
  },
];
