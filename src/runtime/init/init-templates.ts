/** The workers file `marketbench init` writes: three mock workers, each with a real model beside it in a comment. */
export const WORKERS_TEMPLATE = `# Workers for \`marketbench attempt --workers workers.yaml --suite builtin\`.
#
# Every worker below uses the offline MOCK provider: no key, no network, deterministic.
# A mock worker runs the real bash-agent scaffold in the real sandbox; with probability "skill"
# (varied per task) it applies the task's known fix, otherwise it makes a plausible wrong edit.
# Its results are synthetic and every output labels it "mock".
#
#   mock:<style>?skill=0.6&seed=0&price=IN/OUT
#     style: calibrated (states its true chance), overconfident, underconfident
#     price: simulated USD per million input/output tokens (default 1/5)
#
# To use real models, replace the model line with a real reference (commented below each worker),
# put its key in .env (see .env.example), and delete the "pricing" lines you do not need: real
# models are priced from the built-in table.
workers:
  - id: mock-strong
    model: mock:calibrated?skill=0.8&price=3/15
    # model: anthropic:claude-sonnet-4-5
    scaffold:
      kind: bash-agent
      options:
        maxSteps: 20        # model calls allowed per attempt
        maxCostUsd: 1       # USD allowed per attempt
  - id: mock-overconfident
    model: mock:overconfident?skill=0.45&price=0.25/2
    # model: openai:gpt-5-mini
    scaffold: bash-agent
  - id: mock-cautious
    model: mock:underconfident?skill=0.6&price=1/5
    # model: google:gemini-2.5-flash
    scaffold: bash-agent
`;

/** The market file `marketbench init` writes: the same roster plus router, market settings and arms. */
export const MARKET_TEMPLATE = `# A live market for \`marketbench market --workers market.yaml --suite builtin\`.
#
# Runs offline as written, with the MOCK provider (synthetic results, labelled "mock" everywhere).
# To use real models, change each "model:" to a real reference (see the comments), put the keys
# in .env (see .env.example) and raise "limit".
workers:
  - id: mock-strong
    model: mock:calibrated?skill=0.8&price=3/15
    # model: anthropic:claude-sonnet-4-5
    scaffold: { kind: bash-agent, options: { maxSteps: 20, maxCostUsd: 1 } }
  - id: mock-overconfident
    model: mock:overconfident?skill=0.45&price=0.25/2
    # model: openai:gpt-5-mini
    scaffold: bash-agent
  - id: mock-cautious
    model: mock:underconfident?skill=0.6&price=1/5
    # model: google:gemini-2.5-flash
    scaffold: bash-agent

# The central LLM router of the "router" arm: one call per task and round names a worker.
# The mock router picks a seeded random eligible worker.
router:
  model: mock:calibrated
  # model: openai:gpt-5.2
  withHistory: false

# Market settings (all optional; these are the defaults except maxAttempts).
market:
  bountyCredits: 90     # B, credits paid for a solved task (or bountyUsd: 1.5 for a market in USD)
  creditsPerUsd: 10     # turns token costs (USD) into credits
  maxAttempts: 2        # rounds per task; a worker that failed is excluded from later rounds
  # Budgets the plan arm offers: each worker states its chance and tokens at each one (a menu),
  # the auction buys the best (worker, plan) pair, and the attempt is stopped at the plan's caps.
  planBudgets:
    - { budgetUsd: 0.1, maxSteps: 3 }
    - { budgetUsd: 0.5, maxSteps: 5 }
    - { budgetUsd: 2, maxSteps: 20 }

# Arms compared on the same tasks: the scoring auction on single-point bids and on menus of
# production plans (scoring:plans), the central router, and solo workers.
arms: [scoring, scoring:plans, router, solo:mock-strong, solo:mock-overconfident]

# Tasks per run (the first N of the suite); --limit overrides. The built-in suite has 14.
limit: 3
`;

/** The \`.env.example\` \`marketbench init\` writes: every key variable, empty. */
export const ENV_TEMPLATE = `# Copy to .env and fill in the keys of the providers you use (mock: models need none).
# marketbench reads .env from the working directory; keys never reach the store or reports.
OPENAI_API_KEY=
ANTHROPIC_API_KEY=
GOOGLE_GENERATIVE_AI_API_KEY=
OPENROUTER_API_KEY=
# Local OpenAI-compatible servers (ollama:, vllm:, llamacpp:, lmstudio:, litellm:) need no key;
# set a base URL only when the server is not at its usual address:
# OPENAI_COMPATIBLE_BASE_URL=http://127.0.0.1:8000/v1
`;
