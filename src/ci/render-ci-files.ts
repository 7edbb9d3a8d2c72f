import { stringify } from 'yaml';
import type { ShowConfig } from '../config/show-schema.js';
import { ciSecrets, type CiSecret } from './ci-secrets.js';

/**
 * The CI files `castline ci github|gitlab|k8s` writes, rendered from show.yaml (pure; STYLE §1).
 * Each runs the same commands a host runs: install castline, `castline publish` (which builds
 * what changed, uploads to YouTube, writes the feed and site, deploys and verifies), then
 * commits the published.yaml ledgers back, since they keep GUIDs stable and uploads single.
 * With a matrix, N jobs each run `castline build --shard K/N` and hand their
 * dist/episodes/ to the one publish job as artifacts.
 */

export interface CiOptions {
  /** What `npm install -g` installs: `castline@<version>`, a tarball URL, a git URL. */
  packageSpec: string;
  /** N-way shard matrix for the build; undefined = one job. */
  matrix?: number;
  /** Weekly schedule (cron, UTC) so future-dated episodes go out when their time comes. */
  cron: string;
}

export const COMMIT_MESSAGE = 'castline publish: published.yaml [skip ci]';

/** The shell lines that commit the ledgers back (the same on every engine). */
export function commitLines(push: string): string[] {
  return [
    'git config user.name "castline"',
    'git config user.email "castline@users.noreply.github.com"',
    'git add -A -- episodes published.yaml',
    `git diff --cached --quiet || { git commit -m "${COMMIT_MESSAGE}" && ${push}; }`,
  ];
}

function sftpKeyLines(secrets: CiSecret[], dir: string): string[] {
  return secrets
    .filter((s) => s.file)
    .flatMap((s) => [`umask 077 && printf '%s\\n' "$${s.name}_TEXT" > "${dir}/castline-${s.name.toLowerCase()}"`, `export ${s.name}="${dir}/castline-${s.name.toLowerCase()}"`]);
}

