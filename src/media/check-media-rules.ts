import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Rule } from '../config/check-rules.js';
import type { EpisodeContext } from '../config/load-show.js';
import { CastlineError, errorMessage, type Problem } from '../core/errors.js';
import { parseAudacityLabels } from './chapters.js';
import { probeMedia } from './ffmpeg/probe.js';
import { AUDIO_EXT, LABELS_FILE, VISUAL_EXTS, findCamera, visualKind } from './find-recording.js';
import type { InputKind, InputProbe } from './probe-input.js';
import type { ScriptFigure } from '../script/script-doc.js';
import { figurePath, isRemoteTarget } from '../script/figure-cues.js';

/**
 * `castline check` rules that need to look inside media files (ffprobe, a decode), so they
 * live with media; src/pipeline/check-show.ts lists them with the others, and `castline
 * build` runs the same list before its read phase. A missing file is the configuration
 * rules' to report (config/check-rules.ts); these check the files that exist.
 */
export interface MediaRuleTools {
  /** One probe per command run, shared with the build's read phase. */
  probe: InputProbe;
  /** The episode's section ids from script.md (undefined without a readable script). */
  sectionIds: (episode: EpisodeContext) => Promise<string[] | undefined>;
  /** The figure cues of script.md (none without a readable script). */
  figures?: (episode: EpisodeContext) => Promise<ScriptFigure[]>;
}

export type MediaRule = Rule<MediaRuleTools>;

/** One input through the shared probe, its error as a problem (`file → path: message`). */
async function checkInput(tools: MediaRuleTools, root: string, rel: string, kind: InputKind, where?: { file: string; path: string }): Promise<Problem[]> {
  const abs = join(root, rel);
  if (!existsSync(abs)) return [];
  try {
    await tools.probe(abs, kind, where ? `${where.file} → ${where.path}` : undefined);
    return [];
  } catch (error) {
    if (!(error instanceof CastlineError)) throw error;
    const problem: Problem = { severity: 'error', code: error.code, file: where?.file ?? rel, message: where ? error.message : error.message.replace(`${rel} `, ''), hint: error.hint };
    if (where) problem.path = where.path;
    return [problem];
  }
}

/** Apple: artwork 1400×1400 to 3000×3000, square, JPEG or PNG, extension matching the content. */
export async function checkArtwork(tools: MediaRuleTools, root: string, rel: string, file: string, path: string): Promise<Problem[]> {
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
  // The header can be fine and the pixels truncated: decode it too.
  if (!problems.length) problems.push(...(await checkInput(tools, root, rel, 'image', { file, path })));
  return problems;
}

export const coverRule: MediaRule = (ctx, tools) => checkArtwork(tools, ctx.root, ctx.show.cover, 'show.yaml', 'cover');

export const episodeArtworkRule: MediaRule = async (ctx, tools) => {
  const problems: Problem[] = [];
  for (const ep of ctx.episodes) {
    if (ep.config?.image) problems.push(...(await checkArtwork(tools, ctx.root, join('episodes', ep.id, ep.config.image), `episodes/${ep.id}/episode.yaml`, 'image')));
  }
  return problems;
};

/** Show-wide inputs of every video and programme: music, card background, font. */
export const showMediaRule: MediaRule = async (ctx, tools) => {
  const { audio, video } = ctx.show;
  const files: [string | undefined, InputKind, string][] = [
    [audio.intro, 'audio', 'audio.intro'],
    [audio.outro, 'audio', 'audio.outro'],
    [video.background, 'image', 'video.background'],
    [video.font, 'font', 'video.font'],
  ];
  const found = await Promise.all(files.map(([rel, kind, path]) => (rel ? checkInput(tools, ctx.root, rel, kind, { file: 'show.yaml', path }) : [])));
  return found.flat();
};


/**
 * Each episode's own media: every recording or take in audio/, labels.txt, the camera
 * recording in video/, and each visual
 * the build would use (named in episode.yaml, or visuals/<section-id>.png|jpg|jpeg).
 */
