/**
 * Newsletter chrome: paragraphs that make sense in an email but not spoken or in show notes.
 * Only paragraphs a rule recognises are dropped ("keep everything else"); each rule has
 * examples that the unit tests check, including near misses that must be kept.
 */

export interface ChromeRule {
  id: string;
  description: string;
  /** Tested against a whole paragraph's plain text (trimmed). */
  pattern: RegExp;
  drops: string[];
  keeps: string[];
}

export const CHROME_RULES: ChromeRule[] = [
  {
    id: 'watch-or-listen',
    description: '"Watch this week\'s … on YouTube or listen to it on Spotify": the listener is already listening.',
    pattern: /^(?:you can )?(?:watch|listen to|hear) (?:this|the|today)[’']?s? (?:week[’']?s )?[^.!?]{0,60}? on (?:youtube|spotify|apple podcasts|the podcast)(?: or (?:listen to|watch) it on [^.!?]{1,40})?[.!]?$/i,
    drops: ["Watch this week's MLAISU on YouTube or listen to it on Spotify.", 'Listen to this week’s episode on Spotify'],
    keeps: ['Watch the talk on YouTube to see the demo of the new interpretability tool, which shows how features form.'],
  },
  {
    id: 'newsletter-signup',
    description: 'Subscription boilerplate: "Subscribe to our newsletter", "Sign up for the newsletter", "Forwarded this email?".',
    pattern: /^(?:(?:subscribe|sign up)(?: now)? (?:to|for) (?:our|the|this|my) (?:newsletter|mailing list|substack)|forwarded this (?:email|newsletter)|(?:view|read) (?:this (?:email|issue) )?in (?:your|a) browser|unsubscribe|share this (?:post|issue|newsletter)|thanks for reading!? subscribe)[^\n]{0,120}$/i,
    drops: ['Subscribe to our newsletter for weekly updates.', 'Forwarded this email? Sign up here.', 'View this email in your browser'],
    keeps: ['This week is a bit short because the hackathon is starting today – sign up on ais.pub/mechint and join the Discord.'],
  },
  {
    id: 'sign-off',
    description: 'The issue\'s own sign-off ("Thank you for joining this week\'s …, see you next week!"): the outro template says it.',
    pattern: /^(?:(?:thank(?:s| you) (?:for|so much for) (?:joining|reading|listening|tuning in)|see you next week|until next (?:week|time))[^\n]{0,120}|that[’']s (?:all|it) for (?:this week|this issue|today|now)[.!]?(?:\s+(?:thanks for reading|see you next week)[.!]?)?)$/i,
    drops: ['Thank you for joining this week’s MLAISU and we’ll see you next week!', "That's all for this week. Thanks for reading!"],
    keeps: ['Thanks to our sponsors, the hackathon has prizes this year.', "That's all for this week's releases; next, the papers."],
  },
];

/**
 * Fillers: lead-ins that say nothing on their own ("In other news…"). A section holding only
 * fillers has no speakable text and is not a chapter (see build-script.ts).
 */
export const FILLER_RE = /^(?:in other news|other news|more (?:news )?(?:soon|below|to come)|stay tuned|tbd|coming soon)[\s.…!:]*$/i;

export function chromeRuleFor(paragraph: string): ChromeRule | undefined {
  const text = paragraph.trim();
  return CHROME_RULES.find((r) => r.pattern.test(text));
}
