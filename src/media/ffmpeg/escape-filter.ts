/**
 * Escaping for text that reaches ffmpeg filter graphs and ffmetadata files (DESIGN invariant:
 * text from issues and YAML reaches ffmpeg only escaped). Arguments are passed to ffmpeg
 * without a shell, so only ffmpeg's own two levels apply (ffmpeg-filters(1), "Notes on
 * filtergraph escaping"):
 *   1. inside a filter's option value, `'` `\` `:` are special; quoting with '...' makes all
 *      but `'` literal, and a `'` is written as `'\''` (close, escaped quote, reopen);
 *   2. the filtergraph parser then treats `\ ' [ ] , ;` as special, escaped with `\`.
 */
export function escapeFilterValue(value: string): string {
  const quoted = `'${value.replace(/'/g, "'\\''")}'`;
  return quoted.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/**
 * A metadata value for an `;FFMETADATA1` file: `=`, `;`, `#`, `\` and newlines are escaped
 * with a backslash (ffmpeg-formats(1), "Metadata" / ffmetadata).
 */
export function escapeFfmetadata(value: string): string {
  return value.replace(/[=;#\\\n]/g, (c) => `\\${c}`);
}

/** Control characters (other than newline) never belong in a title drawn on a video. */
export function stripControl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
}
