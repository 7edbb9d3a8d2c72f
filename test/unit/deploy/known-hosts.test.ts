import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { checkKnownHosts, fingerprintOf } from '../../../src/deploy/known-hosts.js';

// A real ed25519 public key blob (ssh-keygen output), and another.
const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C7okWi0dh2l9GKJl';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIBfzt9e3Q0LzVWc1Z6AiBWn1fwPEKd8hBg3uMN2fIExy';
const blob = Buffer.from(KEY, 'base64');

describe('known_hosts', () => {
  it('matches plain, [host]:port, wildcard and hashed entries, and tells a changed key from an unknown host', () => {
    expect(checkKnownHosts(`example.org ssh-ed25519 ${KEY}\n`, 'example.org', 22, blob)).toBe('match');
    expect(checkKnownHosts(`example.org ssh-ed25519 ${KEY}\n`, 'example.org', 2222, blob)).toBe('unknown');
    expect(checkKnownHosts(`[127.0.0.1]:2222 ssh-ed25519 ${KEY}\n`, '127.0.0.1', 2222, blob)).toBe('match');
    expect(checkKnownHosts(`*.example.org,!bad.example.org ssh-ed25519 ${KEY}\n`, 'www.example.org', 22, blob)).toBe('match');
    expect(checkKnownHosts(`*.example.org,!bad.example.org ssh-ed25519 ${KEY}\n`, 'bad.example.org', 22, blob)).toBe('unknown');
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[10.0.0.5]:2200').digest('base64')}`;
    expect(checkKnownHosts(`${hashed} ssh-ed25519 ${KEY}\n`, '10.0.0.5', 2200, blob)).toBe('match');
    expect(checkKnownHosts(`example.org ssh-ed25519 ${OTHER}\n`, 'example.org', 22, blob)).toBe('mismatch');
    expect(checkKnownHosts(`example.org ssh-ed25519 ${OTHER}\nexample.org ssh-ed25519 ${KEY}\n`, 'example.org', 22, blob)).toBe('match');
    expect(checkKnownHosts(`@revoked * ssh-ed25519 ${KEY}\nexample.org ssh-ed25519 ${KEY}\n`, 'example.org', 22, blob)).toBe('revoked');
  });

  it('fingerprints a key as OpenSSH does (SHA256, unpadded base64)', () => {
    expect(fingerprintOf(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
