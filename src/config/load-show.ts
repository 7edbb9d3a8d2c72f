import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, resolve, basename, dirname, isAbsolute } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { CastlineError, ProblemsError, hasErrors, type Problem } from '../core/errors.js';
import { didYouMean } from '../core/did-you-mean.js';
import { ShowSchema, type ShowConfig } from './show-schema.js';
import { EpisodeSchema, isRealDate, type EpisodeConfig } from './episode-schema.js';
import { PublishedSchema, type PublishedRecord } from '../records/published-ledger.js';
import { APPLE_CATEGORIES } from './apple-categories.js';
import { zodIssuesToProblems } from './zod-problems.js';

/** An episode folder: `episodes/<YYYY-MM-DD>-<slug>/`; the folder name is its id. */
export interface EpisodeContext {
  id: string;
  dir: string;
  /** Date from the folder name (episode.yaml `date` may override the publication date). */
  folderDate: string;
  slug: string;
  /** Parsed episode.yaml; undefined when missing or invalid (see problems). */
  config: EpisodeConfig | undefined;
  /** Parsed published.yaml, when the episode was built or published before. */
  published: PublishedRecord | undefined;
  files: { episodeYaml: string; issue: string; script: string; notes: string; published: string; audio: string; visuals: string; video: string };
}

export interface ShowContext {
  root: string;
  showFile: string;
  show: ShowConfig;
  episodes: EpisodeContext[];
  /** Problems found while loading (errors and warnings), all at once. */
  problems: Problem[];
}

export const EPISODE_ID_RE = /^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;
export const SHOW_FILE = 'show.yaml';

/** The show root: `--root`, else the nearest folder upwards holding show.yaml. */
export function findShowRoot(start: string, explicit?: string): string {
  if (explicit) {
    const root = resolve(explicit);
    if (!existsSync(join(root, SHOW_FILE))) {
      throw new CastlineError('no-show', `No show.yaml in ${root}`, { hint: 'Point --root at the folder that holds your show.yaml.' });
    }
    return root;
  }
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, SHOW_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new CastlineError('no-show', `No show.yaml in ${resolve(start)} or any folder above it`, {
    hint: 'Run castline inside your show folder, or pass --root <dir>.',
  });
}

export interface YamlRead {
  data: unknown;
  problems: Problem[];
}

/** Read and parse a YAML file, reporting syntax errors with line and column. */
export async function readYaml(path: string, displayName: string): Promise<YamlRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      data: undefined,
      problems: [{ severity: 'error', code: code === 'ENOENT' ? 'file-missing' : 'file-unreadable', file: displayName, message: code === 'ENOENT' ? 'file is missing' : `cannot be read (${code})` }],
    };
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      data: undefined,
      // The parser often reports one mistake twice at the same spot: keep the first.
      problems: doc.errors.filter((e, i, all) => !e.linePos || all.findIndex((o) => o.linePos?.[0].line === e.linePos?.[0].line && o.linePos?.[0].col === e.linePos?.[0].col) === i).map((e) => ({
        severity: 'error' as const,
        code: 'yaml-syntax',
        file: displayName,
        path: e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : undefined,
        // The path already says where; drop the parser's repeated "at line L, column C:".
        message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?\s*$/, ''),
        hint: 'fix the YAML syntax (indentation with spaces, a space after each colon, quotes around text with ": " in it)',
      })),
    };
  }
  try {
    return { data: doc.toJS() ?? {}, problems: [] };
  } catch (error) {
    // Aliases are only resolved here: an alias without its anchor, or an alias bomb
    // ("Excessive alias count"), is still a mistake in the file, not a crash.
    return {
      data: undefined,
      problems: [
        {
          severity: 'error',
          code: 'yaml-syntax',
          file: displayName,
          message: error instanceof Error ? error.message : String(error),
          hint: 'YAML anchors (&name) must come before their aliases (*name); write the values out instead of aliasing them',
        },
      ],
    };
  }
}

function parseWith<S extends z.ZodType>(schema: S, data: unknown, file: string): { value: z.infer<S> | undefined; problems: Problem[] } {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data, problems: [] };
  return {
    value: undefined,
    problems: zodIssuesToProblems(result.error, schema, data, file, (issue) => {
      const params = (issue as { params?: { kind?: string; value?: string; category?: string } }).params;
      if (params?.kind === 'category' && params.value) {
        const guess = didYouMean(params.value, Object.keys(APPLE_CATEGORIES));
        return guess ? `did you mean "${guess}"? See Apple's list in the README` : "use a category from Apple's list (see the README)";
      }
      if (params?.kind === 'subcategory' && params.category && params.value) {
        const guess = didYouMean(params.value, APPLE_CATEGORIES[params.category] ?? []);
        return guess ? `did you mean "${guess}"?` : `subcategories of ${params.category}: ${(APPLE_CATEGORIES[params.category] ?? []).join(', ') || 'none'}`;
      }
      return undefined;
    }),
  };
}

export async function loadShowConfig(root: string): Promise<{ show: ShowConfig | undefined; problems: Problem[] }> {
  const read = await readYaml(join(root, SHOW_FILE), SHOW_FILE);
  if (read.problems.length) return { show: undefined, problems: read.problems };
  const parsed = parseWith(ShowSchema, read.data, SHOW_FILE);
  return { show: parsed.value, problems: parsed.problems };
}

