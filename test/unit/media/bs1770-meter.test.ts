import { describe, expect, it } from 'vitest';
import { joinMeterStates, kWeighting, LoudnessMeter, parseWavHeader, summarise, WavFloatStream } from '../../../src/media/bs1770-meter.js';

/** Interleaved samples: `segments` of (seconds, dBFS amplitude per channel) of a `freq` Hz sine. */
function sine(rate: number, channels: number, segments: readonly { seconds: number; db: number }[], freq = 1000, phase = 0): Float32Array {
  const total = segments.reduce((n, s) => n + Math.round(s.seconds * rate), 0);
  const out = new Float32Array(total * channels);
  let i = 0;
  for (const s of segments) {
    const a = 10 ** (s.db / 20);
    for (let k = 0; k < Math.round(s.seconds * rate); k++, i++) {
      const v = a * Math.sin((2 * Math.PI * freq * i) / rate + phase);
      for (let c = 0; c < channels; c++) out[i * channels + c] = v;
    }
  }
  return out;
}

function meter(rate: number, channels: number, samples: Float32Array, chunk = 4096 * channels): ReturnType<LoudnessMeter['result']> {
  const m = new LoudnessMeter(rate, channels);
  for (let at = 0; at < samples.length; at += chunk) m.push(samples.subarray(at, Math.min(samples.length, at + chunk)));
  return m.result();
}

describe('kWeighting', () => {
  it('gives ITU-R BS.1770-4 table 1 and 2 coefficients at 48 kHz', () => {
    const { shelf, highpass } = kWeighting(48000);
    // The standard's published values.
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 7);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 7);
    expect(shelf.b2).toBeCloseTo(1.19839281085285, 7);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 7);
    expect(shelf.a2).toBeCloseTo(0.73248077421585, 7);
    expect(highpass.a1).toBeCloseTo(-1.99004745483398, 7);
    expect(highpass.a2).toBeCloseTo(0.99007225036621, 7);
  });
});

describe('LoudnessMeter (EBU Tech 3341 / 3342 test signals)', () => {
  it('reads a 1 kHz stereo sine at -23 dBFS as -23.0 LUFS at 48 and 44.1 kHz (Tech 3341 case 1)', () => {
    for (const rate of [48000, 44100]) {
      const r = meter(rate, 2, sine(rate, 2, [{ seconds: 20, db: -23 }]));
      expect(Math.abs(r.integrated + 23)).toBeLessThanOrEqual(0.1);
      expect(r.seconds).toBeCloseTo(20, 1);
    }
  });

  it('reads a 0 dBFS 997 Hz sine in one channel as -3.01 LUFS (BS.1770-4 §2.4)', () => {
    const r = meter(48000, 1, sine(48000, 1, [{ seconds: 10, db: 0 }], 997));
    expect(Math.abs(r.integrated + 3.01)).toBeLessThanOrEqual(0.05);
  });

  it('gates out quiet passages: -36/-23/-36 dBFS and -72/-36/-23/-36/-72 dBFS read -23.0 LUFS (Tech 3341 cases 3 and 4)', () => {
    const three = meter(48000, 2, sine(48000, 2, [{ seconds: 10, db: -36 }, { seconds: 60, db: -23 }, { seconds: 10, db: -36 }]));
    expect(Math.abs(three.integrated + 23)).toBeLessThanOrEqual(0.1);
    const four = meter(48000, 2, sine(48000, 2, [{ seconds: 10, db: -72 }, { seconds: 10, db: -36 }, { seconds: 60, db: -23 }, { seconds: 10, db: -36 }, { seconds: 10, db: -72 }]));
    expect(Math.abs(four.integrated + 23)).toBeLessThanOrEqual(0.1);
  });

  it('measures the loudness range of -20 then -30 dBFS as 10 LU and of -20 then -15 as 5 LU (Tech 3342 cases 1 and 2)', () => {
    const ten = meter(48000, 2, sine(48000, 2, [{ seconds: 20, db: -20 }, { seconds: 20, db: -30 }]));
    expect(Math.abs(ten.lra! - 10)).toBeLessThanOrEqual(1);
    const five = meter(48000, 2, sine(48000, 2, [{ seconds: 20, db: -20 }, { seconds: 20, db: -15 }]));
    expect(Math.abs(five.lra! - 5)).toBeLessThanOrEqual(1);
  });

  it('finds the true peak between samples: a quarter-rate sine at 45° has samples at -3 dBFS and peaks at 0 dBTP', () => {
    // Every sample is ±sin(45°) = ±0.707: the sample peak is -3.01 dBFS, the waveform's peak 1.0.
    const r = meter(48000, 1, sine(48000, 1, [{ seconds: 1, db: 0 }], 12000, Math.PI / 4));
    expect(r.samplePeak).toBeCloseTo(-3.01, 1);
    // Tech 3341's tolerance for a true-peak meter: +0.2 / -0.4 dB.
    expect(r.truePeak).toBeGreaterThan(-0.4);
    expect(r.truePeak).toBeLessThan(0.2);
  });

  it('reads digital silence as -70 LUFS and -inf peaks', () => {
    const r = meter(44100, 1, new Float32Array(44100 * 5));
    expect(r.integrated).toBe(-70);
    expect(r.truePeak).toBe(Number.NEGATIVE_INFINITY);
  });

  it('skips windows that cannot lift the peak and still finds the same peak as interpolating every window', () => {
    // Noise with a few sharp transients (where inter-sample peaks are): a naive 4× interpolation
    // of every window with the standard's table is the reference.
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const x = new Float32Array(48000 * 3).map(() => 0.1 * rand());
    for (const at of [10000, 70000, 130000]) for (let k = 0; k < 6; k++) x[at + k] = (k % 2 ? -1 : 1) * (0.5 + 0.08 * k);
    const table = [
      [0.001708984375, 0.010986328125, -0.0196533203125, 0.033203125, -0.0594482421875, 0.1373291015625, 0.97216796875, -0.102294921875, 0.047607421875, -0.026611328125, 0.014892578125, -0.00830078125],
      [-0.0291748046875, 0.029296875, -0.0517578125, 0.089111328125, -0.16650390625, 0.465087890625, 0.77978515625, -0.2003173828125, 0.1015625, -0.0582275390625, 0.0330810546875, -0.0189208984375],
    ];
    const phases = [...table, ...table.map((p) => [...p].reverse())].reverse();
    let naive = 0;
    for (let n = 0; n < x.length; n++) {
      for (const p of phases) {
        let v = 0;
        for (let k = 0; k < 12; k++) v += p[k]! * (n - k >= 0 ? x[n - k]! : 0);
        naive = Math.max(naive, Math.abs(v));
      }
    }
    const r = meter(48000, 1, x, 1000);
    expect(r.truePeak).toBeCloseTo(20 * Math.log10(naive), 6);
    expect(r.truePeak).toBeGreaterThan(r.samplePeak);
  });

  it('joins parts metered on their own (each after a preroll) into the whole measurement', () => {
    const rate = 44100;
    const x = sine(rate, 1, [{ seconds: 12, db: -30 }, { seconds: 6, db: -12 }, { seconds: 12, db: -26 }], 440);
    const whole = new LoudnessMeter(rate, 1);
    whole.push(x);
    // Cut at 10 s (a 100 ms boundary); the second part is fed from 9.5 s, the first 0.5 s only priming it.
    const cut = 10 * rate;
    const pre = rate / 2;
    const a = new LoudnessMeter(rate, 1);
    a.push(x.subarray(0, cut));
    const b = new LoudnessMeter(rate, 1, { preroll: pre, peakFrom: 12 });
    b.push(x.subarray(cut - pre));
    const joined = summarise(joinMeterStates([a.state(), b.state()]));
    const w = whole.result();
    // The K-filter's state differs for a moment after the preroll: well under 0.001 LU.
    expect(Math.abs(joined.integrated - w.integrated)).toBeLessThan(0.001);
    expect(joined.truePeak).toBeCloseTo(w.truePeak, 6);
    expect(joined.seconds).toBeCloseTo(w.seconds, 6);
  });
});

