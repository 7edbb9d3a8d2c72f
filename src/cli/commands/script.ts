import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CastlineError, ProblemsError, hasErrors } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/fs-atomic.js';
import { sha256 } from '../../core/hash.js';
import { readIssueText } from '../../core/issue-text.js';
import { findShowRoot, loadShow, resolveEpisodeIds, episodeDate } from '../../config/load-show.js';
import { dirname } from 'node:path';
import { buildScript, type ScriptSettings } from '../../script/build-script.js';
import { fetchFigures, figureLimits } from '../../script/fetch-figures.js';
import { castlineUserAgent } from '../../import/fetch-source.js';
import { formatDuration } from '../../core/clock.js';
import { showLinksFrom } from '../../script/notes.js';
import { findEditedFiles } from '../../script/find-edited-files.js';
import type { CommandContext } from '../main.js';

export interface ScriptOptions {
  force?: boolean;
  wpm?: string;
  /** false with --no-download: image cues keep their URLs. */
  download?: boolean;
}

/** `castline script <episode>`: issue.md → script.md + notes.md; never overwrites a host's edits without --force. */
export async function run(ctx: CommandContext, episodeArg: string, options: ScriptOptions): Promise<number> {
  const root = findShowRoot(ctx.cwd, ctx.options.root);
  const [id] = await resolveEpisodeIds(root, [episodeArg]);
  if (!id) throw new CastlineError('unknown-episode', `No episode "${episodeArg}"`);
  const show = await loadShow(root, { only: [id] });
  const mine = show.problems.filter((p) => p.file.startsWith(`episodes/${id}/episode.yaml`) || p.file === 'show.yaml');
  if (hasErrors(mine)) throw new ProblemsError(mine);
  const episode = show.episodes.find((e) => e.id === id);
  if (!episode?.config) throw new ProblemsError(mine, `episodes/${id}/episode.yaml is not valid`);

  let wpm = show.show.script.wpm;
  if (options.wpm !== undefined) {
    wpm = Number(options.wpm);
    if (!Number.isFinite(wpm) || wpm < 60 || wpm > 300) {
      throw new CastlineError('bad-wpm', `--wpm ${options.wpm} is not a reading speed between 60 and 300 words per minute`, { hint: 'most hosts read 140–170; show.yaml script.wpm sets the default' });
    }
  }

  const issueFile = `episodes/${id}/issue.md`;
  if (!existsSync(episode.files.issue)) {
    throw new CastlineError('issue-missing', `${issueFile} is missing`, { hint: 'paste the newsletter issue text into it (or create the episode with castline new <slug> --issue <file>)' });
  }
  const raw = await readFile(episode.files.issue);
  const text = readIssueText(raw, issueFile);
  const settings: ScriptSettings = {
    showTitle: show.show.title,
    episodeId: id,
    episodeTitle: episode.config.title,
    episodeNumber: episode.config.number,
    date: episodeDate(episode),
    wpm,
    intro: show.show.script.intro,
    outro: show.show.script.outro,
    urls: show.show.script.urls,
    links: showLinksFrom(show.show.links),
    sourceHash: sha256(raw),
  };
  let build = buildScript(text, settings);

  // Overwrite guard: a file whose body no longer matches the hash in its header was edited.
  if (!options.force) {
    const existing = {
      script: existsSync(episode.files.script) ? await readFile(episode.files.script, 'utf8') : undefined,
      notes: existsSync(episode.files.notes) ? await readFile(episode.files.notes, 'utf8') : undefined,
    };
    const edited = findEditedFiles(existing, build, id);
    if (edited.length) {
      throw new CastlineError('script-edited', `${edited.join(' and ')} ${edited.length > 1 ? 'have' : 'has'} your edits; castline script does not overwrite them`, {
        hint: `to regenerate from issue.md anyway, copy your edits elsewhere and run castline script ${id} --force`,
        state: 'nothing was written',
      });
    }
  }

  // The images are fetched only once the script may be written, then the cues name the files.
  const figures = build.images.length
    ? await fetchFigures({ root, episodeDir: episode.dir, issueDir: dirname(episode.files.issue), images: build.images, limits: figureLimits(), agent: await castlineUserAgent(), download: options.download !== false })
    : [];
  if (figures.length) {
    const bySrc = new Map(figures.map((f) => [f.src, f]));
    build = buildScript(text, { ...settings, figures: (src) => { const f = bySrc.get(src); return f?.kept === false ? { target: f.target, note: f.note } : { target: f?.target ?? src }; } });
    for (const f of figures) if (!f.kept) ctx.reporter.warn(`episodes/${id}: image ${f.src}: ${f.note}`);
  }

  await writeFileAtomic(episode.files.notes, build.notesMd);
  await writeFileAtomic(episode.files.script, build.scriptMd);
  for (const notice of build.notices) ctx.reporter.info(`note: ${notice}`);
  const kept = figures.filter((f) => f.kept).length;
  const figureNote = figures.length ? `; ${kept} of ${figures.length} image${figures.length === 1 ? '' : 's'} kept in visuals/` : '';
  ctx.reporter.done(`wrote episodes/${id}/script.md (${build.doc.sections.length} sections, about ${formatDuration(build.doc.totalSeconds)} at ${wpm} wpm) and notes.md${figureNote}`);
  ctx.reporter.result({
    episode: id,
    sections: build.doc.sections.map((s) => ({ id: s.id, title: s.title, text: s.text, estimateSeconds: s.estimateSeconds })),
    totalSeconds: build.doc.totalSeconds,
    notes: build.notes,
    figures: figures.map((f) => (f.kept ? { src: f.src, file: f.target } : { src: f.src, file: null, reason: f.reason })),
  });
  return 0;
}