export function episodeFiles(dir: string): EpisodeContext['files'] {
  return {
    episodeYaml: join(dir, 'episode.yaml'),
    issue: join(dir, 'issue.md'),
    script: join(dir, 'script.md'),
    notes: join(dir, 'notes.md'),
    published: join(dir, 'published.yaml'),
    audio: join(dir, 'audio'),
    visuals: join(dir, 'visuals'),
    video: join(dir, 'video'),
  };
}

export async function loadEpisode(root: string, id: string): Promise<{ episode: EpisodeContext | undefined; problems: Problem[] }> {
  const dir = join(root, 'episodes', id);
  const rel = `episodes/${id}`;
  const problems: Problem[] = [];
  const m = EPISODE_ID_RE.exec(id);
  if (!m) {
    problems.push({
      severity: 'error',
      code: 'bad-episode-folder',
      file: rel,
      message: `folder name "${id}" is not YYYY-MM-DD-slug`,
      hint: 'name episode folders like 2023-01-20-my-topic: a date, then lowercase letters, digits and single dashes',
    });
    return { episode: undefined, problems };
  }
  const folderDate = m[1] ?? '';
  if (!isRealDate(folderDate)) {
    problems.push({ severity: 'error', code: 'bad-episode-date', file: rel, message: `"${folderDate}" in the folder name is not a real calendar date`, hint: 'rename the folder with a valid YYYY-MM-DD date' });
  }
  const files = episodeFiles(dir);
  const yaml = await readYaml(files.episodeYaml, `${rel}/episode.yaml`);
  problems.push(...yaml.problems);
  let config: EpisodeConfig | undefined;
  if (!yaml.problems.length) {
    const parsed = parseWith(EpisodeSchema, yaml.data, `${rel}/episode.yaml`);
    config = parsed.value;
    problems.push(...parsed.problems);
  }
  let published: PublishedRecord | undefined;
  if (existsSync(files.published)) {
    const pub = await readYaml(files.published, `${rel}/published.yaml`);
    problems.push(...pub.problems);
    if (!pub.problems.length) {
      const parsed = parseWith(PublishedSchema, pub.data, `${rel}/published.yaml`);
      published = parsed.value;
      problems.push(...parsed.problems.map((p) => ({ ...p, hint: p.hint ?? 'published.yaml is written by castline; restore it from git rather than editing it by hand' })));
    }
  }
  return { episode: { id, dir, folderDate, slug: m[2] ?? '', config, published, files }, problems };
}

export async function listEpisodeIds(root: string): Promise<string[]> {
  const dir = join(root, 'episodes');
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/**
 * Resolve `<episode>` arguments (a folder name or a path to the folder) to episode ids.
 * Refuses anything outside `<root>/episodes/`.
 */
export async function resolveEpisodeIds(root: string, args: readonly string[]): Promise<string[]> {
  const all = await listEpisodeIds(root);
  const ids: string[] = [];
  for (const arg of args) {
    const clean = arg.replace(/[\\/]+$/, '');
    let id = clean;
    if (clean.includes('/') || clean.includes('\\') || isAbsolute(clean)) {
      const abs = resolve(clean);
      const rel = relative(join(root, 'episodes'), abs);
      if (rel.startsWith('..') || isAbsolute(rel) || rel.includes('/') || rel === '') {
        throw new CastlineError('bad-episode-arg', `"${arg}" is not an episode folder inside ${join(root, 'episodes')}`, {
          hint: 'pass the episode folder name (like 2023-01-20-mlaisu) or its path',
        });
      }
      id = rel;
    } else {
      id = basename(clean);
    }
    if (!all.includes(id)) {
      const guess = didYouMean(id, all);
      throw new CastlineError('unknown-episode', `No episode "${id}" in episodes/`, {
        hint: guess ? `did you mean "${guess}"?` : `episodes here: ${all.join(', ') || 'none yet (castline new <slug> --issue <file>)'}`,
      });
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export interface LoadOptions {
  /** Only these episode ids (default: all). Cross-episode rules still see every episode. */
  only?: readonly string[];
}

/**
 * Read everything (show, every episode, published ledgers) and report every problem found,
 * without throwing for validation problems. Cross-file rules run separately (check-rules.ts).
 */
export async function loadShow(root: string, options: LoadOptions = {}): Promise<ShowContext> {
  const { show, problems } = await loadShowConfig(root);
  if (!show) throw new ProblemsError(problems, `${SHOW_FILE} is not valid`);
  const ids = await listEpisodeIds(root);
  const episodes: EpisodeContext[] = [];
  for (const id of ids) {
    const loaded = await loadEpisode(root, id);
    const wanted = !options.only || options.only.includes(id);
    if (wanted) problems.push(...loaded.problems);
    if (loaded.episode) episodes.push(loaded.episode);
  }
  return { root, showFile: join(root, SHOW_FILE), show, episodes, problems };
}

/** Load and throw a ProblemsError when anything is an error (warnings are kept). */
export async function loadValidShow(root: string, options: LoadOptions = {}): Promise<ShowContext> {
  const ctx = await loadShow(root, options);
  if (hasErrors(ctx.problems)) throw new ProblemsError(ctx.problems);
  return ctx;
}

/** The publication date of an episode: episode.yaml `date`, else the folder's. */
export function episodeDate(ep: EpisodeContext): string {
  return ep.config?.date ?? ep.folderDate;
}
