/**
 * Numbers as a person reads them aloud (American English, no "and": "one hundred twenty").
 * Pure helpers used by the speakable-text rules (speakable-rules.ts).
 */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES: Array<[number, string]> = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
  [1e3, 'thousand'],
];

function underHundred(n: number): string {
  if (n < 20) return ONES[n] ?? String(n);
  const t = TENS[Math.floor(n / 10)] ?? '';
  return n % 10 ? `${t}-${ONES[n % 10]}` : t;
}

function underThousand(n: number): string {
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (!h) return underHundred(rest);
  return rest ? `${ONES[h]} hundred ${underHundred(rest)}` : `${ONES[h]} hundred`;
}

/** A whole number in words: 8000000 → "eight million", 1200 → "one thousand two hundred". */
export function integerWords(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 0) return `minus ${integerWords(-n)}`;
  n = Math.floor(n);
  if (n >= 1e15) return n.toLocaleString('en-US');
  if (n < 1000) return underThousand(n);
  const parts: string[] = [];
  let rest = n;
  for (const [value, name] of SCALES) {
    if (rest >= value) {
      parts.push(`${underThousand(Math.floor(rest / value))} ${name}`);
      rest %= value;
    }
  }
  if (rest) parts.push(underThousand(rest));
  return parts.join(' ');
}

/** Digits read one by one after "point": "2.50" → "two point five zero". */
function digitWords(digits: string): string {
  return [...digits].map((d) => ONES[Number(d)] ?? d).join(' ');
}

/**
 * A number as written ("8,000,000", "2.5", "0.5") in words. Decimals are read digit by digit
 * after "point", as people read them ("two point five").
 */
export function numberWords(written: string): string {
  const clean = written.replace(/,/g, '');
  const m = /^(-)?(\d*)(?:\.(\d+))?$/.exec(clean);
  if (!m) return written;
  const [, minus, whole, frac] = m;
  const head = whole ? integerWords(Number(whole)) : 'zero';
  const body = frac ? `${head} point ${digitWords(frac)}` : head;
  return minus ? `minus ${body}` : body;
}

/**
 * A number with a scale word ("1.5" + "million"), when the written figure is a short decimal:
 * "one point five million".
 */
export function scaledWords(written: string, scale: string): string {
  return `${numberWords(written)} ${scale}`;
}

/** A year as people say it: 2023 → "twenty twenty-three", 2005 → "two thousand five", 1999 → "nineteen ninety-nine". */
export function yearWords(year: number): string {
  if (year >= 2000 && year < 2010) return integerWords(year);
  if (year % 100 === 0 && year % 1000 !== 0) return `${integerWords(year / 100)} hundred`;
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (year < 1000 || year >= 10000) return integerWords(year);
  return lo < 10 ? `${integerWords(hi)} oh ${integerWords(lo)}` : `${integerWords(hi)} ${underHundred(lo)}`;
}

const ORDINAL_IRREGULAR: Record<string, string> = {
  one: 'first',
  two: 'second',
  three: 'third',
  five: 'fifth',
  eight: 'eighth',
  nine: 'ninth',
  twelve: 'twelfth',
};

/** 1 → "first", 21 → "twenty-first", 100 → "one hundredth". */
export function ordinalWords(n: number): string {
  const words = integerWords(n);
  const m = /^(.*?)([a-z]+)$/.exec(words);
  if (!m) return words;
  const [, head = '', last = ''] = m;
  const irregular = ORDINAL_IRREGULAR[last];
  if (irregular) return head + irregular;
  if (last.endsWith('y')) return `${head}${last.slice(0, -1)}ieth`;
  return `${head}${last}th`;
}

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
