// The baseline of `npm run bench:elicit`: the same forecasts made by a plain AI SDK + p-limit
// loop, as a whole process (plain JavaScript, no build step): read the tasks, ask the model for
// each, parse the JSON reply, print how many came back. No ledger, budget, cache or store.
// Usage: node bench/elicit-plain-loop.mjs <tasks.jsonl> <baseUrl> <concurrency>
import { readFileSync } from 'node:fs';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import pLimit from 'p-limit';

globalThis.AI_SDK_LOG_WARNINGS = false;
const [tasksFile, baseURL, concurrency] = process.argv.slice(2);
const tasks = readFileSync(tasksFile, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));
const model = createOpenAI({ baseURL, apiKey: process.env.OPENAI_API_KEY }).chat('gpt-bench');
const limit = pLimit(Number(concurrency));
const system = 'You forecast whether you can resolve a software issue. Reply with JSON: {"p_success": number, "expected_tokens": number}.';
const forecasts = await Promise.all(
  tasks.map((task) =>
    limit(async () => {
      const { text } = await generateText({
        model,
        system,
        prompt: `Repository: ${task.repo}\n\n${task.problem_statement}`,
        maxOutputTokens: 1200,
        temperature: 0,
        maxRetries: 0,
      });
      return JSON.parse(text);
    }),
  ),
);
process.stdout.write(`${forecasts.filter((f) => typeof f.p_success === 'number').length} forecasts\n`);
