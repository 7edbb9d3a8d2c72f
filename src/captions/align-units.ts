import type { Pause } from './find-pauses.js';

/**
 * Place known text units (sentences, or the chunks of one sentence) on a stretch of audio by
 * dynamic programming over the pauses found in it. Pure and unit-tested.
 *
 * Model: the host reads the units in order; each unit's speech runs from the end of one pause
 * to the start of the next chosen pause; its expected length is its weight (syllables) times a
 * speech rate estimated from the span. The cost of a unit lasting `len` when `exp` was expected
 * is (ln(len/exp)/σ)², a log-normal error whose σ shrinks for longer units (rate varies less
 * over more syllables). Longer pauses earn a small bonus (sentences end in longer pauses than
 * commas or stops). Two escape hatches keep an edited script from dragging everything else:
 *  - merge: several units share one stretch with no pause between them (penalty per merged
 *    boundary); their inner boundaries are then placed proportionally to weight;
 *  - unscripted: a stretch of speech matched to no unit (a sentence the host cut from the
 *    script after recording), with a fixed penalty; it is reported, never captioned.
 */

export interface AlignOptions {
  /** Most units that may share one stretch without a pause between them. */
  maxMerge?: number;
  /** Cost of one unit boundary placed without a pause. */
  mergePenalty?: number;
  /** Cost of leaving one stretch of speech unmatched to any unit. */
  unscriptedPenalty?: number;
  /** Log-normal σ of unit length: sqrt(base² + perSyllable² / weight). */
  sigmaBase?: number;
  sigmaPerSyllable?: number;
  /** Bonus for a boundary on a pause, scaled by ln(1 + pause/0.15 s). */
  pauseBonus?: number;
  /** Cost of the longest pause inside one unit, scaled like pauseBonus (sentences rarely pause long inside). */
  innerPauseCost?: number;
  /** Search window around the proportional position, seconds (at least this, or 6% of the span). */
  bandSeconds?: number;
  /** Seconds per unit of weight; estimated from the span when absent. */
  rate?: number;
  /** Rates to try (the cheapest alignment wins); default: a range around the span's average. */
  rates?: readonly number[];
}

export interface TimedSpan {
  start: number;
  end: number;
}

export interface AlignedSegment extends TimedSpan {
  /** First and last unit index in this stretch (equal unless units were merged). */
  first: number;
  last: number;
  /** Expected speech length from the units' weights and the span's rate, seconds. */
  expected: number;
}

export interface AlignResult {
  /** Speech start and end of every unit. */
  units: TimedSpan[];
  /** For each boundary between unit i and i+1: was it placed on a detected pause? */
  onPause: boolean[];
  segments: AlignedSegment[];
  /** Speech stretches matched to no unit. */
  unscripted: TimedSpan[];
  /** Units matched to no speech (zero-length at the pause where they would be). */
  unspoken: number[];
  /** Estimated seconds per unit of weight. */
  rate: number;
  /** Where speech starts and ends inside the span. */
  speechStart: number;
  speechEnd: number;
  /** The model's cost of this alignment (lower fits better; comparable only for the same units). */
  cost: number;
}

const DEFAULTS: Required<Omit<AlignOptions, 'rate' | 'rates'>> = {
  maxMerge: 4,
  mergePenalty: 3,
  unscriptedPenalty: 6,
  sigmaBase: 0.15,
  sigmaPerSyllable: 1.0,
  pauseBonus: 1.5,
  innerPauseCost: 0.5,
  bandSeconds: 30,
};

interface Node {
  /** Where the pause starts (the previous unit's speech ends here). */
  start: number;
  /** Where the pause ends (the next unit's speech starts here). */
  end: number;
}

/** Trim the span to its speech: pauses touching either edge are not part of any unit. */
export function speechEdges(span: TimedSpan, pauses: readonly Pause[]): TimedSpan {
  let { start, end } = span;
  for (const p of pauses) {
    if (p.start <= start + 0.02 && p.end > start) start = Math.max(start, Math.min(p.end, end));
  }
  for (let i = pauses.length - 1; i >= 0; i--) {
    const p = pauses[i]!;
    if (p.end >= end - 0.02 && p.start < end) end = Math.min(end, Math.max(p.start, start));
  }
  if (end - start < 0.05) return span;
  return { start, end };
}

