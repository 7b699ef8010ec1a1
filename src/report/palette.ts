/**
 * 30 distinguishable colours for per-worker encodings (Tableau 20, then 10 darker and lighter
 * tones), so a 25-worker leaderboard gets one colour each instead of a repeating 10-colour scheme.
 */
export const WORKER_PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#ff9d9a', '#86bcb6', '#8cd17d', '#f1ce63', '#d4a6c8', '#fabfd2', '#d7b5a6', '#79706e',
  '#1f3b73', '#8c3b00', '#7b1e1e', '#1d5e5a', '#2f5f1f', '#7a6500', '#5b2c6f', '#b03060', '#4a3728', '#3d3d3d',
];
