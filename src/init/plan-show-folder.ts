import { parse, stringify } from 'yaml';
import { ShowSchema } from '../config/show-schema.js';
import { CastlineError } from '../core/errors.js';
import type { InitAnswers } from './init-fields.js';

/**
 * The pure middle of `castline init` (STYLE §1): from the answers, the list of files a new
 * show folder gets. Nothing here touches the disk; create-show-folder.ts checks that none of
 * them exists, makes the cover and writes them.
 */

/** Files castline ships in its package and copies into every new show (paths in the package). */
export const SHIPPED_FONT = 'assets/fonts/DejaVuSans-Bold.ttf';
export const SHIPPED_FONT_LICENSE = 'assets/fonts/LICENSE-DejaVu.txt';
export const SHIPPED_BACKGROUND = 'assets/background.png';
export const COVER_PATH = 'assets/cover.png';

export type InitFile =
  | { path: string; kind: 'text'; content: string }
  /** A file copied from the castline package (its path there). */
  | { path: string; kind: 'copy'; from: string }
  /** The cover, drawn with ffmpeg from the title (cover-args.ts). */
  | { path: string; kind: 'cover'; title: string; kicker: string; font: string };

/** Every file a new show folder gets: init refuses to start when any of them exists. */
export const SHOW_FOLDER_FILES = ['show.yaml', COVER_PATH, SHIPPED_BACKGROUND, SHIPPED_FONT, SHIPPED_FONT_LICENSE, 'episodes/.gitkeep', '.gitignore', 'README.md'] as const;

export interface ShowFolderPlan {
  files: InitFile[];
  /** Empty folders to create (episodes/ carries a .gitkeep so git keeps it). */
  folders: string[];
}

/** One YAML scalar, quoted when YAML needs it (a title like `ML: "AI" # 1` stays text). */
function scalar(value: string): string {
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  // A value with a line break: one double-quoted line (JSON strings are YAML 1.2 flow
  // scalars), so it cannot spill onto a line of its own.
  return text.includes('\n') ? JSON.stringify(value) : text;
}

export function renderShowYaml(a: Required<InitAnswers>): string {
  return `# The show's settings, made by \`castline init\`. Every key is described in castline's README
# (configuration reference); \`castline check\` validates this file.
title: ${scalar(a.title)}
description: ${scalar(a.description)}
author: ${scalar(a.author)}
owner:
  name: ${scalar(a.author)}
  email: ${scalar(a.email)}
language: ${scalar(a.language)}
categories:
  - ${scalar(a.category)}
explicit: false
cover: ${COVER_PATH}
type: episodic
site:
  baseUrl: ${scalar(a.baseUrl)}
video:
  background: ${SHIPPED_BACKGROUND}
  font: ${SHIPPED_FONT}
# Uncomment to upload every episode to YouTube (run \`castline auth youtube\` once; for CI
# see "Publishing from CI" in castline's README):
# youtube:
#   madeForKids: false
#   privacy: private
# Where \`castline deploy\` and \`castline publish\` put the site (default: a local folder).
# For S3, R2 or B2 (credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY):
# deploy:
#   target: s3
#   bucket: my-show
#   region: us-east-1
`;
}

const GITIGNORE = `# castline build output (the static site) and its caches
dist/
.castline/
node_modules/
`;

function renderReadme(a: Required<InitAnswers>): string {
  return `# ${a.title}

${a.description}

This folder is a [castline](https://www.npmjs.com/package/castline) show. Each week:

\`\`\`sh
castline new weekly-update --issue issue.md   # or --from <newsletter feed URL>
castline script episodes/<date>-weekly-update # then read script.md into a microphone
# put the recording in episodes/<date>-weekly-update/audio/
castline check && castline build              # dist/ is the site, feed.xml the podcast feed
castline publish                              # YouTube, feed and site to the deploy target
\`\`\`

\`castline ci github\` (or \`gitlab\`) writes a CI workflow that publishes on every push.
Commit everything but \`dist/\`; each episode's \`published.yaml\` keeps its GUID stable.
`;
}

/**
 * Plan a new show folder. Throws when the answers do not make a valid show.yaml (the fields
 * were validated one by one; this checks the whole file the way `castline check` will).
 */
export function planShowFolder(answers: Required<InitAnswers>): ShowFolderPlan {
  const showYaml = renderShowYaml(answers);
  const parsed = ShowSchema.safeParse(parse(showYaml));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CastlineError('init-invalid', `show.yaml would not be valid: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`, {
      hint: 'fix the value given for that field',
    });
  }
  return {
    files: [
      { path: 'show.yaml', kind: 'text', content: showYaml },
      { path: COVER_PATH, kind: 'cover', title: answers.title, kicker: answers.author, font: SHIPPED_FONT },
      { path: SHIPPED_BACKGROUND, kind: 'copy', from: SHIPPED_BACKGROUND },
      { path: SHIPPED_FONT, kind: 'copy', from: SHIPPED_FONT },
      { path: SHIPPED_FONT_LICENSE, kind: 'copy', from: SHIPPED_FONT_LICENSE },
      { path: 'episodes/.gitkeep', kind: 'text', content: '' },
      { path: '.gitignore', kind: 'text', content: GITIGNORE },
      { path: 'README.md', kind: 'text', content: renderReadme(answers) },
    ],
    folders: ['episodes'],
  };
}
