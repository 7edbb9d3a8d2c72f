import { escapeFilterValue, stripControl } from './ffmpeg/escape-filter.js';
import { loudnessFilter, type LoudnessPlan } from './loudness.js';
import type { Chapter } from '../records/build-record.js';
import { renderFilterChain, type Filter } from './filter-chain.js';

/**
 * Every ffmpeg command line of a build, as data (STYLE §3, after remotion's ffmpeg-args.ts).
 * Nothing here runs a process: `test/unit/media/encode-args.test.ts` checks these lists and
 * `src/media/ffmpeg/run-ffmpeg.ts` is the only place that spawns them.
 */

/** The published programme: optional intro, the speech (one file or takes in order), optional outro. */
export interface AudioProgram {
  speech: string[];
  intro?: string | undefined;
  outro?: string | undefined;
  /** Crossfade between music and speech, seconds (0 = butt join). */
  crossfade: number;
  sampleRate: number;
  channels: 1 | 2;
  /**
   * Per speech file (same order as `speech`): cleanup filters run on that take before it is
   * joined (high-pass, hum notches: plan-cleanup.ts). Music never gets any.
   */
  speechFilters?: readonly (readonly Filter[])[] | undefined;
}

export function programInputs(p: AudioProgram): string[] {
  return [p.intro, ...p.speech, p.outro].filter((f): f is string => f !== undefined).flatMap((f) => ['-i', f]);
}

/**
 * The filter graph that assembles the programme into `[prog]`: every input resampled to one
 * format (concat needs identical formats; ffmpeg-filters "concat"), takes concatenated, music
 * joined with `acrossfade` (ffmpeg-filters "acrossfade": d = overlap in seconds).
 */
export function programGraph(p: AudioProgram, detectSilentInputs = false): string {
  const layout = p.channels === 1 ? 'mono' : 'stereo';
  const files = [p.intro, ...p.speech, p.outro].filter((f) => f !== undefined);
  // volumedetect@inN names each input's meter in the log, so a silent take can be named.
  const detect = (i: number): string => (detectSilentInputs ? `,volumedetect@in${i}` : '');
  const first = p.intro ? 1 : 0;
  const cleanup = (i: number): string => {
    const filters = p.speechFilters?.[i - first];
    return i >= first && i < first + p.speech.length && filters?.length ? `,${renderFilterChain(filters)}` : '';
  };
  const parts = files.map((_, i) => `[${i}:a]aresample=${p.sampleRate},aformat=sample_fmts=fltp:channel_layouts=${layout}${detect(i)}${cleanup(i)}[s${i}]`);
  const speechLabels = p.speech.map((_, i) => `[s${first + i}]`).join('');
  parts.push(p.speech.length === 1 ? `${speechLabels}anull[speech]` : `${speechLabels}concat=n=${p.speech.length}:v=0:a=1[speech]`);
  let current = '[speech]';
  const join = (a: string, b: string, out: string): string =>
    p.crossfade > 0 ? `${a}${b}acrossfade=d=${p.crossfade}:c1=tri:c2=tri[${out}]` : `${a}${b}concat=n=2:v=0:a=1[${out}]`;
  if (p.intro) {
    parts.push(join('[s0]', current, 'withintro'));
    current = '[withintro]';
  }
  if (p.outro) {
    parts.push(join(current, `[s${files.length - 1}]`, 'withoutro'));
    current = '[withoutro]';
  }
  parts.push(`${current}anull[prog]`);
  return parts.join(';');
}

/** Pause detection (for estimated chapters) and ebur128 measurement in one decoding pass. */
export const SILENCE_NOISE_DB = -35;
export const SILENCE_MIN_SECONDS = 0.4;

/**
 * Programmes up to this long are their own loudness sample; longer ones are sampled. Each
 * probe branch costs about 0.4 s of a core per minute of sample (ebur128 resamples to 48 kHz
 * for its K-filter), so the sample is kept at two minutes: twelve 10 s chunks spread over
 * the programme, enough for a limiter's loss on speech (the loudest words recur everywhere).
 */
export const SAMPLE_WHOLE_SECONDS = 150;
export const SAMPLE_CHUNK_SECONDS = 10;
export const SAMPLE_CHUNKS = 12;
/** The encoders' probe: 30 s of the sample (three chunks): their loss is a property of the spectrum, not of the moment. */
export const ENCODER_PROBE_SECONDS = 30;