export const episodeMediaRule: MediaRule = async (ctx, tools) => {
  const problems: Problem[] = [];
  for (const ep of ctx.episodes) {
    const rel = `episodes/${ep.id}`;
    const audio = existsSync(ep.files.audio) ? (await readdir(ep.files.audio)).filter((f) => !f.startsWith('.')) : [];
    for (const name of audio.filter((f) => AUDIO_EXT.test(f))) problems.push(...(await checkInput(tools, ctx.root, `${rel}/audio/${name}`, 'audio')));
    if (audio.includes(LABELS_FILE)) {
      const file = `${rel}/audio/${LABELS_FILE}`;
      try {
        parseAudacityLabels(await readFile(join(ctx.root, file), 'utf8'), file);
      } catch (error) {
        if (!(error instanceof CastlineError)) throw error;
        problems.push({ severity: 'error', code: error.code, file, message: error.message.replace(`${file} `, ''), hint: error.hint });
      }
    }
    // The camera recording in video/: one file, with a picture that decodes throughout.
    const videoFiles = existsSync(ep.files.video) ? await readdir(ep.files.video) : [];
    try {
      const camera = findCamera(videoFiles, `${rel}/video`);
      if (camera) problems.push(...(await checkInput(tools, ctx.root, `${rel}/video/${camera}`, 'video')));
    } catch (error) {
      if (!(error instanceof CastlineError)) throw error;
      problems.push({ severity: 'error', code: error.code, file: `${rel}/video`, message: error.message.replace(`${rel}/video/ `, ''), hint: error.hint });
    }
    const named = ep.config?.visuals ?? {};
    for (const [section, visual] of Object.entries(named)) {
      problems.push(...(await checkInput(tools, ctx.root, join(rel, visual), visualKind(visual), { file: `${rel}/episode.yaml`, path: `visuals.${section}` })));
    }
    const sections = (await tools.sectionIds(ep)) ?? [];
    const dir = existsSync(ep.files.visuals) ? await readdir(ep.files.visuals) : [];
    for (const section of sections.filter((s) => !(s in named))) {
      const own = VISUAL_EXTS.map((ext) => `${section}.${ext}`).find((f) => dir.includes(f));
      if (own) problems.push(...(await checkInput(tools, ctx.root, `${rel}/visuals/${own}`, visualKind(own))));
    }
  }
  return problems;
};

/**
 * Each figure cue of script.md (issue 15) names an image the build can show: a file in the
 * episode folder that decodes (the build's image probe). A cue still holding a URL (the
 * download failed) is a warning: the video shows no figure there until the file is saved.
 */
export const figureFilesRule: MediaRule = async (ctx, tools) => {
  const problems: Problem[] = [];
  for (const ep of ctx.episodes) {
    const rel = `episodes/${ep.id}`;
    const file = `${rel}/script.md`;
    for (const figure of (await tools.figures?.(ep)) ?? []) {
      const path = `line ${figure.line}`;
      if (isRemoteTarget(figure.target)) {
        problems.push({ severity: 'warning', code: 'figure-not-downloaded', file, path, message: `the figure "${figure.alt || 'image'}" is still a URL (${figure.target}): the video shows nothing there`, hint: 'save the image in the episode\'s visuals/ folder and change the link to visuals/<name>.png, or run castline script again to download it' });
        continue;
      }
      const abs = figurePath(ep.dir, figure.target);
      if (!abs) {
        problems.push({ severity: 'error', code: 'figure-outside-episode', file, path, message: `the figure ${figure.target} is outside the episode folder`, hint: 'copy the image into the episode\'s visuals/ folder and link to visuals/<name>.png' });
        continue;
      }
      if (!existsSync(abs)) {
        problems.push({ severity: 'error', code: 'figure-missing', file, path, message: `the figure ${figure.target} does not exist`, hint: `put the image at ${rel}/${figure.target}, or fix or delete the cue line` });
        continue;
      }
      const found = await checkInput(tools, ctx.root, join(rel, figure.target), 'image');
      problems.push(...found.map((p) => ({ ...p, file, path, message: `the figure ${figure.target}: ${p.message}` })));
    }
  }
  return problems;
};
