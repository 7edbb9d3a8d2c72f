import type { Chapter } from '../records/build-record.js';
import { H264_HIGH, finalMuxArgs, fitFrame, wrapTitle, type FrameSize } from './encode-args.js';
import { escapeFilterValue } from './ffmpeg/escape-filter.js';
import type { ProbeResult } from './ffmpeg/probe.js';
import type { InsetBox } from './plan-figures.js';

/**
 * The camera episode's video (issue 15) as data: what the camera file is, whether its H.264
 * can go to YouTube as it is (stream copy) or must be re-encoded, the lower thirds, and the
 * ffmpeg argument lists. Nothing here runs a process (encode-args.ts's rule, STYLE §3).
 */

export interface CameraStream {
  codec: string;
  profile: string;
  pixFmt: string;
  /** Coded size. */
  codedWidth: number;
  codedHeight: number;
  /** Size as shown, after the rotation metadata is applied. */
  width: number;
  height: number;
  /** Degrees clockwise from the display matrix or the `rotate` tag (0, 90, 180, 270). */
  rotation: number;
  /** Frame rate as ffmpeg writes it (`30/1`, `30000/1001`), and as a number. */
  rate: string;
  fps: number;
  /** r_frame_rate and avg_frame_rate disagree: the file's frames are not evenly spaced. */
  variableRate: boolean;
  hasAudio: boolean;
}

function parseRate(rate: string | undefined): number {
  const [n, d] = (rate ?? '').split('/').map(Number);
  return n && d ? n / d : Number.NaN;
}

/** The camera file's picture from its probe; undefined when it has none. */
export function describeCamera(probe: ProbeResult): CameraStream | undefined {
  const v = probe.streams.find((s) => s.codec_type === 'video' && !s.disposition?.['attached_pic']);
  if (!v?.width || !v.height) return undefined;
  const side = (v as { side_data_list?: { rotation?: number }[] }).side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  // The `rotate` tag, else the display matrix as ffprobe prints it; only whether it is a
  // quarter turn (width and height swap) matters here: ffmpeg's autorotate applies it.
  const raw = v.tags?.['rotate'] !== undefined ? Number(v.tags['rotate']) : (side ?? 0);
  const rotation = (((Math.round(raw / 90) * 90) % 360) + 360) % 360;
  const turned = rotation === 90 || rotation === 270;
  const r = parseRate((v as { r_frame_rate?: string }).r_frame_rate);
  const avg = parseRate(v.avg_frame_rate);
  const fps = Number.isFinite(avg) && avg > 0 ? avg : r;
  const variableRate = Number.isFinite(r) && Number.isFinite(avg) && Math.abs(r - avg) > 0.01 * r;
  // A variable-rate file is made constant at its average rate, rounded (YouTube: "the same frame rate as recorded").
  const whole = Math.min(60, Math.max(1, Math.round(fps || 30)));
  const rate = variableRate || !Number.isFinite(fps) ? `${whole}/1` : ((v as { r_frame_rate?: string }).r_frame_rate ?? `${whole}/1`);
  return {
    codec: v.codec_name ?? '',
    profile: v.profile ?? '',
    pixFmt: v.pix_fmt ?? '',
    codedWidth: v.width,
    codedHeight: v.height,
    width: turned ? v.height : v.width,
    height: turned ? v.width : v.height,
    rotation,
    rate: parseRate(rate) > 60 ? '60/1' : rate,
    fps: Math.min(60, parseRate(rate)),
    variableRate,
    hasAudio: probe.streams.some((s) => s.codec_type === 'audio'),
  };
}

/**
 * Why the camera's video cannot be stream-copied to YouTube as it is; empty when it can.
 * YouTube's recommended upload encoding (support.google.com/youtube/answer/1722171): H.264,
 * progressive, High Profile, 4:2:0 chroma, the frame rate it was recorded at; castline adds
 * what a copy cannot change: the frame size it was asked for, no rotation to apply.
 */
export function copyBlockers(cam: CameraStream, size: FrameSize): string[] {
  const reasons: string[] = [];
  if (cam.codec !== 'h264') reasons.push(`the camera's video is ${cam.codec || 'not H.264'}, not H.264`);
  else if (cam.profile !== 'High') reasons.push(`H.264 ${cam.profile || 'of unknown profile'}, not High Profile`);
  if (cam.pixFmt !== 'yuv420p') reasons.push(`${cam.pixFmt || 'unknown'} pixels, not 4:2:0 (yuv420p)`);
  if (cam.rotation) reasons.push(`rotated ${cam.rotation}° by metadata`);
  if (cam.width !== size.width || cam.height !== size.height) reasons.push(`${cam.width}×${cam.height}, not video.width×height ${size.width}×${size.height}`);
  if (cam.variableRate) reasons.push('variable frame rate');
  return reasons;
}

