import { describe, expect, it } from 'vitest';
import { type Matrix, Random } from '../../src/core/index.js';
import {
  documentTerms,
  fitLearnedOrders,
  fitTermModel,
  type History,
  type HistoryCell,
  historyGrid,
  type Mechanism,
  mechanismFromSpec,
  neighbourSearch,
  type TaskView,
  termWeights,
  textRouter,
} from '../../src/mechanisms/index.js';
import { cosine, fitTfIdf, tfIdfVector } from '../support/tfidf-reference.js';
import { thompsonCompletedHistory } from '../../src/mechanisms/thompson-history.js';
import { runReplay } from '../../src/replay/index.js';
import { type CellSpec, gridMatrix, no, ok } from '../replay/matrix-fixture.js';

/** The weight of each term of a document, by term name (the model's indices are only names). */
function weightsByName(options: { text: string; model: ReturnType<typeof fitTermModel> }): Record<string, number> {
  const terms = documentTerms(options.text, options.model.interner);
  const vector = termWeights(options.model, terms);
  const nameOf = new Map<number, string>();
  for (const [term, id] of options.model.interner.ids) {
    const index = options.model.index[id];
    if (index !== undefined && index >= 0) nameOf.set(index, term);
  }
  return Object.fromEntries(Array.from(vector.terms, (index, e) => [nameOf.get(index) as string, vector.weights[e] as number]));
}