/** The programme's sampling: undefined (all of it) up to SAMPLE_WHOLE_SECONDS, else ~SAMPLE_CHUNKS chunks. */
export function programmeSampleEvery(duration: number): number | undefined {
  return duration <= SAMPLE_WHOLE_SECONDS ? undefined : sampleEvery(duration, SAMPLE_CHUNKS * SAMPLE_CHUNK_SECONDS);
}

/** Seconds a sample taken every `every` s from `duration` s holds. */
export function sampleSeconds(duration: number, every: number | undefined): number {
  if (every === undefined) return duration;
  const whole = Math.floor(duration / every);
  return whole * SAMPLE_CHUNK_SECONDS + Math.min(SAMPLE_CHUNK_SECONDS, duration - whole * every);
}

/** Every how many seconds a chunk is taken from a `duration`-second signal to keep `total` s of it; undefined: all of it. */
export function sampleEvery(duration: number, total: number): number | undefined {
  if (duration <= total) return undefined;
  return Math.max(SAMPLE_CHUNK_SECONDS + 1, Math.floor((duration / total) * SAMPLE_CHUNK_SECONDS * 1000) / 1000);
}

/** Keep SAMPLE_CHUNK_SECONDS of every `every` seconds, timestamps made continuous again. */
function chunkFilters(every: number | undefined): Filter[] {
  if (every === undefined) return [];
  return [
    { name: 'aselect', options: { expr: `lt(mod(t,${every}),${SAMPLE_CHUNK_SECONDS})` } },
    { name: 'asetpts', options: { expr: 'N/SR/TB' } },
  ];
}

/**
 * An ebur128 meter whose integrated loudness reaches `file` to 1/1000 LU (`metadata=1` puts
 * lavfi.r128.I on every frame, `ametadata` prints it; ffmpeg-filters "ebur128", "ametadata").
 * `peak`: which peaks the summary reports (true peak costs 4× oversampling).
 */
function meter(id: string, file: string, peak: 'none' | 'sample' | 'true' | 'sample+true'): Filter[] {
  return [
    { name: 'ebur128', id, options: { metadata: 1, framelog: 'verbose', ...(peak === 'none' ? {} : { peak }) } },
    { name: 'ametadata', options: { mode: 'print', key: 'lavfi.r128.I', file } },
  ];
}

/**
 * The analysis of the whole programme, one decoding pass: silencedetect (pauses for
 * estimated chapters), a level meter per input (a silent take is named), ebur128 with the
 * sample peak (loudness to 1/1000 LU in `files.meter`), and the loudness sample written to
 * `files.sample` (32-bit float WAV) for the probes that follow.
 */
export function measureArgs(p: AudioProgram, files?: { meter: string; sample: string; every: number | undefined }): string[] {
  const analysis = [
    { name: 'silencedetect', options: { noise: `${SILENCE_NOISE_DB}dB`, d: SILENCE_MIN_SECONDS } },
    ...(files ? meter('prog', files.meter, 'sample') : [{ name: 'ebur128', options: { peak: 'sample', framelog: 'verbose' } }]),
  ];
  if (!files) return [...programInputs(p), '-filter_complex', `${programGraph(p, true)};[prog]${renderFilterChain(analysis)}[out]`, '-map', '[out]', '-f', 'null', '-'];
  return [
    ...programInputs(p),
    '-filter_complex',
    `${programGraph(p, true)};[prog]asplit=2[an][sm];[an]${renderFilterChain(analysis)}[out];[sm]${renderFilterChain(chunkFilters(files.every))}[sample]`,
    '-map',
    '[out]',
    '-f',
    'null',
    '-',
    '-map',
    '[sample]',
    '-c:a',
    'pcm_f32le',
    '-f',
    'wav',
    '-y',
    files.sample,
  ];
}

/** The loudness sample alone (when the analysis is reused from the last build): one decoding pass. */
export function sampleArgs(p: AudioProgram, out: string, every: number | undefined): string[] {
  return [...programInputs(p), '-filter_complex', `${programGraph(p)};[prog]${renderFilterChain(chunkFilters(every))}[sample]`, '-map', '[sample]', '-c:a', 'pcm_f32le', '-f', 'wav', '-y', out];
}

