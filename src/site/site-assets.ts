/**
 * The site's one stylesheet and one script, written to dist/ beside the pages. Everything is
 * local (no CDN fonts or scripts): the site works offline and leaks no listener to a third
 * party. System font stacks; a single column that reads well from phone to laptop.
 */
export const SITE_CSS_FILE = 'castline.css';
export const SITE_JS_FILE = 'castline.js';

export const SITE_CSS = `:root { color-scheme: light dark; --fg: #1b1b1f; --bg: #fdfdfc; --muted: #5b5b66; --accent: #0b5cad; --card: #f1f1ee; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececf1; --bg: #16161a; --muted: #a6a6b3; --accent: #7db7ff; --card: #24242a; } }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .5rem; }
header.site, main, footer.site { max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem; }
header.site { display: flex; align-items: center; gap: .75rem; }
header.site a { font-weight: 600; text-decoration: none; }
footer.site { color: var(--muted); font-size: .875rem; }
.show { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; }
@media (min-width: 40rem) { .show { grid-template-columns: 12rem minmax(0, 1fr); align-items: start; } }
.show img { width: 100%; max-width: 16rem; height: auto; border-radius: .5rem; }
h1 { font-size: clamp(1.5rem, 4vw, 2.25rem); line-height: 1.2; margin: .25rem 0 .5rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.subscribe ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.subscribe a { display: inline-block; padding: .35rem .8rem; border-radius: 999px; background: var(--card); text-decoration: none; }
.episodes { list-style: none; padding: 0; }
.episodes li { padding: 1rem 0; border-top: 1px solid var(--card); }
.episodes h3 { margin: 0 0 .25rem; font-size: 1.125rem; }
audio { width: 100%; margin: .5rem 0 1rem; }
video { width: 100%; height: auto; background: #000; border-radius: .5rem; }
.chapters img { width: 4.5rem; height: auto; border-radius: .25rem; flex: none; }
.correction { border-left: 4px solid #c77700; background: var(--card); padding: .5rem 1rem; margin: 1rem 0; border-radius: 0 .5rem .5rem 0; }
.correction h2 { margin: .25rem 0; font-size: 1rem; }
.chapters { padding-left: 0; list-style: none; }
.chapters li { margin: .25rem 0; }
.chapters button { font: inherit; color: inherit; background: var(--card); border: 1px solid transparent; border-radius: .4rem; padding: .35rem .6rem; cursor: pointer; text-align: left; width: 100%; display: flex; gap: .75rem; }
.chapters button[aria-current="true"] { border-color: var(--accent); }
.chapters .time { font-variant-numeric: tabular-nums; color: var(--muted); min-width: 3.5rem; }
.transcript { max-height: 24rem; overflow: auto; background: var(--card); padding: .5rem 1rem; border-radius: .5rem; }
`;

/**
 * Chapter buttons seek the player (the video when it is the one playing); the current chapter
 * is marked for screen readers too.
 */
export const SITE_JS = `(function () {
  var player = document.getElementById('player');
  if (!player) return;
  var video = document.getElementById('video');
  var audio = {
    get currentTime() { return (video && !video.paused ? video : player).currentTime; },
    set currentTime(t) { (video && !video.paused ? video : player).currentTime = t; },
    play: function () { return (video && !video.paused ? video : player).play(); },
    addEventListener: function (type, fn) { player.addEventListener(type, fn); if (video) video.addEventListener(type, fn); }
  };
  var buttons = Array.prototype.slice.call(document.querySelectorAll('button[data-start]'));
  buttons.forEach(function (button) {
    button.addEventListener('click', function () {
      audio.currentTime = Number(button.getAttribute('data-start'));
      var played = audio.play();
      if (played && played.catch) played.catch(function () {});
    });
  });
  audio.addEventListener('timeupdate', function () {
    var current = null;
    buttons.forEach(function (b) { if (Number(b.getAttribute('data-start')) <= audio.currentTime + 0.01) current = b; });
    buttons.forEach(function (b) { if (b === current) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current'); });
  });
})();
`;
