import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { ShowContext } from '../config/load-show.js';
import { CastlineError } from '../core/errors.js';
import { produceAtomic } from '../core/fs-atomic.js';
import { formatSrt } from '../captions/format-cues.js';
import { runFfmpeg } from '../media/ffmpeg/run-ffmpeg.js';
import { checkOutputLoudness, loudnessFilter, planLoudness, type LoudnessMeasurement } from '../media/loudness.js';
import { measureFile } from '../media/measure-programme.js';
import type { ClipRecord, EpisodeBuild } from '../records/build-record.js';
import { clipArgs, clipLoudnessProbeArgs, clipSrt } from './clip-args.js';
import { clipCues, parseSrt, planClip, type ClipPlan, type ClipRequest } from './plan-clip.js';

/** Frame rate of clips: phones' social players expect real motion (the episode's picture may be 1 fps stills). */
export const CLIP_FPS = 30;

export function clipsDir(root: string, id: string): string {
  return join(root, 'dist', 'episodes', id, 'clips');
}

/**
 * Make one clip of a built episode: plan it against the recorded length, measure the span's
 * loudness (gain to the show's target), cut the captions to it, encode, re-measure. Written
 * atomically into dist/episodes/<id>/clips/<name>.mp4.
 */
export async function makeClip(show: ShowContext, record: EpisodeBuild, request: ClipRequest, where: string, onProgress?: (fraction: number | undefined) => void): Promise<{ plan: ClipPlan; clip: ClipRecord; warnings: string[] }> {
  const { root } = show;
  const id = record.id;
  const mp4 = record.outputs.mp4 ? join(root, record.outputs.mp4.path) : undefined;
  if (!mp4 || !existsSync(mp4)) {
    throw new CastlineError('clip-needs-build', `${where}: ${id} has no built video to cut a clip from`, { hint: `run castline build ${id} first (clips are cut from the episode's MP4)` });
  }
  const plan = planClip(request, record.durationSeconds, where);
  const warnings: string[] = [];
  const target = { integrated: show.show.audio.loudness, truePeak: show.show.audio.truePeak };
  const measured = await measureFile(mp4, where, undefined, 0, { start: plan.start, duration: plan.duration });
  const work = await mkdtemp(join(tmpdir(), `castline-clip-${id}-`));
  try {
    let srt: string | undefined;
    const transcript = record.outputs.srt ? join(root, record.outputs.srt.path) : undefined;
    if (transcript && existsSync(transcript)) {
      const cues = clipCues(parseSrt(await readFile(transcript, 'utf8')), plan.start, plan.duration);
      if (cues.length) {
        srt = join(work, 'clip.srt');
        await writeFile(srt, clipSrt(cues, formatSrt));
      }
    } else warnings.push(`${where}: ${id} has no captions (transcript.srt), so none are burned in`);
    const font = join(root, show.show.video.font);
    const out = join(clipsDir(root, id), `${plan.name}.mp4`);
    const loudness = await settleClipLoudness(mp4, plan, measured, target, work, where);
    const args = (tmp: string): string[] => clipArgs(plan, { mp4, srt, font, fontsDir: dirname(font), showName: show.show.title, loudness, fps: CLIP_FPS }, tmp);
    await produceAtomic(out, async (tmp) => {
      await runFfmpeg(args(tmp), { label: `clip ${plan.name}`, purpose: `making ${where}`, durationSeconds: plan.duration, onProgress: (p) => onProgress?.(p.fraction) });
    });
    const result = await measureFile(out, `${plan.name}.mp4`);
    warnings.push(...checkOutputLoudness(`${where} (${relative(root, out)})`, result, target));
    const clip: ClipRecord = {
      name: plan.name,
      path: relative(root, out),
      bytes: (await stat(out)).size,
      start: plan.start,
      duration: plan.duration,
      ...(plan.title ? { title: plan.title } : {}),
      format: plan.format,
      integrated: result.integrated,
    };
    return { plan, clip, warnings };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Within this of the target the clip's sound is taken as it is. */
const SETTLED_LU = 0.1;

/**
 * The gain + limiter that land the clip on the target after its AAC encode. The span's own
 * loudness gives the first gain; where the limiter has to work (speech recorded quietly with
 * loud peaks) it takes loudness back, so the clip's sound alone is encoded and metered, and
 * the gain moved by what is missing, up to three times (each probe costs about a second for a
 * minute of sound). Measured before: an espeak clip landed 0.3–0.5 LU under the target.
 */
async function settleClipLoudness(mp4: string, plan: ClipPlan, measured: LoudnessMeasurement, target: { integrated: number; truePeak: number }, work: string, where: string): Promise<string> {
  let assumed = measured.integrated;
  let filter = loudnessFilter(planLoudness(measured, target));
  for (let i = 0; i < 3; i++) {
    const probe = join(work, `loudness-probe-${i}.m4a`);
    await runFfmpeg(clipLoudnessProbeArgs(plan, mp4, filter, probe), { label: 'clip loudness probe', purpose: `probing the loudness of ${where}` });
    const got = await measureFile(probe, `${where} (loudness probe)`);
    const miss = got.integrated - target.integrated;
    if (Math.abs(miss) <= SETTLED_LU) break;
    // As if the span were `miss` louder: planLoudness then gives that much more or less gain.
    assumed += miss;
    filter = loudnessFilter(planLoudness({ ...measured, integrated: assumed }, target));
  }
  return filter;
}

/** A clip request's identity in the record: the same request on the same MP4 and captions is not made again. */
export function clipKey(request: ClipRequest, record: EpisodeBuild): string {
  return JSON.stringify([request.from, request.to, request.format ?? 'vertical', request.title ?? '', request.waveform ?? false, record.outputs.mp4?.sha256, record.outputs.srt?.sha256]);
}
