import { hashValue } from '../core/hash.js';
import type { ShowConfig } from '../config/show-schema.js';
import { episodeDate } from '../config/load-show.js';
import type { AudioProgram } from '../media/encode-args.js';
import { episodeCleanup } from '../media/plan-cleanup.js';
import type { CleanupSettings } from '../config/show-schema.js';
import type { EpisodeInputs } from './read-episode-inputs.js';
import { scriptHash } from './read-episode-inputs.js';
import type { OutputKeys } from './plan-episode-build.js';

/**
 * Hashes of what each output depends on (pure: inputs already read and hashed). Bump
 * ENCODER_VERSION when castline's own encode recipe changes, so every episode rebuilds once.
 */
export const ENCODER_VERSION = 1;
/** Bump when title cards or the thumbnail layout change: only visuals and thumbnails rebuild. */
export const CARD_VERSION = 2;
/** Bump when how figures are placed or drawn changes: only MP4s with figures rebuild. */
export const FIGURE_VERSION = 1;
/** Bump when chapter pictures or chapters.json's img/url change: chapters and MP3 tags rebuild. */
export const CHAPTER_ART_VERSION = 1;

/** Who the VTT's voice spans name: the show's first host (podcast.persons), who reads the script. */
export function captionSpeaker(show: ShowConfig): string | undefined {
  return show.podcast.persons.find((p) => p.role.toLowerCase() === 'host')?.name;
}

export function audioProgram(show: ShowConfig, inputs: EpisodeInputs): AudioProgram {
  return {
    speech: inputs.speech.map((f) => f.abs),
    intro: inputs.intro?.abs,
    outro: inputs.outro?.abs,
    crossfade: show.audio.crossfade,
    sampleRate: show.audio.sampleRate,
    channels: show.audio.channels,
  };
}

/**
 * The episode's effective cleanup. With a camera recording trimSilence stays off: cutting
 * pauses out of the sound would leave the picture running on, out of sync after the first cut.
 */
export function cleanupFor(show: ShowConfig, inputs: EpisodeInputs): CleanupSettings {
  const settings = episodeCleanup(show.audio.cleanup, inputs.episode.config?.audio?.cleanup);
  return inputs.camera && settings.trimSilence ? { ...settings, trimSilence: false } : settings;
}

export function episodeKeys(show: ShowConfig, inputs: EpisodeInputs): { audioKey: string; keys: OutputKeys } {
  const a = show.audio;
  const audioKey = hashValue({
    v: ENCODER_VERSION,
    speech: inputs.speech.map((f) => f.sha256),
    intro: inputs.intro?.sha256,
    outro: inputs.outro?.sha256,
    crossfade: inputs.intro || inputs.outro ? a.crossfade : undefined,
    sampleRate: a.sampleRate,
    channels: a.channels,
    // The cleanup changes the audio: its effective settings are part of the audio's key.
    cleanup: cleanupFor(show, inputs),
  });
  const loudness = hashValue({ loudness: a.loudness, truePeak: a.truePeak, bitrate: a.bitrate });
  const sections = inputs.script.sections.map((s) => ({ id: s.id, title: s.title, words: s.words }));
  const chapters = hashValue({
    audioKey,
    sections,
    takes: inputs.takes.map((t) => t.sectionId),
    labels: inputs.labels?.file.sha256,
  });
  const ep = inputs.episode;
  const title = ep.config?.title ?? ep.id;
  const tags = hashValue({
    title,
    artist: show.author,
    album: show.title,
    date: episodeDate(ep),
    comment: ep.config?.description ?? show.description,
    cover: inputs.coverArt.sha256,
  });
  const v = show.video;
  const video = hashValue({ v: ENCODER_VERSION, width: v.width, height: v.height, fps: v.fps });
  const visuals = hashValue({
    own: Object.fromEntries(Object.entries(inputs.visuals).map(([id, f]) => [id, f.sha256])),
    titles: sections.map((s) => s.title),
    show: show.title,
    background: inputs.background.sha256,
    font: inputs.font.sha256,
    cards: CARD_VERSION,
  });
  // The camera file, and how its picture is made: its sha (and the microphone's, in the
  // audio key) fix the sync offset; the rest how it is drawn and encoded.
  const camera = inputs.camera
    ? hashValue({ v: ENCODER_VERSION, file: inputs.camera.file.sha256, lowerThirds: v.lowerThirds, seconds: v.lowerThirdSeconds, preset: v.cameraPreset, crf: v.cameraCrf, font: inputs.font.sha256 })
    : undefined;
  // Figures (issue 15): their files, where the cues stand, and what places them in time (the
  // spoken script, aligned to the audio of the audio key); only when there are any, so an
  // episode without figures keeps its key.
  const figures = (inputs.figures ?? []).length
    ? hashValue({ v: FIGURE_VERSION, seconds: v.figureSeconds, script: scriptHash(inputs.script), list: (inputs.figures ?? []).map((f) => [f.sectionId, f.figure.afterParagraphs, f.file.sha256]) })
    : undefined;
  // Chapter pictures are the video's frames (the visuals key) at another size; links come
  // from notes.md; chapters.json names both by absolute URL under site.baseUrl.
  const art = hashValue({ v: CHAPTER_ART_VERSION, visuals, links: inputs.chapterLinks, base: show.site.baseUrl });
  const thumbnail = hashValue({ v: ENCODER_VERSION, cards: CARD_VERSION, title, show: show.title, background: inputs.background.sha256, font: inputs.font.sha256 });
  return {
    audioKey,
    keys: {
      mp3: { audio: audioKey, loudness, tags, chapters, art },
      mp4: { audio: audioKey, loudness, tags, video, ...(camera ? { camera } : { visuals }), chapters, ...(figures ? { figures } : {}) },
      thumbnail: { thumbnail },
      chapters: { chapters, art, ...(figures ? { figures } : {}) },
      captions: { script: scriptHash(inputs.script), audio: audioKey, loudness, chapters, speaker: hashValue(captionSpeaker(show) ?? '') },
    },
  };
}
