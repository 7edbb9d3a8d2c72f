import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { CodeChallengeMethod } from 'google-auth-library';
import { CastlineError } from '../core/errors.js';
import { createOAuthClient, type YouTubeEndpoints } from './create-youtube-client.js';
import { toYouTubeError } from './youtube-error.js';

/**
 * OAuth 2.0 for installed apps with a loopback redirect and PKCE
 * (https://developers.google.com/identity/protocols/oauth2/native-app; RFC 8252 §7.3, RFC 7636):
 * listen on 127.0.0.1 at a free port, send the user to Google's consent page, take the code
 * from the redirect (checking `state`), and trade it with the code verifier for a refresh
 * token. The copy-paste ("oob") flow is no longer allowed by Google.
 */
export const YOUTUBE_SCOPES = ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube.force-ssl'];

export interface AuthorizeOptions {
  clientId: string;
  clientSecret: string;
  endpoints: YouTubeEndpoints;
  /** Called with the URL the user must open. */
  onUrl: (url: string) => void;
  timeoutMs?: number;
}

export async function authorizeInstalledApp(options: AuthorizeOptions): Promise<{ refreshToken: string }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  try {
    const port = (server.address() as { port: number }).port;
    const redirectUri = `http://127.0.0.1:${port}`;
    const client = createOAuthClient(options.clientId, options.clientSecret, options.endpoints, redirectUri);
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const state = randomBytes(16).toString('hex');
    const url = client.generateAuthUrl({
      access_type: 'offline',
      // Ask again even if consented before, so Google returns a refresh token.
      prompt: 'consent',
      scope: YOUTUBE_SCOPES,
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      ...(codeChallenge ? { code_challenge: codeChallenge } : {}),
    });
    options.onUrl(url);
    const code = await waitForCode(server, state, options.timeoutMs ?? 300_000);
    let tokens;
    try {
      tokens = (await client.getToken({ code, codeVerifier, redirect_uri: redirectUri })).tokens;
    } catch (error) {
      throw toYouTubeError(error, 'sign-in');
    }
    if (!tokens.refresh_token) {
      throw new CastlineError('youtube-no-refresh-token', 'Google signed you in but sent no refresh token', {
        hint: 'remove castline from https://myaccount.google.com/permissions and run castline auth youtube again',
      });
    }
    return { refreshToken: tokens.refresh_token };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

function waitForCode(server: Server, state: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CastlineError('youtube-auth-timeout', 'Nobody finished the sign-in in the browser in time', { hint: 'run castline auth youtube again and open the printed URL' })), timeoutMs);
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      if (!code && !error) {
        res.writeHead(404).end();
        return;
      }
      const page = (text: string): void => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>castline</title><p>${text}</p>`);
      };
      clearTimeout(timer);
      if (error) {
        page('Sign-in was cancelled. You can close this tab.');
        reject(new CastlineError('youtube-auth-denied', `Google sign-in did not complete (${error.replace(/[^\w-]/g, '')})`, { hint: 'run castline auth youtube again and allow access to the channel' }));
      } else if (url.searchParams.get('state') !== state) {
        page('This sign-in link does not belong to the running castline. You can close this tab.');
        reject(new CastlineError('youtube-auth-state', 'The sign-in answer did not match this request (state mismatch)', { hint: 'run castline auth youtube again and use the URL it prints' }));
      } else {
        page('castline is authorized. You can close this tab and return to the terminal.');
        resolve(code!);
      }
    });
  });
}