function gainFilters(plan: LoudnessPlan): Filter[] {
  const out: Filter[] = [{ name: 'volume', options: { volume: `${plan.gainDb.toFixed(2)}dB` } }];
  if (plan.limiter) out.push({ name: 'alimiter', options: { limit: plan.limiter.limit, level: 0, attack: 5, release: 50 } });
  return out;
}

/**
 * The limiter curve: the sample metered as it is (`raw`) and after each gain + limiter
 * (`c0`, `c1`, …) in one pass over the small sample WAV (the branches share one decode).
 */
export function limiterCurveArgs(sample: string, plans: readonly LoudnessPlan[], files: { raw?: string | undefined; points: readonly string[] }): string[] {
  const branches = files.raw ? [renderFilterChain(meter('raw', files.raw, 'none'))] : [];
  plans.forEach((plan, i) => {
    const file = files.points[i];
    if (file === undefined) throw new Error(`no meter file for curve point ${i}`);
    branches.push(renderFilterChain([...gainFilters(plan), ...meter(`c${i}`, file, 'none')]));
  });
  const n = branches.length;
  const labels = Array.from({ length: n }, (_, i) => `[b${i}]`);
  return ['-i', sample, '-filter_complex', [`[0:a]asplit=${n}${labels.join('')}`, ...branches.map((b, i) => `[b${i}]${b}[o${i}]`)].join(';'), ...nullOutputs(n)];
}

/**
 * Every branch of a metering graph ends in an output (`[o0]`, `[o1]`, …) mapped to a null
 * muxer: measured, ffmpeg 4.1 never feeds a complex graph whose branches all end in sinks
 * when the input is also mapped directly, and the meters print nothing.
 */
function nullOutputs(n: number): string[] {
  return Array.from({ length: n }, (_, i) => ['-map', `[o${i}]`, '-f', 'null', '-']).flat();
}

export interface EncoderProbeFiles {
  /** The limited sample's meter (integrated to `file`, sample and true peak in the summary, instance `check`); without it, limitedCheckArgs meters it apart. */
  check?: string | undefined;
  /** The limited probe before encoding (instance `pre`). */
  pre: string;
  mp3?: string | undefined;
  aac?: string | undefined;
}

/**
 * The encoders' probe, one pass over the sample: the whole sample after gain + limiter
 * (instance `check`: loudness at this gain, and true vs sample peak), and 30 s of it
 * (chunks spread over the sample) metered (`pre`) and encoded exactly as the MP3 and the
 * AAC are (same codec arguments), into `files.mp3` / `files.aac` for `probeMeterArgs`.
 */
export function encoderProbeArgs(p: AudioProgram, sample: { path: string; seconds: number }, plan: LoudnessPlan, bitrateKbps: number, files: EncoderProbeFiles): string[] {
  const encoders = [files.mp3 && 'mp3', files.aac && 'aac'].filter((e): e is 'mp3' | 'aac' => Boolean(e));
  const every = sampleEvery(sample.seconds, ENCODER_PROBE_SECONDS);
  const graph = files.check
    ? [
        `[0:a]${renderFilterChain(gainFilters(plan))},asplit=2[chk][sub]`,
        `[chk]${renderFilterChain(meter('check', files.check, 'sample+true'))}[o0]`,
        `[sub]${renderFilterChain([...chunkFilters(every), { name: 'asplit', options: { outputs: encoders.length + 1 } }])}[pre]${encoders.map((e) => `[${e}in]`).join('')}`,
        `[pre]${renderFilterChain(meter('pre', files.pre, 'true'))}[o1]`,
      ]
    : [
        `[0:a]${renderFilterChain([...gainFilters(plan), ...chunkFilters(every), { name: 'asplit', options: { outputs: encoders.length + 1 } }])}[pre]${encoders.map((e) => `[${e}in]`).join('')}`,
        `[pre]${renderFilterChain(meter('pre', files.pre, 'true'))}[o0]`,
      ];
  const outputs: string[] = [];
  for (const e of encoders) {
    if (e === 'aac') {
      graph.push('[aacin]aresample=48000[aacout]');
      outputs.push('-map', '[aacout]', ...aacCodec(p), '-f', 'mp4', '-y', files.aac as string);
    } else outputs.push('-map', '[mp3in]', ...mp3Codec(p, bitrateKbps), '-f', 'mp3', '-y', files.mp3 as string);
  }
  return ['-i', sample.path, '-filter_complex', graph.join(';'), ...nullOutputs(files.check ? 2 : 1), ...outputs];
}

