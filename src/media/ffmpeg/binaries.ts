import { accessSync, chmodSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CastlineError } from '../../core/errors.js';

const require = createRequire(import.meta.url);

export interface Binaries {
  ffmpeg: string;
  ffprobe: string;
}

let cached: Binaries | undefined;

function locate(kind: 'ffmpeg' | 'ffprobe'): string {
  const envName = kind === 'ffmpeg' ? 'CASTLINE_FFMPEG' : 'CASTLINE_FFPROBE';
  const fromEnv = process.env[envName];
  if (fromEnv) {
    if (!existsSync(fromEnv) || !statSync(fromEnv).isFile()) {
      const what = existsSync(fromEnv) ? 'is not a file' : 'does not exist';
      throw new CastlineError('binary-missing', `${envName} points at ${fromEnv}, which ${what}`, {
        hint: `unset ${envName} to use the bundled ${kind}, or point it at an existing ${kind} binary`,
      });
    }
    return ensureExecutable(fromEnv, kind, envName);
  }
  const pkg = kind === 'ffmpeg' ? '@ffmpeg-installer/ffmpeg' : '@ffprobe-installer/ffprobe';
  let path: string;
  try {
    path = (require(pkg) as { path: string }).path;
  } catch (error) {
    throw new CastlineError('binary-missing', `The bundled ${kind} (${pkg}) is not installed for this platform (${process.platform}-${process.arch})`, {
      hint: `run \`npm install\` in the castline folder, or set ${envName} to a ${kind} binary`,
      cause: error,
    });
  }
  return ensureExecutable(path, kind, envName);
}

/**
 * npm 11 skips dependencies' install scripts, and the installer packages' only script is
 * `chmod u+x`: make the binary executable here, once, with a clear error if we cannot.
 */
function ensureExecutable(path: string, kind: string, envName: string): string {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    try {
      const mode = statSync(path).mode;
      chmodSync(path, mode | 0o111);
      accessSync(path, constants.X_OK);
      return path;
    } catch (error) {
      throw new CastlineError('binary-not-executable', `${kind} at ${path} is not executable and castline could not make it so`, {
        hint: `run \`chmod +x ${path}\`, or set ${envName} to a working ${kind}`,
        cause: error,
      });
    }
  }
}

/** Paths to ffmpeg and ffprobe: CASTLINE_FFMPEG/CASTLINE_FFPROBE, else the bundled ones. */
export function getBinaries(): Binaries {
  if (!cached || process.env['CASTLINE_FFMPEG'] !== undefined || process.env['CASTLINE_FFPROBE'] !== undefined) {
    cached = { ffmpeg: locate('ffmpeg'), ffprobe: locate('ffprobe') };
  }
  return cached;
}