describe('WavFloatStream', () => {
  /** A WAV header as ffmpeg writes to a pipe: RIFF size unknown, a LIST chunk, data size unknown. */
  function header(rate: number, channels: number, tag = 3, bits = 32): Buffer {
    const fmt = Buffer.alloc(8 + 18);
    fmt.write('fmt ', 0, 'latin1');
    fmt.writeUInt32LE(18, 4);
    fmt.writeUInt16LE(tag, 8);
    fmt.writeUInt16LE(channels, 10);
    fmt.writeUInt32LE(rate, 12);
    fmt.writeUInt32LE(rate * channels * 4, 16);
    fmt.writeUInt16LE(channels * 4, 20);
    fmt.writeUInt16LE(bits, 22);
    const list = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.from([5, 0, 0, 0]), Buffer.from('INFOx\0', 'latin1')]);
    const data = Buffer.concat([Buffer.from('data', 'latin1'), Buffer.from([0xff, 0xff, 0xff, 0xff])]);
    return Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from('WAVE', 'latin1'), fmt, list, data]);
  }

  it('reads the format and hands on whole frames however the bytes are split', () => {
    const samples = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10));
    const bytes = Buffer.concat([header(22050, 2), Buffer.from(samples.buffer)]);
    const got: number[] = [];
    let format: { rate: number; channels: number } | undefined;
    const stream = new WavFloatStream((s, f) => {
      expect(s.length % 2).toBe(0);
      format = f;
      got.push(...s);
    });
    // Odd split points: inside the header, inside a sample, inside a frame.
    for (const [from, to] of [[0, 7], [7, 41], [41, 63], [63, 1001], [1001, 2003], [2003, bytes.length]] as const) stream.push(bytes.subarray(from, to));
    expect(format).toEqual({ rate: 22050, channels: 2 });
    expect(got).toHaveLength(1000);
    expect(got[999]).toBeCloseTo(samples[999]!, 7);
  });

  it('refuses a WAV that is not 32-bit float', () => {
    expect(() => parseWavHeader(header(44100, 1, 1, 16))).toThrow(/not 32-bit float/);
    expect(() => parseWavHeader(Buffer.from('OggS and something else'))).toThrow(/not a WAV/);
  });
});