/**
 * The whole sample after gain + limiter, metered (instance `check`: loudness at this gain to
 * `file`, sample and true peak in the summary): encoderProbeArgs' check branch as a process
 * of its own, so that it runs beside the encoders' probe on the other core.
 */
export function limitedCheckArgs(sample: string, plan: LoudnessPlan, file: string): string[] {
  return ['-i', sample, '-filter_complex', `[0:a]${renderFilterChain([...gainFilters(plan), ...meter('check', file, 'sample+true')])}[o0]`, ...nullOutputs(1)];
}

/** Meter the encoded probes (instances `mp3` and `aac`; integrated to each `meter` file, true peak in the summary). */
export function probeMeterArgs(probes: readonly { name: 'mp3' | 'aac'; path: string; meter: string }[]): string[] {
  const graph = probes.map((pr, i) => `[${i}:a]${renderFilterChain(meter(pr.name, pr.meter, 'true'))}[o${i}]`);
  return [...probes.flatMap((pr) => ['-i', pr.path]), '-filter_complex', graph.join(';'), ...nullOutputs(probes.length)];
}

function mp3Codec(p: AudioProgram, bitrateKbps: number): string[] {
  return ['-c:a', 'libmp3lame', '-b:a', `${bitrateKbps}k`, '-ar', String(p.sampleRate), '-ac', String(p.channels)];
}

function aacCodec(p: AudioProgram): string[] {
  return ['-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', p.channels === 1 ? '128k' : '192k', '-ar', '48000', '-ac', String(p.channels)];
}

/**
 * Decode a finished file's first audio stream (MP3 or MP4), or a span of it, to 32-bit float
 * WAV on stdout for castline's meter (bs1770-meter.ts). `-flush_packets 0`: the pipe gets
 * full 32 KiB writes, not one per decoded frame (measured: a seventh of the reads).
 */
export function decodeForMeterArgs(file: string, part?: { start: number; duration?: number | undefined }): string[] {
  const range = part ? ['-ss', part.start.toFixed(3), ...(part.duration !== undefined ? ['-t', part.duration.toFixed(3)] : [])] : [];
  return [...range, '-i', file, '-map', '0:a:0', '-c:a', 'pcm_f32le', '-flush_packets', '0', '-bitexact', '-f', 'wav', 'pipe:1'];
}

/**
 * The podcast MP3: CBR at the show's bitrate (libmp3lame with -b:a is CBR), no ID3 tags from
 * ffmpeg (`-id3v2_version 0`, `-write_id3v1 0`): node-id3 writes ID3v2.3 with CHAP + CTOC
 * afterwards, because the bundled ffmpeg's MP3 muxer writes CHAP without CTOC.
 */
export function mp3Args(p: AudioProgram, loudness: LoudnessPlan, bitrateKbps: number, out: string): string[] {
  return [
    ...programInputs(p),
    '-filter_complex',
    `${programGraph(p)};[prog]${loudnessFilter(loudness)}[out]`,
    '-map',
    '[out]',
    ...mp3Codec(p, bitrateKbps),
    '-id3v2_version',
    '0',
    '-write_id3v1',
    '0',
    '-f',
    'mp3',
    '-y',
    out,
  ];
}

/** 8 kHz mono keeps the speech band (pauses are about energy, not timbre) at 1/5 the samples. */
export const ENVELOPE_RATE = 8000;
/** The captions' envelope PCM: mono, ENVELOPE_RATE, signed 16-bit (captions/decode-envelope.ts). */
export const ENVELOPE_PCM = ['-ac', '1', '-ar', String(ENVELOPE_RATE), '-f', 's16le', '-acodec', 'pcm_s16le'] as const;

/**
 * YouTube's recommended audio: AAC-LC, 48 kHz (support.google.com/youtube/answer/1722171).
 * With `envelope`, the same process also writes the gained programme as the captions'
 * envelope PCM to stdout: the captions then need no decode of their own, and are ready
 * when the AAC is, while the MP3 is still encoding on the other core.
 */
