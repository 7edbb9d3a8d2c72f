import { escapeFilterValue } from './ffmpeg/escape-filter.js';

/**
 * A filter of an ffmpeg graph as plain data (STYLE §3): a name, an optional instance id
 * (`volume@lv`, so commands and log lines can address it) and its options. Only
 * `renderFilterChain` turns it into graph text: numbers are written as numbers, any string
 * option goes through escapeFilterValue, so no text is ever pasted into a graph unescaped.
 */
export interface Filter {
  name: string;
  id?: string | undefined;
  options: Record<string, number | string | boolean>;
}

const NAME = /^[a-z][a-z0-9_]*$/;
const SAFE_WORD = /^[A-Za-z0-9_.+/-]+$/;

function renderValue(value: number | string | boolean): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`filter option value ${value} is not a finite number`);
    // Six decimals at most: enough for seconds at 1 µs and gains, never exponent notation.
    return String(Math.round(value * 1e6) / 1e6);
  }
  // A bare word (`q`, `fltp`, `once`) holds nothing either parser treats specially.
  return SAFE_WORD.test(value) ? value : escapeFilterValue(value);
}

export function renderFilter(f: Filter): string {
  if (!NAME.test(f.name)) throw new Error(`bad filter name ${JSON.stringify(f.name)}`);
  if (f.id !== undefined && !NAME.test(f.id)) throw new Error(`bad filter instance id ${JSON.stringify(f.id)}`);
  const opts = Object.entries(f.options).map(([k, v]) => {
    if (!NAME.test(k)) throw new Error(`bad option name ${JSON.stringify(k)} for ${f.name}`);
    return `${k}=${renderValue(v)}`;
  });
  return `${f.name}${f.id ? `@${f.id}` : ''}${opts.length ? `=${opts.join(':')}` : ''}`;
}

/** Filters joined into one linear chain (`a,b,c`); an empty chain is `anull`. */
export function renderFilterChain(filters: readonly Filter[]): string {
  return filters.length ? filters.map(renderFilter).join(',') : 'anull';
}
