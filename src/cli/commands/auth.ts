import { readFile } from 'node:fs/promises';
import { CastlineError } from '../../core/errors.js';
import { ENV, credentialsPath, loadCredentials, missingCredentialsError, saveCredentials } from '../../youtube/load-credentials.js';
import { createYouTubeClient, youtubeEndpoints } from '../../youtube/create-youtube-client.js';
import { authorizeInstalledApp } from '../../youtube/authorize-installed-app.js';
import { toYouTubeError } from '../../youtube/youtube-error.js';
import type { CommandContext } from '../main.js';

interface AuthOptions {
  status?: boolean;
  clientSecrets?: string;
}

/** `castline auth youtube [--status] [--client-secrets <file>]` */
export async function run(ctx: CommandContext, service: string, options: AuthOptions = {}): Promise<number> {
  if (service !== 'youtube') {
    throw new CastlineError('unknown-service', `castline can authorize "youtube", not "${service}"`, { hint: 'run castline auth youtube' });
  }
  const endpoints = youtubeEndpoints();
  if (options.status) {
    const credentials = await loadCredentials();
    if (!credentials) throw missingCredentialsError();
    const channel = await whoAmI(credentials);
    const where = credentials.source === 'env' ? `the ${ENV.refreshToken} environment variable` : credentialsPath();
    ctx.reporter.result({ authorized: true, channel, source: credentials.source });
    if (!ctx.reporter.json) process.stdout.write(`YouTube: authorized for channel "${channel.title}" (${channel.id}), token from ${where}\n`);
    return 0;
  }
  const client = await clientIdentity(options.clientSecrets);
  const { refreshToken } = await authorizeInstalledApp({
    ...client,
    endpoints,
    onUrl: (url) => ctx.reporter.info(`Open this URL in a browser on this machine and allow access to your YouTube channel:\n\n  ${url}\n\nWaiting for Google to send you back to castline…`),
  });
  const channel = await whoAmI({ ...client, refreshToken, source: 'file' });
  const path = await saveCredentials({ ...client, refreshToken, channelId: channel.id, channelTitle: channel.title, savedAt: new Date().toISOString() });
  ctx.reporter.done(`authorized for channel "${channel.title}"; token saved to ${path} (readable only by you)`);
  ctx.reporter.result({ authorized: true, channel, path });
  return 0;
}

async function whoAmI(credentials: Parameters<typeof createYouTubeClient>[0]): Promise<{ id: string; title: string }> {
  const yt = createYouTubeClient(credentials, youtubeEndpoints());
  try {
    const res = await yt.api.channels.list({ part: ['snippet'], mine: true }, yt.call);
    const ch = res.data.items?.[0];
    if (!ch?.id) throw new CastlineError('youtube-no-channel', 'The authorized Google account has no YouTube channel', { hint: 'create a channel at https://www.youtube.com/create_channel, then run castline auth youtube again' });
    return { id: ch.id, title: ch.snippet?.title ?? ch.id };
  } catch (error) {
    throw toYouTubeError(error, 'channels.list');
  }
}

/** The OAuth client: --client-secrets (Google Cloud's client_secret.json) or the environment. */
async function clientIdentity(file: string | undefined): Promise<{ clientId: string; clientSecret: string }> {
  if (file) {
    let data: { installed?: { client_id?: string; client_secret?: string } };
    try {
      data = JSON.parse(await readFile(file, 'utf8')) as typeof data;
    } catch {
      throw new CastlineError('client-secrets-unreadable', `${file} is not a readable JSON file`, { hint: 'download the OAuth client (type "Desktop app") JSON from Google Cloud console → APIs & Services → Credentials' });
    }
    const id = data.installed?.client_id;
    const secret = data.installed?.client_secret;
    if (!id || !secret) throw new CastlineError('client-secrets-invalid', `${file} has no "installed" client`, { hint: 'create an OAuth client of type "Desktop app" and download its JSON' });
    return { clientId: id, clientSecret: secret };
  }
  const clientId = process.env[ENV.clientId];
  const clientSecret = process.env[ENV.clientSecret];
  if (!clientId || !clientSecret) {
    throw new CastlineError('youtube-no-client', 'castline needs your Google Cloud OAuth client to sign in', {
      hint: `pass --client-secrets <client_secret.json> (an OAuth client of type "Desktop app"), or set ${ENV.clientId} and ${ENV.clientSecret}`,
    });
  }
  return { clientId, clientSecret };
}