export interface LowerThird {
  title: string;
  start: number;
  end: number;
}

/**
 * A lower third per chapter: from half a second into the chapter for `seconds`, cut short by
 * the next chapter or the end; shorter than a second is left out (unreadable).
 */
export function planLowerThirds(chapters: readonly Chapter[], seconds: number, durationSeconds: number): LowerThird[] {
  return chapters
    .map((c, i) => {
      const start = c.startTime + 0.5;
      const end = Math.min(start + seconds, chapters[i + 1]?.startTime ?? durationSeconds, durationSeconds);
      return { title: c.title, start, end };
    })
    .filter((t) => t.end - t.start >= 1);
}

/** Where a lower third's text sits (the test compares this region with the camera's frame). */
export function lowerThirdBox(size: FrameSize): { x: number; y: number; fontSize: number; border: number } {
  const fontSize = Math.round(size.height / 20);
  return { x: Math.round(size.width * 0.05), y: Math.round(size.height * 0.8), fontSize, border: Math.round(fontSize / 3) };
}

/**
 * drawtext filters for the lower thirds, each shown only in its window (`enable`, ffmpeg
 * timeline editing). Titles reach the graph as on title cards: control characters stripped
 * (wrapTitle), one line cut with an ellipsis, escapeFilterValue, `expansion=none`.
 */
export function lowerThirdFilters(thirds: readonly LowerThird[], font: string, size: FrameSize): string[] {
  const { x, y, fontSize, border } = lowerThirdBox(size);
  const maxChars = Math.max(10, Math.floor((size.width * 0.88) / (fontSize * 0.58)));
  return thirds.map((t) => {
    const line = wrapTitle(t.title, maxChars, 1)[0] ?? '';
    const enable = escapeFilterValue(`between(t,${t.start.toFixed(3)},${t.end.toFixed(3)})`);
    return `drawtext=fontfile=${escapeFilterValue(font)}:expansion=none:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${border}:fontsize=${fontSize}:x=${x}:y=${y}:text=${escapeFilterValue(line)}:enable=${enable}`;
  });
}

/** What the camera's picture shows and how far it runs (seconds of output). */
export interface CameraPicture {
  thirds: LowerThird[];
  /** Figures shown as insets (issue 15); a picture made before the analysis has none. */
  figures?: CameraFigure[];
  durationSeconds: number;
}

/**
 * A picture made early still stands when it shows the same lower thirds (to half a frame)
 * and runs at least as long as the measured audio.
 */
export function pictureStands(made: CameraPicture & { until: number }, wanted: CameraPicture, fps: number): boolean {
  const slack = 0.5 / fps;
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= slack;
  return (
    made.until >= wanted.durationSeconds &&
    made.thirds.length === wanted.thirds.length &&
    made.thirds.every((t, i) => {
      const w = wanted.thirds[i];
      return w !== undefined && t.title === w.title && close(t.start, w.start) && close(t.end, w.end);
    })
  );
}

export interface CameraVideoPlan {
  mode: 'copy' | 'encode';
  /** Why the video is re-encoded (empty for a copy). */
  reasons: string[];
  /** Camera seconds shown at output time 0 (negative: the picture starts that much later). */
  shift: number;
}

/**
 * Copy or re-encode: a copy keeps every frame as the camera wrote it, so it needs video that
 * is already YouTube's, no overlay, and a picture that starts exactly with the audio (a copy
 * can only start on a keyframe, and YouTube asks for no edit lists to fake another start).
 */
export function planCameraVideo(cam: CameraStream, size: FrameSize, shift: number, overlays: number, figures = 0): CameraVideoPlan {
  const reasons = copyBlockers(cam, size);
  if (overlays) reasons.push(`${overlays} lower third${overlays > 1 ? 's' : ''} drawn over it`);
  if (figures) reasons.push(`${figures} figure${figures > 1 ? 's' : ''} shown over it`);
  if (Math.abs(shift) > 0.0005) reasons.push(`the picture is shifted ${shift.toFixed(3)} s to line up with the audio`);
  return { mode: reasons.length ? 'encode' : 'copy', reasons, shift };
}

