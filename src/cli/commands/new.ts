import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CastlineError, ProblemsError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import { findShowRoot, listEpisodeIds, loadEpisode, loadShowConfig } from '../../config/load-show.js';
import { isRealDate } from '../../config/episode-schema.js';
import { readIssueText, guessIssueTitle } from '../../core/issue-text.js';
import type { CommandContext } from '../main.js';

export interface NewOptions {
  issue?: string;
  from?: string;
  item?: string;
  date?: string;
  title?: string;
}

interface IssueInput {
  text: string;
  title: string | undefined;
  date: string | undefined;
  source: { guid: string; url?: string } | undefined;
}

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * `castline new <slug> --issue <file|-> | --from <feed|url|file>`, or no source with show.yaml
 * `newsletter.feed`: scaffold an episode folder. Everything is read (and fetched, and
 * converted) before anything is written; an existing folder is never overwritten.
 */
export async function run(ctx: CommandContext, slug: string, options: NewOptions): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  if (!SLUG_RE.test(slug)) {
    throw new CastlineError('bad-slug', `"${slug}" is not a usable episode slug`, {
      hint: 'use lowercase letters, digits and single dashes, like "weekly-update" (no spaces, slashes or dots)',
    });
  }
  if (options.date !== undefined) checkDate(options.date);
  if (options.issue !== undefined && options.from !== undefined) {
    throw new CastlineError('new-two-sources', 'Pass either --issue or --from, not both', { hint: '--issue takes issue text you saved; --from imports from a feed, a page or a saved .html/.eml file' });
  }
  if (options.item !== undefined && options.issue !== undefined) {
    throw new CastlineError('import-item-needs-feed', '--item picks an item from a feed, and --issue is a text file', { hint: 'use --from <feed URL> --item <title or guid>' });
  }
  const ids = await listEpisodeIds(root);
  let nextNumber = 1;
  const imported = new Map<string, string>();
  for (const other of ids) {
    const loaded = await loadEpisode(root, other);
    const config = loaded.episode?.config;
    const n = config?.number;
    if (n !== undefined && n >= nextNumber) nextNumber = n + 1;
    if (config?.source) imported.set(config.source.guid, other);
  }

  const input = await readInput(ctx, root, options, imported);
  const date = options.date ?? input.date ?? today();
  checkDate(date);
  const id = `${date}-${slug}`;
  const dir = join(root, 'episodes', id);
  if (existsSync(dir)) {
    throw new CastlineError('episode-exists', `episodes/${id} already exists; castline new never overwrites`, {
      hint: 'pick another slug or date, or edit the existing folder',
    });
  }
  const title = options.title ?? input.title ?? guessIssueTitle(input.text) ?? slug.replace(/-/g, ' ');
  const episodeYaml = stringify({ title, number: nextNumber, date, ...(input.source ? { source: input.source } : {}) });
  await mkdir(dir, { recursive: true });
  try {
    await writeFileAtomic(join(dir, 'issue.md'), input.text.endsWith('\n') ? input.text : `${input.text}\n`);
    await writeFileAtomic(join(dir, 'episode.yaml'), `# Episode settings: see the README's configuration reference.\n${episodeYaml}`);
    await mkdir(join(dir, 'audio'), { recursive: true });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  ctx.reporter.done(`created episodes/${id}/ (issue.md, episode.yaml, audio/)`);
  ctx.reporter.info(`next: castline script ${id}`);
  ctx.reporter.result({ id, dir, title, number: nextNumber, date, ...(input.source ? { source: input.source } : {}) });
  return 0;
}

function checkDate(date: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isRealDate(date)) {
    throw new CastlineError('bad-date', `--date "${date}" is not a real date written YYYY-MM-DD`, { hint: 'for example --date 2023-01-20' });
  }
}

/** The issue text and what is known about it, from --issue, --from or show.yaml newsletter.feed. */
async function readInput(ctx: CommandContext, root: string, options: NewOptions, imported: Map<string, string>): Promise<IssueInput> {
  if (options.issue !== undefined) {
    const raw = options.issue === '-' ? await readStdin() : await readIssueFile(options.issue, ctx.cwd);
    return { text: readIssueText(raw, options.issue === '-' ? 'standard input' : options.issue), title: undefined, date: undefined, source: undefined };
  }
  let source = options.from;
  let skipGuids: Set<string> | undefined;
  if (source === undefined) {
    const { show, problems } = await loadShowConfig(root);
    if (!show) throw new ProblemsError(problems, 'show.yaml is not valid, so castline new cannot read newsletter.feed');
    if (!show.newsletter.feed) {
      throw new CastlineError('new-no-source', 'castline new needs the issue: --issue <file|->, --from <feed|url|file>, or newsletter.feed in show.yaml', {
        hint: 'for example: castline new weekly --from https://example.substack.com/feed',
      });
    }
    source = show.newsletter.feed;
    if (options.item === undefined) skipGuids = new Set(imported.keys());
  }
  const { importIssue } = await import('../../import/import-issue.js');
  const { castlineUserAgent } = await import('../../import/fetch-source.js');
  const issue = await importIssue({ source, item: options.item, skipGuids, cwd: ctx.cwd, userAgent: await castlineUserAgent() });
  const existing = issue.guid ? imported.get(issue.guid) : undefined;
  if (existing) {
    throw new CastlineError('issue-already-imported', `${issue.description} is already episodes/${existing} (source.guid in its episode.yaml)`, {
      hint: 'pass --item to import another item of the feed, or edit the existing episode',
    });
  }
  ctx.reporter.info(`imported ${issue.description}${issue.applied.length ? `; removed platform chrome: ${summarize(issue.applied)}` : ''}`);
  return {
    text: issue.markdown,
    title: issue.title,
    date: issue.date,
    source: issue.guid ? { guid: issue.guid, ...(issue.url && /^https?:/i.test(issue.url) ? { url: issue.url } : {}) } : undefined,
  };
}

function summarize(ids: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].map(([id, n]) => (n > 1 ? `${id} ×${n}` : id)).join(', ');
}

async function readIssueFile(path: string, cwd: string): Promise<Buffer> {
  try {
    return await readFile(resolve(cwd, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CastlineError('issue-unreadable', `Cannot read the issue file ${path}${code === 'ENOENT' ? ': it does not exist' : ` (${code})`}`, {
      hint: 'pass the path to a text or markdown file with the newsletter issue, or - to read standard input',
    });
  }
}
