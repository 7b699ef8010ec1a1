import type { Forecast, Treatment } from '../../core/forecast.js';

/** A reply read into forecast fields. */
export interface ParsedForecast {
  /** True when p (and, for `bid`, the ask) parsed and lies in range. */
  valid: boolean;
  /** Why the reply is invalid; null when valid. */
  invalidReason: string | null;
  /** Stated probability in [0, 1]; null when missing or invalid. */
  pSuccess: number | null;
  /** Stated total tokens; null when missing or invalid. */
  expectedTokens: number | null;
  /** Ask price (treatment `bid`); null otherwise. */
  ask: number | null;
  /** Rationale, when given. */
  rationale: string | null;
}

const P_KEYS = ['p_success', 'psuccess', 'p', 'probability', 'success_probability', 'probability_of_success', 'prob'];
const TOKEN_KEYS = ['expected_tokens', 'expectedtokens', 'tokens', 'estimated_tokens', 'estimated_tokens_total', 'total_tokens'];
const ASK_KEYS = ['ask', 'ask_usd', 'ask_price', 'price', 'bid'];
const RATIONALE_KEYS = ['rationale', 'reasoning', 'reason', 'explanation'];

/**
 * Reads a forecast from a model reply, tolerantly: the whole reply as JSON; else the JSON inside a
 * code fence; else the first balanced `{…}` in prose that parses; else (a reply cut off by the
 * output cap) `"key": value` pairs found anywhere. Keys are matched case-insensitively with common
 * synonyms (`probability`, `tokens`, …).
 *
 * Probability rules (decided, and the same for every provider): a number in [0, 1] is taken as is;
 * a string with a percent sign ("80%") is divided by 100; a bare number above 1 (80 or 1.7) is
 * INVALID, not rescaled, because 1.7 cannot be a percentage and guessing that 80 means 0.80 would
 * silently change what the model said. Tokens accept "12,000", "12k", "1.2M"; an ask accepts "$0.45".
 * A missing or unreadable p, a negative token count, or (for `bid`) a missing ask makes the
 * forecast invalid with a reason; missing tokens alone leave it valid with `expectedTokens: null`.
 */
export function parseForecastReply(text: string, treatment: Treatment): ParsedForecast {
  const fields = extractFields(text);
  if (!fields) return invalid('no JSON object or "p_success" field found in the reply');
  const p = readProbability(pick(fields, P_KEYS));
  const tokens = readTokens(pick(fields, TOKEN_KEYS));
  const ask = treatment === 'bid' ? readAsk(pick(fields, ASK_KEYS)) : { value: null, error: null };
  const rationaleValue = pick(fields, RATIONALE_KEYS);
  const rationale = typeof rationaleValue === 'string' && rationaleValue.trim() !== '' ? rationaleValue.trim() : null;
  const errors = [p.error, tokens.error, treatment === 'bid' ? ask.error : null].filter((e): e is string => e !== null);
  return {
    valid: errors.length === 0,
    invalidReason: errors.length === 0 ? null : errors.join('; '),
    pSuccess: p.value,
    expectedTokens: tokens.value,
    ask: ask.value,
    rationale,
  };
}

function invalid(reason: string): ParsedForecast {
  return { valid: false, invalidReason: reason, pSuccess: null, expectedTokens: null, ask: null, rationale: null };
}

type Fields = Record<string, unknown>;

function pick(fields: Fields, keys: readonly string[]): unknown {
  for (const key of keys) if (key in fields) return fields[key];
  return undefined;
}

/** Lower-cased keys of the first usable JSON object in the reply, or key-value pairs as a last resort. */
export function extractFields(text: string): Fields | undefined {
  let fallback: Fields | undefined;
  for (const candidate of replyCandidates(text)) {
    const object = parseObject(candidate);
    if (!object) continue;
    const fields = lowerKeys(object);
    if (P_KEYS.some((key) => key in fields)) return fields;
    fallback ??= fields;
  }
  return keyValuePairs(text) ?? fallback;
}

/**
 * The texts that may hold the forecast object, in the order they are tried: the whole reply, each
 * code fence's content, then every balanced `{…}`. Generated lazily: the usual reply (plain JSON)
 * is settled by the first one, without scanning for fences and braces.
 */
