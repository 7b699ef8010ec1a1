import type { TermWeights } from './text-similarity.js';

/** The nearest documents of a query: training task indices and cosines, most similar first. */
export interface NearestDocuments {
  /** Training task index of each neighbour. */
  t: Int32Array;
  /** Its cosine similarity to the query (> 0). */
  similarity: Float64Array;
}

/** Nearest-neighbour search by cosine over fixed L2-normalized sparse documents with positive weights (TF-IDF). */
export interface NeighbourSearch {
  /**
   * The `depth` documents most similar to `query` with a similarity above 0, most similar first,
   * ties to the lower training task index.
   */
  nearest(query: TermWeights, depth: number): NearestDocuments;
}

/**
 * More than the relative difference rounding makes between two orders of summing one cosine of
 * positive weights (about one ulp per term: below 1e-11 for up to 10^5 terms).
 */
const ROUNDING_SLACK = 1e-9;

/** The answer when no document shares a term with the query (one shared object: most queries on term-poor data). */
const NO_NEIGHBOURS: NearestDocuments = { t: new Int32Array(0), similarity: new Float64Array(0) };

/**
 * An inverted index over the documents: a query visits only the documents sharing a term with
 * it, so its cost is the length of its terms' posting lists, not the number of documents.
 * Similarities equal the cosine summed over the smaller vector's terms in its own order, to the
 * last digit (a document smaller than the query is summed again over its own terms). The index
 * is typed arrays: no object per document.
 */
export function neighbourSearch(options: {
  /** The searchable documents: a training task index and its TF-IDF vector. */
  documents: readonly { t: number; vector: TermWeights }[];
  /** Size of the term index space (the vocabulary). */
  terms: number;
}): NeighbourSearch {
  const { terms, documents } = options;
  const count = documents.length;
  const task = Int32Array.from(documents, (document) => document.t);
  const docStart = new Int32Array(count + 1);
  let entries = 0;
  documents.forEach((document, d) => {
    docStart[d] = entries;
    entries += document.vector.terms.length;
  });
  docStart[count] = entries;
  const docTerm = new Int32Array(entries);
  const docWeight = new Float64Array(entries);
  const postingStart = new Int32Array(terms + 1);
  documents.forEach((document, d) => {
    const at = docStart[d] as number;
    const { terms: vectorTerms, weights } = document.vector;
    docTerm.set(vectorTerms, at);
    docWeight.set(weights, at);
    for (const term of vectorTerms) postingStart[term + 1] = (postingStart[term + 1] as number) + 1;
  });
  for (let term = 0; term < terms; term++) postingStart[term + 1] = (postingStart[term + 1] as number) + (postingStart[term] as number);
  const postingDoc = new Int32Array(entries);
  const postingWeight = new Float64Array(entries);
  const fill = postingStart.slice(0, terms);
  for (let d = 0; d < count; d++) {
    for (let e = docStart[d] as number; e < (docStart[d + 1] as number); e++) {
      const at = fill[docTerm[e] as number] as number;
      postingDoc[at] = d;
      postingWeight[at] = docWeight[e] as number;
      fill[docTerm[e] as number] = at + 1;
    }
  }
  // Scratch space, reset after every query.
  const score = new Float64Array(count);
  const seen = new Uint8Array(count);
  const touched = new Int32Array(count);
  const queryWeight = new Float64Array(terms);

  return {
    nearest: (query, depth) => {
      const querySize = query.terms.length;
      let reached = 0;
      for (let q = 0; q < querySize; q++) {
        const term = query.terms[q] as number;
        const weight = query.weights[q] as number;
        queryWeight[term] = weight;
        for (let p = postingStart[term] as number; p < (postingStart[term + 1] as number); p++) {
          const d = postingDoc[p] as number;
          if (!seen[d]) {
            seen[d] = 1;
            touched[reached++] = d;
          }
          score[d] = (score[d] as number) + weight * (postingWeight[p] as number);
        }
      }
      if (reached === 0) {
        for (let q = 0; q < querySize; q++) queryWeight[query.terms[q] as number] = 0;
        return NO_NEIGHBOURS;
      }
      const topT = new Int32Array(depth);
      const topSimilarity = new Float64Array(depth);
      let size = 0;
      for (let i = 0; i < reached; i++) {
        const d = touched[i] as number;
        let similarity = score[d] as number;
        const from = docStart[d] as number;
        const to = docStart[d + 1] as number;
        score[d] = 0;
        seen[d] = 0;
        // A full list is entered only above its last similarity. The accumulated score differs
        // from the exact cosine by rounding alone (the same positive products in another order),
        // so a document clearly below it needs no exact sum.
        if (size === depth && similarity < (topSimilarity[size - 1] as number) * (1 - ROUNDING_SLACK)) continue;
        if (to - from < querySize) {
          // The cosine sums over the smaller vector in its own order: here the document's.
          similarity = 0;
          for (let e = from; e < to; e++) {
            const other = queryWeight[docTerm[e] as number] as number;
            if (other !== 0) similarity += (docWeight[e] as number) * other;
          }
        }
        if (!(similarity > 0) || depth === 0) continue;
        const t = task[d] as number;
        // Ranked by similarity, then the lower training task index (inlined: this runs per reached document).
        if (size === depth) {
          const last = topSimilarity[size - 1] as number;
          if (!(similarity > last || (similarity === last && t < (topT[size - 1] as number)))) continue;
          size--;
        }
        let at = size;
        while (at > 0) {
          const above = topSimilarity[at - 1] as number;
          if (!(similarity > above || (similarity === above && t < (topT[at - 1] as number)))) break;
          topT[at] = topT[at - 1] as number;
          topSimilarity[at] = above;
          at--;
        }
        topT[at] = t;
        topSimilarity[at] = similarity;
        size++;
      }
      for (let q = 0; q < querySize; q++) queryWeight[query.terms[q] as number] = 0;
      return { t: topT.slice(0, size), similarity: topSimilarity.slice(0, size) };
    },
  };
}