describe('bandit refits: statement terms computed once', () => {
  const documents = ['alpha beta beta', 'beta gamma', 'Alpha delta, a'];

  it('document frequencies and idf of three known documents, worked by hand', () => {
    const interner = { ids: new Map<string, number>() };
    const terms = documents.map((text) => documentTerms(text, interner));
    // Distinct terms in order of first occurrence ('a' is one letter: not a term), with counts.
    expect(terms.map((document) => Array.from(document.ids, (id) => [...interner.ids.keys()][id]))).toEqual([
      ['alpha', 'beta'],
      ['beta', 'gamma'],
      ['alpha', 'delta'],
    ]);
    expect(terms.map((document) => Array.from(document.counts))).toEqual([[1, 2], [1, 1], [1, 1]]);
    // df: alpha 2, beta 2, gamma 1, delta 1; kept at minDf 2: alpha and beta, idf = ln(4/3) + 1.
    const model = fitTermModel({ documents: terms, interner });
    const idf = Math.log(4 / 3) + 1;
    expect(Array.from(model.idf)).toEqual([idf, idf]);
    // Document 1: alpha once, beta twice: weights idf and (1 + ln 2)·idf, L2-normalized.
    const beta = (1 + Math.log(2)) * idf;
    const norm = Math.sqrt(idf * idf + beta * beta);
    const first = weightsByName({ text: documents[0] as string, model });
    expect(first.alpha).toBeCloseTo(1 / Math.sqrt(1 + (1 + Math.log(2)) * (1 + Math.log(2))), 15);
    expect(first.alpha).toBe(idf / norm);
    expect(first.beta).toBe(beta / norm);
    // Document 2 keeps only beta: a unit vector.
    expect(weightsByName({ text: documents[1] as string, model })).toEqual({ beta: 1 });
  });

  it('gives the weights of fitTfIdf and tfIdfVector on a random corpus, to the last digit, and the same neighbours as brute-force cosine', () => {
    const random = new Random(5);
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`);
    const corpus = Array.from({ length: 60 }, () => Array.from({ length: 3 + random.int(12) }, () => words[random.int(random.bernoulli(0.5) ? 8 : 40)]).join(' '));
    const interner = { ids: new Map<string, number>() };
    const model = fitTermModel({ documents: corpus.map((text) => documentTerms(text, interner)), interner });
    const reference = fitTfIdf(corpus);
    const names = [...reference.vocabulary.keys()];
    for (const text of corpus) {
      const expected = Object.fromEntries([...tfIdfVector(reference, text)].map(([index, weight]) => [names[index] as string, weight]));
      const actual = weightsByName({ text, model });
      // Same terms in the same order (the order cosine sums in), same weights.
      expect(Object.entries(actual)).toEqual(Object.entries(expected));
    }
    const search = neighbourSearch({ documents: corpus.map((text, t) => ({ t, vector: termWeights(model, documentTerms(text, interner)) })), terms: model.idf.length });
    for (const text of corpus.slice(0, 10)) {
      const query = tfIdfVector(reference, text);
      const brute = corpus
        .map((other, t) => ({ t, similarity: cosine(query, tfIdfVector(reference, other)) }))
        .filter((entry) => entry.similarity > 0)
        .sort((a, b) => b.similarity - a.similarity || a.t - b.t)
        .slice(0, 7);
      const found = search.nearest(termWeights(model, documentTerms(text, interner)), 7);
      expect(Array.from(found.t)).toEqual(brute.map((entry) => entry.t));
      expect(Array.from(found.similarity)).toEqual(brute.map((entry) => entry.similarity));
    }
  });

  it('router:text reads a task statement changed since its terms were cached', () => {
    // alpha tasks are solved by a only, beta tasks by b only; every attempt costs 0.1.
    const workerIds = ['a', 'b'];
    const statements = ['alpha one', 'alpha two', 'beta one', 'beta two'];
    const tasks: TaskView[] = statements.map((statement, t) => ({ taskId: `t${t}`, features: { statement } }));
    const cells: HistoryCell[] = tasks.flatMap((task, t) =>
      workerIds.map((workerId) => ({ taskId: task.taskId, workerId, resolved: (t < 2) === (workerId === 'a'), costUsd: 0.1, tokens: 1, p: null, expectedTokens: null })),
    );
    const history: History = { workerIds, tasks, cells, blendedPrice: { a: 0.1, b: 0.1 } };
    const settings = { value: 1, maxAttempts: 1 };
    const router = textRouter({ k: 1 });
    const query: TaskView = { taskId: 'q', features: { statement: 'alpha' } };
    const context = { round: 1, maxAttempts: 1, value: 1, roster: workerIds, available: workerIds, previous: [] };
    const first = (router.fit as NonNullable<Mechanism['fit']>)(history, new Random(1), settings);
    // Nearest: t0 (alpha; ties to the earlier task). p(a) = (1 + 3·0.5)/(1 + 3) = 0.625 > p(b) = 0.375.
    expect(first.allocate(query, [], context, new Random(2)).workerIds).toEqual(['a']);
    // The training tasks' views keep their identity; t0 and t2 swap statements.
    (tasks[0] as TaskView).features.statement = 'beta one';
    (tasks[2] as TaskView).features.statement = 'alpha one';
    const second = (router.fit as NonNullable<Mechanism['fit']>)({ ...history, tasks: tasks.slice() }, new Random(1), settings);
    // Nearest to 'beta' is now t0 (tied with t3, earlier wins), which a solved; with t0's and t2's
    // terms left stale it would be t2, b's.
    expect(second.allocate({ taskId: 'q2', features: { statement: 'beta' } }, [], context, new Random(2)).workerIds).toEqual(['a']);
    // The first query's own view, now about beta too.
    query.features.statement = 'beta';
    expect(second.allocate(query, [], context, new Random(2)).workerIds).toEqual(['a']);
  });
});

describe('bandit refits: the Thompson-completed history', () => {
  const workerIds = ['a', 'b', 'c'];
  const tasks: TaskView[] = ['t0', 't1', 't2', 't3'].map((taskId) => ({ taskId, features: {} }));
  const observed: HistoryCell[] = [
    { taskId: 't0', workerId: 'a', resolved: true, costUsd: 2, tokens: 7, p: null, expectedTokens: null },
    { taskId: 't1', workerId: 'a', resolved: false, costUsd: 1, tokens: 3, p: null, expectedTokens: null },
    { taskId: 't1', workerId: 'b', resolved: true, costUsd: 0.5, tokens: 9, p: null, expectedTokens: null },
  ];
  const history: History = { workerIds, tasks, cells: observed, blendedPrice: { a: 0.25, b: 0, c: 0.5 } };

  it('keeps observed cells, draws every unseen one at the worker mean cost, and its grid is the grid of its cells', () => {
    const completed = thompsonCompletedHistory(history, new Random(9));
    const cells = completed.cells;
    expect(cells.slice(0, 3)).toEqual(observed);
    // 12 pairs, 3 observed: 9 drawn, task by task, roster order.
    expect(cells.slice(3).map((cell) => `${cell.taskId}/${cell.workerId}`)).toEqual(['t0/b', 't0/c', 't1/c', 't2/a', 't2/b', 't2/c', 't3/a', 't3/b', 't3/c']);
    // a: mean cost (2 + 1)/2 = 1.5, tokens 1.5/0.25 = 6; b: 0.5, no price: 0 tokens; c: never tried: 0.
    const drawn = Object.fromEntries(cells.slice(3).map((cell) => [cell.workerId, [cell.costUsd, cell.tokens]]));
    expect(drawn).toEqual({ a: [1.5, 6], b: [0.5, 0], c: [0, 0] });
    // The grid it carries equals the grid built from scratch from its cells, cell by cell.
    const fromScratch = historyGrid({ workerIds, tasks, cells: cells.slice(), blendedPrice: history.blendedPrice });
    const grid = historyGrid(completed);
    expect(Array.from(grid.resolved)).toEqual(Array.from(fromScratch.resolved));
    expect(Array.from(grid.costUsd)).toEqual(Array.from(fromScratch.costUsd));
    expect(Array.from(grid.tokens)).toEqual(Array.from(fromScratch.tokens));
    expect(Array.from(grid.resolved).every((value) => value === 0 || value === 1)).toBe(true);
    expect(grid.resolved[0]).toBe(1);
    expect(grid.tokens[0]).toBe(7);
  });

  it('an empty history is completed with one prior task of drawn cells at cost 0', () => {
    const completed = thompsonCompletedHistory({ workerIds, tasks: [], cells: [], blendedPrice: {} }, new Random(3));
    expect(completed.tasks.length).toBe(1);
    expect(completed.cells.map((cell) => [cell.workerId, cell.costUsd])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
  });
});

describe('bandit refits: the cascade search', () => {
  it('finds the best order of two workers by hand, ties to the first extension', () => {
    // t0: a solves, b fails; t1: a fails, b solves; t2: both fail; every attempt costs 0.25, V = 1.
    const workerIds = ['a', 'b'];
    const tasks: TaskView[] = ['t0', 't1', 't2'].map((taskId) => ({ taskId, features: {} }));
    const outcome: Record<string, boolean> = { 't0/a': true, 't0/b': false, 't1/a': false, 't1/b': true, 't2/a': false, 't2/b': false };
    const cells: HistoryCell[] = Object.entries(outcome).map(([key, resolved]) => {
      const [taskId, workerId] = key.split('/') as [string, string];
      return { taskId, workerId, resolved, costUsd: 0.25, tokens: 1, p: null, expectedTokens: null };
    });
    const history: History = { workerIds, tasks, cells, blendedPrice: {} };
    const ordersAt = (value: number, maxAttempts: number) => fitLearnedOrders({ history, settings: { value, maxAttempts }, groupBy: '', shrink: 0, beam: 2 }).global;
    // [a] or [b]: 0.75 − 0.25 − 0.25 = 0.25; [a, b] and [b, a]: 0.75 + 0.5 − 0.5 = 0.75 (a tie: a first).
    expect(ordersAt(1, 2)).toEqual(['a', 'b']);
    expect(ordersAt(1, 1)).toEqual(['a']);
    // V = 0.4: one attempt 0.15 − 0.25 − 0.25 < 0 = abstaining.
    expect(ordersAt(0.4, 2)).toEqual([]);
    // V = 0.6: [a] 0.35 − 0.5 = −0.15 < 0; [a, b] 0.35 + 0.1 − 0.5 < 0: abstain.
    expect(ordersAt(0.6, 2)).toEqual([]);
    // V = 0.9: [a] 0.65 − 0.5 = 0.15; [a, b] 0.65 + 0.4 − 0.5 = 0.55.
    expect(ordersAt(0.9, 2)).toEqual(['a', 'b']);
  });
});

/** 60 tasks × 4 workers in three repositories, with statements whose words follow the repository. */
function world(): Matrix {
  const random = new Random(21);
  const workers = ['w0', 'w1', 'w2', 'w3'];
  const tasks = Array.from({ length: 60 }, (_, i) => `t${i}`);
  const features: Record<string, Record<string, number | string>> = {};
  const grid: CellSpec[][] = tasks.map((taskId, i) => {
    const repo = i % 3;
    const words = Array.from({ length: 4 + random.int(8) }, () => (random.bernoulli(0.5) ? `repo${repo}word${random.int(5)}` : `common${random.int(10)}`));
    features[taskId] = { repo: `r${repo}`, statement: words.join(' '), statementChars: words.join(' ').length };
    return workers.map((_, w) => (random.bernoulli(0.2 + 0.2 * ((w + repo) % 4)) ? ok(0.1 * (w + 1), 0.5) : no(0.1 * (w + 1), 0.5)));
  });
  return gridMatrix({ tasks, workers, grid, features });
}

/**
 * The mechanism refitted from scratch: each fit gets fresh copies of the task views (so nothing
 * memoized per view is reused) and a plain list of cells (so every grid is rebuilt from cells).
 */
function fromScratch(mechanism: Mechanism): Mechanism {
  const refit = mechanism.fit as NonNullable<Mechanism['fit']>;
  return {
    ...mechanism,
    fit: (history, random, settings) =>
      refit(
        {
          workerIds: history.workerIds.slice(),
          tasks: history.tasks.map((task) => ({ taskId: task.taskId, features: { ...task.features } })),
          cells: history.cells.map((cell) => ({ ...cell })),
          blendedPrice: { ...history.blendedPrice },
        },
        random,
        settings,
      ),
  };
}

describe('bandit refits: cached and from-scratch refits allocate alike', () => {
  const matrix = world();
  it.each(['router:text', 'cascade:learned', 'cascade:pair', 'router:learned'])('%s: the same attempts, task by task', (name) => {
    const attemptsOf = (mechanism: string | Mechanism) => {
      const report = runReplay({ matrix, mechanisms: [mechanism], value: 2, seed: 4, resamples: 0, feedback: 'bandit', arrivalSeeds: 1 });
      const result = Object.values(report.mechanisms)[0];
      return result?.perTask.map((task) => `${task.taskId}:${task.attempts.map((attempt) => attempt.workerId).join('>')}`);
    };
    const cached = attemptsOf(name);
    const scratch = attemptsOf(fromScratch(mechanismFromSpec(name, matrix.workerIds)));
    expect(cached).toHaveLength(60);
    expect(scratch).toEqual(cached);
    // Some tasks get more than one attempt or none: the allocations are not trivially constant.
    expect(new Set(cached?.map((entry) => entry.split(':')[1])).size).toBeGreaterThan(1);
  });
});