export function aacArgs(p: AudioProgram, loudness: LoudnessPlan, out: string, envelope = false): string[] {
  const tail = envelope ? ['-map', '[env]', ...ENVELOPE_PCM, 'pipe:1'] : [];
  return [
    ...programInputs(p),
    '-filter_complex',
    envelope ? `${programGraph(p)};[prog]${loudnessFilter(loudness)},asplit=2[a][env];[a]aresample=48000[out]` : `${programGraph(p)};[prog]${loudnessFilter(loudness)},aresample=48000[out]`,
    '-map',
    '[out]',
    ...aacCodec(p),
    '-f',
    'mp4',
    '-y',
    out,
    ...tail,
  ];
}

export interface FrameSize {
  width: number;
  height: number;
}

/** Scale and crop an image to fill the frame exactly (cover-fit), square pixels. */
function fillFrame(size: FrameSize): string {
  return `scale=${size.width}:${size.height}:force_original_aspect_ratio=increase,crop=${size.width}:${size.height},setsar=1`;
}

/** Fit an image inside the frame (letterboxed), for visuals whose edges matter. */
export function fitFrame(size: FrameSize): string {
  return `scale=${size.width}:${size.height}:force_original_aspect_ratio=decrease,pad=${size.width}:${size.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1`;
}

