/** `m:ss`, or `h:mm:ss` from an hour on: how players, YouTube and the script show times. */
function clock(wholeSeconds: number): string {
  const h = Math.floor(wholeSeconds / 3600);
  const m = Math.floor((wholeSeconds % 3600) / 60);
  const sec = String(wholeSeconds % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A position (chapter start): rounded down, so a mark is never shown later than it is. */
export function formatTimestamp(seconds: number): string {
  return clock(Math.max(0, Math.floor(seconds)));
}

/** A length (episode, estimate, ETA): rounded to the nearest second. 151.4 → "2:31". */
export function formatDuration(seconds: number): string {
  return clock(Math.max(0, Math.round(seconds)));
}
