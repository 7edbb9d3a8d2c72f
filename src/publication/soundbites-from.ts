import { cleanText } from '../core/clean-text.js';

/** A moment of an episode worth previewing: episode.yaml `soundbites`, or a clip (`castline clip`, episode.yaml `clips`). */
export interface SoundbiteSource {
  /** Seconds from the start of the published audio. */
  start: number;
  duration: number;
  title?: string | undefined;
}

/** Longest soundbite title aggregators keep (podcast namespace docs/tags/soundbite.md: "do not exceed 128 characters"). */
export const SOUNDBITE_TITLE_MAX = 128;

/**
 * The episode's podcast:soundbite list from every source that names a moment (pure): in time
 * order, each moment once (a clip cut from a listed soundbite is not a second soundbite), the
 * first source given naming it (episode.yaml soundbites before clips), the
 * title cleaned for XML and kept within the namespace's 128 characters. Clips feed this too:
 * pass `[...config.soundbites, ...clips]`.
 */
export function soundbitesFrom(sources: readonly SoundbiteSource[]): { start: number; duration: number; title?: string }[] {
  const seen = new Set<string>();
  const out: { start: number; duration: number; title?: string }[] = [];
  // Duplicates are judged in the order given (episode.yaml soundbites before clips): the first names the moment.
  for (const s of sources) {
    const start = round3(s.start);
    const duration = round3(s.duration);
    const key = `${start}/${duration}`;
    if (seen.has(key) || duration <= 0) continue;
    seen.add(key);
    const title = s.title ? [...cleanText(s.title).trim()].slice(0, SOUNDBITE_TITLE_MAX).join('') : '';
    out.push({ start, duration, ...(title ? { title } : {}) });
  }
  return out.sort((a, b) => a.start - b.start || a.duration - b.duration);
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