/** Greedy word wrap for titles drawn on cards (drawtext does not wrap). */
export function wrapTitle(title: string, maxChars: number, maxLines = 3): string[] {
  const words = stripControl(title).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > maxChars) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${(kept[maxLines - 1] ?? '').replace(/\s*\S*$/, '')}…`;
    return kept;
  }
  return lines;
}

export interface CardText {
  /** Large, centred, wrapped. */
  title: string;
  /** Small line at the top (the show's name). */
  kicker?: string | undefined;
  font: string;
}

/**
 * drawtext filters for a title card. Text reaches the graph only through escapeFilterValue,
 * with `expansion=none` so `%{…}` in a title is drawn, not evaluated (ffmpeg-filters
 * "drawtext", text expansion).
 */
export function cardTextFilters(text: CardText, size: FrameSize, titleFraction = 1 / 12): string[] {
  const { lines, titleSize } = fitTitle(text.title, size, titleFraction);
  // Boxes of neighbouring lines just touch: overlapping translucent boxes draw dark bands.
  const border = Math.round(titleSize / 8);
  const lineHeight = Math.round(titleSize * 1.45);
  const top = Math.round(size.height / 2 - (lines.length * lineHeight) / 2);
  const font = escapeFilterValue(text.font);
  const common = `fontfile=${font}:expansion=none:fontcolor=white:box=1:boxcolor=black@0.55`;
  const filters = lines.map((line, i) => `drawtext=${common}:boxborderw=${border}:fontsize=${titleSize}:x=(w-text_w)/2:y=${top + i * lineHeight}:text=${escapeFilterValue(line)}`);
  if (text.kicker) {
    const kickerSize = Math.round(size.height / 24);
    const kicker = wrapTitle(text.kicker, Math.floor((size.width * 0.9) / (kickerSize * 0.58)), 1)[0] ?? '';
    filters.unshift(`drawtext=${common}:boxborderw=${Math.round(kickerSize / 4)}:fontsize=${kickerSize}:x=(w-text_w)/2:y=${Math.round(size.height / 10)}:text=${escapeFilterValue(kicker)}`);
  }
  return filters;
}

/**
 * The largest title size, from `titleFraction` of the frame height down to 60 % of it, at
 * which the whole title fits in `maxLines` lines; only a title too long even then is cut with
 * an ellipsis. (A thumbnail that drops half the title is worse than a slightly smaller one.)
 */
export function fitTitle(title: string, size: FrameSize, titleFraction: number, maxLines = 3): { lines: string[]; titleSize: number } {
  const charsAt = (px: number): number => Math.max(10, Math.floor((size.width * 0.86) / (px * 0.58)));
  for (let fraction = titleFraction; fraction >= titleFraction * 0.6; fraction *= 0.9) {
    const titleSize = Math.round(size.height * fraction);
    const lines = wrapTitle(title, charsAt(titleSize), Number.POSITIVE_INFINITY);
    if (lines.length <= maxLines) return { lines, titleSize };
  }
  const titleSize = Math.round(size.height * titleFraction * 0.6);
  return { lines: wrapTitle(title, charsAt(titleSize), maxLines), titleSize };
}

/** H.264 High Profile, 4:2:0: YouTube's recommended upload video (support.google.com/youtube/answer/1722171). */
export const H264_HIGH: readonly string[] = ['-c:v', 'libx264', '-profile:v', 'high', '-pix_fmt', 'yuv420p'];

export interface ClipSpec {
  /** The visual, or the card background. */
  image: string;
  /** `image` is a video (screen recording, B-roll): its frames at `fps`, its sound dropped. */
  video?: boolean | undefined;
  /** Draw a title card over `image` (no own visual for this chapter). */
  card?: CardText | undefined;
  frames: number;
  fps: number;
  size: FrameSize;
}

/**
 * A short still clip, encoded once and then stream-copied to length (PERF.md: 19 s per 10 min
 * for a looped PNG vs < 1 s this way). One closed GOP with no B-frames, so the concat demuxer
 * can end a copy at any frame (a cut tail never leaves a frame without its reference).
 * H.264 High, yuv420p: YouTube's recommended upload encoding.
 */
export function clipArgs(spec: ClipSpec, out: string): string[] {
  // `loop` repeats the one prepared frame in memory: the image is decoded, scaled and titled
  // once, not per frame as with `-loop 1` on the input (3.6× faster for a 3000² PNG here).
  // A video visual runs at the episode's frame rate; when shorter than the clip, its frames
  // are repeated from the start (-stream_loop), and the concat list loops the clip as for stills.
  const filters = spec.video
    ? [`fps=fps=${spec.fps}`, fitFrame(spec.size), 'format=yuv420p']
    : [spec.card ? fillFrame(spec.size) : fitFrame(spec.size), ...(spec.card ? cardTextFilters(spec.card, spec.size) : []), 'format=yuv420p', `loop=loop=${spec.frames - 1}:size=1:start=0`];
  return [
    ...(spec.video ? ['-stream_loop', '-1'] : ['-framerate', String(spec.fps)]),
    '-i',
    spec.image,
    '-vf',
    filters.join(','),
    '-frames:v',
    String(spec.frames),
    '-r',
    String(spec.fps),
    ...H264_HIGH,
    '-preset',
    'medium',
    ...(spec.video ? [] : ['-tune', 'stillimage']),
    '-crf',
    '20',
    '-g',
    String(spec.frames),
    '-keyint_min',
    String(spec.frames),
    '-bf',
    '0',
    '-x264-params',
    'open-gop=0:scenecut=0',
    '-an',
    '-f',
    'mp4',
    '-y',
    out,
  ];
}

/** Longest still clip encoded per chapter, seconds; longer chapters repeat it. */
export const CLIP_SECONDS = 60;

/**
 * Frames chapter `c` covers at `fps`, rounded on the absolute time grid so they add up. The
 * last chapter ends on the frame at or before the audio's end: a stream-copied frame cannot
 * be shortened by `-t`, and one running past the audio would make the MP4 longer than it.
 */
export function chapterFrames(c: Chapter, fps: number, last = false): number {
  const end = last ? Math.floor(c.endTime * fps + 1e-6) : Math.round(c.endTime * fps);
  return Math.max(1, end - Math.round(c.startTime * fps));
}

/** Frames per still clip: CLIP_SECONDS, or less for an episode shorter than that. */
export function clipFrames(approxDurationSeconds: number, fps: number): number {
  return Math.max(1, Math.min(Math.round(CLIP_SECONDS * fps), Math.ceil(approxDurationSeconds * fps)));
}

/** A figure's window on the frame grid ([from, to) frame numbers) and its still clip. */
export interface FigureWindow {
  from: number;
  to: number;
  clip: { path: string; frames: number };
}

/**
 * The concat demuxer list that repeats each chapter's clip to the chapter's length
 * (ffmpeg-formats "concat": `file`, `outpoint`; paths single-quoted with ' as '\''). A
 * figure's window replaces its frames with the figure's own still clip (issue 15): every clip
 * is one closed GOP, so a run may start and end on any frame and the video is still copied.
 */
export function concatList(chapters: readonly Chapter[], clips: readonly { path: string; frames: number }[], fps: number, figures: readonly FigureWindow[] = []): string {
  const lines = ['ffconcat version 1.0'];
  const run = (clip: { path: string; frames: number }, frames: number): void => {
    const unit = Math.max(1, clip.frames);
    const quoted = `'${clip.path.replace(/'/g, "'\\''")}'`;
    for (let k = 0; k < Math.floor(frames / unit); k++) lines.push(`file ${quoted}`);
    const rest = frames % unit;
    if (rest) lines.push(`file ${quoted}`, `outpoint ${(rest / fps).toFixed(6)}`);
  };
  const windows = [...figures].sort((a, b) => a.from - b.from);
  chapters.forEach((c, i) => {
    const clip = clips[i];
    if (!clip) throw new Error(`no clip for chapter ${i}`);
    const from = Math.round(c.startTime * fps);
    const to = from + chapterFrames(c, fps, i === chapters.length - 1);
    let at = from;
    for (const w of windows) {
      const a = Math.max(w.from, at);
      const b = Math.min(w.to, to);
      if (b <= a) continue;
      if (a > at) run(clip, a - at);
      run(w.clip, b - a);
      at = b;
    }
    if (to > at) run(clip, to - at);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * The final MP4: video stream-copied from the concat list, AAC copied, chapters and tags from
 * an ffmetadata file; `-t` with the measured length (the bundled ffmpeg's `-shortest` is
 * wrong with looped stills); `+faststart` puts moov before mdat for streaming.
 */
export function muxArgs(input: { concatList: string; aac: string; ffmetadata: string; durationSeconds: number }, out: string): string[] {
  return finalMuxArgs(['-f', 'concat', '-safe', '0', '-i', input.concatList], input, out);
}

/**
 * The final MP4 from a video input (its options and `-i`, given), the AAC and the ffmetadata
 * file: everything stream-copied, cut to the audio's length, moov first.
 */
export function finalMuxArgs(videoInput: readonly string[], input: { aac: string; ffmetadata: string; durationSeconds: number }, out: string): string[] {
  return [
    ...videoInput,
    '-i',
    input.aac,
    '-f',
    'ffmetadata',
    '-i',
    input.ffmetadata,
    '-map',
    '0:v:0',
    '-map',
    '1:a:0',
    '-map_metadata',
    '2',
    '-map_chapters',
    '2',
    '-c',
    'copy',
    '-t',
    input.durationSeconds.toFixed(3),
    ...mp4Output(out),
  ];
}

/** How every MP4 castline writes ends: moov before mdat (`+faststart`: players and YouTube's processing start before the whole file is read), the mp4 muxer, the file. */
export function mp4Output(out: string): string[] {
  return ['-movflags', '+faststart', '-f', 'mp4', '-y', out];
}

/**
 * The thumbnail: 1280×720 JPEG (YouTube's size), the episode title at 1/8 of the height so it
 * stays legible at the ~168 px wide size YouTube shows in lists.
 */
export const THUMBNAIL_SIZE: FrameSize = { width: 1280, height: 720 };

/**
 * A chapter's picture (chapters.json `img`, the MP3's CHAP APIC): the section visual fitted, or
 * a title card, as a 1280×720 JPEG: the video's frame at the thumbnail's size, so the picture
 * an app shows during a chapter is the one the video shows.
 */
export const CHAPTER_IMAGE_SIZE: FrameSize = { width: 1280, height: 720 };

export function chapterImageArgs(spec: { image: string; card: CardText | undefined }, out: string): string[] {
  const size = CHAPTER_IMAGE_SIZE;
  const filters = [spec.card ? fillFrame(size) : fitFrame(size), ...(spec.card ? cardTextFilters(spec.card, size) : []), 'format=yuvj420p'];
  return ['-i', spec.image, '-vf', filters.join(','), '-frames:v', '1', '-q:v', '4', '-f', 'image2', '-y', out];
}

export function thumbnailArgs(image: string, card: CardText, out: string): string[] {
  return ['-i', image, '-vf', [fillFrame(THUMBNAIL_SIZE), ...cardTextFilters(card, THUMBNAIL_SIZE, 1 / 8), 'format=yuvj420p'].join(','), '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-y', out];
}
