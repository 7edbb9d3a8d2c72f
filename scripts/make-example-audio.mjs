#!/usr/bin/env node
// Record the example show: one take per script section, spoken by espeak-ng from the
// episode's script.md, saved as Opus in Ogg (mono, 24 kbit/s: speech stays clear at a few
// hundred KB per minute) in episodes/<id>/audio/<section-id>.ogg. A stand-in for the host's
// microphone so `npm start` builds a real episode. Needs espeak-ng and a built lib/ (npm run build).
//
//   node scripts/make-example-audio.mjs [episode-id...]   (default: every episode with a script.md)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { loadValidShow } = await import(join(root, 'lib/config/load-show.js'));
const { readScript } = await import(join(root, 'lib/script/read-script.js'));
const { getBinaries } = await import(join(root, 'lib/media/ffmpeg/binaries.js'));

const show = await loadValidShow(root);
const wanted = process.argv.slice(2);
const episodes = show.episodes.filter((e) => (wanted.length ? wanted.includes(e.id) : existsSync(e.files.script)));
if (!episodes.length) {
  console.error('no episode with a script.md (run castline script <episode> first)');
  process.exit(1);
}
const { ffmpeg } = getBinaries();
for (const episode of episodes) {
  const script = await readScript(episode);
  mkdirSync(episode.files.audio, { recursive: true });
  // Old takes of sections that no longer exist would be "takes without a section".
  for (const f of readdirSync(episode.files.audio)) if (f.endsWith('.ogg')) rmSync(join(episode.files.audio, f));
  let bytes = 0;
  for (const section of script.sections) {
    const wav = join(tmpdir(), `castline-take-${process.pid}-${section.id}.wav`);
    const out = join(episode.files.audio, `${section.id}.ogg`);
    // Paragraphs joined with a pause marker espeak-ng understands (SSML off: plain text).
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '165', '-g', '6', '-w', wav, section.paragraphs.join('\n\n')]);
    // A gentle compressor, as a host's recording chain would have (espeak-ng's raw peaks sit
    // ~20 dB above its loudness), then 0.6 s of silence so sections do not run together.
    execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', wav, '-af', 'acompressor=threshold=0.1:ratio=4:attack=2:release=80:makeup=2,aresample=48000,apad=pad_len=28800', '-ac', '1', '-c:a', 'libopus', '-b:a', '24k', '-application', 'voip', '-y', `${out}.tmp.ogg`]);
    renameSync(`${out}.tmp.ogg`, out);
    rmSync(wav, { force: true });
    bytes += statSync(out).size;
    console.log(`${episode.id}/audio/${section.id}.ogg  ${section.title}`);
  }
  console.log(`${episode.id}: ${script.sections.length} takes, ${(bytes / 1024).toFixed(0)} KB`);
}
