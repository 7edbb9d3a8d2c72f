import { renderFilterChain, type Filter } from './filter-chain.js';
import { HUM_PROBE_SECONDS, LEVEL_FRAME_SECONDS, humProbeFrequencies, voiceBandFilters } from './plan-cleanup.js';

/**
 * The command lines of speech cleanup, as data (STYLE §3), and the parsers of what they print.
 * Graphs are built from Filter data (filter-chain.ts): paths and expressions reach them only
 * through escapeFilterValue. Nothing here spawns.
 */

export interface TakeFormat {
  sampleRate: number;
  channels: 1 | 2;
}

function formatFilters(f: TakeFormat): Filter[] {
  return [
    { name: 'aresample', options: { osr: f.sampleRate } },
    { name: 'aformat', options: { sample_fmts: 'fltp', channel_layouts: f.channels === 1 ? 'mono' : 'stereo' } },
  ];
}

/** Rate the hum probe works at: its highest band (187 Hz) is far below Nyquist, and it costs 1/22 of 44.1 kHz. */
const PROBE_RATE = 2000;
/** Narrow bands (1.5 Hz) so speech between harmonics stays out; astats' trough over 0.5 s windows. */
const PROBE_BAND_HZ = 1.5;
const PROBE_WINDOW_SECONDS = 0.5;

/** astats instance id of input `i`'s band at `f` Hz. */
export function humMeterId(input: number, f: number): string {
  return `hum${input}f${f}`;
}

/**
 * The hum probe graph for input `index` reading from `from`: the first HUM_PROBE_SECONDS,
 * resampled to 2 kHz, split into narrow band-passes at each harmonic of 50/60 Hz and beside
 * them, each metered by astats (ffmpeg-filters "bandpass", "astats": "RMS trough").
 */
export function humProbeGraph(from: string, index: number): string {
  const freqs = humProbeFrequencies();
  const head = renderFilterChain([
    { name: 'atrim', options: { duration: HUM_PROBE_SECONDS } },
    { name: 'aresample', options: { osr: PROBE_RATE } },
    { name: 'aformat', options: { sample_fmts: 'flt', channel_layouts: 'mono' } },
    { name: 'asplit', options: { outputs: freqs.length } },
  ]);
  const labels = freqs.map((f) => `[hp${index}_${f}]`);
  const bands = freqs.map(
    (f, k) =>
      `${labels[k]}${renderFilterChain([
        { name: 'bandpass', options: { f, width_type: 'h', w: PROBE_BAND_HZ } },
        { name: 'astats', id: humMeterId(index, f), options: { length: PROBE_WINDOW_SECONDS, metadata: 0 } },
        { name: 'anullsink', options: {} },
      ])}`,
  );
  return [`${from}${head}${labels.join('')}`, ...bands].join(';');
}

/**
 * Output options of a run whose graph ends in sinks (`-f null -` with nothing mapped): keep
 * ffmpeg's default stream selection off the input's video, subtitles and data (ffmpeg
 * "Stream selection"), so only its sound is decoded.
 */
const NO_PICTURE = ['-vn', '-sn', '-dn'];

/** One process probing every speech file for hum (cheap: 2 min of each at 2 kHz). */
export function humProbeArgs(files: readonly string[]): string[] {
  // Each input read for HUM_PROBE_SECONDS only (input -t), and no picture decoded: the graph
  // ends in sinks, so the null output would otherwise take the file's video by ffmpeg's
  // default stream selection and decode all of it (a camera recording as the speech: measured
  // 25 s of a 60 s build for one minute of 1080p, a full decode of an hour for an hour).
  return [...files.flatMap((f) => ['-t', String(HUM_PROBE_SECONDS), '-i', f]), '-filter_complex', files.map((_, i) => humProbeGraph(`[${i}:a]`, i)).join(';'), ...NO_PICTURE, '-f', 'null', '-'];
}

/** `[astats@hum0f50 @ 0x…] RMS trough dB: -37.1` → per input, frequency → dB (the Overall line is printed last). */
export function parseHumTroughs(stderr: string, inputs: number): Map<number, number>[] {
  const out = Array.from({ length: inputs }, () => new Map<number, number>());
  for (const m of stderr.matchAll(/\[astats@hum(\d+)f(\d+) @ [^\]]*\] RMS trough dB: (-?[\d.]+|-?inf)/g)) {
    const map = out[Number(m[1])];
    if (map) map.set(Number(m[2]), /inf/.test(m[3] ?? '') ? Number.NEGATIVE_INFINITY : Number(m[3]));
  }
  return out;
}

/**
 * RMS level per 100 ms frame of the voice band written to `file` (ffmpeg-filters "astats" with `reset=1` and
 * metadata, printed by "ametadata" to a file: the stderr of a long run would be cut), then
 * ebur128 for the loudness range, instance `name`.
 */
function levelMeter(format: TakeFormat, file: string, name: string): Filter[] {
  return [
    ...voiceBandFilters(),
    { name: 'asetnsamples', options: { n: Math.round(format.sampleRate * LEVEL_FRAME_SECONDS), p: 0 } },
    { name: 'astats', options: { metadata: 1, reset: 1 } },
    { name: 'ametadata', options: { mode: 'print', key: 'lavfi.astats.Overall.RMS_level', file } },
    { name: 'ebur128', id: name, options: { framelog: 'verbose' } },
    { name: 'anullsink', options: {} },
  ];
}

/** The analysis of one take before cleanup: levels per frame, loudness range, hum bands. */
export function analyseTakeArgs(file: string, format: TakeFormat, levelsFile: string): string[] {
  const graph = [
    `[0:a]${renderFilterChain([...formatFilters(format), { name: 'asplit', options: { outputs: 2 } }])}[lv][hum]`,
    `[lv]${renderFilterChain(levelMeter(format, levelsFile, 'before'))}`,
    humProbeGraph('[hum]', 0),
  ].join(';');
  return ['-i', file, '-filter_complex', graph, ...NO_PICTURE, '-f', 'null', '-'];
}

/**
 * The cleaned take: the chain, then a split into the output (32-bit float WAV: no rounding
 * before the loudness gain) and the same level meter as before, so before/after compare like
 * with like. The graph goes in a script file (`-filter_complex_script`): an hour's cut list is
 * longer than one argument may be.
 */
export function renderTakeGraph(chain: readonly Filter[], format: TakeFormat, levelsFile: string): string {
  return [`[0:a]${renderFilterChain([...formatFilters(format), ...chain, { name: 'asplit', options: { outputs: 2 } }])}[out][m]`, `[m]${renderFilterChain(levelMeter(format, levelsFile, 'after'))}`].join(';\n');
}

export function renderTakeArgs(file: string, graphScript: string, out: string): string[] {
  return ['-i', file, '-filter_complex_script', graphScript, '-map', '[out]', '-c:a', 'pcm_f32le', '-f', 'wav', '-y', out];
}

/** The levels ametadata wrote: `lavfi.astats.Overall.RMS_level=-54.9` per frame, in order. */
export function parseLevels(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^lavfi\.astats\.Overall\.RMS_level=(-?[\d.]+|-?inf|nan)$/gm)) {
    const v = m[1] ?? '';
    out.push(/inf|nan/.test(v) ? Number.NEGATIVE_INFINITY : Number(v));
  }
  return out;
}
