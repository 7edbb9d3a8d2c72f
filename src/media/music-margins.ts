/**
 * Where the speech sits in the published programme (intro music, speech, outro music, joined
 * with `acrossfade`: ffmpeg-filters "acrossfade", d = overlap in seconds). The intro's last
 * `crossfade` seconds lie under the first words, so the speech starts `lead` seconds in and
 * ends `tail` seconds before the end. A piece of music shorter than the crossfade adds nothing.
 * One helper for chapters, captions and the length estimate (they used to do this four times).
 */
export interface MusicLayout {
  /** Length of the intro music in seconds; undefined when the show has none. */
  introSeconds: number | undefined;
  outroSeconds: number | undefined;
  crossfade: number;
}

export function musicMargins(m: MusicLayout): { lead: number; tail: number } {
  const margin = (music: number | undefined): number => (music === undefined ? 0 : Math.max(0, music - m.crossfade));
  return { lead: margin(m.introSeconds), tail: margin(m.outroSeconds) };
}
