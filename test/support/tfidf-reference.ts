import { type TermWeights, tokenize } from '../../src/mechanisms/index.js';

/*
 * TF-IDF by definition, over term strings and maps: the reference the interned, typed-column
 * TF-IDF of `router:text` (documentTerms, fitTermModel, termWeights) and its neighbour search
 * must reproduce to the last digit. Terms are indexed alphabetically here.
 */

/** A sparse TF-IDF vector: term index → weight, L2-normalized. */
export type SparseVector = Map<number, number>;

/** A TF-IDF model fitted on training documents. */
export interface TfIdfModel {
  /** Term → index. */
  vocabulary: Map<string, number>;
  /** Inverse document frequency per term index. */
  idf: Float64Array;
}

/**
 * Fits TF-IDF on the training documents only: idf(t) = ln((1 + N)/(1 + df(t))) + 1 (smoothed),
 * keeping terms that occur in at least `minDf` documents.
 */
export function fitTfIdf(documents: readonly string[], minDf = 2): TfIdfModel {
  const df = new Map<string, number>();
  for (const document of documents) {
    for (const term of new Set(tokenize(document))) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const vocabulary = new Map<string, number>();
  const idfValues: number[] = [];
  for (const [term, count] of [...df.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (count < minDf) continue;
    vocabulary.set(term, idfValues.length);
    idfValues.push(Math.log((1 + documents.length) / (1 + count)) + 1);
  }
  return { vocabulary, idf: Float64Array.from(idfValues) };
}

/** The L2-normalized TF-IDF vector of a document (sublinear tf: 1 + ln count). */
export function tfIdfVector(model: TfIdfModel, document: string): SparseVector {
  const counts = new Map<number, number>();
  for (const term of tokenize(document)) {
    const index = model.vocabulary.get(term);
    if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  const vector: SparseVector = new Map();
  let norm = 0;
  for (const [index, count] of counts) {
    const weight = (1 + Math.log(count)) * (model.idf[index] as number);
    vector.set(index, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [index, weight] of vector) vector.set(index, weight / norm);
  return vector;
}

/** Cosine similarity of two L2-normalized sparse vectors. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [index, weight] of small) {
    const other = large.get(index);
    if (other !== undefined) dot += weight * other;
  }
  return dot;
}

/** A map vector as the search's columns, in the map's own order (the order `cosine` sums in). */
export function asTermWeights(vector: SparseVector): TermWeights {
  return { terms: Int32Array.from(vector.keys()), weights: Float64Array.from(vector.values()) };
}
