import type { ScriptSettings } from '../../../src/script/build-script.js';

/** The example show's script settings, shared by the script stage's unit tests. */
export const SETTINGS: ScriptSettings = {
  showTitle: 'ML & AI Safety Update',
  episodeId: '2023-01-20-mlaisu',
  episodeTitle: 'Overfitting in superposition and a compiler for Transformers',
  episodeNumber: 2,
  date: '2023-01-20',
  wpm: 155,
  intro: 'Welcome to {show}, episode {number}.',
  outro: "That was {show}. Thank you for listening, and we'll see you next week!",
  urls: 'drop',
  links: [{ text: 'Spotify', url: 'https://open.spotify.com/show/example' }],
};
