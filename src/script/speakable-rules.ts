import { MONTHS, integerWords, numberWords, ordinalWords, yearWords } from './number-words.js';

/**
 * Speakable-text normalization as data: each rule turns one kind of written token into words a
 * host reads naturally. Rules run in table order over a paragraph's plain text (markup is
 * already gone: see spoken-blocks.ts). Every rule carries examples; the unit tests run each
 * example through the whole pipeline, so a rule and its documentation cannot drift apart.
 */

export type UrlMode = 'drop' | 'speak';

export interface SpeakOptions {
  /** show.yaml `script.urls`: `drop` leaves bare URLs to the show notes, `speak` reads the address. */
  urls: UrlMode;
}

export interface SpeakRule {
  id: string;
  description: string;
  pattern: RegExp;
  /** `next` is the character after the match, `before` the text before it (for rules whose output depends on them). */
  replace: (match: RegExpExecArray, options: SpeakOptions, next?: string, before?: string) => string;
  /** [written, spoken] pairs, checked by test/unit/script/speakable-rules.test.ts. */
  examples: Array<[string, string]>;
  /** Examples whose output depends on the URL mode. */
  speakExamples?: Array<[string, string]>;
  /** Near misses: text this rule alone must leave as it is (checked by the same test). */
  nearMisses?: string[];
}

/**
 * Inline code reaches the rules wrapped in these private-use characters (spoken-blocks.ts), so
 * the inline-code rule knows exactly where code starts and ends; pasted text marks code with
 * backticks instead.
 */
export const CODE_OPEN = '\uE000';
export const CODE_CLOSE = '\uE001';

/** Command-line tools whose commands are read as "a <tool> <subcommand> command". */
const COMMAND_TOOLS = new Set(['pip', 'pip3', 'pipx', 'uv', 'conda', 'npm', 'npx', 'pnpm', 'yarn', 'bun', 'brew', 'apt', 'apt-get', 'git', 'docker', 'kubectl', 'helm', 'cargo', 'go', 'gem', 'curl', 'wget', 'python', 'python3', 'node', 'deno', 'make', 'ollama', 'huggingface-cli', 'castline']);

/** `pip install x==1.2` → "a pip install command, in the show notes"; `torch.compile` → "torch dot compile". */
function speakCode(code: string, next: string): string {
  const trimmed = code.trim().replace(/^\$\s*/, '');
  const words = trimmed.split(/\s+/);
  const tool = words[0] ?? '';
  const tail = next === '' || /^[.,;:!?)]/.test(next) ? '' : ',';
  if (words.length > 1 && COMMAND_TOOLS.has(tool)) {
    const sub = words[1] && /^[a-z][a-z-]{1,15}$/.test(words[1]) ? ` ${words[1]}` : '';
    return `${/^(?:npm|npx|apt|apt-get|ollama|uv)$/.test(tool) ? 'an' : articleFor('a', tool)} ${tool}${sub} command, in the show notes${tail}`;
  }
  // One short identifier is read as written, its dots and underscores spoken as a developer would.
  if (/^[A-Za-z_][\w.]{0,30}(?:\(\))?$/.test(trimmed) && !/\d/.test(trimmed)) {
    return trimmed.replace(/\(\)$/, '').replace(/\./g, ' dot ').replace(/_/g, ' ');
  }
  return `a code snippet, in the show notes${tail}`;
}

const MONTH_NAMES = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December';
const WRITTEN_DATE = `(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?(?:(?:${MONTH_NAMES})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTH_NAMES})\\.?(?:,?\\s+\\d{4})?|\\d{4}-\\d{2}-\\d{2})`;

/** Units read in running text: symbol → [singular, plural]. Ambiguous ones (m, g, B, s alone after a year) are left out. */
const UNITS: Record<string, [string, string]> = {
  ns: ['nanosecond', 'nanoseconds'], 'µs': ['microsecond', 'microseconds'], us: ['microsecond', 'microseconds'], ms: ['millisecond', 'milliseconds'], sec: ['second', 'seconds'],
  Hz: ['hertz', 'hertz'], kHz: ['kilohertz', 'kilohertz'], MHz: ['megahertz', 'megahertz'], GHz: ['gigahertz', 'gigahertz'],
  KB: ['kilobyte', 'kilobytes'], kB: ['kilobyte', 'kilobytes'], MB: ['megabyte', 'megabytes'], GB: ['gigabyte', 'gigabytes'], TB: ['terabyte', 'terabytes'], PB: ['petabyte', 'petabytes'],
  KiB: ['kibibyte', 'kibibytes'], MiB: ['mebibyte', 'mebibytes'], GiB: ['gibibyte', 'gibibytes'], TiB: ['tebibyte', 'tebibytes'],
  Mb: ['megabit', 'megabits'], Gb: ['gigabit', 'gigabits'], Mbps: ['megabit per second', 'megabits per second'], Gbps: ['gigabit per second', 'gigabits per second'],
  V: ['volt', 'volts'], W: ['watt', 'watts'], kW: ['kilowatt', 'kilowatts'], MW: ['megawatt', 'megawatts'], GW: ['gigawatt', 'gigawatts'], kWh: ['kilowatt hour', 'kilowatt hours'], MWh: ['megawatt hour', 'megawatt hours'], GWh: ['gigawatt hour', 'gigawatt hours'],
  mm: ['millimetre', 'millimetres'], cm: ['centimetre', 'centimetres'], km: ['kilometre', 'kilometres'], kg: ['kilogram', 'kilograms'], nm: ['nanometre', 'nanometres'],
  '°C': ['degree Celsius', 'degrees Celsius'], '°F': ['degree Fahrenheit', 'degrees Fahrenheit'],
  TFLOPS: ['teraflops', 'teraflops'], PFLOPS: ['petaflops', 'petaflops'], GFLOPS: ['gigaflops', 'gigaflops'],
  'tok/s': ['token per second', 'tokens per second'], 'tokens/s': ['token per second', 'tokens per second'],
};
const UNIT_SOURCE = Object.keys(UNITS).sort((a, b) => b.length - a.length).map((u) => u.replace(/[/]/g, '\\/')).join('|');

