/**
 * Every error and warning castline reports on purpose, by its permanent code (after astro's
 * packages/astro/src/core/errors/errors-data.ts: a permanent name, a title, a message, a hint).
 *
 * `ErrorCode` is `keyof typeof ERRORS`, and CastlineError and Problem take an ErrorCode, so a
 * misspelt or unlisted code does not compile. The README's errors section is generated from
 * this list (`npm run docs:errors`; a unit test fails when they drift).
 *
 * Adding a code: add an entry here (kebab-case, subject first: `cover-missing`, not
 * `missing-cover`), throw `new CastlineError('the-code', message, { hint })` where it happens,
 * and run `npm run docs:errors`. A code is permanent: JSON output (`check --json`,
 * `publish --json`) carries it, so rename one only by merging it into another on purpose.
 *
 * The message at the throw site names the file, key and values; the entry's `message` is its
 * shape as the README shows it (… for the parts that vary). The entry's `hint` is what to do in
 * general: CastlineError prints it when the throw site gives no hint of its own. `more` adds
 * troubleshooting knowledge for the README; `cases` lists the messages of a code that covers
 * many (schema errors), each with its own advice.
 */

export type ErrorArea = 'show' | 'init' | 'new' | 'script' | 'build' | 'feed' | 'serve' | 'publish' | 'deploy' | 'youtube';

export interface ErrorCase {
  /** The message's shape, like ErrorData.message. */
  message: string;
  hint: string;
}

export interface ErrorData {
  area: ErrorArea;
  /** What happened, in a few words. */
  title: string;
  /** The printed message's shape, `…` where it names files and values; ` / ` between variants. */
  message: string;
  /** What to do. */
  hint: string;
  /** Extra troubleshooting text for the README. */
  more?: string;
  /** Typical messages of a code that covers many situations, each with its advice. */
  cases?: readonly ErrorCase[];
  /** Reported by `castline check` as a warning: it does not stop a build. */
  warning?: true;
}

/** README headings, in this order. */
export const ERROR_AREAS: Record<ErrorArea, string> = {
  show: 'Show folder, show.yaml and episode.yaml',
  init: 'castline init and castline ci',
  new: 'castline new',
  script: 'castline script, script.md and notes.md',
  build: 'castline build: recordings and media',
  feed: 'Feed, site and ledgers',
  serve: 'castline serve',
  publish: 'castline publish',
  deploy: 'castline deploy and castline verify',
  youtube: 'YouTube sign-in and uploads',
};

