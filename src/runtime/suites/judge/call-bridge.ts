import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { ExecResult, Sandbox } from '../../sandbox/sandbox.js';

/** Longest protocol line kept (a longer reply is dropped, so the judge sees the call fail). */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** How long the candidate may linger after the judge finished before it is killed with its sandbox. */
const CANDIDATE_GRACE_MS = 2_000;

/** One end of the bridge: a sandbox and the command to run there, given the end's nonce. */
export interface BridgeEnd {
  /** Where the program runs. */
  sandbox: Sandbox;
  /** Shell command, given the nonce that prefixes its protocol lines. */
  command: (nonce: string) => string;
}

/** Options of `runCallBridge`. */
export interface CallBridgeOptions {
  /** The candidate's sandbox (the patched workspace) and its call server. */
  candidate: BridgeEnd;
  /** The judge's own sandbox (hidden tests and expected values, nothing of the candidate's). */
  judge: BridgeEnd;
  /** Wall-clock limit of the whole judging. */
  timeoutMs: number;
}

/** What the bridge saw. */
export interface CallBridgeResult {
  /** The judge's result line (JSON text), undefined when it printed none. */
  reportText: string | undefined;
  /** The judge's run. */
  judge: ExecResult;
  /** The candidate's run (undefined when it was still running when the judge ended and was killed). */
  candidate: ExecResult | undefined;
}

/**
 * Calls `onLine` for each complete line of a byte stream. Only new chunks are searched for line
 * ends (a flood without newlines costs linear time), and a line past the cap is dropped whole.
 */
function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let parts: Buffer[] = [];
  let size = 0;
  let dropping = false;
  return (chunk) => {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      if (!dropping) onLine(Buffer.concat([...parts, chunk.subarray(start, newline)]).toString('utf8'));
      parts = [];
      size = 0;
      dropping = false;
      start = newline + 1;
    }
    if (start < chunk.length && !dropping) {
      parts.push(chunk.subarray(start));
      size += chunk.length - start;
      if (size > MAX_LINE_BYTES) {
        parts = [];
        size = 0;
        dropping = true;
      }
    }
  };
}

/**
 * Runs a judge program and a candidate program in two separate sandboxes and relays their calls:
 * the judge writes `<judge nonce> {call}` lines, which go to the candidate's stdin; the candidate
 * answers `<candidate nonce> {reply}` lines, which go to the judge's stdin; anything else either
 * prints is only log. The judge ends with `<judge nonce> RESULT {tests}`. The candidate never sees
 * the judge's files, expected values or nonce, and only its replies (JSON text) reach the judge.
 */
export async function runCallBridge(options: CallBridgeOptions): Promise<CallBridgeResult> {
  const judgeNonce = `MBJ${randomBytes(12).toString('hex')}`;
  const candidateNonce = `MBC${randomBytes(12).toString('hex')}`;
  const toCandidate = new PassThrough();
  const toJudge = new PassThrough();
  let reportText: string | undefined;
  const judgeOut = lineSplitter((line) => {
    if (line.startsWith(`${judgeNonce} RESULT `)) reportText ??= line.slice(judgeNonce.length + 8);
    else if (line.startsWith(`${judgeNonce} `) && !toCandidate.writableEnded) toCandidate.write(`${line.slice(judgeNonce.length + 1)}\n`);
  });
  const candidateOut = lineSplitter((line) => {
    if (line.startsWith(`${candidateNonce} `) && !toJudge.writableEnded) toJudge.write(`${line.slice(candidateNonce.length + 1)}\n`);
  });
  const candidateRun = options.candidate.sandbox
    .exec(options.candidate.command(candidateNonce), { stdin: toCandidate, onStdout: candidateOut, timeoutMs: options.timeoutMs })
    .finally(() => toJudge.end());
  const judgeRun = options.judge.sandbox
    .exec(options.judge.command(judgeNonce), { stdin: toJudge, onStdout: judgeOut, timeoutMs: options.timeoutMs })
    .finally(() => toCandidate.end());
  const judge = await judgeRun;
  let timer: NodeJS.Timeout | undefined;
  const candidate = await Promise.race([
    candidateRun.catch(() => undefined),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), CANDIDATE_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  return { reportText, judge, candidate };
}
