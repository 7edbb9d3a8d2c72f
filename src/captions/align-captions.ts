import type { ScriptDoc } from '../script/script-doc.js';
import { alignUnits, type AlignedSegment, type TimedSpan } from './align-units.js';
import { findPauses, type Envelope, type Pause } from './find-pauses.js';
import { planCues, type Cue, type TimedText } from './plan-cues.js';
import { countSyllables, splitCueText, splitSentences } from './split-sentences.js';

/**
 * Script + loudness envelope → timed sentences, caption cues, a confidence figure and the
 * regions where script and recording disagree. Pure: buildCaptions (index.ts) does the I/O.
 */

export interface SectionSpan {
  id: string;
  start: number;
  end: number;
  exact: boolean;
}

export interface TimedSentence extends TimedSpan {
  sectionId: string;
  text: string;
  /** False when no speech in the recording matched this sentence (it gets no caption). */
  spoken: boolean;
}

export interface ChangedRegion {
  sectionId: string;
  start: number;
  end: number;
  note: string;
}

export interface CaptionAlignment {
  sentences: TimedSentence[];
  cues: Cue[];
  confidence: number;
  changedRegions: ChangedRegion[];
}

/**
 * A stretch more than this factor off its expected length (and by at least CHANGE_SECONDS) is
 * reported. Tuned on the known-truth fixture (scripts/make-alignment-fixture.mjs): unedited
 * sentences stay within ±27% of their expected length there (log-ratio sd 0.18), so 1.35 raised
 * no false report over 16 clean alignments; see scripts/bench-captions.mjs for the rates.
 */
const CHANGE_RATIO = 1.35;
const CHANGE_SECONDS = 1.2;
const STRUCTURE_RATIO = 1.15;
const STRUCTURE_MIN_PAUSE = 0.45;

/** Seconds an estimated bound at the episode's start or end may be off by. */
const EDGE_SLACK = 3;

interface Group {
  span: TimedSpan;
  sentences: { sectionId: string; text: string }[];
}

/**
 * Sections are aligned one by one where their bounds are exact (takes or labels). Consecutive
 * sections whose bounds are only estimated are aligned together as one stretch, between the
 * neighbouring exact bounds (or the ends of the audio), so a wrong guess cannot cut a sentence
 * in two: the sentence boundaries find the section edge.
 */
export function groupSections(script: ScriptDoc, bounds: readonly SectionSpan[], durationSeconds: number): Group[] {
  const byId = new Map(bounds.map((b) => [b.id, b]));
  const groups: { sections: { id: string; text: string; bound: SectionSpan | undefined }[] }[] = [];
  let previousExact = false;
  for (const section of script.sections) {
    const bound = byId.get(section.id);
    const exact = bound?.exact === true;
    // A boundary is known when either neighbour's bound is exact: only runs of estimated
    // sections are aligned together.
    const current = groups[groups.length - 1];
    if (!current || previousExact || exact) groups.push({ sections: [{ id: section.id, text: section.text, bound }] });
    else current.sections.push({ id: section.id, text: section.text, bound });
    previousExact = exact;
  }
  return groups.map((g, i) => {
    const first = g.sections[0]?.bound;
    const last = g.sections[g.sections.length - 1]?.bound;
    const prevEnd = groups[i - 1]?.sections.at(-1)?.bound?.end ?? 0;
    const nextStart = groups[i + 1]?.sections[0]?.bound?.start ?? durationSeconds;
    // At the ends of the episode an estimated bound still knows the intro/outro music
    // (their lengths are exact): keep it, with EDGE_SLACK for the estimate's error.
    const start = first?.exact ? first.start : i === 0 && first ? Math.max(0, first.start - EDGE_SLACK) : prevEnd;
    const end = last?.exact ? last.end : i === groups.length - 1 && last ? last.end + EDGE_SLACK : nextStart;
    return {
      span: { start: Math.max(0, start), end: Math.min(durationSeconds, Math.max(end, start)) },
      sentences: g.sections.flatMap((s) => splitSentences(s.text).map((text) => ({ sectionId: s.id, text }))),
    };
  });
}