function* replyCandidates(text: string): Generator<string> {
  yield text.trim();
  for (const match of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) yield (match[1] ?? '').trim();
  yield* balancedObjects(text);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function lowerKeys(object: Record<string, unknown>): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(object)) out[key.toLowerCase().replace(/[\s-]/g, '_')] = value;
  // A nested { "forecast": { ... } } is common enough to look one level down.
  for (const value of Object.values(object)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const name = key.toLowerCase().replace(/[\s-]/g, '_');
        if (!(name in out)) out[name] = inner;
      }
    }
  }
  return out;
}

/** Every balanced `{…}` substring (outside JSON strings), in order of appearance. */
function balancedObjects(text: string): string[] {
  const found: string[] = [];
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const char = text[i];
      if (inString) {
        if (char === '\\') i++;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{') depth++;
      else if (char === '}' && --depth === 0) {
        found.push(text.slice(start, i + 1));
        break;
      }
    }
    if (found.length >= 20) break;
  }
  return found;
}

/** `"p_success": 0.7` style pairs anywhere in the text (rescues replies cut off mid-JSON). */
function keyValuePairs(text: string): Fields | undefined {
  const fields: Fields = {};
  const keys = [...P_KEYS, ...TOKEN_KEYS, ...ASK_KEYS].join('|');
  const pattern = new RegExp(`["']?\\b(${keys})\\b["']?\\s*[:=]\\s*("?)(-?[$]?[0-9][0-9.,_]*\\s*[%kKmM]?)\\2`, 'gi');
  for (const match of text.matchAll(pattern)) {
    const key = (match[1] ?? '').toLowerCase();
    if (!(key in fields)) fields[key] = (match[3] ?? '').trim().replace(/[.,]+$/, '');
  }
  return P_KEYS.some((key) => key in fields) ? fields : undefined;
}

interface Read {
  value: number | null;
  error: string | null;
}

function readProbability(value: unknown): Read {
  if (value === undefined || value === null || value === '') return { value: null, error: 'missing p_success' };
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string') {
    const trimmed = value.trim();
    const percent = /^(-?[0-9]*\.?[0-9]+)\s*%$/.exec(trimmed);
    if (percent) {
      number = Number(percent[1]) / 100;
      if (!(number >= 0 && number <= 1)) return { value: null, error: `p_success ${trimmed} is outside 0%–100%` };
      return { value: number, error: null };
    }
    number = /^-?[0-9]*\.?[0-9]+(e-?[0-9]+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
  } else return { value: null, error: `p_success is not a number (${JSON.stringify(value)})` };
  if (!Number.isFinite(number)) return { value: null, error: `p_success is not a number (${JSON.stringify(value)})` };
  if (number < 0 || number > 1) return { value: null, error: `p_success ${number} is outside [0, 1]` };
  return { value: number, error: null };
}

function readTokens(value: unknown): Read {
  if (value === undefined || value === null || value === '') return { value: null, error: null };
  let number = Number.NaN;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string') {
    const match = /^~?\s*([0-9][0-9,_]*(?:\.[0-9]+)?)\s*([kKmM])?$/.exec(value.trim());
    if (match) {
      const scale = match[2] ? (match[2].toLowerCase() === 'k' ? 1e3 : 1e6) : 1;
      number = Number((match[1] ?? '').replace(/[,_]/g, '')) * scale;
    }
  }
  if (!Number.isFinite(number)) return { value: null, error: `expected_tokens is not a number (${JSON.stringify(value)})` };
  if (number < 0) return { value: null, error: `expected_tokens ${number} is negative` };
  return { value: number, error: null };
}

function readAsk(value: unknown): Read {
  if (value === undefined || value === null || value === '') return { value: null, error: 'missing ask' };
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim().replace(/^\$/, '')) : Number.NaN;
  if (!Number.isFinite(number)) return { value: null, error: `ask is not a number (${JSON.stringify(value)})` };
  if (number < 0) return { value: null, error: `ask ${number} is negative` };
  return { value: number, error: null };
}

/** The forecast stored when a call produced no usable reply: invalid, with the reason. */
export function failedForecast(
  base: Pick<Forecast, 'taskId' | 'workerId' | 'treatment' | 'repeat'>,
  reason: string,
): Forecast {
  return { ...base, pSuccess: null, expectedTokens: null, ask: null, valid: false, invalidReason: reason, rawText: null, rationale: null };
}
