import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Layer of each top-level folder of src/ (DESIGN.md §3). */
export const LAYERS: Record<string, number> = {
  core: 0,
  metrics: 1,
  mechanisms: 1,
  economics: 1,
  reputation: 1,
  sim: 1,
  replay: 1,
  market: 1,
  runtime: 2,
  report: 3,
  app: 4,
  cli: 5,
};

/** Sub-layer of each folder of src/runtime (DESIGN.md §3; lower first, equal ranks are siblings). */
export const RUNTIME_LAYERS: Record<string, number> = {
  store: 0,
  jobs: 1,
  providers: 2,
  sandbox: 2,
  data: 2,
  elicit: 3,
  suites: 3,
  scaffold: 4,
  market: 5,
  training: 3,
};

/** Folders that must stay pure: no I/O, no clock, no Math.random, no environment. */
export const PURE = new Set(['core', 'metrics', 'mechanisms', 'economics', 'reputation', 'sim', 'replay', 'market']);

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const IMPURE_CALLS: [RegExp, string][] = [
  [/\bMath\.random\s*\(/, 'calls Math.random'],
  [/\bDate\.now\s*\(/, 'reads the clock (Date.now)'],
  [/\bnew\s+Date\s*\(\s*\)/, 'reads the clock (new Date())'],
  [/\bperformance\.now\s*\(/, 'reads the clock (performance.now)'],
  [/\bprocess\.(env|argv|cwd|hrtime|stdout|stderr|exit)\b/, 'touches the process'],
];

/** One broken rule. */
export interface LayerViolation {
  /** File relative to the src folder. */
  file: string;
  /** 1-based line. */
  line: number;
  /** What is wrong. */
  message: string;
}

function listTs(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return listTs(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function topFolder(srcDir: string, file: string): string | undefined {
  const parts = relative(srcDir, file).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** The runtime sub-folder of a file (`jobs`, `market`, …), when it is in one. */
function runtimeFolder(srcDir: string, file: string): string | undefined {
  const parts = relative(srcDir, file).split(sep);
  return parts[0] === 'runtime' && parts.length > 2 ? parts[1] : undefined;
}

/** Checks every TypeScript file under `srcDir` against the layer and purity rules. */
export function checkLayers(srcDir: string): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const file of listTs(srcDir)) {
    const from = topFolder(srcDir, file);
    if (from === undefined || LAYERS[from] === undefined) continue;
    const fromLayer = LAYERS[from] as number;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      const where = { file: relative(srcDir, file), line: index + 1 };
      if (/^\s*(\/\/|\*|\/\*)/.test(text)) return;
      const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/g)].map(
        (match) => match[1] as string,
      );
      for (const specifier of specifiers) {
        if (specifier.startsWith('.')) {
          const to = topFolder(srcDir, resolve(dirname(file), specifier));
          const toLayer = to === undefined ? undefined : LAYERS[to];
          if (toLayer !== undefined && toLayer > fromLayer) {
            violations.push({ ...where, message: `${from}/ (layer ${fromLayer}) imports ${to}/ (layer ${toLayer})` });
          }
          const fromSub = runtimeFolder(srcDir, file);
          const toSub = runtimeFolder(srcDir, resolve(dirname(file), specifier));
          const fromRank = fromSub === undefined ? undefined : RUNTIME_LAYERS[fromSub];
          const toRank = toSub === undefined ? undefined : RUNTIME_LAYERS[toSub];
          if (fromRank !== undefined && toRank !== undefined && toRank > fromRank) {
            violations.push({ ...where, message: `runtime/${fromSub}/ (sub-layer ${fromRank}) imports runtime/${toSub}/ (sub-layer ${toRank})` });
          }
        } else if (PURE.has(from) && BUILTINS.has(specifier)) {
          violations.push({ ...where, message: `pure layer ${from}/ imports the built-in module '${specifier}'` });
        }
      }
      if (!(from === 'runtime' && runtimeFolder(srcDir, file) === 'store') && /\.db\s*\.\s*(prepare|exec|pragma)\s*\(/.test(text)) {
        violations.push({ ...where, message: `${from}/ runs SQL outside runtime/store` });
      }
      if (PURE.has(from)) {
        for (const [pattern, message] of IMPURE_CALLS) {
          if (pattern.test(text)) violations.push({ ...where, message: `pure layer ${from}/ ${message}` });
        }
      }
    });
  }
  return violations;
}