function clip(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function pausesWithin(pauses: readonly Pause[], span: TimedSpan): Pause[] {
  return pauses.filter((p) => p.end > span.start && p.start < span.end);
}

function describe(segment: AlignedSegment, ratio: number): string {
  const length = segment.end - segment.start;
  if (ratio > 1)
    return `the speech here lasts ${length.toFixed(1)} s but the script's text predicts ${segment.expected.toFixed(1)} s: text seems to have been removed or shortened in script.md after recording`;
  return `the speech here lasts ${length.toFixed(1)} s but the script's text predicts ${segment.expected.toFixed(1)} s: text seems to have been added or lengthened in script.md after recording`;
}

export function alignCaptions(input: { script: ScriptDoc; sections: readonly SectionSpan[]; envelope: Envelope; durationSeconds: number }): CaptionAlignment {
  const pauses = findPauses(input.envelope, { minSeconds: 0.1 });
  const sentences: TimedSentence[] = [];
  const changedRegions: ChangedRegion[] = [];
  let boundaries = 0;
  let trusted = 0;

  // Pass 1: each stretch picks its own best-fitting rate. The host's pace is one pace, so
  // pass 2 realigns every stretch near the episode's pace (±6%): the median of the stretches'
  // rates when there are three or more (a section edited after recording is outvoted and can
  // no longer pick a rate that hides the edit), else the median rate of the sentences pass 1
  // placed alone between two pauses.
  const groups = groupSections(input.script, input.sections, input.durationSeconds).filter((g) => g.sentences.length > 0);
  const weightsOf = (g: Group): number[] => g.sentences.map((s) => countSyllables(s.text));
  const groupRates: number[] = [];
  const samples: number[] = [];
  for (const group of groups) {
    const weights = weightsOf(group);
    const first = alignUnits(weights, group.span, pausesWithin(pauses, group.span));
    if (weights.length >= 3) groupRates.push(first.rate);
    for (const seg of first.segments) if (seg.first === seg.last && weights[seg.first]! >= 4) samples.push((seg.end - seg.start) / weights[seg.first]!);
  }
  const pace = median(groupRates.length >= 3 ? groupRates : samples.length >= 3 ? samples : []);
  const rates = pace === undefined ? undefined : [-2, -1, 0, 1, 2].map((k) => pace * 2 ** (k / 24));

  for (const group of groups) {
    const result = alignUnits(weightsOf(group), group.span, pausesWithin(pauses, group.span), rates ? { rates } : {});
    const flagged = new Set<number>();
    const groupPauses = pausesWithin(pauses, group.span);
    // Pause structure: the host pauses between sentences longer than inside them. A stretch
    // holding a pause longer than most of the chosen sentence pauses, while also running long
    // or short, is where the script and the recording part ways.
    const chosen = groupPauses.filter((p) => result.segments.some((g) => Math.abs(g.end - p.start) < 1e-6)).map((p) => p.end - p.start);
    const typicalGap = Math.max(STRUCTURE_MIN_PAUSE, median(chosen) ?? 0);
    for (const segment of result.segments) {
      const length = segment.end - segment.start;
      const ratio = length / Math.max(segment.expected, 0.01);
      const innerGap = Math.max(0, ...groupPauses.filter((p) => p.start > segment.start && p.end < segment.end).map((p) => p.end - p.start));
      const offLength = (ratio > CHANGE_RATIO || ratio < 1 / CHANGE_RATIO) && Math.abs(length - segment.expected) >= CHANGE_SECONDS;
      const offStructure = innerGap >= typicalGap && (ratio > STRUCTURE_RATIO || ratio < 1 / STRUCTURE_RATIO) && Math.abs(length - segment.expected) >= CHANGE_SECONDS * 0.75;
      if (offLength || offStructure) {
        for (let x = segment.first; x <= segment.last; x++) flagged.add(x);
        changedRegions.push({ sectionId: group.sentences[segment.first]!.sectionId, start: segment.start, end: segment.end, note: describe(segment, ratio) });
      }
    }
    for (const region of result.unscripted) {
      // Without recognising words, a cut sentence cannot be told apart from a neighbour of
      // similar length: report the stretch from the sentence before to the sentence after.
      const after = result.units.findIndex((u) => u.start >= region.end - 1e-6);
      const before = after < 0 ? result.units.length - 1 : after - 1;
      const sectionId = group.sentences[after >= 0 ? after : group.sentences.length - 1]!.sectionId;
      const start = before >= 0 ? Math.min(region.start, result.units[before]!.start) : region.start;
      const end = after >= 0 ? Math.max(region.end, result.units[after]!.end) : region.end;
      // Before the first sentence or after the last, the likelier cause is music or a jingle
      // inside the section bounds.
      const edge = before < 0 || after < 0 ? ' (or music/a jingle sits inside the section bounds)' : '';
      changedRegions.push({ sectionId, start, end, note: `${(region.end - region.start).toFixed(1)} s of sound around here match no text in script.md: a sentence seems to have been cut from the script after recording${edge}` });
      if (before >= 0) flagged.add(before);
      if (after >= 0) flagged.add(after);
    }
    for (const x of result.unspoken) {
      flagged.add(x);
      const at = result.units[x]!.start;
      changedRegions.push({
        sectionId: group.sentences[x]!.sectionId,
        start: Math.min(at, result.units[x - 1]?.start ?? at),
        end: Math.max(at, result.units[x + 1]?.end ?? at),
        note: `no speech here matches the script's sentence "${clip(group.sentences[x]!.text)}": it seems to have been added or rewritten in script.md after recording, and is left out of the captions`,
      });
    }
    result.onPause.forEach((onPause, i) => {
      boundaries++;
      if (onPause && !flagged.has(i) && !flagged.has(i + 1)) trusted++;
    });
    group.sentences.forEach((s, i) => sentences.push({ ...s, ...result.units[i]!, spoken: !result.unspoken.includes(i) }));
  }

  // Inside each sentence, time its cue-sized chunks on the pauses within it (commas, breaths).
  const chunks: TimedText[] = [];
  for (const sentence of sentences) {
    if (!sentence.spoken) continue;
    const parts = splitCueText(sentence.text);
    if (parts.length <= 1) {
      chunks.push({ text: sentence.text, start: sentence.start, end: sentence.end });
      continue;
    }
    const inner = alignUnits(
      parts.map((p) => countSyllables(p)),
      sentence,
      pausesWithin(pauses, sentence),
      { maxMerge: parts.length, mergePenalty: 1.5, unscriptedPenalty: Number.POSITIVE_INFINITY, bandSeconds: 5 },
    );
    parts.forEach((text, i) => chunks.push({ text, ...inner.units[i]! }));
  }

  changedRegions.sort((a, b) => a.start - b.start);
  return {
    sentences,
    cues: planCues(chunks, input.durationSeconds),
    confidence: boundaries === 0 ? 1 : trusted / boundaries,
    changedRegions: changedRegions.map((r) => ({ ...r, start: Math.round(r.start * 1000) / 1000, end: Math.round(r.end * 1000) / 1000 })),
  };
}
