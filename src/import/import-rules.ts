import type { Element } from 'hast';
import { matches } from 'hast-util-select';
import { toString } from 'hast-util-to-string';

/**
 * Platform chrome in imported HTML, as data (like script/chrome-rules.ts): each rule names one
 * kind of element that belongs to the newsletter platform, not to the issue, and what to do
 * with it: `remove` drops the element with its content, `unwrap` keeps the content without
 * the element. Only what a rule recognises goes; everything else is kept. Each rule carries
 * HTML it must catch (`drops`) and near misses it must leave alone (`keeps`), which
 * test/unit/import/import-rules.test.ts runs.
 */

export interface ElementRule {
  id: string;
  description: string;
  action: 'remove' | 'unwrap';
  test: (el: Element) => boolean;
  /** HTML snippets whose first element the rule must match. */
  drops: string[];
  /** Near misses: HTML snippets whose first element the rule must not match. */
  keeps: string[];
}

export interface LinkRule {
  id: string;
  description: string;
  /** The cleaned URL, or the same URL when the rule does not apply. */
  rewrite: (url: URL) => URL;
  /** [before, after] pairs. */
  examples: Array<[string, string]>;
}

// Inline elements (a, span) are not judged alone: a link reading "comment" can sit inside a sentence.
const BLOCKS = new Set(['p', 'div', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'center', 'table', 'tr', 'tbody']);
const blockText = (el: Element): string | undefined => (BLOCKS.has(el.tagName) ? toString(el).replace(/\s+/g, ' ').trim() : undefined);
const attr = (el: Element, name: string): string | undefined => {
  const v = el.properties?.[name];
  return v === undefined || v === null ? undefined : Array.isArray(v) ? v.join(' ') : String(v);
};
const px = (el: Element, dim: 'width' | 'height'): number | undefined => {
  const style = attr(el, 'style') ?? '';
  const fromStyle = new RegExp(`(?:^|;)\\s*${dim}\\s*:\\s*(\\d+(?:\\.\\d+)?)px`, 'i').exec(style)?.[1];
  const raw = attr(el, dim) ?? fromStyle;
  return raw !== undefined && /^\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : undefined;
};

/** Call-to-action labels the platforms put on their buttons and link rows. */
const CTA = /^(?:share|share this (?:post|issue|newsletter|email)|subscribe(?: now| for free)?|leave a comment|comment|like|restack|upgrade to paid|get the app|start writing|read in (?:the )?app|open in app|listen to this (?:post|episode|issue)|listen now|prefer audio\?.{0,40}|give a gift subscription|refer a friend|forward to a friend|tweet|share on (?:twitter|x|linkedin|facebook))[.!:]?$/i;
const VIEW_ONLINE = /^(?:view (?:this (?:email|post|issue|newsletter) )?(?:in (?:(?:your|a|the) )?browser|online|on the web(?: at \S+)?)|read (?:this (?:email|post|issue) )?(?:online|in (?:(?:your|a|the) )?browser|on the web)|having trouble viewing this (?:email|message)\?.{0,80}|open in (?:your )?browser)[.!]?$/i;

