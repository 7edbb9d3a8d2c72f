/**
 * One HTTP byte range (RFC 9110 §14.1.2) against a representation of `size` bytes.
 * - `{ kind: 'full' }`: no Range header, or one we may ignore (not bytes, several ranges:
 *   RFC 9110 §14.2 lets a server answer 200 with the whole body).
 * - `{ kind: 'partial', start, end }`: inclusive offsets for a 206.
 * - `{ kind: 'unsatisfiable' }`: a 416 with `Content-Range: bytes *\/size`.
 */
export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m?.[1]) return { kind: 'full' };
  const specs = m[1].split(',').map((s) => s.trim()).filter(Boolean);
  if (specs.length !== 1) return { kind: 'full' };
  const spec = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0] ?? '');
  if (!spec) return { kind: 'full' };
  const [, first, last] = spec;
  if (!first && !last) return { kind: 'full' };
  if (!first) {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last ? Number(last) : size - 1;
  if (last && end < start) return { kind: 'full' }; // invalid syntax: ignore the header (§14.1.1)
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}
