/**
 * ffmpeg `-progress URL` writes blocks of `key=value` lines ending with `progress=continue`
 * or `progress=end` (ffmpeg docs, "-progress url"). Pure: the runner feeds it the progress lines.
 */
export interface FfmpegProgress {
  /** Seconds of output written so far. */
  outSeconds: number;
  /** Encoding speed as a multiple of realtime (`speed=12.3x`), when known. */
  speed: number | undefined;
  done: boolean;
}

/** Parse one or more progress blocks; returns the last complete block's values, if any. */
export function parseFfmpegProgress(text: string): FfmpegProgress | undefined {
  let last: FfmpegProgress | undefined;
  let outSeconds = 0;
  let speed: number | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    // out_time_ms is in microseconds despite its name (a long-standing ffmpeg quirk).
    if (key === 'out_time_us' || key === 'out_time_ms') {
      const n = Number(value);
      if (Number.isFinite(n) && n >= 0) outSeconds = n / 1e6;
    } else if (key === 'speed') {
      const n = Number.parseFloat(value);
      speed = Number.isFinite(n) ? n : undefined;
    } else if (key === 'progress') {
      last = { outSeconds, speed, done: value === 'end' };
    }
  }
  return last;
}

/** Split growing progress text into complete progress blocks and the unfinished rest. */
export function takeProgressBlocks(buffer: string): { blocks: string; rest: string } {
  const end = buffer.lastIndexOf('progress=');
  if (end < 0) return { blocks: '', rest: buffer };
  const lineEnd = buffer.indexOf('\n', end);
  if (lineEnd < 0) return { blocks: '', rest: buffer };
  return { blocks: buffer.slice(0, lineEnd + 1), rest: buffer.slice(lineEnd + 1) };
}

/**
 * The keys of a `-progress` block (ffmpeg's print_report, fftools/ffmpeg.c in 4.x). The runner
 * writes progress to stderr (`-progress pipe:2`, so stdout stays free for decoded data) and
 * tells these lines apart from ffmpeg's log with this test.
 */
const PROGRESS_LINE = /^(frame|fps|stream_\d+_\d+_q|bitrate|total_size|out_time_us|out_time_ms|out_time|dup_frames|drop_frames|speed|progress)=/;

export function isProgressLine(line: string): boolean {
  return PROGRESS_LINE.test(line);
}
