import { posix, sep, join } from 'node:path';

/**
 * Map a request target to a file under `root`, or undefined when it must not be served:
 * malformed percent-encoding, NUL bytes, backslashes, any `..` segment (also when encoded as
 * %2e%2e or %2f), absolute-looking targets, and dotfiles (temp files of atomic writes).
 * The result always lies inside `root`; the caller still checks symlinks with realpath.
 */
export function resolveRequestPath(root: string, target: string): string | undefined {
  const pathname = target.split(/[?#]/, 1)[0] ?? '';
  if (!pathname.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return undefined;
  const rel = posix.join(...(segments.length ? segments : ['']));
  const full = join(root, rel);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  return decoded.endsWith('/') || segments.length === 0 ? join(full, 'index.html') : full;
}
