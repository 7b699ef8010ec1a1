/** Lower-case word tokens of at least two characters (letters, digits, underscores). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_]{2,}/g) ?? [];
}

/** Term ids handed out so far: documents whose ids come from one interner can share a model. */
export interface TermInterner {
  /** Term → id. */
  ids: Map<string, number>;
}

/**
 * A document's distinct terms in order of first occurrence (as `tokenize` finds them), as
 * interned term ids, with their counts: what TF-IDF needs of a document, computed once.
 */
export interface DocumentTerms {
  /** Interned id of each distinct term, in order of first occurrence. */
  ids: Int32Array;
  /** How often each of those terms occurs. */
  counts: Int32Array;
  /** The interner the ids come from. */
  interner: TermInterner;
}

/**
 * Distinct terms the shared interner holds before a fresh one replaces it (older documents'
 * terms are recomputed when used with the new one), so a long-lived process does not keep every
 * word it ever saw.
 */
const INTERNED_TERMS_LIMIT = 1 << 20;
let sharedInterner: TermInterner = { ids: new Map() };

/** The shared interner new documents' terms go to (a fresh one once it has `INTERNED_TERMS_LIMIT` terms). */
export function currentInterner(): TermInterner {
  if (sharedInterner.ids.size >= INTERNED_TERMS_LIMIT) sharedInterner = { ids: new Map() };
  return sharedInterner;
}

/**
 * The document's distinct terms and their counts, as ids of `interner` (default: the shared
 * one, `currentInterner`).
 */
export function documentTerms(text: string, interner?: TermInterner): DocumentTerms {
  const counts = new Map<string, number>();
  for (const term of tokenize(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  const target = interner ?? currentInterner();
  const { ids: termIds } = target;
  const ids = new Int32Array(counts.size);
  const occurrences = new Int32Array(counts.size);
  let at = 0;
  for (const [term, count] of counts) {
    let id = termIds.get(term);
    if (id === undefined) {
      id = termIds.size;
      termIds.set(term, id);
    }
    ids[at] = id;
    occurrences[at] = count;
    at++;
  }
  return { ids, counts: occurrences, interner: target };
}

/** A TF-IDF model over interned terms: each kept term's index and its idf. */
export interface TermModel {
  /** The interner of the training documents' ids. */
  interner: TermInterner;
  /** Index of each interned term id in the model, −1 when not kept (ids past the end: not kept). */
  index: Int32Array;
  /** Inverse document frequency per term index. */
  idf: Float64Array;
}

/**
 * TF-IDF fitted on the training documents only, given as terms (all of one interner):
 * idf(t) = ln((1 + N)/(1 + df(t))) + 1 (smoothed), keeping terms in at least `minDf` documents.
 * Terms are indexed in order of first appearance: an index only names a term, so no weight or
 * similarity depends on it.
 */
export function fitTermModel(options: {
  /** The training documents. */
  documents: readonly DocumentTerms[];
  /** Their interner (the one every document's ids come from). */
  interner: TermInterner;
  /** Fewest documents a kept term occurs in (default 2). */
  minDf?: number;
}): TermModel {
  const { documents, interner, minDf = 2 } = options;
  let size = 0;
  for (const document of documents) for (const id of document.ids) if (id >= size) size = id + 1;
  const df = new Int32Array(size);
  for (const document of documents) for (const id of document.ids) df[id] = (df[id] as number) + 1;
  const index = new Int32Array(size).fill(-1);
  const idfValues: number[] = [];
  for (const document of documents) {
    for (const id of document.ids) {
      const count = df[id] as number;
      if (count < minDf || (index[id] as number) >= 0) continue;
      index[id] = idfValues.length;
      idfValues.push(Math.log((1 + documents.length) / (1 + count)) + 1);
    }
  }
  return { interner, index, idf: Float64Array.from(idfValues) };
}

/** A sparse vector as two aligned columns, in the order its entries were made: term index and weight. */
export interface TermWeights {
  /** Term index of each entry. */
  terms: Int32Array;
  /** Weight of each entry. */
  weights: Float64Array;
}

/**
 * The L2-normalized TF-IDF vector (sublinear tf: 1 + ln count) of a document given as terms of
 * the model's interner, as columns in the order of the document's first occurrences.
 */
export function termWeights(model: TermModel, document: DocumentTerms): TermWeights {
  const { ids, counts } = document;
  let size = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id < model.index.length && (model.index[id] as number) >= 0) size++;
  }
  const terms = new Int32Array(size);
  const weights = new Float64Array(size);
  let norm = 0;
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const index = id < model.index.length ? (model.index[id] as number) : -1;
    if (index < 0) continue;
    const weight = (1 + Math.log(counts[i] as number)) * (model.idf[index] as number);
    terms[at] = index;
    weights[at] = weight;
    at++;
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let e = 0; e < size; e++) weights[e] = (weights[e] as number) / norm;
  return { terms, weights };
}