export interface CameraFigure {
  path: string;
  start: number;
  end: number;
  box: InsetBox;
}

export interface CameraEncode {
  camera: string;
  cam: CameraStream;
  shift: number;
  size: FrameSize;
  /** Filters drawn over the scaled picture (lower thirds). */
  overlays: readonly string[];
  /** Figures shown as insets (issue 15), each its own image input, over the picture and under the lower thirds. */
  figures?: readonly CameraFigure[] | undefined;
  durationSeconds: number;
  preset: string;
  crf: number;
}

/** The filter chain of the camera's picture: timeline shift, constant rate, fit to the frame, overlays. */
export function cameraVideoChain(spec: Omit<CameraEncode, 'camera' | 'durationSeconds' | 'preset' | 'crf'>): string {
  // -ss (input option) seeks forward; a later start is padded by fps's start_time with the
  // first frame (the bundled ffmpeg has no tpad). Rotation is applied by ffmpeg's autorotate.
  const delay = spec.shift < 0 ? `+${(-spec.shift).toFixed(6)}/TB` : '';
  const fit = spec.cam.width !== spec.size.width || spec.cam.height !== spec.size.height ? [fitFrame(spec.size)] : [];
  return [`setpts=PTS-STARTPTS${delay}`, `fps=fps=${spec.cam.rate}:start_time=0`, ...fit, ...spec.overlays, 'format=yuv420p'].join(',');
}

/**
 * The filter graph of the re-encoded picture. Without figures: one chain. With them, each
 * figure is scaled once to its inset (one still frame: overlay repeats it, `eof_action`) and
 * laid over the picture only in its window (`enable`, ffmpeg timeline editing); the lower
 * thirds are drawn last, over any figure. Only numbers reach the graph: the files are inputs.
 */
export function cameraVideoGraph(spec: Omit<CameraEncode, 'camera' | 'durationSeconds' | 'preset' | 'crf'>): string {
  const figures = spec.figures ?? [];
  if (!figures.length) return `[0:v]${cameraVideoChain(spec)}[v]`;
  const base = cameraVideoChain({ ...spec, overlays: [] }).replace(/,format=yuv420p$/, '');
  const parts = [`[0:v]${base}[c0]`];
  figures.forEach((f, i) => {
    const enable = escapeFilterValue(`between(t,${f.start.toFixed(3)},${f.end.toFixed(3)})`);
    parts.push(`[${i + 1}:v]scale=${f.box.width}:${f.box.height},setsar=1,format=yuva420p[f${i}]`);
    parts.push(`[c${i}][f${i}]overlay=x=${f.box.x}:y=${f.box.y}:eof_action=repeat:enable=${enable}[c${i + 1}]`);
  });
  parts.push(`[c${figures.length}]${[...spec.overlays, 'format=yuv420p'].join(',')}[v]`);
  return parts.join(';');
}

/**
 * The re-encoded picture (no sound): H.264 High 4:2:0, closed GOP of half the frame rate,
 * two B-frames (YouTube's recommended settings, support.google.com/youtube/answer/1722171).
 */
export function cameraVideoArgs(spec: CameraEncode, out: string): string[] {
  const gop = String(Math.max(1, Math.round(spec.cam.fps / 2)));
  return [
    ...(spec.shift > 0 ? ['-ss', spec.shift.toFixed(6)] : []),
    '-i',
    spec.camera,
    ...(spec.figures ?? []).flatMap((f) => ['-i', f.path]),
    '-filter_complex',
    cameraVideoGraph(spec),
    '-map',
    '[v]',
    '-an',
    '-t',
    spec.durationSeconds.toFixed(3),
    ...H264_HIGH,
    '-preset',
    spec.preset,
    '-crf',
    String(spec.crf),
    '-g',
    gop,
    '-bf',
    '2',
    '-x264-params',
    'open-gop=0',
    '-f',
    'mp4',
    '-y',
    out,
  ];
}

/**
 * The camera episode's MP4: the picture (re-encoded, or the camera file's own video stream
 * copied), the AAC of the programme, chapters and tags; `-t` the audio's length.
 */
export function cameraMuxArgs(input: { video: string; aac: string; ffmetadata: string; durationSeconds: number }, out: string): string[] {
  return finalMuxArgs(['-i', input.video], input, out);
}