function unitWords(unit: string, perSecond: boolean, one: boolean): string {
  const [singular, plural] = UNITS[unit] ?? [unit, unit];
  return `${one ? singular : plural}${perSecond ? ' per second' : ''}`;
}

/** "A100" → "A one hundred": a hardware or product code read letter by letter and number. */
function speakCodeName(name: string): string {
  return name.replace(/(\d+)/g, (d) => ` ${integerWords(Number(d))} `).replace(/\s+/g, ' ').trim();
}

const NUMBERED_ABBREVIATIONS: Record<string, [string, string]> = {
  no: ['number', 'numbers'], nos: ['numbers', 'numbers'], vol: ['volume', 'volumes'], vols: ['volumes', 'volumes'], p: ['page', 'pages'], pp: ['pages', 'pages'],
  fig: ['figure', 'figures'], figs: ['figures', 'figures'], eq: ['equation', 'equations'], sec: ['section', 'sections'], ch: ['chapter', 'chapters'], ep: ['episode', 'episodes'], '§': ['section', 'sections'],
};

/** Top-level domains recognised in bare addresses like `ais.pub/mechint` (not `Node.js`, not `e.g.`). */
const TLDS = 'com|org|net|io|ai|pub|training|dev|app|co|edu|gov|info|me|tv|xyz|ly|gg|fm|news|blog|site|tech|page|uk|de|fr|eu|nl|dk|se|no|ch|us|ca|au|in|so|to|sh|link|world|academy|institute|foundation|community|events|systems|science|email|work|life|online|studio|cloud';
const DOMAIN = `(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:${TLDS})`;
/** A bare URL or domain with an optional path, not glued to other words. */
export const BARE_URL_SOURCE = `(?:https?:\\/\\/[^\\s<>()\\]]+[^\\s<>()\\].,;:!?'"’”]|(?:www\\.)?${DOMAIN}(?:\\/[^\\s<>()\\]]*[^\\s<>()\\].,;:!?'"’”])?)(?![\\w@])`;
const URL_RE_SOURCE = `(?<![\\w@./-])${BARE_URL_SOURCE}`;

const SEE_NOTES = 'the link in the show notes';

/** Sites listeners know by name: a bare mention is read as the name, not as an address. */
const KNOWN_SITES: Record<string, string> = {
  'github.com': 'GitHub',
  'youtube.com': 'YouTube',
  'twitter.com': 'Twitter',
  'x.com': 'X',
  'lesswrong.com': 'LessWrong',
  'alignmentforum.org': 'the Alignment Forum',
  'huggingface.co': 'Hugging Face',
  'arxiv.org': 'arXiv',
  'substack.com': 'Substack',
  'medium.com': 'Medium',
  'discord.com': 'Discord',
  'reddit.com': 'Reddit',
  'wikipedia.org': 'Wikipedia',
};
const NOUNS_BEFORE_URL = 'website|site|page|tool|platform|newsletter|blog|app|form|repository|repo|paper|post|article|guide|course|forum|server|channel|podcast|project|list|database';

