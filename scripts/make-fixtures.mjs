#!/usr/bin/env node
// Generate every media fixture of test/fixtures/media/registry.mjs into test-artifacts/ (the
// tests also generate them on demand; this warms the cache, e.g. in CI before the suite).
import { FIXTURES, FIXTURE_DIR, fixturePath } from '../test/fixtures/media/registry.mjs';

for (const [name, spec] of Object.entries(FIXTURES)) {
  fixturePath(name);
  console.log(`${name.padEnd(18)} ${spec.note}`);
}
console.log(`fixtures in ${FIXTURE_DIR}`);
