import { ERROR_AREAS, ERRORS, type ErrorArea, type ErrorCode, type ErrorData } from './errors-data.js';
import { tableCell } from './readme-section.js';

/**
 * The README's errors section, generated from the catalogue (errors-data.ts) so that what the
 * README tells a host to do is what castline knows: a unit test compares the README with this
 * text, and `npm run docs:errors` rewrites it.
 */

/** `a / b` (alternative messages of one code) as one code span each. */
function codeSpans(message: string): string {
  return message
    .split(' / ')
    .map((m) => `\`${m.trim()}\``)
    .join(' / ');
}

/** Markdown outside code spans: `<episode>` would be read as an HTML tag and vanish. */
function prose(markdown: string): string {
  return markdown
    .split('`')
    .map((part, i) => (i % 2 ? part : part.replace(/</g, '&lt;')))
    .join('`');
}

/** The hint, then the note: a note written as sentences stays sentences. */
function withMore(hint: string, more: string | undefined): string {
  if (!more) return hint;
  return /^[A-Z]/.test(more) ? `${hint.replace(/\.?$/, '.')} ${more}` : `${hint}; ${more}`;
}

function row(code: string, what: string, hint: string): string {
  return `| ${code} | ${tableCell(what)} | ${tableCell(prose(hint))} |`;
}

function rows(code: ErrorCode, e: ErrorData): string[] {
  const title = `**${prose(e.title)}**${e.warning ? ' (warning)' : ''}`;
  const out = [row(`\`${code}\``, `${title}: ${codeSpans(e.message)}`, withMore(e.hint, e.more))];
  for (const c of e.cases ?? []) out.push(row('', codeSpans(c.message), c.hint));
  return out;
}

export function renderErrorDocs(): string {
  const byArea = new Map<ErrorArea, [ErrorCode, ErrorData][]>();
  for (const [code, e] of Object.entries(ERRORS) as [ErrorCode, ErrorData][]) {
    byArea.set(e.area, [...(byArea.get(e.area) ?? []), [code, e]]);
  }
  const parts = [
    '## Troubleshooting',
    '',
    'castline exits 0 only on success. Every error says what happened, names the file and the',
    'key, and says what to do; `--debug` adds stack traces and ffmpeg command lines. Each has a',
    'permanent code (in `--json` output). This list is generated from `src/core/errors-data.ts`',
    'by `npm run docs:errors`; a test fails when the two differ.',
    '',
    'Two messages come before any of these: `castline is not built yet` (run `npm install`, or',
    '`npm run build`, in the castline folder), and `castline failed unexpectedly: …` (a bug:',
    'rerun with `--debug` and report it).',
  ];
  for (const [area, heading] of Object.entries(ERROR_AREAS) as [ErrorArea, string][]) {
    const entries = byArea.get(area);
    if (!entries?.length) continue;
    parts.push('', `### ${heading}`, '', '| code | what happened: message | what to do |', '|---|---|---|');
    for (const [code, e] of entries) parts.push(...rows(code, e));
  }
  return parts.join('\n');
}
