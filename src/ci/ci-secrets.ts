import type { ShowConfig } from '../config/show-schema.js';

/**
 * The secrets a CI publish needs, by the environment variable names castline already reads
 * (youtube/load-credentials.ts, the AWS SDK's chain for s3-target.ts, CASTLINE_SFTP_KEY for
 * sftp-target.ts). Which ones depends on show.yaml: YouTube only with a `youtube:` block, the
 * deploy target's own. Pure.
 */
export interface CiSecret {
  name: string;
  what: string;
  /** Written to a file (mode 0600, outside the checkout) whose path is the variable's value. */
  file?: boolean;
}

export function ciSecrets(show: ShowConfig): CiSecret[] {
  const out: CiSecret[] = [];
  if (show.youtube) {
    out.push(
      { name: 'CASTLINE_YOUTUBE_CLIENT_ID', what: 'OAuth client id (Google Cloud console, Desktop app)' },
      { name: 'CASTLINE_YOUTUBE_CLIENT_SECRET', what: 'OAuth client secret' },
      { name: 'CASTLINE_YOUTUBE_REFRESH_TOKEN', what: 'refresh token (`castline auth youtube`, then from ~/.config/castline/youtube.json)' },
    );
  }
  if (show.deploy.target === 's3') {
    out.push({ name: 'AWS_ACCESS_KEY_ID', what: 'S3/R2/B2 access key id' }, { name: 'AWS_SECRET_ACCESS_KEY', what: 'S3/R2/B2 secret key' });
  }
  if (show.deploy.target === 'sftp') out.push({ name: 'CASTLINE_SFTP_KEY', what: 'the SSH private key (its text; the workflow writes it to a 0600 file)', file: true });
  return out;
}
