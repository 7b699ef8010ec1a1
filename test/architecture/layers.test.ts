import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLayers } from '../support/layer-check.js';

const srcDir = resolve(import.meta.dirname, '../../src');

describe('architecture', () => {
  it('no layer imports a higher one, and pure layers do no I/O, read no clock, draw no Math.random', () => {
    const violations = checkLayers(srcDir).map((v) => `${v.file}:${v.line}: ${v.message}`);
    expect(violations).toEqual([]);
  });

  describe('the checker itself', () => {
    const root = mkdtempSync(join(tmpdir(), 'mb-layers-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };

    it('flags core importing cli, a pure layer importing node:fs, Math.random and the clock', () => {
      write('core/a.ts', "import { main } from '../cli/main.js';\nexport const x = Math.random();\n");
      write('metrics/b.ts', "import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const t = Date.now();\n");
      write('runtime/c.ts', "import { readFileSync } from 'node:fs';\nimport { x } from '../core/a.js';\nexport const n = Date.now();\n");
      write('cli/main.ts', "import { y } from '../runtime/c.js';\n");
      const found = checkLayers(root).map((v) => `${v.file}:${v.line}`);
      expect(found.sort()).toEqual(['core/a.ts:1', 'core/a.ts:2', 'metrics/b.ts:1', 'metrics/b.ts:2', 'metrics/b.ts:3']);
    });

    it('flags a runtime sub-layer importing a higher one, a pure market/ reading the clock, and SQL outside runtime/store', () => {
      write('runtime/store/s.ts', "import { engine } from '../jobs/e.js';\nexport const rows = db.db.prepare('SELECT 1');\n");
      write('runtime/jobs/e.ts', "import { s } from '../store/s.js';\nimport { m } from '../market/m.js';\nexport const engine = 1;\n");
      write('runtime/market/m.ts', "import { engine } from '../jobs/e.js';\nexport const rows = store.db.prepare('SELECT 1').all();\n");
      write('market/p.ts', "export const now = Date.now();\n");
      write('app/u.ts', "import { m } from '../runtime/market/m.js';\n");
      write('report/r.ts', "import { u } from '../app/u.js';\n");
      const found = checkLayers(root).map((v) => `${v.file}:${v.line}: ${v.message}`).filter((line) => /^(runtime|market|app|report)\//.test(line));
      expect(found.sort()).toEqual([
        'market/p.ts:1: pure layer market/ reads the clock (Date.now)',
        'report/r.ts:1: report/ (layer 3) imports app/ (layer 4)',
        'runtime/jobs/e.ts:2: runtime/jobs/ (sub-layer 1) imports runtime/market/ (sub-layer 5)',
        'runtime/market/m.ts:2: runtime/ runs SQL outside runtime/store',
        'runtime/store/s.ts:1: runtime/store/ (sub-layer 0) imports runtime/jobs/ (sub-layer 1)',
      ]);
    });
  });
});