/** How an address is read with `urls: speak`: `ais.pub/mechint` → "ais dot pub slash mechint". */
export function speakUrl(url: string): string {
  const noScheme = url.replace(/^https?:\/\//i, '').replace(/^www\./i, '').replace(/\/+$/, '');
  const [host = '', ...pathParts] = noScheme.split('/');
  const path = pathParts.join('/');
  const spokenHost = host.split('.').join(' dot ');
  // Long or query-laden paths are unreadable aloud: read the site and point at the notes.
  if (!path) return spokenHost;
  if (path.length > 24 || /[?#=&%]/.test(path) || pathParts.length > 2) return `${spokenHost}, linked in the show notes`;
  return `${spokenHost} slash ${pathParts.map((p) => p.replace(/[-_]/g, ' ')).join(' slash ')}`;
}

const CURRENCY: Record<string, [string, string]> = {
  $: ['dollar', 'dollars'],
  '€': ['euro', 'euros'],
  '£': ['pound', 'pounds'],
  '¥': ['yen', 'yen'],
};
const SUBUNIT: Record<string, [string, string]> = {
  $: ['cent', 'cents'],
  '€': ['cent', 'cents'],
  '£': ['penny', 'pence'],
};
const SCALE_WORDS: Record<string, string> = { k: 'thousand', K: 'thousand', m: 'million', M: 'million', mn: 'million', b: 'billion', B: 'billion', bn: 'billion', million: 'million', billion: 'billion', trillion: 'trillion', thousand: 'thousand' };
const PER: Record<string, string> = {
  hour: 'an hour', hr: 'an hour', h: 'an hour', day: 'a day', week: 'a week', wk: 'a week', month: 'a month', mo: 'a month', year: 'a year', yr: 'a year', person: 'per person', user: 'per user', seat: 'per seat', token: 'per token', GPU: 'per GPU', 'GPU-hour': 'per GPU hour',
};

function moneyWords(symbol: string, amount: string, scale: string | undefined): string {
  const [one, many] = CURRENCY[symbol] ?? ['', ''];
  const clean = amount.replace(/,/g, '');
  if (scale) return `${numberWords(clean)} ${SCALE_WORDS[scale] ?? scale} ${many}`;
  const [whole = '0', frac] = clean.split('.');
  const wholeN = Number(whole);
  const sub = SUBUNIT[symbol];
  // Sub-cent prices ($0.002 per token) are read as decimals of the main unit.
  if (frac !== undefined && sub && frac.length <= 2) {
    const cents = Math.round(Number(`0.${frac}`) * 100);
    if (wholeN === 0) return `${integerWords(cents)} ${cents === 1 ? sub[0] : sub[1]}`;
    if (cents === 0) return `${integerWords(wholeN)} ${wholeN === 1 ? one : many}`;
    return `${integerWords(wholeN)} ${wholeN === 1 ? one : many} ${integerWords(cents)}`;
  }
  if (frac !== undefined) return `${numberWords(clean)} ${many}`;
  return `${integerWords(wholeN)} ${wholeN === 1 ? one : many}`;
}

/** Nouns that a preceding amount describes: "a $40,000 grant". */
const MONEY_NOUNS = 'grant|grants|prize|prizes|budget|fund|salary|wage|stipend|bounty|award|fee|investment|round|deal|contract|fellowship|scholarship|program|programme|bonus|raise|loan|donation|pledge|check|cheque|bill|ticket|subscription|plan|price|cost|limit|cap|pot';

/** "forty thousand dollars a month" → "forty-thousand-dollar-a-month" (a compound adjective), if it ends in a currency. */
function moneyAdjective(words: string): string | undefined {
  const m = /^(.*?) (dollars?|euros?|pounds?|cents?|pence|penny|yen)((?: (?:an?|per) [a-z -]+)?)$/i.exec(words);
  if (!m) return undefined;
  const unit = (m[2] ?? '').replace(/s$/, '').replace(/^pence$/, 'penny');
  return [m[1], unit, m[3]?.trim()].filter(Boolean).join(' ').replace(/ /g, '-');
}

/** "a"/"an" chosen by how the next word sounds ("an eight", "a one", "a eu-" is rare). */
function articleFor(article: string, next: string): string {
  if (!/^an?$/i.test(article)) return article;
  const an = /^[aeio]/i.test(next) && !/^one/i.test(next);
  const word = an ? 'an' : 'a';
  return article.startsWith('A') ? `${word.charAt(0).toUpperCase()}${word.slice(1)}` : word;
}

const NUM = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+';

/** Words for a number as written, reading 4-digit whole numbers from 1900 to 2099 as years. */
function plainNumber(written: string): string {
  if (/^(19|20)\d\d$/.test(written)) return yearWords(Number(written));
  return numberWords(written);
}

function hyphenate(words: string): string {
  return words.replace(/ /g, '-');
}

export const SPEAK_RULES: SpeakRule[] = [
  {
    id: 'inline-code',
    description: 'Inline code and commands are not read character by character: a command is "a pip install command, in the show notes", one identifier is read as a word ("torch dot compile"), other code is "a code snippet, in the show notes".',
    pattern: new RegExp(`${CODE_OPEN}([^${CODE_CLOSE}]*)${CODE_CLOSE}|(?<![\\w\\x60])\\x60([^\\x60\\n]+)\\x60(?![\\w\\x60])`, 'g'),
    replace: (m, _o, next = '') => speakCode(m[1] ?? m[2] ?? '', next),
    examples: [
      ['Install it with `pip install evalkit==0.4.2` and run it.', 'Install it with a pip install command, in the show notes, and run it.'],
      ['Run `npx castline build`.', 'Run an npx castline command, in the show notes.'],
      ['Wrap it in `torch.compile` first.', 'Wrap it in torch dot compile first.'],
      ['Set `x = f(y) + 2` here.', 'Set a code snippet, in the show notes, here.'],
    ],
    nearMisses: ['Use the pip tool to install it.', 'a snake_case name'],
  },
  {
    id: 'platform-metadata',
    description: 'Metadata the platform prints around an issue is not read: "Published Feb 9 · 6 min read", "Posted by Jane in News", "By Jane Doe · Feb 9, 2024", "6 min read".',
    pattern: new RegExp(`(?:^|(?<=[.!?]\\s))(?:(?:Published|Posted|Updated|Sent|Originally published)(?: on)?\\s+${WRITTEN_DATE}(?:\\s*[·•|–—-]\\s*\\d+\\s*min(?:ute)?s?(?: read| listen)?)?(?:\\.|(?=\\s*$))|Posted by [A-Z][\\w.'’-]*(?:\\s+[A-Z][\\w.'’-]*){0,3}(?:\\s+(?:in|on)\\s+[^.!?·|]{1,40})?(?:\\.|(?=\\s*$))|By [A-Z][\\w.'’-]*(?:\\s+[A-Z][\\w.'’-]*){0,3}\\s*[·•|,–—-]\\s*${WRITTEN_DATE}(?:\\s*[·•|–—-]\\s*\\d+\\s*min(?:ute)?s?(?: read)?)?(?:\\.|(?=\\s*$))|(?:[·•|]\\s*)?\\d+\\s*min(?:ute)?s? read(?:\\.|(?=\\s*$)))`, 'g'),
    replace: () => '',
    examples: [
      ['Published Feb 9 · 6 min read', ''],
      ['Good morning! Published Jan 26 · 6 min read. This week we look at evals.', 'Good morning! This week we look at evals.'],
      ['Posted by Jane Doe in Research Notes.', ''],
      ['By Jane Doe · February 9, 2024', ''],
      ['Updated on 2024-02-10.', ''],
      ['6 min read', ''],
    ],
    nearMisses: ['The paper was published Feb 9 in Nature.', 'Published Feb 9, the paper shows a clear gain.', 'By Friday · we ship', 'I read it in 6 minutes'],
  },
  {
    id: 'read-or-listen-elsewhere',
    description: 'Pointers to another way of reading the issue ("Listen to this post", "Prefer audio? Listen here", "Read it online", "Share this post") are dropped with their sentence: the listener is already listening.',
    pattern: /(?:^|(?<=[.!?]\s))(?:Prefer (?:audio|to listen)\?(?:[^.!?]|[.!?](?=\S))*[.!?]?|(?:You can )?(?:Listen to (?:this|the|today[’']s) (?:post|issue|newsletter|article|email)|Listen here|Listen (?:now|online))\b(?:[^.!?]|[.!?](?=\S))*[.!?]?|(?:You can )?(?:Read|View) (?:it|this (?:post|issue|email|newsletter)|the (?:full )?(?:post|issue)) (?:online|on the web|in (?:your|a|the) browser)\b(?:[^.!?]|[.!?](?=\S))*[.!?]?|Read online[.!]?|Share this (?:post|issue|newsletter|email)\b(?:[^.!?]|[.!?](?=\S))*[.!?]?)/g,
    replace: () => '',
    examples: [
      ['Welcome back! Prefer audio? Listen here. Today: evals.', 'Welcome back! Today: evals.'],
      ['Listen to this post on the podcast. Hello!', 'Hello!'],
      ['Read it online at https://example.org/12 if the email looks odd. This week is short.', 'This week is short.'],
      ['Share this post with a friend!', ''],
      ['Read online', ''],
    ],
    nearMisses: ['We listen to this feedback carefully.', 'Read the paper online before Friday.', 'Share this with your team if it helps.', 'Listeners to this show asked for more.'],
  },
  {
    id: 'scientific-notation',
    description: 'Scientific notation: 1e-4 → "ten to the power of minus four", 3.2e5 → "three point two times ten to the power of five".',
    pattern: /(?<![\w.])(\d+(?:\.\d+)?)[eE]([+\-−]?)(\d{1,3})(?![\w.]\d|\w)/g,
    replace: (m) => {
      const power = `ten to the power of ${m[2] === '-' || m[2] === '−' ? 'minus ' : ''}${integerWords(Number(m[3]))}`;
      return m[1] === '1' ? power : `${numberWords(m[1] ?? '')} times ${power}`;
    },
    examples: [
      ['a learning rate of 1e-4 works', 'a learning rate of ten to the power of minus four works'],
      ['about 3.2e5 steps', 'about three point two times ten to the power of five steps'],
      ['2E+3 tokens', 'two times ten to the power of three tokens'],
    ],
    nearMisses: ['the e5 embedding model', 'hex 0x1e5', 'the 2e edition'],
  },
  {
    id: 'count-times-name',
    description: '"8×A100", "4x H100", "2 x TPUs": a count of named things, read "eight A one hundreds", not "eight times".',
    pattern: /(?<![\w.])(\d+)\s?[x×]\s?([A-Z]{1,3}\d{1,4}[A-Z]?|(?:GPU|TPU|CPU|node)s?)\b/g,
    replace: (m) => {
      const n = Number(m[1]);
      const name = m[2] ?? '';
      const spoken = /\d/.test(name) ? speakCodeName(name) : name.replace(/s$/, '');
      return `${integerWords(n)} ${spoken}${n === 1 ? '' : 's'}`;
    },
    examples: [
      ['Training took 8×A100 for a week.', 'Training took eight A one hundreds for a week.'],
      ['on 4x H100', 'on four H one hundreds'],
      ['a 2 x GPU box', 'a two GPUs box'],
    ],
    nearMisses: ['a 4x speedup', '2x GPT-4 quality', '10× faster'],
  },
  {
    id: 'product-code',
    description: 'Letters followed by two to four digits (A100, H100, RTX4090, MI300X) are read as letters and a number: "A one hundred".',
    pattern: /\b([A-Z]{1,3})(\d{2,4})([A-Z]?)\b/g,
    replace: (m) => `${m[1]} ${integerWords(Number(m[2]))}${m[3] ? ` ${m[3]}` : ''}`,
    examples: [['the H100 and the MI300X', 'the H one hundred and the MI three hundred X']],
    nearMisses: ['an MP3 file', 'Q1 results', 'GPT-4'],
  },
  {
    id: 'numbered-abbreviation',
    description: 'Abbreviations before a number: No. 5 → "number five", vol. 2 → "volume two", p. 14 → "page fourteen", pp. 3–5, Fig. 2, Eq. 1, Sec. 4, § 4, Ch. 3, Ep. 12.',
    pattern: /(?<![\w.])(No|Nos|Vol|vol|Vols|vols|pp?|Fig|fig|Figs|figs|Eq|eq|Sec|sec|Ch|ch|Ep|ep)\.\s?(\d+)(?:\s?[-–—]\s?(\d+))?|§\s?(\d+)/g,
    replace: (m, _o, _next, before = '') => {
      const key = m[4] !== undefined ? '§' : (m[1] ?? '').toLowerCase();
      const [one, many] = NUMBERED_ABBREVIATIONS[key] ?? [key, key];
      if (m[4] !== undefined) return `section ${integerWords(Number(m[4]))}`;
      if (m[3] !== undefined) return `${many} ${integerWords(Number(m[2]))} to ${integerWords(Number(m[3]))}`;
      // Capitalized only where a sentence starts ("Vol. 2 is out" → "Volume two is out", "issue No. 7" → "issue number seven").
      const sentenceStart = before.trim() === '' || /[.!?]\s*$/.test(before);
      const word = sentenceStart ? `${one.charAt(0).toUpperCase()}${one.slice(1)}` : one;
      return `${word} ${integerWords(Number(m[2]))}`;
    },
    examples: [
      ['This is issue No. 7.', 'This is issue number seven.'],
      ['Vol. 2 of the book', 'Volume two of the book'],
      ['see the paper, p. 14, for numbers', 'see the paper, page fourteen, for numbers'],
      ['in pp. 3–5 and fig. 2', 'in pages three to five and figure two'],
      ['Great. Fig. 2 shows it', 'Great. Figure two shows it'],
      ['as § 4 says', 'as section four says'],
    ],
    nearMisses: ['No. The answer is no.', 'he said no. 5 people agreed', 'a p value'],
  },
  {
    id: 'stray-markup',
    description: 'Markup left in plain text (*bold*, _em_, `code`, #hashtags, arrows, [1] reference marks) is not read as symbols.',
    pattern: /(?<![\w*_`])[*_`]+(?=\S)|(?<=\S)[*_`]+(?![\w*_`])|(?<![\w&])#(?=[A-Za-z])|(?<![\w&])#(?=\d)|\s*(?:->|→|=>)\s*|\[\d{1,3}\]|\[\^[^\]\s]+\]/g,
    // "#1" keeps its meaning as "number 1" (the number rule reads the digits later).
    replace: (m, _o, next = '') => (/->|→|=>/.test(m[0]) ? ' to ' : m[0] === '#' && /\d/.test(next) ? 'number ' : ''),
    examples: [
      ['a *really* big `model` #AISafety', 'a really big model AISafety'],
      ['snake_case stays', 'snake_case stays'],
      ['inputs -> outputs', 'inputs to outputs'],
      ['#1 on the leaderboard', 'number one on the leaderboard'],
      ['as shown before[1] and [^2] here', 'as shown before and here'],
    ],
  },
  {
    id: 'emoji',
    description: 'Emoji and pictographs are not read aloud (flags, skin tones, joined sequences too).',
    pattern: /\s?(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:\uFE0F|\u20E3|\p{Emoji_Modifier}|\u200D(?:\p{Extended_Pictographic}|\p{Regional_Indicator}))*(?:\p{Regional_Indicator})?/gu,
    replace: () => '',
    examples: [
      ['Big news 🎉 today', 'Big news today'],
      ['Thanks 👍🏽!', 'Thanks!'],
      ['Made in 🇩🇰 by 👩‍💻 folks', 'Made in by folks'],
    ],
  },
  {
    id: 'email',
    description: 'Email addresses: `drop` says "the address in the show notes", `speak` reads "hello at example dot org".',
    pattern: new RegExp(`(?<![\\w.+-])[\\w.+-]+@(${DOMAIN})(?![\\w@])`, 'gi'),
    replace: (m, o) => (o.urls === 'speak' ? `${m[0].split('@')[0]} at ${speakUrl(m[1] ?? '')}` : 'the address in the show notes'),
    examples: [['Email us at hello@example.org for details.', 'Email us at the address in the show notes for details.']],
    speakExamples: [['Email hello@example.org today', 'Email hello at example dot org today']],
  },
  {
    id: 'known-site',
    description: 'A well-known site named by its bare domain is read by its name: github.com → "GitHub" (in both URL modes).',
    pattern: new RegExp(`(?<![\\w@./-])(?:www\\.)?(${Object.keys(KNOWN_SITES).map((d) => d.replace(/\./g, '\\.')).join('|')})(?![\\w@/-]|\\.\\w)`, 'gi'),
    replace: (m) => KNOWN_SITES[(m[1] ?? '').toLowerCase()] ?? m[0],
    examples: [['50 stars on github.com.', 'fifty stars on GitHub.'], ['see arxiv.org/abs/2301.00001', 'see the link in the show notes']],
  },
  {
    id: 'url-after-verb',
    description: '"sign up on <url>", "register at <url>": with `drop`, the host points at the show notes.',
    pattern: new RegExp(`\\b(sign up|signup|register|apply|join|enroll|subscribe|donate|read more|learn more)\\s+(?:on|at|via|through|here:?)\\s+(${URL_RE_SOURCE})`, 'gi'),
    replace: (m, o) => (o.urls === 'speak' ? `${m[1]} at ${speakUrl(m[2] ?? '')}` : `${m[1]} with ${SEE_NOTES}`),
    examples: [['sign up on ais.pub/mechint and join the Discord', 'sign up with the link in the show notes and join the Discord']],
    speakExamples: [['sign up on ais.pub/mechint and join the Discord', 'sign up at ais dot pub slash mechint and join the Discord']],
  },
  {
    id: 'url-after-noun',
    description: '"the new website <url> will help": with `drop`, the address becomes ", linked in the show notes,".',
    pattern: new RegExp(`\\b(${NOUNS_BEFORE_URL})\\s+(${URL_RE_SOURCE})(\\s*[,.;:!?)]?)`, 'gi'),
    replace: (m, o) => {
      const noun = m[1] ?? '';
      const tail = m[3] ?? '';
      if (o.urls === 'speak') return `${noun} ${speakUrl(m[2] ?? '')}${tail}`;
      const punct = tail.trim();
      return punct ? `${noun}, linked in the show notes${punct}` : `${noun}, linked in the show notes, `;
    },
    examples: [
      ['the awesome new website aisafety.training will help us', 'the awesome new website, linked in the show notes, will help us'],
      ['see the paper arxiv.org/abs/2301.01234.', 'see the paper, linked in the show notes.'],
    ],
    speakExamples: [['the awesome new website aisafety.training will help us', 'the awesome new website aisafety dot training will help us']],
  },
  {
    id: 'url-after-preposition',
    description: '"more at <url>", "visit <url>": with `drop`, read as "the link in the show notes".',
    pattern: new RegExp(`\\b(at|on|via|from|visit|see|check out|go to|head to|here:)\\s+(${URL_RE_SOURCE})`, 'gi'),
    replace: (m, o) => `${m[1]} ${o.urls === 'speak' ? speakUrl(m[2] ?? '') : SEE_NOTES}`,
    examples: [['More details at https://example.org/a?b=c today', 'More details at the link in the show notes today']],
    speakExamples: [['More at www.example.org today', 'More at example dot org today']],
  },
  {
    id: 'url-bare',
    description: 'Any other bare URL or domain: `drop` removes it (with its brackets), `speak` reads the site.',
    pattern: new RegExp(`\\s*(\\()?(${URL_RE_SOURCE})(\\))?`, 'gi'),
    replace: (m, o) => (o.urls === 'speak' ? ` ${m[1] ?? ''}${speakUrl(m[2] ?? '')}${m[3] ?? ''}` : ''),
    examples: [['The code (https://github.com/deepmind/tracr) is out', 'The code is out']],
    speakExamples: [['The code is on github.com/deepmind/tracr now', 'The code is on github dot com slash deepmind slash tracr now']],
  },
  {
    id: 'abbreviations',
    description: 'Latin and written abbreviations are read as words.',
    // Case-sensitive on purpose: the lookahead tells a sentence end ("etc. Next") by its capital.
    pattern: /(?<![\w.])([eE]\.\s?g\.|[iI]\.\s?[eE]\.|[eE]tc\.|vs\.?|[aA]pprox\.|cf\.|w\/o|w\/|a\.k\.a\.|aka|incl\.|esp\.|et al\.)(?=\W|$)(,?)(?=(\s*$|\s+[A-Z])|)/g,
    replace: (m) => {
      const key = (m[1] ?? '').toLowerCase().replace(/^([ei])\.\s/, '$1.');
      const comma = m[2] ?? '';
      const words: Record<string, string> = {
        'e.g.': 'for example',
        'i.e.': 'that is',
        'etc.': 'and so on',
        'vs.': 'versus',
        vs: 'versus',
        'approx.': 'approximately',
        'cf.': 'compare',
        'w/o': 'without',
        'w/': 'with',
        'a.k.a.': 'also known as',
        aka: 'also known as',
        'incl.': 'including',
        'esp.': 'especially',
        'et al.': 'and colleagues',
      };
      // "etc." ends a sentence more often than not; keep the full stop for the reader.
      const endsSentence = m[3] !== undefined && key.endsWith('.') && !comma && !['e.g.', 'i.e.', 'cf.', 'vs.'].includes(key);
      return `${words[key] ?? m[1]}${comma}${endsSentence ? '.' : ''}`;
    },
    examples: [
      ['toy models (e.g. Tracr)', 'toy models (for example Tracr)'],
      ['i.e., the features', 'that is, the features'],
      ['GPT-4 vs. Claude', 'GPT four versus Claude'],
      ['papers, posts, etc.', 'papers, posts, and so on.'],
      ['Olah et al. show', 'Olah and colleagues show'],
    ],
  },
  {
    id: 'month-day',
    description: 'Month and day: "Jan 20th", "January 20" → "January twentieth".',
    pattern: /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|August|September|October|November|December)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?![\d.,:]\d)/g,
    replace: (m) => `${MONTHS.find((name) => name.startsWith((m[1] ?? '').slice(0, 3))) ?? m[1]} ${ordinalWords(Number(m[2]))}`,
    examples: [['on Jan 20th.', 'on January twentieth.'], ['March 3, 2024', 'March third, twenty twenty-four']],
  },
  {
    id: 'clock-time',
    description: 'Clock times: 10:30 → "ten thirty", 9:05 → "nine oh five", 10:00 → "ten o\'clock".',
    pattern: /\b([01]?\d|2[0-3]):([0-5]\d)\b(?!:\d)/g,
    replace: (m) => {
      const minutes = Number(m[2]);
      const hour = integerWords(Number(m[1]));
      if (minutes === 0) return `${hour} o'clock`;
      return minutes < 10 ? `${hour} oh ${integerWords(minutes)}` : `${hour} ${integerWords(minutes)}`;
    },
    examples: [['at 10:30 AM', 'at ten thirty AM'], ['from 9:05 to 10:00', "from nine oh five to ten o'clock"]],
  },
  {
    id: 'iso-date',
    description: 'ISO dates are read as a date: 2025-06-15 → "June fifteenth, twenty twenty-five".',
    pattern: /\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/g,
    replace: (m) => `${MONTHS[Number(m[2]) - 1]} ${ordinalWords(Number(m[3]))}, ${yearWords(Number(m[1]))}`,
    examples: [['on 2025-06-15.', 'on June fifteenth, twenty twenty-five.']],
  },
  {
    id: 'money-range',
    description: 'Money ranges: $80,000-$120,000 / year → "eighty thousand to one hundred twenty thousand dollars a year".',
    pattern: new RegExp(`([$€£])\\s?(${NUM})(?:\\s?(k|K|M|B|bn|mn|million|billion)\\b)?\\s?(?:[-–—]|to)\\s?\\1?\\s?(${NUM})(?:\\s?(k|K|M|B|bn|mn|million|billion)\\b)?(?:\\s?(?:\\/|per)\\s?(hour|hr|day|week|month|year|yr)\\b)?`, 'g'),
    replace: (m) => {
      const lowScale = m[3] ?? m[5];
      const low = `${numberWords(m[2] ?? '')}${lowScale ? ` ${SCALE_WORDS[lowScale] ?? ''}` : ''}`;
      return `${low} to ${moneyWords(m[1] ?? '$', m[4] ?? '0', m[5])}${m[6] ? ` ${PER[m[6]] ?? `per ${m[6]}`}` : ''}`;
    },
    examples: [
      ['from $80,000-$120,000 / year.', 'from eighty thousand to one hundred twenty thousand dollars a year.'],
      ['$5-10M', 'five million to ten million dollars'],
      ['from $40,000 to €1,200 / month', 'from forty thousand dollars to one thousand two hundred euros a month'],
    ],
  },
  {
    id: 'money',
    description: 'Money with $, €, £: amounts, cents, k/M/B scales and "/ hour"-style rates; after an article and before a noun it is one adjective ("a forty-thousand-dollar grant").',
    pattern: new RegExp(`(?:\\b([Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Ee]ach)\\s+)?(?:(~|≈|about |around )\\s*)?([$€£¥])\\s?(${NUM})(?:\\s?(k|K|mn|bn|M|B|million|billion|trillion|thousand)\\b)?(?:\\s?(?:\\/|per)\\s?(hour|hr|h|day|week|wk|month|mo|year|yr|person|user|seat|token|GPU-hour|GPU)\\b)?(?=(\\s+(?:${MONEY_NOUNS})\\b)|)`, 'g'),
    replace: (m) => {
      const article = m[1];
      const about = m[2] ? 'about ' : '';
      const base = moneyWords(m[3] ?? '$', m[4] ?? '0', m[5]);
      const per = m[6] ? ` ${PER[m[6]] ?? `per ${m[6]}`}` : '';
      const compound = article !== undefined && m[7] !== undefined && !about ? moneyAdjective(base + per) : undefined;
      if (compound && article) return `${articleFor(article, compound)} ${compound}`;
      return `${article ? `${article} ` : ''}${about}${base}${per}`;
    },
    examples: [
      ['less than $2 / hour wage', 'less than two dollars an hour wage'],
      ['the $0.5 / hour average', 'the fifty cents an hour average'],
      ['€1,200 / month', 'one thousand two hundred euros a month'],
      ['a $40,000 grant', 'a forty-thousand-dollar grant'],
      ['costs $40,000.', 'costs forty thousand dollars.'],
      ['an $800 prize', 'an eight-hundred-dollar prize'],
      ['a $2 / hour wage', 'a two-dollar-an-hour wage'],
      ['$1.5M in funding', 'one point five million dollars in funding'],
      ['$2.50 each', 'two dollars fifty each'],
      ['$0.002 per token', 'zero point zero zero two dollars per token'],
      ['£1 a day', 'one pound a day'],
      ['~$10k', 'about ten thousand dollars'],
    ],
  },
  {
    id: 'day-month',
    description: 'Day before month, as British and European issues write dates: "23 February 2024", "5th March" → "the twenty-third of February, twenty twenty-four".',
    pattern: new RegExp(`(?<![\\w.,])(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTH_NAMES})\\b\\.?(?:,?\\s+(\\d{4})\\b)?`, 'g'),
    replace: (m) => {
      const month = MONTHS.find((name) => name.startsWith((m[2] ?? '').slice(0, 3))) ?? m[2];
      return `the ${ordinalWords(Number(m[1]))} of ${month}${m[3] ? `, ${yearWords(Number(m[3]))}` : ''}`;
    },
    examples: [
      ['on 23 February 2024 we', 'on the twenty-third of February, twenty twenty-four we'],
      ['from 5th March', 'from the fifth of March'],
    ],
    nearMisses: ['12 Mayflies hatched', 'March 5 is a Tuesday'],
  },
  {
    id: 'units',
    description: 'Units and unit ranges in running text: 5–10 ms → "five to ten milliseconds", 2 TB/s → "two terabytes per second", 3.5 GHz → "three point five gigahertz", 1 KB → "one kilobyte".',
    pattern: new RegExp(`(?<![\\w.])(${NUM})(?:\\s?[-–—]\\s?(${NUM}))?\\s?(${UNIT_SOURCE})(\\/s)?(?![\\w/])`, 'g'),
    replace: (m) => {
      const low = m[1] ?? '';
      const high = m[2];
      const one = !high && Number(low.replace(/,/g, '')) === 1;
      return `${numberWords(low)}${high ? ` to ${numberWords(high)}` : ''} ${unitWords(m[3] ?? '', m[4] !== undefined, one)}`;
    },
    examples: [
      ['latency of 5–10 ms', 'latency of five to ten milliseconds'],
      ['about 2 TB/s from memory', 'about two terabytes per second from memory'],
      ['runs at 3.5 GHz', 'runs at three point five gigahertz'],
      ['a 1 KB page and 80GB of memory', 'a one kilobyte page and eighty gigabytes of memory'],
      ['4 ms', 'four milliseconds'],
    ],
    nearMisses: ['a 10 m run', '3 GPUs', 'in 5 minutes', 'the 70B model'],
  },
  {
    id: 'percent-range',
    description: 'Percentage ranges: 10-20% → "ten to twenty percent".',
    pattern: new RegExp(`(${NUM})\\s?%?\\s?[-–—]\\s?(${NUM})\\s?%`, 'g'),
    replace: (m) => `${numberWords(m[1] ?? '')} to ${numberWords(m[2] ?? '')} percent`,
    examples: [['improves 10-20% on', 'improves ten to twenty percent on']],
  },
  {
    id: 'approximately',
    description: 'A tilde or ≈ before a number is "about".',
    pattern: /(?:~|≈|∼)\s?(?=[\d.])/g,
    replace: () => 'about ',
    examples: [['~30% of', 'about thirty percent of'], ['≈ 5 hours', 'about five hours']],
  },
  {
    id: 'percent',
    description: 'Percentages: 30% → "thirty percent", 2.5 % → "two point five percent".',
    pattern: new RegExp(`(${NUM})\\s?%`, 'g'),
    replace: (m) => `${numberWords(m[1] ?? '')} percent`,
    examples: [['a 2.5% gain', 'a two point five percent gain'], ['100% sure', 'one hundred percent sure']],
  },
  {
    id: 'multiplier',
    description: 'Multipliers: 2.5x, 10× → "two point five times", "ten times".',
    pattern: new RegExp(`\\b(${NUM})\\s?[x×](?![\\w-])`, 'g'),
    replace: (m) => `${numberWords(m[1] ?? '')} times`,
    examples: [['a 2.5x speedup', 'a two point five times speedup'], ['10× faster', 'ten times faster']],
  },
  {
    id: 'dimensions',
    description: 'Dimensions: 2D, 10,000D → "two-dimensional", "ten-thousand-dimensional".',
    pattern: /\b(\d{1,3}(?:,\d{3})+|\d+)D\b/g,
    replace: (m) => `${hyphenate(numberWords(m[1] ?? ''))}-dimensional`,
    examples: [['larger dimensions (10,000D)', 'larger dimensions (ten-thousand-dimensional)'], ['from 2D data', 'from two-dimensional data']],
  },
  {
    id: 'version',
    description: 'Versions: v1.2 → "version one point two", v2 → "version two".',
    pattern: /\bv(\d+(?:\.\d+)*)\b/gi,
    replace: (m) => `version ${(m[1] ?? '').split('.').map((p) => integerWords(Number(p))).join(' point ')}`,
    examples: [['castline v1.2 is out', 'castline version one point two is out'], ['v2.0.1', 'version two point zero point one']],
  },
  {
    id: 'model-name',
    description: 'Model names: the hyphen in GPT-4, Claude-3.5 is not read ("GPT four", "Claude three point five").',
    pattern: /\b([A-Z][A-Za-z]*[A-Z]|[A-Z][a-z]+)-(\d+(?:\.\d+)?)([a-z]?)\b/g,
    replace: (m) => `${m[1]} ${numberWords(m[2] ?? '')}${m[3] === 'o' ? ' oh' : m[3] ? ` ${m[3].toUpperCase()}` : ''}`,
    examples: [['GPT-4 and GPT-3.5', 'GPT four and GPT three point five'], ['GPT-4o', 'GPT four oh']],
  },
  {
    id: 'parameter-count',
    description: 'Sizes: "70B parameters" → "seventy billion parameters", "a 7B model" → "a seven-billion-parameter model", "Llama 2 70B" → "Llama two seventy B" (a model\'s name), "1M downloads" → "one million downloads".',
    pattern: /(?<=\b((?!(?:The|A|An|In|On|Over|Of|With|About|Only|Just|This|That|Its|Our|Their|Up|To)\b)[A-Z][\w.-]*(?:\s+(?:\d+(?:\.\d+)?|[a-z]+(?:-[a-z]+)*))?)\s+|)\b(\d+(?:\.\d+)?)([BMK])\b((?:\s+|-)(?:parameters?|params?)\b|\s+(?:model|models|LLM|LLMs|network|networks|version|variant|checkpoint)\b)?/g,
    replace: (m) => {
      const scale = { B: 'billion', M: 'million', K: 'thousand' }[m[3] as 'B' | 'M' | 'K'];
      const n = numberWords(m[2] ?? '');
      const after = m[4] ?? '';
      // "a 70B parameter model": singular "parameter" is adjectival, so hyphenate it.
      if (/^(?:\s+|-)param(?:eter)?$/i.test(after)) return `${hyphenate(n)}-${scale}-parameter`;
      if (/param/i.test(after)) return `${n} ${scale} parameters`;
      if (after) return `${hyphenate(n)}-${scale}-parameter${after}`;
      // After a model's name the size is part of the name, read as written ("seventy B").
      return m[1] && m[3] === 'B' ? `${n} B` : `${n} ${scale}`;
    },
    examples: [
      ['70B parameters', 'seventy billion parameters'],
      ['a 7B model', 'a seven-billion-parameter model'],
      ['a 70B parameter model', 'a seventy-billion-parameter model'],
      ['a 175B-parameter GPT-3', 'a one-hundred-seventy-five-billion-parameter GPT three'],
      ['Llama 2 70B beats', 'Llama two seventy B beats'],
      ['Llama-3 70B beats', 'Llama three seventy B beats'],
      ['The 70B is big', 'The seventy billion is big'],
      ['over 1M downloads and 50K stars', 'over one million downloads and fifty thousand stars'],
    ],
  },
  {
    id: 'fraction',
    description: 'Fractions and "24/7": 3/4 tasks → "three out of four tasks", 24/7 → "twenty-four seven".',
    pattern: /(?<![\w./])(\d{1,3})\/(\d{1,3})(?![\w/]|\.\d)/g,
    replace: (m) => (m[0] === '24/7' ? 'twenty-four seven' : `${integerWords(Number(m[1]))} out of ${integerWords(Number(m[2]))}`),
    examples: [['for 3/4 tasks', 'for three out of four tasks'], ['open 24/7', 'open twenty-four seven']],
  },
  {
    id: 'more-than',
    description: '"150+ people" → "more than one hundred fifty people".',
    pattern: /(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)\+(?!\w)/g,
    replace: (m) => `more than ${plainNumber(m[1] ?? '')}`,
    examples: [['We had 150+ participants', 'We had more than one hundred fifty participants']],
  },
  {
    id: 'dotted-version',
    description: 'Three-part versions: 1.2.3 → "one point two point three".',
    pattern: /(?<![\w.])(\d+(?:\.\d+){2,})(?![\w.]\d)/g,
    replace: (m) => (m[1] ?? '').split('.').map((p) => integerWords(Number(p))).join(' point '),
    examples: [['release 2.10.1 is out', 'release two point ten point one is out']],
  },
  {
    id: 'number-range',
    description: 'Number and year ranges: 10-20 → "ten to twenty", 2020–2023 → "twenty twenty to twenty twenty-three".',
    pattern: /(?<![\w.-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?[-–—]\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w.-]\d)/g,
    replace: (m) => `${plainNumber(m[1] ?? '')} to ${plainNumber(m[2] ?? '')}`,
    examples: [['in 2020–2023', 'in twenty twenty to twenty twenty-three'], ['10-20 people', 'ten to twenty people']],
  },
  {
    id: 'ordinal',
    description: 'Ordinals: 1st, 22nd, 3rd → "first", "twenty-second", "third".',
    pattern: /\b(\d+)(st|nd|rd|th)\b/g,
    replace: (m) => ordinalWords(Number(m[1])),
    examples: [['the 22nd edition', 'the twenty-second edition']],
  },
  {
    id: 'scaled-number',
    description: 'Written scales: 1.5M, 10k, 3bn → "one point five million", "ten thousand", "three billion".',
    pattern: /\b(\d+(?:\.\d+)?)\s?(k|mn|bn|m)\b/g,
    replace: (m) => `${numberWords(m[1] ?? '')} ${SCALE_WORDS[m[2] ?? ''] ?? ''}`,
    examples: [['over 10k users', 'over ten thousand users']],
  },
  {
    id: 'number',
    description: 'Other numbers: 8,000,000 → "eight million", 2.5 → "two point five", 2023 → "twenty twenty-three".',
    pattern: new RegExp(`(?<![\\w.])(${NUM})(?![\\w])`, 'g'),
    replace: (m) => plainNumber(m[1] ?? ''),
    examples: [
      ['8,000,000 tokens', 'eight million tokens'],
      ['in 2023 we', 'in twenty twenty-three we'],
      ['ratio of 0.75', 'ratio of zero point seven five'],
      ['T training examples', 'T training examples'],
    ],
  },
  {
    id: 'symbols',
    description: 'Symbols read as words: & → "and", + → "plus", < → "less than", ≥ → "at least", "/" between words → "or".',
    pattern: /\s?(&|\+|=|@|<=|>=|≤|≥|<|>|±)\s?|(?<=[A-Za-z])\/(?=[A-Za-z])/g,
    replace: (m) => {
      const sym = (m[1] ?? '/').trim();
      const words: Record<string, string> = { '&': 'and', '+': 'plus', '=': 'equals', '@': 'at', '/': 'or', '<': 'less than', '>': 'more than', '<=': 'at most', '≤': 'at most', '>=': 'at least', '≥': 'at least', '±': 'plus or minus' };
      return ` ${words[sym] ?? sym} `;
    },
    examples: [['ML & AI Safety', 'ML and AI Safety'], ['pass/fail', 'pass or fail'], ['p < 0.05', 'p less than zero point zero five']],
  },
];

/** Tidy what the rules leave behind: doubled spaces, space before punctuation, empty brackets. */
export function tidySpoken(text: string): string {
  return text
    .replace(/\(\s*\)|\[\s*\]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/\s+([,.;:!?…)])/g, '$1')
    .replace(/\(\s+/g, '(')
    .replace(/,\s*([.;:!?])/g, '$1')
    .replace(/,(\s*,)+/g, ',')
    .trim();
}

/** Apply every rule in order, then tidy. */
export function makeSpeakable(text: string, options: SpeakOptions, rules: readonly SpeakRule[] = SPEAK_RULES): string {
  let out = text;
  for (const rule of rules) {
    // replace() with a global pattern starts from lastIndex 0, so the table's RegExps are reused as is.
    out = out.replace(rule.pattern, (...args) => {
      // Rebuild a RegExpExecArray-like match from replace()'s arguments (groups are positional).
      const groupsAt = args.findIndex((a) => typeof a === 'number');
      const match = args.slice(0, groupsAt) as unknown as RegExpExecArray;
      const offset = args[groupsAt] as number;
      const input = args[groupsAt + 1] as string;
      return rule.replace(match, options, input.charAt(offset + String(args[0]).length), input.slice(Math.max(0, offset - 3), offset));
    });
  }
  return tidySpoken(out);
}
