import type { EpisodeBuild } from '../media/build-record.js';

/**
 * The pure middle of `castline build` (STYLE §1, after changesets' assembleReleasePlan): from
 * the hashes of everything each output depends on, and the previous build record, decide what
 * to make and say why. No I/O: unit-tested in test/unit/media/plan-episode-build.test.ts.
 */

export const OUTPUTS = ['mp3', 'mp4', 'thumbnail', 'chapters', 'captions'] as const;
export type OutputName = (typeof OUTPUTS)[number];

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

const COMPONENT_WORDS: Record<string, string> = {
  audio: 'the recording or music changed',
  loudness: 'loudness or bitrate settings changed',
  tags: 'title, show details or cover changed',
  chapters: 'chapters changed',
  video: 'video settings changed',
  visuals: 'visuals, titles or fonts changed',
  script: 'script.md changed',
  thumbnail: 'episode title, background or font changed',
};

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
