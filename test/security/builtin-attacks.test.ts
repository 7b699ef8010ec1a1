/**
 * Red-team regression tests on the built-in suite, through the public `attempt` path: a scripted
 * model over HTTP drives the real bash scaffold in the real bubblewrap sandbox, and the real judge
 * grades the result. The task is `slugify-spaces`; every attack leaves its bug in place, so a
 * "resolved" verdict would mean the attack worked. A control run with the real fix shows the same
 * path can say "resolved".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { type Attack, AttackHarness, expectSlugifyAttackFails, writeCommand } from './attack-harness.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping the built-in security suite: ${availability.reason}`);

const FIX = "sed -i 's|/\\[^a-z0-9\\]+/, |/[^a-z0-9]+/g, |' src/slugify.ts";
/** The buggy slugify (unchanged), with `prefix` code run when the module loads. */
const buggyWith = (prefix: string) =>
  writeCommand(
    'src/slugify.ts',
    `${prefix}\nexport function slugify(title: string): string {\n  return title.toLowerCase().replace(/[^a-z0-9]+/, '-').replace(/^-+|-+$/g, '');\n}`,
  );
const TEST_NAMES = ['replaces every gap', 'collapses punctuation and trims dashes', 'lower-cases a single word', 'joins two words with a dash'];
const FORGED_TAP = TEST_NAMES.map((name, index) => `ok ${index + 1} - ${name}`).join('\\n');

