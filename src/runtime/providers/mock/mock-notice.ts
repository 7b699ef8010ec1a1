/** The line printed when any model of a run is a `mock:` model (so synthetic results are never mistaken for real ones); undefined otherwise. */
export function mockNotice(models: readonly string[]): string | undefined {
  const mocks = [...new Set(models.filter((model) => model.startsWith('mock:')))];
  if (mocks.length === 0) return undefined;
  return `mock provider: ${mocks.join(', ')} ${mocks.length === 1 ? 'is an offline mock model' : 'are offline mock models'}; their forecasts, bids and attempts are synthetic`;
}
