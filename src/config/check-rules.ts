import { existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import type { Problem } from '../core/errors.js';
import { errorMessage } from '../core/errors.js';
import { probeMedia } from '../media/ffmpeg/probe.js';
import type { ShowContext } from './load-show.js';

/**
 * Cross-field and cross-file rules (changesets' config/parse style): small functions over the
 * loaded show, each returning problems. They run after the schemas passed.
 */
export type Rule = (ctx: ShowContext) => Promise<Problem[]> | Problem[];

/** Apple: artwork 1400×1400 to 3000×3000, square, JPEG or PNG, extension matching the content. */
export async function checkArtwork(root: string, rel: string, file: string, path: string): Promise<Problem[]> {
  const abs = join(root, rel);
  if (!existsSync(abs)) {
    return [{ severity: 'error', code: 'cover-missing', file, path, message: `${rel} does not exist`, hint: 'add the image or fix the path (relative to the show folder)' }];
  }
  let probe;
  try {
    probe = await probeMedia(abs, rel);
  } catch (error) {
    return [{ severity: 'error', code: 'cover-unreadable', file, path, message: `${rel} is not a readable image: ${errorMessage(error)}`, hint: 'export it again as PNG or JPEG' }];
  }
  const video = probe.streams.find((s) => s.codec_type === 'video');
  const problems: Problem[] = [];
  if (!video?.width || !video.height) {
    return [{ severity: 'error', code: 'cover-unreadable', file, path, message: `${rel} has no image in it`, hint: 'use a PNG or JPEG image' }];
  }
  const codec = video.codec_name ?? '';
  const ext = extname(rel).toLowerCase();
  const expected = codec === 'png' ? ['.png'] : codec === 'mjpeg' ? ['.jpg', '.jpeg'] : [];
  if (!expected.length) {
    problems.push({ severity: 'error', code: 'cover-format', file, path, message: `${rel} is ${codec}, not PNG or JPEG`, hint: 'Apple accepts only JPEG or PNG artwork: convert it' });
  } else if (!expected.includes(ext)) {
    problems.push({ severity: 'error', code: 'cover-extension', file, path, message: `${rel} is a ${codec === 'png' ? 'PNG' : 'JPEG'} but its name ends in "${ext}"`, hint: `rename it to end in ${expected[0]}` });
  }
  if (video.width !== video.height) {
    problems.push({ severity: 'error', code: 'cover-not-square', file, path, message: `${rel} is ${video.width}×${video.height}, not square`, hint: 'crop it to a square between 1400×1400 and 3000×3000 pixels' });
  } else if (video.width < 1400 || video.width > 3000) {
    problems.push({ severity: 'error', code: 'cover-size', file, path, message: `${rel} is ${video.width}×${video.height}; Apple needs 1400×1400 to 3000×3000`, hint: 'resize it to 3000×3000 pixels' });
  }
  return problems;
}

const coverRule: Rule = (ctx) => checkArtwork(ctx.root, ctx.show.cover, 'show.yaml', 'cover');

const episodeArtworkRule: Rule = async (ctx) => {
  const problems: Problem[] = [];
  for (const ep of ctx.episodes) {
    if (ep.config?.image) {
      const rel = join('episodes', ep.id, ep.config.image);
      problems.push(...(await checkArtwork(ctx.root, rel, `episodes/${ep.id}/episode.yaml`, 'image')));
    }
  }
  return problems;
};

const showFilesRule: Rule = (ctx) => {
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

const uniqueNumbersRule: Rule = (ctx) => {
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

const episodeFilesRule: Rule = (ctx) => {
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

export const RULES: readonly Rule[] = [coverRule, episodeArtworkRule, showFilesRule, uniqueNumbersRule, episodeFilesRule];

/** Extra rules later stages register (feed lint, media inputs) without touching this file. */
const extraRules: Rule[] = [];
export function registerRule(rule: Rule): void {
  extraRules.push(rule);
}

export async function runRules(ctx: ShowContext, rules: readonly Rule[] = [...RULES, ...extraRules]): Promise<Problem[]> {
  const results = await Promise.all(rules.map((rule) => rule(ctx)));
  return results.flat();
}