export const ELEMENT_RULES: ElementRule[] = [
  {
    id: 'active-content',
    description: 'Scripts, styles, forms, buttons, embeds and frames: never run, and not issue text.',
    action: 'remove',
    test: (el) => ['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'select', 'textarea', 'svg', 'canvas', 'link', 'meta'].includes(el.tagName),
    drops: ['<script>alert(1)</script>', '<form action="/subscribe"><input type="email"></form>', '<button>Subscribe</button>', '<iframe src="https://example.org/embed"></iframe>', '<svg viewBox="0 0 1 1"></svg>'],
    keeps: ['<p>Type <code>&lt;script&gt;</code> into the box.</p>', '<code>button.click()</code>'],
  },
  {
    id: 'page-chrome',
    description: 'Site header, navigation, sidebars and footers (elements, landmark roles, and the platforms\' footer classes).',
    action: 'remove',
    test: (el) =>
      ['header', 'nav', 'aside', 'footer'].includes(el.tagName) ||
      matches('[role=navigation], [role=banner], [role=contentinfo], [role=complementary], .footer, .post-footer, .email-footer, .gh-article-footer, .site-footer, .site-header, .sharedaddy, .jp-relatedposts, .post-ufi, .share-dialog', el),
    drops: ['<footer>© 2024 The Weekly</footer>', '<nav><a href="/">Home</a></nav>', '<div class="footer">Unsubscribe</div>', '<div role="contentinfo">Address</div>', '<div class="post-ufi">12 likes</div>'],
    keeps: ['<section class="footnotes"><ol><li>A note</li></ol></section>', '<div class="footer-note-in-text">Kept</div>', '<p>The footer of the paper lists the authors.</p>'],
  },
  {
    id: 'buttons',
    description: 'Links styled as buttons and the platforms\' button and subscribe widgets (Substack, Ghost, WordPress, beehiiv).',
    action: 'remove',
    test: (el) =>
      matches('a.button, a.btn, a[role=button], .button-wrapper, .captioned-button-wrap, .kg-button-card, .kg-cta-card, .wp-block-buttons, .wp-block-button, .subscription-widget-wrap, .subscription-widget, .subscribe-widget, .subscribe-form, .image-link-expand, [data-component-name=ButtonCreateButton], [data-component-name=SubscribeWidget]', el),
    drops: ['<a class="button primary" href="https://x.substack.com/subscribe">Subscribe now</a>', '<div class="kg-card kg-button-card"><a href="/signup">Sign up</a></div>', '<div class="wp-block-buttons"><div class="wp-block-button"><a>Join</a></div></div>', '<p class="button-wrapper" data-attrs="{}"><a class="button"><span>Share</span></a></p>'],
    keeps: ['<a href="https://arxiv.org/abs/2301.00001">Read the paper</a>', '<a class="buttons-explained" href="/post">Buttons, explained</a>'],
  },
  {
    id: 'call-to-action',
    description: 'A block or link whose whole text is a platform call to action ("Share", "Subscribe now", "Leave a comment", "Listen to this post", "Prefer audio? Listen here").',
    action: 'remove',
    test: (el) => CTA.test(blockText(el) ?? ''),
    drops: ['<p>Share</p>', '<p><a href="https://x.substack.com/subscribe">Subscribe now</a></p>', '<p><a href="/comments">Leave a comment</a></p>', '<p>Prefer audio? Listen here.</p>', '<div>Listen to this post</div>'],
    keeps: ['<p>Share your results with us by Friday.</p>', '<p>Subscribe to the arXiv listing for cs.LG to see new papers every day.</p>', '<p>Like many labs, they did not publish the weights.</p>', '<a href="/c/1">comment</a>'],
  },
  {
    id: 'view-in-browser',
    description: '"View in browser", "Read online", "Having trouble viewing this email?" lines at the top of emails and feeds.',
    action: 'remove',
    test: (el) => VIEW_ONLINE.test(blockText(el) ?? ''),
    drops: ['<p><a href="https://x.example/p/1">View this email in your browser</a></p>', '<td>Read online</td>', '<div>View this post on the web at https://x.substack.com/p/1</div>', '<p>Having trouble viewing this email? Click here.</p>'],
    keeps: ['<p>We read online comments every week and answer the best ones.</p>', '<p>View the results in your browser with the notebook below; it runs in a minute.</p>'],
  },
  {
    id: 'email-footer-text',
    description: 'Footer lines of emails without a footer element: "© 2024 …", "Copyright © 2024", unsubscribe and preference lines.',
    action: 'remove',
    test: (el) => {
      const t = blockText(el);
      if (!t) return false;
      return /^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©\s*)?\d{4})/i.test(t) || (t.length <= 240 && /\bunsubscribe\b|manage (?:your )?(?:subscription|preferences|email settings)|update your (?:email )?preferences|you(?:['’]re| are) receiving this (?:email|newsletter)|you received this (?:email|newsletter)/i.test(t));
    },
    drops: ['<p>© 2024 Jane Doe · 548 Market Street, San Francisco</p>', '<td><a href="/u">Unsubscribe</a> · <a href="/p">Manage your subscription</a></td>', '<p>You are receiving this email because you signed up at example.org.</p>', '<p>Copyright © 2024 The Weekly, All rights reserved.</p>'],
    keeps: ['<p>Copyright law is changing: the EU\'s new rules cover training data.</p>', '<p>The study asked 2,000 readers why they unsubscribe from newsletters, and the answers were surprising: most said the issues were too long, not too frequent, and that a short audio version would keep them reading for years to come, which is why we made one.</p>'],
  },
  {
    id: 'feed-footer',
    description: 'The line WordPress SEO plugins append to every feed item: "The post … appeared first on …".',
    action: 'remove',
    test: (el) => el.tagName === 'p' && /^the post .{1,200} appeared first on .{1,100}\.$/i.test(blockText(el) ?? ''),
    drops: ['<p>The post <a href="https://x.example/p">March notes</a> appeared first on <a href="https://x.example">Robot Notes</a>.</p>'],
    keeps: ['<p>The post about GPUs appeared first in our March issue, and readers loved it.</p>'],
  },
  {
    id: 'metadata-line',
    description: 'Bylines, dates, reading times and tag lists set by the platform\'s template (not the issue\'s text).',
    action: 'remove',
    test: (el) => matches('.post-meta, .byline, .byline-wrapper, .gh-article-meta, .entry-meta, .posted-on, .reading-time, .post-date, .author-info, .tags-links, .cat-links', el),
    drops: ['<div class="post-meta">Feb 9, 2024 · 6 min read</div>', '<footer class="entry-meta">Posted in News</footer>', '<div class="gh-article-meta">Jane · 5 min</div>'],
    keeps: ['<p class="meta-analysis">A meta-analysis of 40 studies.</p>', '<p>Published in Nature on Feb 9.</p>'],
  },
  {
    id: 'tracking-pixel',
    description: 'Tracking pixels: images 2 px or smaller, hidden images, and alt-less images at an open-tracking path.',
    action: 'remove',
    test: (el) => {
      if (el.tagName !== 'img') return false;
      const w = px(el, 'width');
      const h = px(el, 'height');
      if ((w !== undefined && w <= 2) || (h !== undefined && h <= 2)) return true;
      if (/display\s*:\s*none|visibility\s*:\s*hidden/i.test(attr(el, 'style') ?? '')) return true;
      const alt = (attr(el, 'alt') ?? '').trim();
      return !alt && /\/(?:open|track(?:ing)?\/open|o|pixel|beacon|wf\/open)(?:\.(?:gif|png|php)|[/?]|$)/i.test(attr(el, 'src') ?? '');
    },
    drops: ['<img src="https://email.example.com/o/abc" width="1" height="1" alt="">', '<img src="https://x.substack.com/open?token=abc">', '<img src="https://t.example/p.gif" style="display:none">', '<img src="https://list.example/track/open.php?u=1" alt="" />'],
    keeps: ['<img src="https://cdn.example/chart.png" width="600" height="400" alt="Loss">', '<img src="https://cdn.example/track-record.png" alt="Track record">', '<img src="https://cdn.example/open-weights.png">'],
  },
  {
    id: 'inline-data-image',
    description: 'Images whose only address is inline data (lazy-loading placeholders): nothing to link in markdown.',
    action: 'remove',
    test: (el) => el.tagName === 'img' && /^data:/i.test(attr(el, 'src') ?? '') && !attr(el, 'dataSrc') && !attr(el, 'dataLazySrc'),
    drops: ['<img src="data:image/gif;base64,R0lGOD" alt="">'],
    keeps: ['<img src="data:image/svg+xml,%3Csvg%3E" data-lazy-src="https://cdn.example/fig.png" alt="Figure">', '<img src="https://cdn.example/fig.png">'],
  },
  {
    id: 'image-link',
    description: 'A link around an image that only opens the image itself (Substack, Ghost and WordPress wrap every figure so): the image stays, the link goes.',
    action: 'unwrap',
    test: (el) => {
      if (el.tagName !== 'a' || toString(el).trim()) return false;
      const href = attr(el, 'href') ?? '';
      return /\.(?:png|jpe?g|gif|webp|avif)(?:[?#]|$)|substackcdn\.com\/image\/|\/content\/images\//i.test(href);
    },
    drops: ['<a class="image-link" href="https://substackcdn.com/image/fetch/x.png"><img src="https://substackcdn.com/image/fetch/x.png"></a>', '<a href="https://blog.example/content/images/2024/fig.jpg"><img src="https://blog.example/content/images/2024/fig.jpg"></a>'],
    keeps: ['<a href="https://youtube.com/watch?v=abc"><img src="https://cdn.example/thumb.jpg"></a>', '<a href="https://cdn.example/fig.png">the full-size figure</a>'],
  },
  {
    id: 'layout-table',
    description: 'Email layout tables (role="presentation", or tables holding tables): their cells become plain blocks, not a markdown table.',
    action: 'unwrap',
    test: (el) => el.tagName === 'table' && (matches('[role=presentation], [role=none]', el) || hasNestedTable(el) || !hasHeaderCell(el)),
    drops: ['<table role="presentation"><tr><td><p>Hello</p></td></tr></table>', '<table><tr><td><table><tr><th>A</th></tr></table></td></tr></table>', '<table width="600"><tr><td>Only layout</td></tr></table>'],
    keeps: ['<table><thead><tr><th>Model</th><th>Score</th></tr></thead><tbody><tr><td>A</td><td>1</td></tr></tbody></table>'],
  },
];

function hasNestedTable(table: Element): boolean {
  const visit = (el: Element, depth: number): boolean =>
    el.children.some((c) => c.type === 'element' && ((c.tagName === 'table' && depth > 0) || visit(c, depth + 1)));
  return visit(table, 0);
}

function hasHeaderCell(table: Element): boolean {
  const visit = (el: Element): boolean => el.children.some((c) => c.type === 'element' && c.tagName !== 'table' && (c.tagName === 'th' || visit(c)));
  return visit(table);
}

/** Query parameters that only tell the sender who clicked (campaign and click trackers). */
const TRACKING_PARAM = /^(?:utm_[a-z]+|mc_cid|mc_eid|_hsenc|_hsmi|fbclid|gclid|dclid|mkt_tok|ck_subscriber_id|oly_enc_id|oly_anon_id|vero_id|__s)$/i;

export const LINK_RULES: LinkRule[] = [
  {
    id: 'tracking-params',
    description: 'Campaign and click-tracking query parameters (utm_*, Mailchimp mc_*, HubSpot _hs*, fbclid, gclid, ConvertKit ck_subscriber_id) are removed from links.',
    rewrite: (url) => {
      const out = new URL(url.href);
      for (const key of [...out.searchParams.keys()]) if (TRACKING_PARAM.test(key)) out.searchParams.delete(key);
      return out;
    },
    examples: [
      ['https://a.example/p?utm_source=substack&utm_medium=email', 'https://a.example/p'],
      ['https://a.example/p?id=5&utm_campaign=x&mc_cid=1', 'https://a.example/p?id=5'],
      ['https://a.example/p?utmost=1', 'https://a.example/p?utmost=1'],
    ],
  },
  {
    id: 'referrer-param',
    description: 'Ghost\'s and beehiiv\'s `ref=<newsletter host>` referrer tag is removed; a `ref` that is not a host name (a git branch, `?ref=main`) is kept.',
    rewrite: (url) => {
      const out = new URL(url.href);
      const ref = out.searchParams.get('ref');
      if (ref !== null && /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(ref)) out.searchParams.delete('ref');
      return out;
    },
    examples: [
      ['https://blog.example/p/?ref=weekly.example.com', 'https://blog.example/p/'],
      ['https://github.com/org/repo/tree/x?ref=main', 'https://github.com/org/repo/tree/x?ref=main'],
    ],
  },
  {
    id: 'substack-referral',
    description: 'Substack\'s per-reader referral code (`r=…` on substack.com links) is removed; `r` on other sites is kept.',
    rewrite: (url) => {
      const out = new URL(url.href);
      if (/(?:^|\.)substack\.com$/i.test(out.hostname)) out.searchParams.delete('r');
      return out;
    },
    examples: [
      ['https://weekly.substack.com/p/issue-1?r=2abc', 'https://weekly.substack.com/p/issue-1'],
      ['https://search.example/?r=2abc', 'https://search.example/?r=2abc'],
    ],
  },
];

export function cleanLink(href: string): string {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return href;
  const before = url.href;
  for (const rule of LINK_RULES) url = rule.rewrite(url);
  if (url.href === before) return href;
  // An emptied query leaves a bare "?": drop it.
  return url.href.replace(/\?(?=#|$)/, '');
}

export function elementRuleFor(el: Element): ElementRule | undefined {
  return ELEMENT_RULES.find((r) => r.test(el));
}
