/**
 * The README's generated sections live between `<!-- section:NAME -->` and
 * `<!-- /section:NAME -->` markers: the configuration reference (config/render-config-docs.ts)
 * and the errors list (core/render-error-docs.ts). `scripts/gen-docs.mjs` rewrites them; unit
 * tests compare them, so the README cannot drift from the code.
 */

/** Replace the text between `<!-- section:NAME -->` and `<!-- /section:NAME -->`. */
export function replaceReadmeSection(readme: string, name: string, body: string): string {
  const start = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} … ${end} markers`);
  return `${readme.slice(0, i + start.length)}\n${body}\n${readme.slice(j)}`;
}

/** The current text of a README section (without the marker lines). */
export function readmeSection(readme: string, name: string): string | undefined {
  const start = `<!-- section:${name} -->\n`;
  const end = `\n<!-- /section:${name} -->`;
  const i = readme.indexOf(start);
  const j = readme.indexOf(end);
  return i < 0 || j < i ? undefined : readme.slice(i + start.length, j);
}

/** Text for one markdown table cell: one line, `|` escaped (GFM: also inside code spans). */
export function tableCell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}
