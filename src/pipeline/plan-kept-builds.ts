import { distRelative, type EpisodeBuild, type OutputFile } from '../records/build-record.js';
import type { DeployRecord } from '../deploy/deploy-record.js';
import { describeChangedKeys } from './plan-episode-build.js';

/**
 * Whether an episode that has no build in dist/ can be kept as deployed (pure). A fresh clone
 * (CI) reads the build records back from the deploy target (deploy/remote-build-state.ts); an
 * episode is "kept on the target" — not encoded, not uploaded again, its feed item and pages
 * written from the record — only when all of these hold:
 *  - the record was built from the same inputs and settings (every input key matches; when
 *    the caller has no keys, as `castline deploy` without a build, the deployed build is what
 *    there is and is kept as it is, like a dist/ that was not rebuilt);
 *  - the target still has every file the record names, with the recorded size and SHA-256
 *    (the deploy record says so); a missing or different file means the episode is built
 *    here and uploaded again, and the reason says which file;
 *  - the episode's media are not needed here: an episode whose video is not on YouTube yet
 *    needs its MP4 in dist/ to upload it, so it is built here.
 */
export interface KeptBuildInput {
  id: string;
  /** The deployed build record (read back from the target, or an earlier restore in dist/). */
  candidate: EpisodeBuild;
  /** The input keys this build would record (flattenKeys), or undefined to keep whatever is deployed. */
  keys: Record<string, string> | undefined;
  /** What the target holds; undefined when the candidate is an earlier restore (the deploy checks it). */
  deployed: DeployRecord | undefined;
  /** The MP3/MP4 must be in dist/ (a YouTube upload still to do). */
  needsLocalMedia: boolean;
  target: string;
}

export type KeptBuildDecision =
  | { id: string; action: 'keep'; reason: string; downloads: OutputFile[] }
  | { id: string; action: 'build'; reason: string };

/** Outputs that stay on the target only; every other output (all small) is downloaded into dist/. */
const REMOTE_ONLY = new Set(['mp3', 'mp4']);

export function planKeptBuild(input: KeptBuildInput): KeptBuildDecision {
  const { id, candidate, keys, deployed, target } = input;
  if (keys) {
    const changed = Object.entries(keys).filter(([k, v]) => candidate.inputHashes[k] !== v).map(([k]) => k);
    if (changed.length) return { id, action: 'build', reason: `the build deployed to ${target} is for other inputs (${describeChangedKeys(changed)})` };
  }
  const outputs = Object.entries(candidate.outputs).filter((e): e is [string, OutputFile] => e[1] !== undefined);
  if (deployed) {
    for (const [, file] of outputs) {
      const rel = distRelative(file);
      const there = deployed.files[rel];
      if (!there) return { id, action: 'build', reason: `${target} does not have ${rel}, which its deployed build record names: built here and uploaded again` };
      if (there.bytes !== file.bytes || there.sha256 !== file.sha256) return { id, action: 'build', reason: `${rel} on ${target} is not the file its deployed build record names: built here and uploaded again` };
    }
  }
  if (input.needsLocalMedia && candidate.outputs.mp4) return { id, action: 'build', reason: 'its video is not on YouTube yet, so the MP4 is made here (castline does not download deployed media)' };
  return {
    id,
    action: 'keep',
    reason: `deployed to ${target} with the same inputs: not encoded or uploaded again`,
    downloads: deployed ? outputs.filter(([name]) => !REMOTE_ONLY.has(name)).map(([, f]) => f) : [],
  };
}