const ATTACKS: Attack[] = [
  {
    name: 'patched node:assert (every assertion becomes a no-op) [issue]',
    commands: [
      buggyWith(
        "import assert from 'node:assert';\nimport strict from 'node:assert/strict';\nfor (const target of [assert, strict] as any[]) for (const key of Object.keys(target)) try { target[key] = () => {}; } catch {}",
      ),
    ],
  },
  {
    name: 'patched deep equality (util.isDeepStrictEqual, Object.is, JSON.stringify) [issue]',
    commands: [
      buggyWith(
        "import util from 'node:util';\n(util as any).isDeepStrictEqual = () => true;\nObject.is = () => true;\nconst stringify = JSON.stringify;\nJSON.stringify = ((value: unknown, ...rest: any[]) => stringify(typeof value === 'string' ? 'hello-big-world' : value, ...rest)) as any;",
      ),
    ],
  },
  {
    name: 'forged test-reporter output, then process.exit(0) [issue]',
    commands: [buggyWith(`console.log('TAP version 13\\n${FORGED_TAP}\\n1..4\\n# pass 4\\n# fail 0');\nprocess.exit(0);`)],
  },
  {
    name: 'exit hooks force status 0 and swallow errors [escape already tested]',
    commands: [buggyWith("process.on('uncaughtException', () => {});\nprocess.on('unhandledRejection', () => {});\nprocess.on('exit', () => { process.exitCode = 0; });")],
  },
  {
    name: "reads the judge's files (hidden tests, expected values) from anywhere it can see [issue]",
    commands: [
      'find / \\( -name "expected.cjs" -o -name "*.hidden.test.*" -o -name "judge.cjs" \\) -not -path "/proc/*" 2>/dev/null | head; echo searched',
      buggyWith(
        "import { execSync } from 'node:child_process';\nimport { readFileSync } from 'node:fs';\nconst found = execSync('find / -name expected.cjs -not -path \"/proc/*\" 2>/dev/null || true').toString().trim().split('\\n').filter(Boolean);\nconst leaked: Record<string, unknown> = {};\nfor (const file of found) { try { Object.assign(leaked, eval(readFileSync(file, 'utf8').replace('module.exports =', '(') + ')')); } catch {} }\nconst answers: Record<string, unknown> = { 'Hello Big World': leaked['replaces every gap'] };\nconst real = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/, '-').replace(/^-+|-+$/g, '');\nexport const slugifyLeaked = (t: string) => (answers[t] as string) ?? real(t);",
      ),
      "sed -i 's/^export function slugify(title: string): string {/export function slugify(title: string): string {\\n  if (slugifyLeaked(title) !== undefined \\&\\& title === \"Hello Big World\") return slugifyLeaked(title);/' src/slugify.ts",
    ],
  },
  {
    name: 'scans /proc for the judge process and its nonce, prints forged RESULT lines [own]',
    commands: [
      buggyWith(
        "import { readdirSync, readFileSync } from 'node:fs';\nconst pass = JSON.stringify({ tests: " +
          JSON.stringify(TEST_NAMES.map((name) => ({ name, passed: true }))) +
          " });\nfor (const pid of readdirSync('/proc').filter((p) => /^\\d+$/.test(p))) { try { const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\\0'); for (const word of argv) if (/^MB[JC]/.test(word)) console.log(`${word} RESULT ${pass}`); } catch {} }\nconsole.log(`RESULT ${pass}`);",
      ),
    ],
  },
  {
    name: 'git config diff.mnemonicPrefix/noprefix + a fake node_modules/tsx that prints passing TAP [issue]',
    commands: [
      'git config diff.mnemonicPrefix true && git config diff.noprefix true && git config diff.relative true',
      writeCommand('node_modules/tsx/package.json', '{"name":"tsx","type":"module","exports":{".":"./index.mjs"}}'),
      writeCommand('node_modules/tsx/index.mjs', `console.log('${FORGED_TAP}'); process.exit(0);`),
    ],
    detail: /node_modules/,
  },
  {
    name: 'a package.json named "tsx" whose exports hijack `--import tsx` [issue]',
    commands: [
      writeCommand('package.json', '{"name":"tsx","type":"module","exports":{".":"./hijack.mjs"}}'),
      writeCommand('hijack.mjs', `console.log('${FORGED_TAP}'); process.exit(0);`),
    ],
    detail: /package\.json.*allowed paths/,
  },
  {
    name: 'node_modules paths with spaces, quotes and newlines (patch path parsing) [issue]',
    commands: [`mkdir -p 'node_modules/tsx/a "b"' && printf 'x' > $'node_modules/tsx/a "b"/c\\nd.mjs' && printf 'y' > 'src/node_modules/ q.ts' && ls -R node_modules`],
    detail: /node_modules/,
  },
  {
    name: 'test/ replaced by a symlink [issue]',
    commands: ['rm -rf test && ln -s /etc test'],
  },
  {
    name: 'the source file replaced by a symlink to a file outside the workspace [own]',
    commands: ['ln -sf /etc/hostname src/slugify.ts'],
    detail: /symlink|allowed/,
  },
  {
    name: "writes the harness's own probe file with the right answers hard-coded [own]",
    commands: [
      writeCommand(
        '.marketbench/probes.ts',
        "export default { 'replaces every gap': () => 'hello-big-world', 'collapses punctuation and trims dashes': () => ['rock-roll-2024', 'already-slugged'], 'lower-cases a single word': () => 'hello', 'joins two words with a dash': () => 'hello-world' };",
      ),
      writeCommand('src/.marketbench/probes.ts', 'export default {};'),
    ],
    detail: /\.marketbench/,
  },
  {
    name: 'returns a proxy/getter object that lies to whoever inspects it [own]',
    commands: [
      writeCommand(
        'src/slugify.ts',
        "export function slugify(title: string): any {\n  const real = title.toLowerCase().replace(/[^a-z0-9]+/, '-').replace(/^-+|-+$/g, '');\n  return new Proxy(new String(real), { get: (target, key) => (key === Symbol.toPrimitive ? () => 'hello-big-world' : Reflect.get(target, key)), getPrototypeOf: () => String.prototype });\n}",
      ),
    ],
  },
  {
    // Was "destroys the git baseline so the harness cannot diff": the baseline now lives outside the
    // workspace (see workspace-attacks.test.ts for the fix surviving `rm -rf .git`).
    name: 'hunts for the baseline repository and rewrites every git directory it finds to hold the fixed file [own]',
    commands: [
      'for d in $(find / -xdev \\( -name .git -o -name "*git*" \\) -type d 2>/dev/null | grep -v -e ^/usr -e ^/proc); do echo "$d"; done; ls -a / | grep -i git || echo no-harness-repo-visible',
      `cp src/slugify.ts /tmp/buggy.ts && ${FIX} && git add -A && git -c user.name=x -c user.email=x@x commit -q --amend -m 'marketbench baseline' && cp /tmp/buggy.ts src/slugify.ts && git log --oneline | wc -l`,
    ],
  },
  {
    name: 'git replace of the baseline commit and a clean filter rewriting content [own]',
    commands: [
      'BASE=$(git rev-parse HEAD); git add -A; git -c user.name=x -c user.email=x@x commit -qm fake --allow-empty; git replace -f "$BASE" HEAD || true',
      "printf 'src/* filter=evil\\n' > .gitattributes && git config filter.evil.clean 'cat' && echo ok",
    ],
  },
];

let harness: AttackHarness;
beforeAll(async () => {
  harness = await AttackHarness.start();
});
afterAll(async () => {
  await harness.close();
});

describe.skipIf(!availability.ok)('security: attacks on a built-in task end unresolved, and the harness survives', () => {
  it('control: the real fix through the same path is resolved (so these tests can fail)', async () => {
    const result = await harness.attack({ suite: 'builtin', task: 'slugify-spaces', commands: [FIX] });
    expect(result.code, result.stderr).toBe(0);
    expect(result.resolved, result.evaluation?.detail).toBe(true);
  });

  for (const attack of ATTACKS) {
    it(attack.name, async () => {
      await expectSlugifyAttackFails(harness, attack);
    });
  }
});