/** GitHub Actions: `.github/workflows/castline.yml`. */
export function renderGithubWorkflow(show: ShowConfig, o: CiOptions): string {
  const secrets = ciSecrets(show);
  const env: Record<string, string> = {};
  for (const s of secrets) env[s.file ? `${s.name}_TEXT` : s.name] = `\${{ secrets.${s.name} }}`;
  const setup = [
    { uses: 'actions/checkout@v4' },
    { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
    { name: 'Install castline', run: `npm install -g ${o.packageSpec}` },
  ];
  const publishRun = [...sftpKeyLines(secrets, '$RUNNER_TEMP'), 'castline publish'].join('\n');
  const publishSteps = [
    ...(o.matrix ? [{ name: 'Shards\' media', uses: 'actions/download-artifact@v4', with: { pattern: 'castline-shard-*', path: 'dist/episodes', 'merge-multiple': true } }] : []),
    { name: 'Publish', run: publishRun, env },
    { name: 'Commit published.yaml', run: commitLines('git push').join('\n') },
  ];
  const jobs: Record<string, unknown> = {};
  if (o.matrix) {
    jobs['build'] = {
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': 360,
      strategy: { 'fail-fast': false, matrix: { shard: Array.from({ length: o.matrix }, (_, i) => i + 1) } },
      steps: [
        ...setup,
        { name: 'Build shard', run: `castline build --shard \${{ matrix.shard }}/${o.matrix}` },
        { uses: 'actions/upload-artifact@v4', with: { name: 'castline-shard-${{ matrix.shard }}', path: 'dist/episodes/', 'if-no-files-found': 'ignore', 'retention-days': 1 } },
      ],
    };
  }
  jobs['publish'] = { ...(o.matrix ? { needs: 'build' } : {}), 'runs-on': 'ubuntu-latest', 'timeout-minutes': 120, steps: [...setup, ...publishSteps] };
  const doc = {
    name: 'castline publish',
    on: { push: { branches: ['main'] }, schedule: [{ cron: o.cron }], workflow_dispatch: {} },
    // One publish at a time, queued rather than cancelled: a cancelled run mid-upload is
    // resumed by the next, but two at once could both start the same upload.
    concurrency: { group: 'castline-publish', 'cancel-in-progress': false },
    permissions: { contents: 'write' },
    jobs,
  };
  return `# Written by \`castline ci github${o.matrix ? ` --matrix ${o.matrix}` : ''}\`. Repository secrets it reads:\n${secrets.map((s) => `#   ${s.name}: ${s.what}\n`).join('')}${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/** GitLab CI: `.gitlab-ci.yml`. Project CI/CD variables reach jobs as environment variables. */
export function renderGitlabCi(show: ShowConfig, o: CiOptions): string {
  const secrets = ciSecrets(show);
  const rules = [{ if: '$CI_PIPELINE_SOURCE == "schedule"' }, { if: '$CI_COMMIT_BRANCH == "main" && $CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_MESSAGE !~ /\\[skip ci\\]/' }];
  const fileLines = secrets.filter((s) => s.file).flatMap((s) => [`umask 077 && printf '%s\\n' "$${s.name}_TEXT" > "$CI_BUILDS_DIR/castline-${s.name.toLowerCase()}"`, `export ${s.name}="$CI_BUILDS_DIR/castline-${s.name.toLowerCase()}"`]);
  const doc: Record<string, unknown> = {
    stages: o.matrix ? ['build', 'publish'] : ['publish'],
    default: { image: 'node:20', before_script: [`npm install -g ${o.packageSpec}`] },
  };
  if (o.matrix) {
    doc['build'] = {
      stage: 'build',
      parallel: o.matrix,
      rules,
      script: [...fileLines, 'castline build --shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"'],
      artifacts: { paths: ['dist/episodes/'], expire_in: '1 day' },
    };
  }
  doc['publish'] = {
    stage: 'publish',
    // resource_group: GitLab runs one job of the group at a time, so publishes never overlap.
    resource_group: 'castline-publish',
    rules,
    script: [...fileLines, 'castline publish', ...commitLines('git push "https://castline:${CASTLINE_GIT_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git" "HEAD:${CI_COMMIT_BRANCH:-main}"')],
  };
  const names = [...secrets.map((s) => `${s.file ? `${s.name}_TEXT` : s.name}: ${s.what}`), 'CASTLINE_GIT_TOKEN: a project access token with write_repository (to commit published.yaml)'];
  return `# Written by \`castline ci gitlab${o.matrix ? ` --matrix ${o.matrix}` : ''}\`. Set these as masked CI/CD variables,\n# and a weekly pipeline schedule (Build → Pipeline schedules, "${o.cron}"):\n${names.map((n) => `#   ${n}\n`).join('')}${stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

/**
 * Kubernetes: an Indexed Job (batch/v1, completionMode: Indexed) whose pod K builds shard
 * JOB_COMPLETION_INDEX + 1 of N into a shared volume holding the show checkout, then a Job
 * that publishes from it once the first completes. Credentials from the Secret
 * `castline-secrets` (keys: the variable names).
 */
export function renderK8sJobs(show: ShowConfig, o: CiOptions & { matrix: number }): { build: string; publish: string } {
  const secrets = ciSecrets(show);
  const pod = (name: string, script: string) => ({
    restartPolicy: 'Never',
    containers: [
      {
        name,
        image: 'node:20',
        workingDir: '/show',
        command: ['sh', '-c', `npm install -g ${o.packageSpec} && ${script}`],
        ...(secrets.length ? { envFrom: [{ secretRef: { name: 'castline-secrets' } }] } : {}),
        volumeMounts: [{ name: 'show', mountPath: '/show' }],
      },
    ],
    volumes: [{ name: 'show', persistentVolumeClaim: { claimName: 'castline-show' } }],
  });
  const build = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'castline-build' },
    spec: {
      completionMode: 'Indexed',
      completions: o.matrix,
      parallelism: o.matrix,
      backoffLimit: o.matrix * 2,
      template: { spec: pod('build', `castline build --shard "$((JOB_COMPLETION_INDEX + 1))/${o.matrix}"`) },
    },
  };
  const publish = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'castline-publish' }, spec: { backoffLimit: 2, template: { spec: pod('publish', 'castline publish') } } };
  const head = `# Written by \`castline ci k8s --matrix ${o.matrix}\`. The show checkout is on the ReadWriteMany volume claim
# castline-show; credentials in the Secret castline-secrets (${secrets.map((s) => s.name).join(', ') || 'none needed'}).
# kubectl apply -f k8s/castline-build-job.yaml && kubectl wait --for=condition=complete --timeout=6h job/castline-build
# kubectl apply -f k8s/castline-publish-job.yaml
`;
  return { build: head + stringify(build, { lineWidth: 0, aliasDuplicateObjects: false }), publish: head + stringify(publish, { lineWidth: 0, aliasDuplicateObjects: false }) };
}
