import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../core/errors.js';
import type { ShowContext } from './load-show.js';

/**
 * Cross-field and cross-file rules (changesets' config/parse style): small functions over the
 * loaded show, each returning problems. They run after the schemas passed. These are the
 * configuration's own (files exist, numbers unique, dates agree); the rules of later stages
 * live with their stage, and src/pipeline/check-show.ts lists them all in one place.
 * `Tools` is what a stage's rules need from the caller (media rules: the shared input probe).
 */
export type Rule<Tools = unknown> = (ctx: ShowContext, tools: Tools) => Promise<Problem[]> | Problem[];

export const showFilesRule: Rule = (ctx) => {
  const problems: Problem[] = [];
  const files: [string | undefined, string][] = [
    [ctx.show.audio.intro, 'audio.intro'],
    [ctx.show.audio.outro, 'audio.outro'],
    [ctx.show.video.background, 'video.background'],
    [ctx.show.video.font, 'video.font'],
  ];
  for (const [rel, path] of files) {
    if (rel && !existsSync(join(ctx.root, rel))) {
      problems.push({ severity: 'error', code: 'file-missing', file: 'show.yaml', path, message: `${rel} does not exist`, hint: 'fix the path (relative to the show folder) or remove the setting' });
    }
  }
  return problems;
};

export const uniqueNumbersRule: Rule = (ctx) => {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  for (const ep of ctx.episodes) {
    const n = ep.config?.number;
    if (n === undefined) continue;
    const key = `${ep.config?.season ?? ''}/${n}`;
    const other = seen.get(key);
    if (other) {
      problems.push({
        severity: 'error',
        code: 'duplicate-number',
        file: `episodes/${ep.id}/episode.yaml`,
        path: 'number',
        message: `episode number ${n}${ep.config?.season ? ` (season ${ep.config.season})` : ''} is also used by ${other}`,
        hint: 'give every episode its own number',
      });
    } else {
      seen.set(key, ep.id);
    }
  }
  return problems;
};

export const episodeFilesRule: Rule = (ctx) => {
  const problems: Problem[] = [];
  for (const ep of ctx.episodes) {
    const rel = `episodes/${ep.id}`;
    if (!existsSync(ep.files.issue) && !existsSync(ep.files.script)) {
      problems.push({ severity: 'warning', code: 'no-issue', file: `${rel}/issue.md`, message: 'no issue.md and no script.md yet', hint: `paste the newsletter issue into ${rel}/issue.md` });
    }
    for (const [section, visual] of Object.entries(ep.config?.visuals ?? {})) {
      if (!existsSync(join(ep.dir, visual))) {
        problems.push({ severity: 'error', code: 'file-missing', file: `${rel}/episode.yaml`, path: `visuals.${section}`, message: `${visual} does not exist in ${rel}`, hint: 'fix the path (relative to the episode folder)' });
      }
    }
    if (ep.config?.date && ep.config.date !== ep.folderDate) {
      problems.push({ severity: 'warning', code: 'date-mismatch', file: `${rel}/episode.yaml`, path: 'date', message: `date ${ep.config.date} differs from the folder's ${ep.folderDate}`, hint: 'the feed uses episode.yaml date; rename the folder if that is a mistake (the GUID stays)' });
    }
    const corrections = ep.config?.corrections ?? [];
    for (const [i, c] of corrections.entries()) {
      if (c.date < (ep.config?.date ?? ep.folderDate)) {
        problems.push({ severity: 'warning', code: 'correction-before-episode', file: `${rel}/episode.yaml`, path: `corrections[${i}].date`, message: `correction dated ${c.date} is before the episode's date`, hint: 'check the date' });
      }
    }
  }
  return problems;
};
