import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CastlineError } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs-atomic.js';

/**
 * Where castline keeps the YouTube refresh token: the user's config directory
 * ($XDG_CONFIG_HOME/castline, else ~/.config/castline), file mode 0600 — never the show folder,
 * which hosts commit to git. Headless use (CI) reads CASTLINE_YOUTUBE_CLIENT_ID/SECRET/REFRESH_TOKEN.
 */
export const CredentialsSchema = z.strictObject({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  refreshToken: z.string().min(1),
  channelId: z.string().optional(),
  channelTitle: z.string().optional(),
  savedAt: z.string().optional(),
});

export type YouTubeCredentials = z.infer<typeof CredentialsSchema> & { source: 'env' | 'file' };

export const ENV = {
  clientId: 'CASTLINE_YOUTUBE_CLIENT_ID',
  clientSecret: 'CASTLINE_YOUTUBE_CLIENT_SECRET',
  refreshToken: 'CASTLINE_YOUTUBE_REFRESH_TOKEN',
  rootUrl: 'CASTLINE_YOUTUBE_ROOT_URL',
  tokenUrl: 'CASTLINE_OAUTH_TOKEN_URL',
} as const;

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'castline');
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'youtube.json');
}

/** Credentials from the environment (all three variables) or the stored file; undefined if none. */
export async function loadCredentials(env: NodeJS.ProcessEnv = process.env): Promise<YouTubeCredentials | undefined> {
  const fromEnv = { clientId: env[ENV.clientId], clientSecret: env[ENV.clientSecret], refreshToken: env[ENV.refreshToken] };
  if (fromEnv.clientId && fromEnv.clientSecret && fromEnv.refreshToken) {
    return { clientId: fromEnv.clientId, clientSecret: fromEnv.clientSecret, refreshToken: fromEnv.refreshToken, source: 'env' };
  }
  const path = credentialsPath(env);
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new CastlineError('youtube-credentials-unreadable', `${path} is not valid JSON`, { hint: 'delete it and run castline auth youtube again' });
  }
  const parsed = CredentialsSchema.safeParse(data);
  if (!parsed.success) {
    throw new CastlineError('youtube-credentials-invalid', `${path} does not hold castline's YouTube credentials`, { hint: 'delete it and run castline auth youtube again' });
  }
  // A token readable by others is worth a warning-free fix: tighten it.
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return { ...parsed.data, source: 'file' };
}

export async function saveCredentials(credentials: z.infer<typeof CredentialsSchema>, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(env);
  await writeFileAtomic(path, `${JSON.stringify(CredentialsSchema.parse(credentials), null, 2)}\n`, 0o600);
  await chmod(path, 0o600);
  return path;
}

export function missingCredentialsError(): CastlineError {
  return new CastlineError('youtube-no-credentials', 'No YouTube credentials: castline is not authorized to upload to a channel yet', {
    hint: `run castline auth youtube once (it stores a token in ${credentialsPath()}), or set ${ENV.clientId}, ${ENV.clientSecret} and ${ENV.refreshToken} for headless use; castline publish --dry-run works without them`,
    state: 'nothing was uploaded or changed',
  });
}
