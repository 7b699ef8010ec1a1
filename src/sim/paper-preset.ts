import type { PopulationSpec } from './population-spec.js';

/** SWE-bench Lite's repositories with their task counts (of 300), used as sampling weights. */
const sweBenchLiteRepos = [
  { name: 'django/django', weight: 114 },
  { name: 'sympy/sympy', weight: 77 },
  { name: 'scikit-learn/scikit-learn', weight: 23 },
  { name: 'matplotlib/matplotlib', weight: 23 },
  { name: 'pytest-dev/pytest', weight: 17 },
  { name: 'sphinx-doc/sphinx', weight: 16 },
  { name: 'astropy/astropy', weight: 6 },
  { name: 'psf/requests', weight: 6 },
  { name: 'pylint-dev/pylint', weight: 6 },
  { name: 'pydata/xarray', weight: 5 },
  { name: 'mwaskom/seaborn', weight: 4 },
  { name: 'pallets/flask', weight: 3 },
];

/**
 * The `paper` preset: the published Phase I aggregates of the MarketBench paper (Fradkin &
 * Krishnan, arXiv 2604.23897; DESIGN.md §7), 93 SWE-bench Lite tasks × six models. Pass rates, mean stated p and median forecast ÷ actual tokens are the
 * paper's (fitted per task set). Prices are the paper's per-token list prices (its
 * model_token_pricing table, 2026-03-02). The rest is chosen to look like the paper's rows:
 * actual-token medians are the paper's cost ÷ blended price per model (so attempt costs match its
 * externally reported ones, $0.02–$0.41 a task); each worker's stated p reaches its paper AUROC
 * (the resolution is fitted to it, GPT-5.2's below ½ included), noise and step give the paper's
 * spread of stated p and its few distinct values; difficulty is shared
 * strongly enough that most tasks are solved by all six and about one in ten by none.
 */
export const paperPreset: PopulationSpec = {
  name: 'paper',
  suite: 'sim-swebench-lite',
  repos: sweBenchLiteRepos,
  repoDifficultySd: 0.6,
  taskDifficultySd: 4.2,
  affinitySd: 0.3,
  privateSd: 1.0,
  featureSignal: 0.4,
  taskSizeSd: 0.35,
  failureLogTokens: 0.4,
  workers: [
    {
      id: 'claude-opus-4.5',
      model: 'anthropic:claude-opus-4-5-20251101',
      pricing: { inputPerToken: 5e-6, outputPerToken: 2.5e-5 },
      passRate: 0.806,
      ability: 0,
      stated: { meanP: 0.765, auroc: 0.697, bias: 0, resolution: 0.09, noise: 0.8, step: 0.05 },
      tokens: { median: 27_500, logSd: 0.4, forecastRatio: 0.41, forecastResolution: 0.4, forecastNoise: 0.45 },
    },
    {
      id: 'claude-sonnet-4.5',
      model: 'anthropic:claude-sonnet-4-5-20250929',
      pricing: { inputPerToken: 3e-6, outputPerToken: 1.5e-5 },
      passRate: 0.774,
      ability: 0,
      stated: { meanP: 0.758, auroc: 0.672, bias: 0, resolution: 0.07, noise: 0.7, step: 0.05 },
      tokens: { median: 45_800, logSd: 0.2, forecastRatio: 0.25, forecastResolution: 0.3, forecastNoise: 0.6 },
    },
    {
      id: 'gemini-3-pro',
      model: 'google:gemini-3-pro-preview',
      pricing: { inputPerToken: 2e-6, outputPerToken: 1.2e-5 },
      passRate: 0.806,
      ability: 0,
      stated: { meanP: 0.929, auroc: 0.603, bias: 0, resolution: 0.08, noise: 1.1, step: 0.05 },
      tokens: { median: 47_800, logSd: 0.35, forecastRatio: 0.025, forecastResolution: 0.3, forecastNoise: 0.7 },
    },
    {
      id: 'gpt-5-mini',
      model: 'openai:gpt-5-mini-2025-08-07',
      pricing: { inputPerToken: 2.5e-7, outputPerToken: 2e-6 },
      passRate: 0.753,
      ability: 0,
      stated: { meanP: 0.614, auroc: 0.611, bias: 0, resolution: 0.05, noise: 1.0, step: 0.05 },
      tokens: { median: 20_700, logSd: 0.55, forecastRatio: 0.11, forecastResolution: 0.3, forecastNoise: 0.45 },
    },
    {
      id: 'gpt-5.2',
      model: 'openai:gpt-5.2-2025-12-11',
      pricing: { inputPerToken: 1.75e-6, outputPerToken: 1.4e-5 },
      passRate: 0.806,
      ability: 0,
      stated: { meanP: 0.632, auroc: 0.446, bias: 0, resolution: 0.015, noise: 0.3, step: 0.1 },
      tokens: { median: 18_800, logSd: 0.45, forecastRatio: 0.14, forecastResolution: 0.25, forecastNoise: 0.25 },
    },
    {
      id: 'gpt-5.2-pro',
      model: 'openai:gpt-5.2-pro-2025-12-11',
      pricing: { inputPerToken: 2.1e-5, outputPerToken: 1.68e-4 },
      passRate: 0.796,
      ability: 0,
      stated: { meanP: 0.663, auroc: 0.528, bias: 0, resolution: 0.02, noise: 0.4, step: 0.02 },
      tokens: { median: 2_810, logSd: 0.7, forecastRatio: 0.91, forecastResolution: 0.15, forecastNoise: 0.3 },
    },
  ],
};
