import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ScriptDoc } from '../script/script-doc.js';
import type { OutputFile } from '../records/build-record.js';
import { CastlineError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs-atomic.js';
import { sha256 } from '../core/hash.js';
import { alignCaptions } from './align-captions.js';
import { decodeEnvelope } from './decode-envelope.js';
import { formatSrt, formatVtt } from './format-cues.js';
import type { Envelope } from './find-pauses.js';

/**
 * Captions stage (issue 8): align the script the host read to the published audio and write
 * transcript.vtt and transcript.srt. The thin I/O shell: decode (decode-envelope.ts), then the
 * pure alignment (align-captions.ts) and writers (format-cues.ts), then atomic writes.
 */

export interface SectionBound {
  id: string;
  /** Seconds in the published audio where the section's speech starts and ends. */
  start: number;
  end: number;
  /** True when the bound is exact (takes or labels), false when estimated. */
  exact: boolean;
}

export interface CaptionsInput {
  root: string;
  episodeId: string;
  script: ScriptDoc;
  /** The loudness-normalized published audio (MP3) the captions must match. */
  audioPath: string;
  /**
   * Its envelope when the build already has it (written by the AAC encode from the same
   * programme, gapless: the same timeline as the MP3): then nothing is decoded here.
   */
  envelope?: Envelope | undefined;
  durationSeconds: number;
  sections: SectionBound[];
  /** Where to write transcript.vtt and transcript.srt (dist/episodes/<id>/). */
  outDir: string;
  /** Who reads the script: the VTT's voice spans name them. */
  speaker?: string | undefined;
}

export interface CaptionsResult {
  vtt: OutputFile;
  srt: OutputFile;
  cues: number;
  /** 0..1: share of sentence boundaries placed on a detected pause. */
  confidence: number;
  changedRegions: { sectionId: string; start: number; end: number; note: string }[];
}

async function outputFile(root: string, path: string, content: string): Promise<OutputFile> {
  return { path: relative(root, path), bytes: (await stat(path)).size, sha256: sha256(content) };
}

export async function buildCaptions(input: CaptionsInput): Promise<CaptionsResult> {
  if (!(input.durationSeconds > 0)) {
    throw new CastlineError('captions-no-audio', `Cannot caption episode ${input.episodeId}: the audio's duration is ${input.durationSeconds} s`, {
      hint: 'rebuild the audio with `castline build`; captions are made from the published MP3',
    });
  }
  const envelope = input.envelope ?? (await decodeEnvelope(input.audioPath));
  const alignment = alignCaptions({ script: input.script, sections: input.sections, envelope, durationSeconds: input.durationSeconds });
  if (alignment.cues.length === 0) {
    throw new CastlineError('captions-empty', `script.md of episode ${input.episodeId} has no spoken text to caption`, {
      hint: `write the spoken text under the section headings of episodes/${input.episodeId}/script.md (host cues in [brackets] are not spoken)`,
    });
  }
  const vttText = formatVtt(alignment.cues, { speaker: input.speaker });
  const srtText = formatSrt(alignment.cues);
  const vttPath = join(input.outDir, 'transcript.vtt');
  const srtPath = join(input.outDir, 'transcript.srt');
  // Each file is replaced atomically: a reader sees the old captions or the new, never half.
  await writeFileAtomic(vttPath, vttText);
  await writeFileAtomic(srtPath, srtText);
  return {
    vtt: await outputFile(input.root, vttPath, vttText),
    srt: await outputFile(input.root, srtPath, srtText),
    cues: alignment.cues.length,
    confidence: Math.round(alignment.confidence * 1000) / 1000,
    changedRegions: alignment.changedRegions,
  };
}
