import { H264_HIGH, mp4Output, wrapTitle } from '../media/encode-args.js';
import { escapeFilterValue } from '../media/ffmpeg/escape-filter.js';
import type { Cue } from '../captions/plan-cues.js';
import type { ClipPlan } from './plan-clip.js';

/**
 * A clip's ffmpeg command as data (STYLE §3): the episode's MP4 picture (camera, visual or
 * title card, whatever the episode shows) fitted into the clip's frame on black, the show's
 * name (and the clip's title) at the top, the captions of the span burned in large with the
 * `subtitles` filter (libass), an optional waveform of the sound, the audio's gain set from
 * the span's own loudness so each clip lands on the show's target.
 */

export interface ClipLayout {
  /** Where the episode's 16:9 picture goes. */
  video: { width: number; height: number; y: number };
  /** libass style: font size and bottom margin in its 288-line script space. */
  captions: { fontSize: number; marginV: number };
  waveform: { height: number; y: number };
  header: { fontSize: number; y: number };
}

/** The layouts, by format: vertical puts everything above and below the picture. */
export function clipLayout(plan: Pick<ClipPlan, 'format' | 'size'>): ClipLayout {
  const { width, height } = plan.size;
  if (plan.format === 'landscape') {
    return { video: { width, height, y: 0 }, captions: { fontSize: 14, marginV: 18 }, waveform: { height: 120, y: height - 140 }, header: { fontSize: 40, y: 36 } };
  }
  const videoHeight = Math.round((width * 9) / 16 / 2) * 2;
  if (plan.format === 'square') {
    return { video: { width, height: videoHeight, y: 150 }, captions: { fontSize: 13, marginV: 10 }, waveform: { height: 90, y: 150 + videoHeight + 10 }, header: { fontSize: 44, y: 40 } };
  }
  // vertical: picture at 26 %–58 %, captions below it, ending 300 px above the bottom, waveform under them.
  return { video: { width, height: videoHeight, y: 500 }, captions: { fontSize: 11, marginV: 48 }, waveform: { height: 140, y: height - 260 }, header: { fontSize: 56, y: 150 } };
}

/** SubRip for libass: `{…}` would be an override block and `\N` a line break, so those characters are swapped for look-alikes. */
export function libassSafe(text: string): string {
  return text.replace(/\{/g, '❴').replace(/\}/g, '❵').replace(/\\/g, '⧵');
}

export interface ClipSources {
  /** The episode's MP4 (picture and normalized sound). */
  mp4: string;
  /** SubRip file of the clip's cues in clip time, or undefined when the episode has no captions. */
  srt: string | undefined;
  font: string;
  fontsDir: string;
  showName: string;
  /** Gain + limiter for the span (loudness.ts loudnessFilter). */
  loudness: string;
  fps: number;
}

export function clipArgs(plan: ClipPlan, src: ClipSources, out: string): string[] {
  const { width, height } = plan.size;
  const layout = clipLayout(plan);
  const font = escapeFilterValue(src.font);
  const text = (value: string, size: number, y: number): string =>
    `drawtext=fontfile=${font}:expansion=none:fontcolor=white:fontsize=${size}:x=(w-text_w)/2:y=${y}:text=${escapeFilterValue(value)}`;
  const maxChars = Math.max(10, Math.floor((width * 0.9) / (layout.header.fontSize * 0.6)));
  const header = [text(wrapTitle(src.showName, maxChars, 1)[0] ?? '', Math.round(layout.header.fontSize * 0.7), layout.header.y)];
  if (plan.title) {
    wrapTitle(plan.title, maxChars, 2).forEach((line, i) => header.push(text(line, layout.header.fontSize, layout.header.y + Math.round(layout.header.fontSize * (1.1 + i * 1.25)))));
  }
  const style = `FontName=DejaVu Sans,Bold=1,Fontsize=${layout.captions.fontSize},PrimaryColour=&H00FFFFFF,OutlineColour=&H00000000,BorderStyle=1,Outline=2,Shadow=0,Alignment=2,MarginV=${layout.captions.marginV}`;
  const subtitles = src.srt ? [`subtitles=filename=${escapeFilterValue(src.srt)}:fontsdir=${escapeFilterValue(src.fontsDir)}:original_size=${width}x${height}:force_style=${escapeFilterValue(style)}`] : [];
  const graph = [
    `color=c=black:s=${width}x${height}:r=${src.fps}[bg]`,
    `[0:v]scale=${layout.video.width}:${layout.video.height}:force_original_aspect_ratio=decrease,pad=${layout.video.width}:${layout.video.height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1[pic]`,
    `[0:a]${src.loudness},aresample=48000,asplit=2[aout][awave]`,
    `[bg][pic]overlay=x=0:y=${layout.video.y}:shortest=1,${[...header, ...subtitles].join(',')}[titled]`,
  ];
  if (plan.waveform) {
    graph.push(`[awave]showwaves=s=${width}x${layout.waveform.height}:mode=cline:colors=white@0.8:r=${src.fps}[wave]`, `[titled][wave]overlay=x=0:y=${layout.waveform.y}:shortest=1,format=yuv420p[vout]`);
  } else graph.push('[awave]anullsink', '[titled]format=yuv420p[vout]');
  return [
    '-ss',
    plan.start.toFixed(3),
    '-t',
    plan.duration.toFixed(3),
    '-i',
    src.mp4,
    '-filter_complex',
    graph.join(';'),
    '-map',
    '[vout]',
    '-map',
    '[aout]',
    '-t',
    plan.duration.toFixed(3),
    ...H264_HIGH,
    '-preset',
    'veryfast',
    '-crf',
    '20',
    '-r',
    String(src.fps),
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-ar',
    '48000',
    ...mp4Output(out),
  ];
}

/**
 * The clip's sound alone, through the same gain, limiter and AAC encoder as the clip (a few
 * seconds of audio: far cheaper than the picture), metered with true peak: what make-clip
 * corrects the gain from before the one real encode.
 */
export function clipLoudnessProbeArgs(plan: Pick<ClipPlan, 'start' | 'duration'>, mp4: string, loudness: string, out: string): string[] {
  return ['-ss', plan.start.toFixed(3), '-t', plan.duration.toFixed(3), '-i', mp4, '-map', '0:a:0', '-af', `${loudness},aresample=48000`, '-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-f', 'mp4', '-y', out];
}

/** The clip's cues as SubRip for libass (times in clip time). */
export function clipSrt(cues: readonly Cue[], formatSrt: (cues: readonly Cue[]) => string): string {
  return formatSrt(cues.map((c) => ({ ...c, lines: c.lines.map(libassSafe) })));
}
