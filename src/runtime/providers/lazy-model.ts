import type { LanguageModel } from 'ai';

// The SDK's v3 model spec, taken from `ai`'s own union so no second package is pinned for types.
type LanguageModelV3 = Extract<LanguageModel, { specificationVersion: 'v3' }>;

/**
 * An AI SDK model whose provider package is imported on its first call. A run loads only the SDKs
 * of the providers it calls (each is 60–330 kB of JavaScript to compile at start-up), while
 * `resolveModel` stays synchronous. `provider` must be the name the real model reports (the SDK
 * puts it in telemetry and metadata); a test compares the two for every family.
 */
export function lazyLanguageModel(options: {
  /** The name the loaded model reports as `provider` (e.g. `openai.chat`). */
  provider: string;
  /** Model id sent to the provider. */
  modelId: string;
  /** Imports the provider package and builds the model. */
  load: () => Promise<LanguageModel>;
}): LanguageModelV3 {
  let loaded: Promise<LanguageModelV3> | undefined;
  const model = (): Promise<LanguageModelV3> => {
    loaded ??= options.load().then((built) => {
      if (typeof built === 'string' || built.specificationVersion !== 'v3') {
        throw new Error(`provider '${options.provider}' returned a model that is not an AI SDK v3 model`);
      }
      return built;
    });
    return loaded;
  };
  const lazy: LanguageModelV3 = {
    specificationVersion: 'v3',
    provider: options.provider,
    modelId: options.modelId,
    get supportedUrls() {
      return model().then((built) => built.supportedUrls);
    },
    doGenerate: async (call) => (await model()).doGenerate(call),
    doStream: async (call) => (await model()).doStream(call),
  };
  loaders.set(lazy, model);
  return lazy;
}

/** The load of each lazy model, so a caller can import its SDK before timing a call. */
const loaders = new WeakMap<object, () => Promise<LanguageModelV3>>();

/**
 * Imports the SDK of a model made by `lazyLanguageModel` (at once for any other model), so the
 * import, which takes seconds on a loaded machine, is not counted in a call's timeout.
 */
export async function loadLanguageModel(model: LanguageModel): Promise<void> {
  if (typeof model === 'string') return;
  await loaders.get(model)?.();
}
