import { join } from 'node:path';
import type { ShowConfig } from '../config/show-schema.js';
import type { EpisodeBuild } from '../records/build-record.js';
import { episodeKeys } from './episode-keys.js';
import type { EpisodeInputs } from './read-episode-inputs.js';

/**
 * The pure middle of `castline build` (STYLE §1, after changesets' assembleReleasePlan): from
 * the hashes of everything each output depends on, the previous build record and which
 * recorded outputs are still on disk (all read before), decide what to make and say why. No
 * I/O: unit-tested in test/unit/pipeline/plan-episode-build.test.ts. `castline build --dry-run`
 * prints this plan; the apply phase (build-episode.ts) carries it out.
 */

export const OUTPUTS = ['mp3', 'mp4', 'thumbnail', 'chapters', 'captions'] as const;
export type OutputName = (typeof OUTPUTS)[number];

/** Where each output of an episode goes (stable paths: DESIGN "Outputs"). */
export interface OutputPaths {
  dir: string;
  mp3: string;
  mp4: string;
  thumbnail: string;
  chapters: string;
  /** Chapter pictures, one JPEG per chapter id (chapters.json img, ID3 APIC). */
  chapterImages: string;
  vtt: string;
  srt: string;
}

export function outputPaths(root: string, id: string): OutputPaths {
  const dir = join(root, 'dist', 'episodes', id);
  return {
    dir,
    mp3: join(dir, `${id}.mp3`),
    mp4: join(dir, `${id}.mp4`),
    thumbnail: join(dir, 'thumbnail.jpg'),
    chapters: join(dir, 'chapters.json'),
    chapterImages: join(dir, 'chapters'),
    vtt: join(dir, 'transcript.vtt'),
    srt: join(dir, 'transcript.srt'),
  };
}

/** The files each output is (captions are two). */
export function outputFiles(paths: OutputPaths, output: OutputName): string[] {
  return output === 'captions' ? [paths.vtt, paths.srt] : [paths[output]];
}

/** Per output, named components ("audio", "tags", …) each with a hash. */
export type OutputKeys = Record<OutputName, Record<string, string>>;

export interface PlanStep {
  output: OutputName;
  action: 'build' | 'keep';
  reason: string;
}

export interface EpisodePlan {
  steps: PlanStep[];
  /** The loudness/pause analysis must run (its cached result is for other audio). */
  measure: boolean;
}

/** One episode's plan with what it was decided from (the apply phase records the keys). */
export interface EpisodeBuildPlan extends EpisodePlan {
  id: string;
  audioKey: string;
  keys: OutputKeys;
  /** Outputs to make, in plan order. */
  build: ReadonlySet<OutputName>;
}

/**
 * Plan one episode from its read inputs (pure: the inputs were read, hashed and probed, and
 * the outputs on disk compared with the record, by readEpisodeInputs).
 */
export function planEpisode(show: ShowConfig, inputs: EpisodeInputs, options: { force: boolean; captions: boolean }): EpisodeBuildPlan {
  const { audioKey, keys } = episodeKeys(show, inputs);
  const plan = planEpisodeBuild({ keys, previous: inputs.previous, missingOutputs: new Set(inputs.changedOutputs), captions: options.captions, audioKey, force: options.force });
  return { ...plan, id: inputs.episode.id, audioKey, keys, build: stepsToBuild(plan) };
}

const COMPONENT_WORDS: Record<string, string> = {
  audio: 'the recording or music changed',
  loudness: 'loudness or bitrate settings changed',
  tags: 'title, show details or cover changed',
  chapters: 'chapters changed',
  video: 'video settings changed',
  camera: 'the camera recording or how it is drawn changed',
  visuals: 'visuals, titles or fonts changed',
  figures: 'the figures of script.md, where their cues stand or video.figureSeconds changed',
  script: 'script.md changed',
  thumbnail: 'episode title, background or font changed',
  art: 'chapter pictures or links changed',
  speaker: 'the host named in the captions changed',
};

/** Flattened key names (`mp3.audio`, `captions.script`) as the reasons people read, each once. */
export function describeChangedKeys(names: readonly string[]): string {
  return [...new Set(names.map((n) => n.split('.').slice(1).join('.')).map((c) => COMPONENT_WORDS[c] ?? `${c} changed`))].join('; ');
}

/** Flatten keys for the record: `mp3.audio` → hash. */
export function flattenKeys(keys: OutputKeys): Record<string, string> {
  const out: Record<string, string> = {};
  for (const output of OUTPUTS) for (const [name, hash] of Object.entries(keys[output])) out[`${output}.${name}`] = hash;
  return out;
}

export function planEpisodeBuild(input: {
  keys: OutputKeys;
  previous: EpisodeBuild | undefined;
  /** Outputs whose file is missing or not the size the record says. */
  missingOutputs: ReadonlySet<OutputName>;
  /** The captions stage is available (not a placeholder). */
  captions: boolean;
  audioKey: string;
  force: boolean;
}): EpisodePlan {
  const { keys, previous, force } = input;
  const steps: PlanStep[] = OUTPUTS.filter((o) => o !== 'captions' || input.captions).map((output) => {
    if (force) return { output, action: 'build', reason: '--force' };
    if (!previous) return { output, action: 'build', reason: 'not built before' };
    if (input.missingOutputs.has(output)) return { output, action: 'build', reason: 'output file missing or changed since the last build' };
    const changed = Object.entries(keys[output])
      .filter(([name, hash]) => previous.inputHashes[`${output}.${name}`] !== hash)
      .map(([name]) => COMPONENT_WORDS[name] ?? `${name} changed`);
    if (changed.length) return { output, action: 'build', reason: [...new Set(changed)].join('; ') };
    return { output, action: 'keep', reason: 'unchanged' };
  });
  const needsAudio = steps.some((s) => s.action === 'build' && (s.output === 'mp3' || s.output === 'mp4' || s.output === 'chapters' || s.output === 'captions'));
  const measure = needsAudio && (force || previous?.measurement?.audioKey !== input.audioKey);
  // The MP3 and MP4 share one gain: when the audio is re-measured both must be re-encoded,
  // or one would keep a gain from a measurement that no longer exists.
  if (measure) {
    for (const s of steps) {
      if ((s.output === 'mp3' || s.output === 'mp4') && s.action === 'keep') {
        s.action = 'build';
        s.reason = 'the recording was re-analysed';
      }
    }
  }
  return { steps, measure };
}

/** Steps that must be (re)built. */
export function stepsToBuild(plan: EpisodePlan): Set<OutputName> {
  return new Set(plan.steps.filter((s) => s.action === 'build').map((s) => s.output));
}
