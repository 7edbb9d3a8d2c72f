import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Host-key checking the way OpenSSH does it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): a line is
 * `[@marker] patterns keytype base64-key [comment]`; patterns are comma-separated host names
 * with `*`/`?` wildcards and `!` negation, `[host]:port` for a port other than 22, or a hashed
 * `|1|base64(salt)|base64(HMAC-SHA1(salt, name))` entry (HashKnownHosts).
 */
export type HostKeyVerdict = 'match' | 'mismatch' | 'unknown' | 'revoked';

/** OpenSSH's fingerprint of a key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

export function knownHostsFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  return [join(env['HOME'] ?? homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

export function checkKnownHosts(text: string, host: string, port: number, keyBlob: Uint8Array): HostKeyVerdict {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const key = Buffer.from(keyBlob).toString('base64');
  let verdict: HostKeyVerdict = 'unknown';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [patterns, , blob] = fields;
    if (!patterns || !blob || marker === '@cert-authority') continue;
    if (!hostMatches(patterns, name)) continue;
    if (marker === '@revoked') {
      if (blob === key) return 'revoked';
      continue;
    }
    if (blob === key) verdict = 'match';
    else if (verdict === 'unknown') verdict = 'mismatch';
  }
  return verdict;
}

function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const glob = new RegExp(`^${(negated ? p.slice(1) : p).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (glob.test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export function readKnownHosts(env: NodeJS.ProcessEnv = process.env): string {
  return knownHostsFiles(env)
    .map((f) => {
      try {
        return readFileSync(f, 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
}
