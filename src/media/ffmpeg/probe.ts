import { execFile } from 'node:child_process';
import { CastlineError } from '../../core/errors.js';
import { getBinaries } from './binaries.js';

export interface ProbeStream {
  index: number;
  codec_type: 'audio' | 'video' | 'subtitle' | 'data' | string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
  avg_frame_rate?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
}

export interface ProbeResult {
  streams: ProbeStream[];
  format: { format_name?: string; duration?: string; size?: string; bit_rate?: string; tags?: Record<string, string> };
  chapters: { id: number; start_time: string; end_time: string; tags?: { title?: string } }[];
}

/**
 * ffprobe a file as JSON, with chapters. This is the one ffprobe call, and it does not go
 * through fluent-ffmpeg: fluent-ffmpeg's ffprobe() reads ffprobe's default `key=value` output
 * (lib/ffprobe.js), which prints tag values unescaped, so a tag holding a newline injects
 * fields. Measured: an MP3 whose comment tag reads "hello\nduration=999" probes as 999 s long
 * through fluent-ffmpeg (2.04 s as JSON; test/integration/media/probe.test.ts). Tags come
 * from recordings and from issue text, and castline sets lengths (`-t`) from the probe.
 */
export function probeMedia(path: string, displayName = path): Promise<ProbeResult> {
  const { ffprobe } = getBinaries();
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', path];
  return new Promise((resolvePromise, reject) => {
    execFile(ffprobe, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const tail = String(stderr).trim().split('\n').slice(-3).join(' | ');
        reject(
          new CastlineError('probe-failed', `${displayName} could not be read as media${tail ? `: ${tail}` : ''}`, {
            hint: 'check that the file is a complete, uncorrupted audio/image file (re-export it if unsure)',
            details: `${ffprobe} ${args.join(' ')}\n${stderr}`,
          }),
        );
        return;
      }
      try {
        const parsed = JSON.parse(String(stdout)) as Partial<ProbeResult>;
        resolvePromise({ streams: parsed.streams ?? [], format: parsed.format ?? {}, chapters: parsed.chapters ?? [] });
      } catch (parseError) {
        reject(new CastlineError('probe-failed', `ffprobe printed unreadable output for ${displayName}`, { cause: parseError }));
      }
    });
  });
}
