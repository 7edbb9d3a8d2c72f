import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { CastlineError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import { findShowRoot, listEpisodeIds, loadEpisode } from '../../config/load-show.js';
import { isRealDate } from '../../config/episode-schema.js';
import { readIssueText, guessIssueTitle } from '../../core/issue-text.js';
import type { CommandContext } from '../main.js';

export interface NewOptions {
  issue: string;
  date?: string;
  title?: string;
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

/** `castline new <slug> --issue <file|->`: scaffold an episode folder; never overwrites. */
export async function run(ctx: CommandContext, slug: string, options: NewOptions): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  if (!SLUG_RE.test(slug)) {
    throw new CastlineError('bad-slug', `"${slug}" is not a usable episode slug`, {
      hint: 'use lowercase letters, digits and single dashes, like "weekly-update" (no spaces, slashes or dots)',
    });
  }
  const date = options.date ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isRealDate(date)) {
    throw new CastlineError('bad-date', `--date "${date}" is not a real date written YYYY-MM-DD`, { hint: 'for example --date 2023-01-20' });
  }
  const id = `${date}-${slug}`;
  const dir = join(root, 'episodes', id);
  if (existsSync(dir)) {
    throw new CastlineError('episode-exists', `episodes/${id} already exists; castline new never overwrites`, {
      hint: 'pick another slug or date, or edit the existing folder',
    });
  }
  const raw = options.issue === '-' ? await readStdin() : await readIssueFile(options.issue, ctx.cwd);
  const text = readIssueText(raw, options.issue === '-' ? 'standard input' : options.issue);
  const title = options.title ?? guessIssueTitle(text) ?? slug.replace(/-/g, ' ');
  const ids = await listEpisodeIds(root);
  let nextNumber = 1;
  for (const other of ids) {
    const loaded = await loadEpisode(root, other);
    const n = loaded.episode?.config?.number;
    if (n !== undefined && n >= nextNumber) nextNumber = n + 1;
  }
  const episodeYaml = stringify({ title, number: nextNumber, date });
  await mkdir(dir, { recursive: true });
  try {
    await writeFileAtomic(join(dir, 'issue.md'), text.endsWith('\n') ? text : `${text}\n`);
    await writeFileAtomic(join(dir, 'episode.yaml'), `# Episode settings: see the README's configuration reference.\n${episodeYaml}`);
    await mkdir(join(dir, 'audio'), { recursive: true });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  ctx.reporter.done(`created episodes/${id}/ (issue.md, episode.yaml, audio/)`);
  ctx.reporter.info(`next: castline script ${id}`);
  ctx.reporter.result({ id, dir, title, number: nextNumber, date });
  return 0;
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
