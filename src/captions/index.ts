import type { ScriptDoc } from '../script/script-doc.js';
import type { OutputFile } from '../media/build-record.js';

// PLACEHOLDER (owned by the captions stage, issue 8): replaced by the real aligner.

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
  durationSeconds: number;
  sections: SectionBound[];
  /** Where to write transcript.vtt and transcript.srt (dist/episodes/<id>/). */
  outDir: string;
}

export interface CaptionsResult {
  vtt: OutputFile;
  srt: OutputFile;
  cues: number;
  /** 0..1: share of sentence boundaries placed on a detected pause. */
  confidence: number;
  changedRegions: { sectionId: string; start: number; end: number; note: string }[];
}

export async function buildCaptions(_input: CaptionsInput): Promise<CaptionsResult> {
  throw new Error('buildCaptions: not implemented yet');
}