/**
 * The speech rate is not known: the span's average is skewed by every pause that is not a unit
 * boundary and by any text cut from (or added to) the script after recording. So try a range of
 * rates around it and keep the alignment the model finds cheapest: the rate that makes most
 * units fit their pauses wins, and an edit costs only its own unscripted/mismatch penalty.
 */
export function alignUnits(weights: readonly number[], span: TimedSpan, pauses: readonly Pause[], options: AlignOptions = {}): AlignResult {
  if (options.rate !== undefined || (weights.length < 3 && !options.rates)) return alignOnce(weights, span, pauses, options);
  let best: AlignResult | undefined;
  let rates = options.rates;
  if (!rates) {
    const guess = alignOnce(weights, span, pauses, options);
    best = guess;
    rates = Array.from({ length: 12 }, (_, i) => guess.rate * 2 ** ((i - 8) / 12)).filter((_, i) => i !== 8);
  }
  for (const rate of rates) {
    const candidate = alignOnce(weights, span, pauses, { ...options, rate });
    if (!best || candidate.cost < best.cost) best = candidate;
  }
  return best ?? alignOnce(weights, span, pauses, options);
}

function alignOnce(weights: readonly number[], span: TimedSpan, pauses: readonly Pause[], options: AlignOptions): AlignResult {
  const o = { ...DEFAULTS, ...options };
  const n = weights.length;
  const { start: s, end: e } = speechEdges(span, pauses);
  const base: AlignResult = { units: [], onPause: [], segments: [], unscripted: [], unspoken: [], rate: 0, speechStart: s, speechEnd: e, cost: 0 };
  if (n === 0) return base;
  const w = weights.map((x) => Math.max(0.5, x));
  const cw = [0];
  for (const x of w) cw.push(cw[cw.length - 1]! + x);
  const total = cw[n]!;
  const inner = pauses.filter((p) => p.start > s + 0.05 && p.end < e - 0.05);
  // Speech rate: the span minus the n-1 longest pauses (the likeliest unit boundaries).
  const longest = inner.map((p) => p.end - p.start).sort((a, b) => b - a).slice(0, n - 1);
  const speech = Math.max(e - s - longest.reduce((a, b) => a + b, 0), 0.3 * (e - s));
  const rate = options.rate ?? speech / total;
  base.rate = rate;
  if (n === 1) return { ...base, units: [{ start: s, end: e }], segments: [{ start: s, end: e, first: 0, last: 0, expected: total * rate }] };

  const nodes: Node[] = [{ start: s, end: s }, ...inner, { start: e, end: e }];
  const m = nodes.length;
  const band = Math.max(o.bandSeconds, 0.06 * (e - s));
  const INF = Number.POSITIVE_INFINITY;
  const cost = new Float64Array((n + 1) * m).fill(INF);
  const prevU = new Int32Array((n + 1) * m).fill(-1);
  const prevJ = new Int32Array((n + 1) * m).fill(-1);
  cost[0] = 0;
  const sigma2 = (weight: number): number => o.sigmaBase ** 2 + o.sigmaPerSyllable ** 2 / weight;
  const expectedAt = (u: number): number => s + (cw[u]! / total) * (e - s);

  for (let j = 0; j < m; j++) {
    const node = nodes[j]!;
    const last = j === m - 1;
    const mid = (node.start + node.end) / 2;
    const bonus = last || j === 0 ? 0 : o.pauseBonus * Math.log(1 + (node.end - node.start) / 0.15);
    for (let u = 0; u <= n; u++) {
      if (!last && j > 0 && Math.abs(mid - expectedAt(u)) > band) continue;
      let best = INF;
      let bu = -1;
      let bj = -1;
      for (let k = 1; k <= o.maxMerge && u - k >= 0; k++) {
        const from = u - k;
        const weight = cw[u]! - cw[from]!;
        const expected = weight * rate;
        const var2 = sigma2(weight);
        // Longest pause inside the stretch: merged units are meant for sentences read without
        // a pause, so skipping over a clear pause costs what landing on it would have earned.
        let innerMax = 0;
        for (let jp = j - 1; jp >= 0; jp--) {
          if (jp + 1 < j) innerMax = Math.max(innerMax, nodes[jp + 1]!.end - nodes[jp + 1]!.start);
          const len = node.start - nodes[jp]!.end;
          if (len <= 0.05) continue;
          if (len > expected * 4 + 2) break;
          const before = cost[from * m + jp]!;
          if (before === INF) continue;
          const z = Math.log(len / expected);
          const skipped = Math.log(1 + innerMax / 0.15);
          const merge = (k === 1 ? 0 : (k - 1) * (o.mergePenalty + o.pauseBonus * skipped)) + o.innerPauseCost * skipped;
          const c = before + (z * z) / var2 + merge;
          if (c < best) {
            best = c;
            bu = from;
            bj = jp;
          }
        }
      }
      // Unscripted speech between pause jp and this one: same unit count, fixed penalty.
      for (let jp = j - 1; jp >= 0; jp--) {
        const len = node.start - nodes[jp]!.end;
        if (len > 60) break;
        if (len < 0.8) continue;
        const before = cost[u * m + jp]!;
        if (before === INF) continue;
        const c = before + o.unscriptedPenalty;
        if (c < best) {
          best = c;
          bu = u;
          bj = jp;
        }
      }
      if (best !== INF) best -= bonus;
      // Unspoken unit (text added to the script after recording): no audio, same pause.
      if (u > 0 && cost[(u - 1) * m + j]! + o.unscriptedPenalty < best) {
        best = cost[(u - 1) * m + j]! + o.unscriptedPenalty;
        bu = u - 1;
        bj = j;
      }
      if (best === INF || (u === 0 && j === 0)) continue;
      cost[u * m + j] = best;
      prevU[u * m + j] = bu;
      prevJ[u * m + j] = bj;
    }
  }

  if (cost[n * m + m - 1] === INF) return { ...proportional(base, w, s, e, rate), cost: INF };
  const result: AlignResult = { ...base, cost: cost[n * m + m - 1]!, units: new Array<TimedSpan>(n), onPause: new Array<boolean>(n - 1).fill(false) };
  let u = n;
  let j = m - 1;
  while (u > 0 || j > 0) {
    const pu = prevU[u * m + j]!;
    const pj = prevJ[u * m + j]!;
    const from = nodes[pj]!.end;
    const to = nodes[j]!.start;
    if (pj === j) {
      const at = j === m - 1 ? to : nodes[j]!.end;
      result.unspoken.unshift(pu);
      result.units[pu] = { start: at, end: at };
    } else if (pu === u) {
      result.unscripted.unshift({ start: from, end: to });
    } else {
      result.segments.unshift({ start: from, end: to, first: pu, last: u - 1, expected: (cw[u]! - cw[pu]!) * rate });
      // Units inside a merged stretch share it in proportion to their weight.
      const weight = cw[u]! - cw[pu]!;
      for (let x = pu; x < u; x++) {
        result.units[x] = { start: from + ((cw[x]! - cw[pu]!) / weight) * (to - from), end: from + ((cw[x + 1]! - cw[pu]!) / weight) * (to - from) };
      }
      if (u < n && j < m - 1) result.onPause[u - 1] = true;
    }
    u = pu;
    j = pj;
  }
  return result;
}

/** No path fits (too few pauses, wild text/audio mismatch): time every unit by weight alone. */
function proportional(base: AlignResult, w: readonly number[], s: number, e: number, rate: number): AlignResult {
  const total = w.reduce((a, b) => a + b, 0);
  const units: TimedSpan[] = [];
  let at = s;
  for (const x of w) {
    const len = (x / total) * (e - s);
    units.push({ start: at, end: at + len });
    at += len;
  }
  return { ...base, units, onPause: new Array<boolean>(Math.max(0, w.length - 1)).fill(false), segments: [{ start: s, end: e, first: 0, last: w.length - 1, expected: total * rate }] };
}
