export interface Silence {
  start: number;
  end: number;
}

/**
 * Parse `silencedetect` lines from ffmpeg's stderr (pure, unit-tested). The build runs
 * silencedetect inside its one analysis pass (measure-programme.ts) and parses it here.
 */
export function parseSilenceDetect(stderr: string, totalDuration?: number): Silence[] {
  const out: Silence[] = [];
  let start: number | undefined;
  for (const line of stderr.split('\n')) {
    const s = /silence_start: (-?[\d.]+)/.exec(line);
    if (s?.[1]) {
      start = Math.max(0, Number(s[1]));
      continue;
    }
    const e = /silence_end: ([\d.]+)/.exec(line);
    if (e?.[1] && start !== undefined) {
      out.push({ start, end: Number(e[1]) });
      start = undefined;
    }
  }
  if (start !== undefined && totalDuration !== undefined) out.push({ start, end: totalDuration });
  return out;
}