export const ERRORS = {
  // ── show folder, show.yaml, episode.yaml ────────────────────────────────────────────────
  'no-show': {
    area: 'show',
    title: 'No show folder',
    message: 'No show.yaml in … or any folder above it',
    hint: 'run castline inside your show folder, or pass `--root <dir>`',
  },
  'bad-show': {
    area: 'show',
    title: 'show.yaml unusable for serve',
    message: 'show.yaml cannot be read: …',
    hint: 'run castline check to see every problem in show.yaml',
  },
  problems: {
    area: 'show',
    title: 'Several problems at once',
    message: 'N problems found',
    hint: 'fix each problem listed above it (each names its file and key)',
  },
  'yaml-syntax': {
    area: 'show',
    title: 'YAML syntax error',
    message: 'show.yaml → line 9, column 1: Tabs are not allowed as indentation',
    hint: 'YAML indents with spaces only; put text containing `: ` or starting with `#`, `*`, `&`, `@` in quotes',
  },
  'file-missing': {
    area: 'show',
    title: 'A file the show names does not exist',
    message: 'episode.yaml: file is missing / show.yaml → …: … does not exist',
    hint: 'add the file or fix the path (paths are relative to the show folder, episode paths to the episode folder)',
  },
  'file-unreadable': {
    area: 'show',
    title: 'A YAML file cannot be read',
    message: 'show.yaml: cannot be read (EACCES)',
    hint: 'check the file permissions (castline only needs to read it)',
  },
  schema: {
    area: 'show',
    title: 'A value does not fit the schema',
    message: 'file → key: message (got value)',
    hint: 'fix the value as the message says; every key is in the configuration reference above',
    cases: [
      { message: 'explicit: must be true or false (got "no") / number: must be a number (got "2")', hint: 'write booleans and numbers without quotes (`yes`/`no` are text in YAML 1.2: write `true`/`false`)' },
      { message: 'categories[0]: "Technolgy" is not an Apple Podcasts category', hint: 'use a name from the category list above, spelt exactly (`&`, capitals)' },
      { message: 'site.baseUrl: must start with https://', hint: 'Apple and Spotify fetch feeds and media over HTTPS only: host `dist/` behind HTTPS' },
      { message: 'youtube.madeForKids: is required', hint: 'YouTube requires the made-for-kids answer (COPPA): add `madeForKids: false` (or `true`) under `youtube:`' },
      { message: 'date: is not a real calendar date (got "2023-02-30")', hint: 'fix the date; quotes around dates are fine' },
      { message: 'published.yaml → …', hint: 'castline writes that file; restore it with `git checkout -- episodes/<id>/published.yaml` rather than editing it' },
    ],
  },
  'unknown-key': {
    area: 'show',
    title: 'Unknown key',
    message: 'titel: unknown key "titel" (did you mean "title"?)',
    hint: 'rename the key as suggested; every key is in the configuration reference above',
  },
  'bad-episode-folder': {
    area: 'show',
    title: 'Episode folder misnamed',
    message: 'episodes/…: folder name "…" is not YYYY-MM-DD-slug',
    hint: 'rename the folder like `2023-01-20-my-topic` (lowercase letters, digits, single dashes); a published episode keeps its GUID',
  },
  'bad-episode-date': {
    area: 'show',
    title: 'Episode folder date is not a date',
    message: 'episodes/…: "2023-02-30" in the folder name is not a real calendar date',
    hint: 'rename the folder with a valid YYYY-MM-DD date',
  },
  'bad-episode-arg': {
    area: 'show',
    title: 'Argument is not an episode folder',
    message: '"…" is not an episode folder inside …/episodes',
    hint: 'pass the episode folder name (like 2023-01-20-mlaisu) or its path',
  },
  'unknown-episode': {
    area: 'show',
    title: 'No such episode',
    message: 'No episode "…" in episodes/',
    hint: 'pass the episode folder name; castline status lists them',
  },
  'duplicate-number': {
    area: 'show',
    title: 'Episode number used twice',
    message: 'number: episode number 2 is also used by …',
    hint: 'give each episode its own `number` (within its `season`)',
  },
  'no-issue': {
    area: 'show',
    title: 'Episode without issue text',
    message: 'episodes/…/issue.md: no issue.md and no script.md yet',
    hint: 'paste the newsletter issue into the episode\'s issue.md',
    warning: true,
  },
  'date-mismatch': {
    area: 'show',
    title: 'episode.yaml date differs from the folder',
    message: 'date: date … differs from the folder\'s …',
    hint: 'the feed uses episode.yaml date; rename the folder if that is a mistake (the GUID stays)',
    warning: true,
  },
  'correction-before-episode': {
    area: 'show',
    title: 'Correction dated before its episode',
    message: 'corrections[0].date: correction dated … is before the episode\'s date',
    hint: 'check the date',
    warning: true,
  },
  'cover-missing': {
    area: 'show',
    title: 'Cover image missing',
    message: 'cover: assets/cover.png does not exist',
    hint: 'add the image or fix the path (relative to the show folder)',
  },
  'cover-unreadable': {
    area: 'show',
    title: 'Cover is not an image',
    message: 'cover: … is not a readable image: … / has no image in it',
    hint: 'export it again as PNG or JPEG',
  },
  'cover-format': {
    area: 'show',
    title: 'Cover is neither PNG nor JPEG',
    message: 'cover: … is webp, not PNG or JPEG',
    hint: 'Apple accepts only JPEG or PNG artwork: convert it',
  },
  'cover-extension': {
    area: 'show',
    title: 'Cover extension does not match its content',
    message: 'cover: assets/cover.jpg is a PNG but its name ends in ".jpg"',
    hint: 'rename the file (or convert it) so the extension matches the content',
  },
  'cover-not-square': {
    area: 'show',
    title: 'Cover is not square',
    message: 'cover: assets/cover.png is 1600×1400, not square',
    hint: 'crop it to a square between 1400×1400 and 3000×3000 pixels',
    more: 'for example `ffmpeg -i in.png -vf "crop=\'min(iw,ih)\':\'min(iw,ih)\',scale=3000:3000" assets/cover.png`',
  },
  'cover-size': {
    area: 'show',
    title: 'Cover too small or too large',
    message: 'cover: … is 1000×1000; Apple needs 1400×1400 to 3000×3000',
    hint: 'resize it to 3000×3000 pixels',
  },

  // ── castline init ───────────────────────────────────────────────────────────────────────
  'init-exists': {
    area: 'init',
    title: 'The folder has a show already',
    message: '…/show.yaml, … already exist; castline init never overwrites',
    hint: 'run castline init in a new or empty folder (castline init my-show), or move those files away first',
  },
  'init-missing': {
    area: 'init',
    title: 'A required show field was not given',
    message: 'castline init needs --title (show title), --email (owner email) …',
    hint: 'pass every field named (with --yes nothing is asked), or run castline init on a terminal to be asked',
  },
  'init-invalid': {
    area: 'init',
    title: 'A value given to castline init is not valid',
    message: 'castline init cannot use this value: --email "…": owner.email must be an email address …',
    hint: 'give the value in the form named (an https:// base URL, an email address, an ISO 639-1 language, an Apple category)',
  },
  'init-git-failed': {
    area: 'init',
    title: 'git init failed',
    message: 'The show folder was written, but git init failed: …',
    hint: 'run `git init` in the show folder yourself',
  },
  'ci-engine-unknown': {
    area: 'init',
    title: 'castline ci: unknown engine or matrix size',
    message: 'castline ci does not know "…" / --matrix "…" is not a number of shards from 2 to 1000',
    hint: 'use castline ci github, gitlab or k8s, with --matrix N for a sharded build',
  },
  'ci-file-exists': {
    area: 'init',
    title: 'The CI file exists already',
    message: '.github/workflows/castline.yml already exists; castline ci does not replace it without --force',
    hint: 'rerun with --force to replace it (your edits to it are lost), or move it away first',
  },
  // ── castline new ────────────────────────────────────────────────────────────────────────
  'bad-slug': {
    area: 'new',
    title: 'Unusable episode slug',
    message: '"…" is not a usable episode slug',
    hint: 'use lowercase letters, digits and single dashes, like "weekly-update" (no spaces, slashes or dots)',
  },
  'bad-date': {
    area: 'new',
    title: '--date is not a date',
    message: '--date "…" is not a real date written YYYY-MM-DD',
    hint: 'for example --date 2023-01-20',
  },
  'episode-exists': {
    area: 'new',
    title: 'Episode folder exists already',
    message: 'episodes/… already exists; castline new never overwrites',
    hint: 'pick another slug or `--date`, or edit the existing folder',
  },
  'issue-unreadable': {
    area: 'new',
    title: 'Issue file cannot be read',
    message: 'Cannot read the issue file …: it does not exist',
    hint: 'pass the path to a text or markdown file with the newsletter issue, or - to read standard input',
  },
  'issue-binary': {
    area: 'new',
    title: 'Issue is not text',
    message: 'The issue … is a binary file, not text / is not UTF-8 text',
    hint: 'give castline the text of the issue (a `.md` or `.txt` file saved as UTF-8, or `-` with the text on standard input)',
  },
  'issue-empty': {
    area: 'new',
    title: 'Issue is empty',
    message: 'The issue … is empty / has only blank lines',
    hint: 'paste the newsletter issue text into it',
  },
  'bad-link-format': {
    area: 'publish',
    title: 'Unknown links format',
    message: '--format … is not one of markdown, html, text',
    hint: 'markdown for Substack/Ghost/Buttondown editors, html for Mailchimp-style editors, text for plain emails',
  },
  'new-two-sources': {
    area: 'new',
    title: 'Two issue sources',
    message: 'Pass either --issue or --from, not both',
    hint: '--issue takes issue text you saved; --from imports from a feed, a page or a saved .html/.eml file',
  },
  'new-no-source': {
    area: 'new',
    title: 'No issue to scaffold from',
    message: 'castline new needs the issue: --issue <file|->, --from <feed|url|file>, or newsletter.feed in show.yaml',
    hint: 'for example: castline new weekly --from https://example.substack.com/feed',
  },
  'issue-already-imported': {
    area: 'new',
    title: 'Issue imported before',
    message: '… is already episodes/… (source.guid in its episode.yaml)',
    hint: 'pass --item to import another item of the feed, or edit the existing episode',
  },
  'import-item-needs-feed': {
    area: 'new',
    title: '--item without a feed',
    message: '--item picks an item from a feed, but … is not a feed',
    hint: 'pass the newsletter\'s RSS or Atom feed to --from, or leave out --item',
  },
  'import-unreadable': {
    area: 'new',
    title: '--from file cannot be read',
    message: 'Cannot read …: it does not exist / it is a folder',
    hint: 'pass a feed or issue URL (https://…), or a saved .html or .eml file',
  },
  'import-charset': {
    area: 'new',
    title: 'Page text cannot be decoded',
    message: '… is not valid UTF-8 text (the charset comes from …) / is in the character set "…", which castline cannot decode',
    hint: 'open the page in a browser, save it as UTF-8 and pass the file to --from',
    more: 'castline decodes by the byte order mark, the Content-Type charset, <meta charset> or the XML declaration, else UTF-8, and never replaces undecodable bytes with "�".',
  },
  'import-email': {
    area: 'new',
    title: 'Email cannot be parsed',
    message: '… is not a readable email (…)',
    hint: 'save the newsletter from your mail program as .eml (the whole message, with headers)',
  },
  'import-no-article': {
    area: 'new',
    title: 'No issue on the page',
    message: '… has no newsletter issue on it: after removing the page\'s menus, buttons and footers only N words of text are left',
    hint: 'pass the address of one issue (not the home or archive page), or the feed with --item; for a page behind a login, save it from the browser and pass the file',
  },
  'fetch-timeout': {
    area: 'new',
    title: 'Fetch timed out',
    message: 'Fetching … took longer than 30 s and was stopped',
    hint: 'check the address and your connection and try again, or save the page and pass the file to --from',
    more: 'CASTLINE_FETCH_TIMEOUT_MS changes the limit.',
  },
  'fetch-failed': {
    area: 'new',
    title: 'Fetch failed',
    message: 'Cannot fetch …: the host name does not resolve / the server refused the connection / …',
    hint: 'check the address (copy it from the browser) and your connection, or save the page and pass the file to --from',
  },
  'fetch-too-large': {
    area: 'new',
    title: 'Page too large',
    message: '… is larger than the 20 MiB castline reads from one address',
    hint: 'a newsletter issue is far smaller: check that this is the issue or feed, or save the issue as a file and pass it to --from',
    more: 'CASTLINE_FETCH_MAX_BYTES changes the limit.',
  },
  'fetch-bad-scheme': {
    area: 'new',
    title: 'Not an http(s) address',
    message: '… is not an http or https address',
    hint: 'pass a feed or issue URL starting with https://, or a saved file',
  },
  'fetch-redirects': {
    area: 'new',
    title: 'Too many redirects',
    message: '… redirected more than 5 times (last to …)',
    hint: 'open the address in a browser and pass the final address to --from',
  },
  'fetch-status': {
    area: 'new',
    title: 'HTTP error',
    message: '… answered HTTP 404 Not Found',
    hint: 'a 404/410 means the address does not exist; a 401/403 issue may be for paying subscribers only: save it from your browser and pass the file to --from',
  },
  'newsletter-feed-invalid': {
    area: 'new',
    title: 'Not a newsletter feed',
    message: '… is not a well-formed feed: … / is XML but not an RSS or Atom feed',
    hint: 'check that the address is the newsletter\'s RSS or Atom feed (often /feed or /rss), or pass one issue\'s page instead',
  },
  'newsletter-feed-empty': {
    area: 'new',
    title: 'Feed has no items',
    message: 'The feed … ("…") has no items',
    hint: 'the newsletter has not published anything in this feed yet; pass one issue\'s page or a saved file to --from instead',
  },
  'newsletter-item-missing': {
    area: 'new',
    title: '--item not in the feed',
    message: 'The feed … has no item titled or with the guid "…"',
    hint: 'copy the title from the feed; the hint lists the newest items or the closest title',
  },
  'newsletter-item-empty': {
    area: 'new',
    title: 'Feed item without content',
    message: 'The item "…" in … has no content (no content:encoded, description, content or summary)',
    hint: 'pass the issue\'s page instead: --from <its link>',
  },
  'newsletter-nothing-new': {
    area: 'new',
    title: 'Nothing new in newsletter.feed',
    message: 'Every item in the feed … is already an episode (newest: "…")',
    hint: 'wait for the next issue, or pass --from <file or URL> (or --item with --from) to import another one',
  },

  // ── castline script, script.md, notes.md ────────────────────────────────────────────────
  'issue-missing': {
    area: 'script',
    title: 'No issue.md',
    message: 'episodes/…/issue.md is missing',
    hint: 'paste the newsletter issue text into it (or create the episode with `castline new <slug> --issue <file>`)',
  },
  'issue-not-speakable': {
    area: 'script',
    title: 'Issue has nothing to read aloud',
    message: 'episodes/…/issue.md has no text to read aloud',
    hint: 'the issue holds only links, images, code or newsletter boilerplate; paste the issue\'s text into issue.md',
  },
  'bad-wpm': {
    area: 'script',
    title: '--wpm out of range',
    message: '--wpm … is not a reading speed between 60 and 300 words per minute',
    hint: 'most hosts read 140–170; show.yaml script.wpm sets the default',
  },
  'script-edited': {
    area: 'script',
    title: 'Script or notes carry your edits',
    message: 'script.md has your edits; castline script does not overwrite them',
    hint: 'to regenerate from issue.md anyway, copy your edits elsewhere and run `castline script <episode> --force`',
  },
  'script-stale': {
    area: 'script',
    title: 'Script older than its issue',
    message: 'episodes/…/script.md: was generated from an older issue.md',
    hint: '`castline script <episode>` regenerates an unedited script; carry the changes into an edited one by hand (or save your edits and use `--force`)',
    warning: true,
  },
  'script-missing': {
    area: 'script',
    title: 'No script.md yet',
    message: 'episodes/…/script.md is missing: there is no script for episode … yet',
    hint: 'run `castline script <episode>`',
  },
  'script-unreadable': {
    area: 'script',
    title: 'script.md cannot be read',
    message: 'episodes/…/script.md cannot be read (EACCES)',
    hint: 'check the file permissions',
  },
  'script-no-sections': {
    area: 'script',
    title: 'Script without sections',
    message: '… has no sections ("## Title {#id}" lines)',
    hint: 'restore the section headings, or regenerate the script with `castline script <episode> --force`',
  },
  'script-bad-id': {
    area: 'script',
    title: 'Malformed section id',
    message: '…: section "…" has the id "{#…}", which is not lowercase letters, digits and dashes',
    hint: 'write it like `{#my-section}`; the id names the take `audio/<id>.wav`',
  },
  'script-duplicate-id': {
    area: 'script',
    title: 'Two sections with one id',
    message: '…: two sections have the id "…"',
    hint: 'give each "## Title {#id}" a different id; the id names the take `audio/<id>.wav`',
  },
  'script-empty-section': {
    area: 'script',
    title: 'Section with nothing to read',
    message: '…: section "…" {#…} (line N) has nothing to read aloud',
    hint: 'write the text to read under it, or delete the heading too',
  },
  'notes-missing': {
    area: 'script',
    title: 'No notes.md yet',
    message: 'episodes/…/notes.md is missing: there are no show notes for episode … yet',
    hint: 'run `castline script <episode>`',
  },
  'notes-unreadable': {
    area: 'script',
    title: 'notes.md cannot be read',
    message: 'episodes/…/notes.md cannot be read (EACCES)',
    hint: 'check the file permissions',
  },
  'notes-empty': {
    area: 'script',
    title: 'Show notes without text',
    message: '… has no show notes text',
    hint: 'write the notes under the title, or regenerate them with `castline script <episode> --force`',
  },

  // ── castline build ──────────────────────────────────────────────────────────────────────
  'shard-invalid': {
    area: 'build',
    title: '--shard is not K/N',
    message: '--shard "…" is not a shard: write K/N with 1 ≤ K ≤ N ≤ 1000, like 1/4',
    hint: 'N is the number of runners, K this runner (1-based): on GitLab --shard $CI_NODE_INDEX/$CI_NODE_TOTAL, in a Kubernetes Indexed Job --shard $((JOB_COMPLETION_INDEX + 1))/N',
  },
  'not-recorded': {
    area: 'build',
    title: 'No recording yet',
    message: 'episodes/…/audio/ has no recording yet',
    hint: 'record the script and put the file (or one take per section, named by section id) in that folder',
  },
  'missing-input': {
    area: 'build',
    title: 'Input file missing',
    message: '… is missing (named by …)',
    hint: 'add the file, or fix the setting that names it',
  },
  'unreadable-input': {
    area: 'build',
    title: 'Input file unreadable',
    message: '… cannot be read (permission denied)',
    hint: 'make it readable: `chmod a+r <file>`',
  },
  'empty-input': {
    area: 'build',
    title: 'Input file empty',
    message: '… is empty (0 bytes)',
    hint: 'export the recording again, or replace the file with the real one',
  },
  'no-media-stream': {
    area: 'build',
    title: 'No audio or image inside',
    message: '… has no audio in it / has no image in it',
    hint: 'put an audio recording (wav, flac, mp3, m4a, ogg, opus) or a PNG/JPEG image there',
  },
  'empty-audio': {
    area: 'build',
    title: 'Recording of zero length',
    message: '… contains no audio (duration 0)',
    hint: 'export the recording again',
  },
  'silent-audio': {
    area: 'build',
    title: 'Recording is silent',
    message: '… is silent (nothing louder than -60 dBFS) / is too quiet to measure',
    hint: 'check the microphone input and export the recording again',
  },
  'visual-without-section': {
    area: 'build',
    title: 'Visual named after no section',
    message: 'episodes/…/episode.yaml → visuals.…: names no section of script.md',
    hint: 'use one of the section ids of script.md',
  },
  'take-without-section': {
    area: 'build',
    title: 'Take named after no section',
    message: 'episodes/…/audio/….wav is a take with no matching section in script.md',
    hint: 'name each take after a section id, or keep a single recording in audio/',
  },
  'duplicate-take': {
    area: 'build',
    title: 'Two takes of one section',
    message: 'audio/intro.wav and audio/intro.flac are both takes of section "intro"',
    hint: 'keep one take per section and move the other out of audio/',
  },
  'bad-labels': {
    area: 'build',
    title: 'labels.txt is not Audacity labels',
    message: 'labels.txt line N is not an Audacity label ("start<TAB>end<TAB>title") / has no labels',
    hint: 'export the labels again from Audacity (File → Export → Export Labels…), or delete labels.txt to estimate chapters',
  },
  'probe-failed': {
    area: 'build',
    title: 'File is not readable media',
    message: '… could not be read as media: …',
    hint: 'check that the file is a complete, uncorrupted audio/image file (re-export it if unsure)',
  },
  'image-corrupt': {
    area: 'build',
    title: 'Image does not decode',
    message: '… is a damaged image: it does not decode (…)',
    hint: 'export it again as PNG or JPEG (the file is damaged or not an image)',
    more: 'every image (visuals, background, cover, episode image) is decoded by `castline check` and before a build encodes anything: a truncated PNG still has a valid header, so probing alone does not find it.',
  },
  'figure-not-downloaded': {
    area: 'script',
    title: 'Figure cue still names a URL',
    message: 'episodes/…/script.md → line N: the figure "…" is still a URL (…): the video shows nothing there',
    hint: 'save the image in the episode\'s visuals/ folder and change the link to visuals/<name>.png, or run castline script again to download it',
    more: 'a warning: `castline script` could not download the image (its note in script.md says why); the build shows no figure for that cue.',
  },
  'figure-missing': {
    area: 'script',
    title: 'Figure file missing',
    message: 'episodes/…/script.md → line N: the figure visuals/… does not exist',
    hint: 'put the image there, or fix or delete the cue line',
  },
  'figure-outside-episode': {
    area: 'script',
    title: 'Figure outside the episode folder',
    message: 'episodes/…/script.md → line N: the figure … is outside the episode folder',
    hint: 'copy the image into the episode\'s visuals/ folder and link to visuals/<name>.png',
  },
  'camera-ambiguous': {
    area: 'build',
    title: 'More than one camera recording',
    message: 'episodes/…/video/ holds … video files; castline uses one camera recording per episode',
    hint: 'keep the one recording of the episode in video/ and move the others out',
  },
  'camera-no-video': {
    area: 'build',
    title: 'Camera file has no picture',
    message: '… has no video stream in it',
    hint: 'put the camera recording (MP4, MOV, MKV or WebM) in video/; a sound-only file belongs in audio/',
  },
  'camera-no-audio': {
    area: 'build',
    title: 'Camera file has no sound and there is no recording',
    message: '… has no sound, and episodes/…/audio/ has no recording to use instead / … has no sound to line audio/… up with',
    hint: 'put the microphone recording in audio/, or export the camera file with its sound',
  },
  'camera-with-takes': {
    area: 'build',
    title: 'Camera recording with takes',
    message: 'episodes/…/video/… is one camera recording, but audio/ holds one take per section',
    hint: 'line the camera up with one recording: put the whole session\'s microphone recording in audio/ (labels.txt for chapters), or remove the camera file',
  },
  'video-corrupt': {
    area: 'build',
    title: 'Video does not decode',
    message: '… is a damaged video: it does not decode at … s (…)',
    hint: 'export or copy the recording again (the file is cut short or damaged)',
    more: 'the camera file is decoded for a second at its start, middle and end by `castline check` and before a build encodes anything: a recording cut short still has a valid header (MP4 with the index first), so probing alone does not find it.',
  },
  'camera-sync-failed': {
    area: 'build',
    title: 'Recording does not match the camera\'s sound',
    message: '… does not match the sound of …: no offset found with confidence (best … s at correlation …)',
    hint: 'check that the recording in audio/ and the camera file are of the same session; remove one of them to use the other\'s sound alone',
    more: 'castline lines the microphone recording up with the camera by cross-correlating the loudness envelopes of the two sounds (1 kHz, after a coarse 100 Hz search over every lag); it needs a correlation of at least 0.6 at the best lag and 0.15 more than at any lag over a second away. A camera that recorded without a microphone (silence) or a recording of another take fails here.',
  },
  'clip-range-invalid': {
    area: 'build',
    title: 'Clip span is not inside the episode',
    message: '…: … is outside the episode, which is … long / is empty (the end is not after the start) / "…" is not a time',
    hint: 'pick a span inside the episode: the times are those of the published audio (see chapters.json), written 12:30, 1:02:03 or seconds',
  },
  'clip-too-long': {
    area: 'build',
    title: 'Vertical clip over 60 seconds',
    message: '…: a vertical clip is at most 60 s (YouTube Shorts, Reels, TikTok); … is … s',
    hint: 'shorten the span, or make it --format square or landscape',
  },
  'clip-needs-build': {
    area: 'build',
    title: 'No built video to cut a clip from',
    message: '…: … has no built video to cut a clip from',
    hint: 'run castline build <episode> first (clips are cut from the episode\'s MP4)',
  },
  'font-invalid': {
    area: 'build',
    title: 'Font file is not a font',
    message: '… is not a TrueType or OpenType font (named by show.yaml → video.font)',
    hint: 'point video.font at a .ttf or .otf file',
  },
  'measure-failed': {
    area: 'build',
    title: 'Loudness could not be measured',
    message: 'ffmpeg printed no loudness summary for … / decoded no audio from …',
    hint: 'rerun with --debug to see ffmpeg\'s output; re-export the recording if it is damaged',
  },
  'ffmpeg-failed': {
    area: 'build',
    title: 'ffmpeg failed',
    message: 'ffmpeg failed making … (exit code 1): …',
    hint: 'rerun with --debug to see the ffmpeg command line and its output',
  },
  'binary-missing': {
    area: 'build',
    title: 'ffmpeg or ffprobe not found',
    message: 'CASTLINE_FFMPEG points at …, which does not exist / The bundled ffmpeg (…) is not installed for this platform',
    hint: 'unset the variable to use the bundled ffmpeg, or point it at a real binary; run `npm install` in the castline folder for the bundled one',
  },
  'binary-not-executable': {
    area: 'build',
    title: 'ffmpeg or ffprobe not executable',
    message: 'ffmpeg at … is not executable and castline could not make it so',
    hint: 'run the `chmod +x` it prints, or set `CASTLINE_FFMPEG`/`CASTLINE_FFPROBE`',
    more: 'npm 11 skips install scripts, so castline makes the bundled binaries executable on first use; this fails only on a read-only install',
  },
  'id3-failed': {
    area: 'build',
    title: 'ID3 tags could not be written',
    message: 'Could not write ID3 tags into …',
    hint: 'check that dist/ is writable and has free space, then rerun castline build (--debug shows the cause)',
  },
  'id3-verify-failed': {
    area: 'build',
    title: 'ID3 tags read back wrong',
    message: 'The ID3 tag read back from … is wrong: …',
    hint: 'this is a castline bug: rerun with --debug and report it',
  },
  'thumbnail-too-big': {
    area: 'build',
    title: 'Thumbnail over YouTube\'s limit',
    message: 'The thumbnail of … came out at … bytes, over YouTube\'s 2 MB limit',
    hint: 'use a simpler background image (video.background in show.yaml)',
  },
  'captions-no-audio': {
    area: 'build',
    title: 'Nothing to caption',
    message: 'Cannot caption episode …: the audio\'s duration is 0 s',
    hint: 'rebuild the audio with `castline build`; captions are made from the published MP3',
  },
  'captions-empty': {
    area: 'build',
    title: 'Script has no spoken text',
    message: 'script.md of episode … has no spoken text to caption',
    hint: 'write the spoken text under the section headings of script.md (host cues in [brackets] are not spoken)',
  },

  // ── feed, site, ledgers ─────────────────────────────────────────────────────────────────
  'feed-owner': {
    area: 'feed',
    title: 'Feed owner incomplete',
    message: 'show.yaml owner needs a name and an email for itunes:owner',
    hint: 'set owner.name and owner.email in show.yaml (Spotify sends the claim code to that address)',
  },
  'feed-description-length': {
    area: 'feed',
    title: 'Show description too long',
    message: 'description: is … bytes; Apple Podcasts allows at most 4000',
    hint: 'shorten the show description (the site can say more)',
  },
  'feed-new-url-self': {
    area: 'feed',
    title: 'podcast.newFeedUrl points at this feed',
    message: 'podcast.newFeedUrl: points at this same feed',
    hint: 'set it only when the feed moves, to the new address; remove it otherwise',
  },
  'feed-base-url': {
    area: 'feed',
    title: 'site.baseUrl with a query or fragment',
    message: 'site.baseUrl: must not contain ? or #',
    hint: 'use the folder URL where dist/ is hosted, like https://example.org/podcast/',
  },
  'feed-title-number': {
    area: 'feed',
    title: 'Episode number in the title',
    message: 'title: "Episode 3: …" has an episode number in it',
    hint: 'Apple asks for titles without numbers: set `number:` instead and it goes to itunes:episode',
    warning: true,
  },
  'feed-episode-description-length': {
    area: 'feed',
    title: 'Episode description cut in the feed',
    message: 'description: is … bytes; the feed keeps the first 4000 and links to the episode page',
    hint: 'shorten it, or leave the full text to the show notes',
    warning: true,
  },
  'feed-enclosure-prefix': {
    area: 'feed',
    title: 'Enclosure prefix not https',
    message: 'feed.enclosurePrefix: … is not an https URL',
    hint: 'use the https form of the analytics prefix, like https://op3.dev/e/ (Apple rejects episodes served over http)',
    more: 'The prefix goes before every enclosure URL (without its https://, as OP3, Podtrac and Chartable expect): a typo sends every download to a server that does not redirect. `castline verify` follows the prefix and reports where it leads.',
  },
  'feed-txt-length': {
    area: 'feed',
    title: 'podcast:txt too long',
    message: 'podcast.txt[…].value: is … characters; the namespace allows at most 4000',
    hint: 'a txt entry holds a code or a short note: keep the value within 4000 characters and the purpose within 128',
  },
  'feed-name-length': {
    area: 'feed',
    title: 'Namespace text too long',
    message: 'podcast.seasons.… / podcast.updateFrequency.text / podcast.license.identifier: is … characters; the namespace allows at most 128',
    hint: 'shorten it: aggregators cut these at 128 characters',
  },
  'feed-soundbite-outside': {
    area: 'feed',
    title: 'Soundbite outside the episode',
    message: 'soundbites[…]: …–… s runs past the end of the episode (… s)',
    hint: 'soundbite times are seconds from the start of the published MP3 (music included): check them against the build',
  },
  'feed-soundbite-length': {
    area: 'feed',
    title: 'Soundbite length unusual',
    message: 'soundbites[…].duration: is … s; the namespace recommends 15 to 120 s',
    hint: 'apps use soundbites as previews: a sentence or two',
    warning: true,
  },
  'bad-published': {
    area: 'feed',
    title: 'published.yaml invalid',
    message: 'episodes/…/published.yaml is not valid',
    hint: 'castline writes that file; restore it with `git checkout -- episodes/<id>/published.yaml` rather than editing it',
  },
  'bad-show-ledger': {
    area: 'feed',
    title: 'Show ledger invalid',
    message: 'published.yaml (the show\'s ledger) is not valid',
    hint: 'it is written by castline and holds the podcast GUID: restore it from git rather than editing it by hand',
  },
  'ledger-exists': {
    area: 'feed',
    title: 'A ledger appeared while castline ran',
    message: 'episodes/…/published.yaml was created by something else while castline was running, so no GUID was assigned',
    hint: 'another castline build or publish may be running on this show: let it finish, then rerun',
    more: 'castline creates a published.yaml only where there was none, and never replaces one: the GUID in it must never change.',
  },
  'show-ledger-unreadable': {
    area: 'feed',
    title: 'Show ledger cannot be read',
    message: 'published.yaml (the show\'s ledger) cannot be read (EACCES)',
    hint: 'check the file permissions',
  },
  'build-record-invalid': {
    area: 'feed',
    title: 'Build record damaged',
    message: 'dist/episodes/…/build.json is not a valid build record: …',
    hint: 'castline writes it; run castline build <episode> to rebuild the episode and rewrite it',
    more: 'The feed step stops rather than leave the episode out: a feed that stops listing an episode makes podcatchers delete it. `castline build` itself rebuilds over a damaged record, with a warning.',
  },
  'build-record-unreadable': {
    area: 'feed',
    title: 'Build record cannot be read',
    message: 'dist/episodes/…/build.json cannot be read (EACCES)',
    hint: 'check the permissions of dist/ (castline build writes it)',
  },
  'transcript-unreadable': {
    area: 'feed',
    title: 'Transcript cannot be read',
    message: 'dist/episodes/…/transcript.vtt (the episode\'s transcript) cannot be read (EACCES)',
    hint: 'check the permissions of dist/, or rebuild the episode with castline build',
  },
  'no-ledger': {
    area: 'feed',
    title: 'Episode has no GUID yet',
    message: 'episodes/…/published.yaml does not exist, so there is no GUID to publish under',
    hint: 'run castline build first: it assigns the GUID',
  },

  // ── castline serve ──────────────────────────────────────────────────────────────────────
  'bad-port': {
    area: 'serve',
    title: '--port is not a port',
    message: '--port … is not a port number',
    hint: 'use a number from 1 to 65535, or 0 for any free port',
  },
  'no-dist': {
    area: 'serve',
    title: 'Nothing built to serve',
    message: 'Nothing to serve: dist/feed.xml does not exist',
    hint: 'run castline build first; serve only previews what was built',
  },
  'serve-listen': {
    area: 'serve',
    title: 'Cannot listen',
    message: 'Cannot listen on 127.0.0.1:8080 (EADDRINUSE)',
    hint: 'pass --port with another number, or --port 0 for any free port; check --host',
  },

  // ── castline publish ────────────────────────────────────────────────────────────────────
  'publish-running': {
    area: 'publish',
    title: 'Another publish is running',
    message: 'Another castline publish (process …) is running for this show',
    hint: 'wait for it to finish; if no castline is running, delete the lock file it names',
  },
  'publish-lock': {
    area: 'publish',
    title: 'Publish lock not taken',
    message: 'Could not take the publish lock …',
    hint: 'rerun castline publish',
  },
  'publish-not-built': {
    area: 'publish',
    title: 'Episodes not built',
    message: 'Not built yet, so not published: …',
    hint: 'put the recording in the episode\'s audio/ folder and run castline build (castline publish builds recorded episodes itself)',
  },
  'publish-incomplete': {
    area: 'publish',
    title: 'Publish did not finish',
    message: 'Publishing stopped: …',
    hint: 'fix the problem above and rerun castline publish: finished steps will not be repeated',
  },

  // ── deploy and verify ───────────────────────────────────────────────────────────────────
  'deploy-credentials-missing': {
    area: 'deploy',
    title: 'No credentials for the deploy target',
    message: 'No S3 credentials for s3://…/ (or: No SSH key for sftp://…)',
    hint: 'S3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE); SFTP: set CASTLINE_SFTP_KEY or load the key into ssh-agent. In CI, from the job\'s secrets; show.yaml never holds them',
    more: 'castline check reports this as a warning (an instance role or SSO may still provide S3 credentials); castline deploy stops before the first upload.',
  },
  'deploy-credentials-rejected': {
    area: 'deploy',
    title: 'The target refused the credentials',
    message: 's3://…/ refused the credentials while … (InvalidAccessKeyId) (or: sftp://… refused the SSH key)',
    hint: 'check that the key exists, matches its secret and may write there; R2/B2 need that service\'s S3 API keys and deploy.endpoint',
  },
  'deploy-bucket-missing': {
    area: 'deploy',
    title: 'Bucket not found',
    message: 'Bucket s3://…/ does not exist (or is in another region or endpoint)',
    hint: 'create the bucket, or fix deploy.bucket, deploy.region and deploy.endpoint in show.yaml',
  },
  'deploy-key-missing': {
    area: 'deploy',
    title: 'SSH key file missing',
    message: 'CASTLINE_SFTP_KEY names …, which cannot be read',
    hint: 'point CASTLINE_SFTP_KEY at the private key file for the deploy login (kept outside the show folder)',
  },
  'deploy-host-key': {
    area: 'deploy',
    title: 'SSH host key unknown or changed',
    message: 'Refusing to deploy to sftp://…: … is not in known_hosts (or: presented a different host key)',
    hint: 'confirm the fingerprint with the server\'s admin, then add it to ~/.ssh/known_hosts (ssh-keyscan) or set deploy.hostKey',
  },
  'deploy-unreachable': {
    area: 'deploy',
    title: 'Cannot connect to the server',
    message: 'Cannot connect to sftp://…: …',
    hint: 'check deploy.host and deploy.port in show.yaml, and that the server accepts SSH from here',
  },
  'deploy-failed': {
    area: 'deploy',
    title: 'An upload failed',
    message: 's3://…/: uploading … failed: …',
    hint: 'rerun castline deploy: files already uploaded are not sent again, and the live feed changes only at the end',
  },
  'deploy-nothing-built': {
    area: 'deploy',
    title: 'Nothing to deploy',
    message: 'dist/feed.xml does not exist, so there is nothing to deploy',
    hint: 'run castline build first',
  },
  'deploy-kept-missing': {
    area: 'deploy',
    title: 'A file kept on the target is gone',
    message: 'episodes/…/….mp3 was built and deployed earlier (its build record was read back from s3://…/), but the target no longer has it',
    hint: 'run castline build … --force to encode the episode here, then castline deploy',
    more: 'castline checks this before the first upload, so the live feed is not changed.',
  },
  'deploy-download-failed': {
    area: 'deploy',
    title: 'A deployed file read back does not match its build record',
    message: 'episodes/…/transcript.vtt read back from s3://…/ is not the file its build record names',
    hint: 'run castline build … --force to make the episode here; the next deploy replaces the file on the target',
  },
  'deploy-setup-target': {
    area: 'deploy',
    title: '--setup needs an S3 target',
    message: '--setup configures CORS on S3 buckets; … is not one',
    hint: 'set deploy.target: s3, or add the CORS header on your web server (README: CORS)',
  },
  'deploy-base-url': {
    area: 'deploy',
    title: 'site.baseUrl does not look like the target\'s public address',
    message: 'site.baseUrl … is a storage address that does not name bucket "…"',
    hint: 'point site.baseUrl at the bucket\'s public URL (or its CDN or custom domain), including the prefix',
    warning: true,
  },
  'verify-feed-unreachable': {
    area: 'deploy',
    title: 'The live feed cannot be fetched',
    message: 'Cannot fetch the live feed …: …',
    hint: 'check site.baseUrl (or --base-url) and that castline deploy finished',
  },
  'verify-problems': {
    area: 'deploy',
    title: 'The live site has problems',
    message: '… problems on the live site',
    hint: 'each problem above names the URL and what to fix; rerun castline deploy, then castline verify',
  },
  // ── YouTube ─────────────────────────────────────────────────────────────────────────────
  'unknown-service': {
    area: 'youtube',
    title: 'Unknown service to authorize',
    message: 'castline can authorize "youtube", not "…"',
    hint: 'run castline auth youtube',
  },
  'youtube-no-client': {
    area: 'youtube',
    title: 'No OAuth client',
    message: 'castline needs your Google Cloud OAuth client to sign in',
    hint: 'pass `--client-secrets <client_secret.json>` (an OAuth client of type "Desktop app"), or set CASTLINE_YOUTUBE_CLIENT_ID and CASTLINE_YOUTUBE_CLIENT_SECRET',
  },
  'client-secrets-unreadable': {
    area: 'youtube',
    title: 'Client secrets file unreadable',
    message: '… is not a readable JSON file',
    hint: 'download the OAuth client (type "Desktop app") JSON from Google Cloud console → APIs & Services → Credentials',
  },
  'client-secrets-invalid': {
    area: 'youtube',
    title: 'Client secrets without a desktop client',
    message: '… has no "installed" client',
    hint: 'create an OAuth client of type "Desktop app" and download its JSON',
  },
  'youtube-auth-timeout': {
    area: 'youtube',
    title: 'Sign-in not finished in time',
    message: 'Nobody finished the sign-in in the browser in time',
    hint: 'run castline auth youtube again and open the printed URL',
  },
  'youtube-auth-denied': {
    area: 'youtube',
    title: 'Sign-in refused',
    message: 'Google sign-in did not complete (access_denied)',
    hint: 'run castline auth youtube again and allow access to the channel',
  },
  'youtube-auth-state': {
    area: 'youtube',
    title: 'Sign-in answer for another request',
    message: 'The sign-in answer did not match this request (state mismatch)',
    hint: 'run castline auth youtube again and use the URL it prints',
  },
  'youtube-no-refresh-token': {
    area: 'youtube',
    title: 'No refresh token',
    message: 'Google signed you in but sent no refresh token',
    hint: 'remove castline from https://myaccount.google.com/permissions and run castline auth youtube again',
  },
  'youtube-no-channel': {
    area: 'youtube',
    title: 'Account without a channel',
    message: 'The authorized Google account has no YouTube channel',
    hint: 'create a channel at https://www.youtube.com/create_channel, then run castline auth youtube again',
  },
  'youtube-no-credentials': {
    area: 'youtube',
    title: 'Not authorized yet',
    message: 'No YouTube credentials: castline is not authorized to upload to a channel yet',
    hint: 'run castline auth youtube once, or set CASTLINE_YOUTUBE_CLIENT_ID, CASTLINE_YOUTUBE_CLIENT_SECRET and CASTLINE_YOUTUBE_REFRESH_TOKEN for headless use; castline publish --dry-run works without them',
  },
  'youtube-credentials-unreadable': {
    area: 'youtube',
    title: 'Stored token is not JSON',
    message: '…/castline/youtube.json is not valid JSON',
    hint: 'delete it and run castline auth youtube again',
  },
  'youtube-credentials-invalid': {
    area: 'youtube',
    title: 'Stored token is not castline\'s',
    message: '… does not hold castline\'s YouTube credentials',
    hint: 'delete it and run castline auth youtube again',
  },
  'youtube-token-revoked': {
    area: 'youtube',
    title: 'Token revoked or expired',
    message: 'Google refused the saved YouTube token: it was revoked or has expired',
    hint: 'run castline auth youtube to authorize again (or update CASTLINE_YOUTUBE_REFRESH_TOKEN); publishing the app on the consent screen stops the 7-day expiry',
    more: 'an app whose OAuth consent screen is in "Testing" mode gets tokens that expire after 7 days',
  },
  'youtube-client-invalid': {
    area: 'youtube',
    title: 'OAuth client unknown to Google',
    message: 'Google does not recognize the OAuth client id/secret castline is using',
    hint: 'check CASTLINE_YOUTUBE_CLIENT_ID and CASTLINE_YOUTUBE_CLIENT_SECRET (or run castline auth youtube with the client of your Google Cloud project)',
  },
  'youtube-unauthorized': {
    area: 'youtube',
    title: 'Credentials not accepted',
    message: 'YouTube … failed: YouTube did not accept castline\'s credentials (…)',
    hint: 'run castline auth youtube again',
  },
  'youtube-forbidden': {
    area: 'youtube',
    title: 'YouTube refused',
    message: 'YouTube … failed: YouTube refused (forbidden: …)',
    hint: 'check that the authorized account owns the channel and playlist, that the channel is verified (needed for custom thumbnails and long videos), and run castline auth youtube --status',
  },
  'youtube-quota': {
    area: 'youtube',
    title: 'Daily API quota used up',
    message: 'YouTube … failed: the project has used up its 100 videos.insert calls (uploads) for today (…), or: its 10,000 quota units for today (everything but uploads)',
    hint: 'rerun castline publish after the quota resets (midnight Pacific time); what was done is saved in published.yaml and will not be repeated',
    more: 'A project has two daily buckets: 100 `videos.insert` calls, and 10,000 units for every other call (captions 400–450, thumbnail, update and playlist item 50, reads 1). The message names the one that ran out; `castline publish --dry-run` shows what a plan needs of each.',
  },
  'youtube-playlist-not-found': {
    area: 'youtube',
    title: 'Playlist not found',
    message: 'show.yaml youtube.playlistId: YouTube has no playlist … that this channel can see',
    hint: 'copy the id from the playlist\'s URL (list=PL…) in YouTube Studio → Content → Playlists, on the channel castline uploads to (castline auth youtube --status)',
  },
  'youtube-video-removed': {
    area: 'youtube',
    title: 'Video gone from YouTube',
    message: '…: the YouTube video … no longer exists (deleted in YouTube Studio?); castline recorded that in published.yaml and will not upload it again on its own',
    hint: 'to upload the episode anew, remove the youtube: block from the episode\'s published.yaml and run castline publish',
  },
  'youtube-upload-rejected': {
    area: 'youtube',
    title: 'YouTube rejected the upload',
    message: '…: YouTube rejected the upload … (duplicate)',
    hint: 'the hint names what to do for YouTube\'s reason (duplicate, length, copyright, termsOfUse…); castline records it and never uploads the episode again on its own',
    more: '`length` means the channel may not upload videos over 15 minutes: verify it at https://www.youtube.com/verify.',
  },
  'youtube-upload-failed': {
    area: 'youtube',
    title: 'YouTube could not process the upload',
    message: '…: YouTube failed the upload … (codec)',
    hint: 'rebuild with castline build (codec, conversion, invalidFile…); castline records it and never uploads the episode again on its own',
  },
  'youtube-upload-limit': {
    area: 'youtube',
    title: 'Channel upload limit reached',
    message: 'YouTube … failed: the channel has reached YouTube\'s upload limit for now',
    hint: 'rerun castline publish in about 24 hours; nothing will be uploaded twice',
  },
  'youtube-rejected': {
    area: 'youtube',
    title: 'YouTube rejected the metadata',
    message: 'YouTube … failed: YouTube rejected the request (invalidTitle: …)',
    hint: 'check the YouTube settings in show.yaml and episode.yaml (the message names the field YouTube objected to)',
  },
  'youtube-session-expired': {
    area: 'youtube',
    title: 'Upload session expired',
    message: 'The saved upload session is no longer valid (HTTP 404)',
    hint: 'nothing to do: castline looks for the video and otherwise starts the upload anew',
  },
  'youtube-failed': {
    area: 'youtube',
    title: 'YouTube call failed',
    message: 'YouTube … failed: …',
    hint: 'check the network and rerun castline publish: finished steps are saved and will not be repeated',
  },
} as const satisfies Record<string, ErrorData>;

/** A permanent error code: only the catalogue's keys compile. */
export type ErrorCode = keyof typeof ERRORS;

export function errorData(code: ErrorCode): ErrorData {
  return ERRORS[code];
}
