import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSandboxAvailability } from '../../src/runtime/sandbox/local-availability.js';
import { createLocalSandbox, type LocalSandbox } from '../../src/runtime/sandbox/local-sandbox.js';
import { SandboxError } from '../../src/runtime/sandbox/errors.js';

const availability = await localSandboxAvailability();
if (!availability.ok) console.warn(`skipping local sandbox tests: ${availability.reason}`);

/** A fresh workspace with one file. */
function workspace(files: Record<string, string> = { 'hello.txt': 'hello\n' }): string {
  const dir = mkdtempSync(join(tmpdir(), 'mb-sbx-test-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Host processes whose command line contains `needle` (the harness's own pgrep excluded). */
function hostProcesses(needle: string): string[] {
  const out = spawnSync('ps', ['-eo', 'pid,args', '--no-headers']).stdout.toString();
  return out.split('\n').filter((line) => line.includes(needle) && !line.includes('ps -eo'));
}

describe.skipIf(!availability.ok)('local sandbox (bubblewrap)', () => {
  let sandbox: LocalSandbox;

  beforeAll(async () => {
    sandbox = await createLocalSandbox({ workspace: workspace(), ownsWorkspace: true, limits: { timeoutMs: 20_000 } });
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('runs commands in the workspace and reports exit codes', async () => {
    const result = await sandbox.exec('cat hello.txt; echo oops >&2; exit 3');
    expect(result.stdout).toBe('hello\n');
    expect(result.stderr).toBe('oops\n');
    expect(result.exitCode).toBe(3);
    expect(result.timedOut).toBe(false);
    expect((await sandbox.exec('pwd')).stdout.trim()).toBe('/workspace');
  });

  it('has node, python3, git and tsx, without the host environment', async () => {
    process.env.MARKETBENCH_TEST_SECRET = 'do-not-leak';
    const result = await sandbox.exec('node -e "console.log(1+1)" && python3 -c "print(6*7)" && git --version >/dev/null && tsx --version >/dev/null && env');
    delete process.env.MARKETBENCH_TEST_SECRET;
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith('2\n42\n')).toBe(true);
    expect(result.stdout).not.toContain('do-not-leak');
  });

  it('reads and writes files and diffs against the start with git', async () => {
    await sandbox.writeFile('src/new.txt', 'new file\n');
    await sandbox.exec("sed -i 's/hello/goodbye/' hello.txt");
    expect(await sandbox.readFile('src/new.txt')).toBe('new file\n');
    const diff = await sandbox.diff();
    expect(diff).toContain('diff --git a/hello.txt b/hello.txt');
    expect(diff).toContain('-hello\n+goodbye');
    expect(diff).toContain('new file mode');
    expect(diff).toContain('+new file');
    await expect(sandbox.readFile('../etc/passwd')).rejects.toThrow(SandboxError);
  });

  it('the baseline lives outside the workspace: agent commands cannot see the harness repository, and its attributes beat the workspace\'s', async () => {
    const probe = await sandbox.exec('ls -a /.harness-git 2>&1; git log --oneline | wc -l');
    expect(probe.stdout).toMatch(/No such file or directory/);
    // The agent has its own copy of the baseline (one commit) to use as it likes.
    expect(probe.stdout.trim().split('\n').pop()).toBe('1');
    // CRLF and $Id$ under attributes that would convert them (eol, ident) and a filter the agent configured.
    await sandbox.exec(
      "printf '* text eol=lf ident filter=x working-tree-encoding=UTF-16\\n' > .gitattributes && git config filter.x.clean 'tr a-z A-Z' && printf 'one\\r\\n$Id$\\n' > crlf.txt && rm -rf .git",
    );
    const diff = await sandbox.diff();
    expect(diff).toContain('+++ b/crlf.txt\n@@ -0,0 +1,2 @@\n+one\r\n+$Id$\n');
    await sandbox.exec('rm -f .gitattributes crlf.txt');
  });

  it('escape: writes outside the workspace fail and the host is untouched', async () => {
    const marker = `mb-escape-${process.pid}-${Date.now()}`;
    const result = await sandbox.exec(
      `for p in /usr/${marker} /etc/${marker} /${marker} /work/${marker} /root/${marker}; do echo x > $p && echo "WROTE $p"; done; echo x > /tmp/${marker} && echo tmp-ok`,
    );
    expect(result.stdout).not.toContain('WROTE');
    expect(result.stdout).toContain('tmp-ok');
    for (const path of [`/usr/${marker}`, `/etc/${marker}`, `/${marker}`, `/work/${marker}`, `/root/${marker}`, join(tmpdir(), marker)]) {
      expect(existsSync(path)).toBe(false);
    }
  });

  it('escape: a symlink planted in the workspace cannot make the harness read a host file', async () => {
    const secretDir = mkdtempSync(join(tmpdir(), 'mb-secret-'));
    const secret = join(secretDir, 'secret.txt');
    writeFileSync(secret, 'host secret\n');
    await sandbox.exec(`ln -sf ${secret} leak.txt && ln -sf /etc/shadow shadow.txt`);
    await expect(sandbox.readFile('leak.txt')).rejects.toThrow(/cannot read/);
    await expect(sandbox.readFile('shadow.txt')).rejects.toThrow(/cannot read/);
    expect(readFileSync(secret, 'utf8')).toBe('host secret\n');
  });

  it('escape: no network, not even to a server on the host loopback', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.end('hi');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    const result = await sandbox.exec(
      `python3 -c "import socket; socket.create_connection(('127.0.0.1', ${port}), 3)" 2>&1; echo rc=$?; ` +
        `python3 -c "import socket; socket.create_connection(('1.1.1.1', 80), 3)" 2>&1 | tail -1`,
    );
    await new Promise((done) => server.close(done));
    expect(result.stdout).toContain('Connection refused');
    expect(result.stdout).toContain('rc=1');
    expect(result.stdout).toMatch(/Network is unreachable/);
    expect(connections).toBe(0);
  });

  it('escape: a fork bomb hits the process limit and the harness survives', async () => {
    const bomb = await createLocalSandbox({ workspace: workspace(), ownsWorkspace: true, limits: { processes: 64, timeoutMs: 8_000 } });
    try {
      const started = Date.now();
      const result = await bomb.exec(':(){ :|:& };: ; sleep 2; echo still-here');
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(result.stderr).toMatch(/fork|Resource temporarily unavailable/);
      const after = await bomb.exec('echo alive');
      expect(after.stdout).toBe('alive\n');
    } finally {
      await bomb.dispose();
    }
  });

  it('escape: unbounded output is capped while streaming and the flood is killed', async () => {
    const flood = await createLocalSandbox({
      workspace: workspace(),
      ownsWorkspace: true,
      limits: { outputBytes: 4096, killAfterOutputBytes: 8 * 1024 * 1024, timeoutMs: 30_000 },
    });
    try {
      const started = Date.now();
      const result = await flood.exec('yes marketbench');
      expect(result.outputLimitKilled).toBe(true);
      expect(result.outputTruncated).toBe(true);
      expect(result.outputBytes).toBeGreaterThan(8 * 1024 * 1024);
      // Head 2048 bytes + marker + tail 2048 bytes.
      expect(result.stdout.length).toBeLessThan(4096 + 100);
      expect(result.stdout.startsWith('marketbench\nmarketbench\n')).toBe(true);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await flood.dispose();
    }
  });

  it('escape: sleeping past the timeout kills the whole process tree', async () => {
    const tag = 31_000 + (process.pid % 1000);
    const started = Date.now();
    const result = await sandbox.exec(`(sleep ${tag} &); nohup sleep ${tag} >/dev/null 2>&1 & sleep ${tag}`, { timeoutMs: 1_000 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((done) => setTimeout(done, 300));
    expect(hostProcesses(`sleep ${tag}`)).toEqual([]);
  });

  it('escape: memory past the limit fails inside the sandbox only', async () => {
    const small = await createLocalSandbox({ workspace: workspace(), ownsWorkspace: true, limits: { memoryBytes: 256 * 1024 ** 2 } });
    try {
      const result = await small.exec('python3 -c "x = bytearray(512 * 1024 * 1024); print(len(x))"');
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('MemoryError');
    } finally {
      await small.dispose();
    }
  });

  it('hides the host /etc secrets and runs without capabilities', async () => {
    const result = await sandbox.exec('ls /etc/shadow 2>&1; grep CapEff /proc/self/status; id -u; ls /root 2>&1 | head -1');
    expect(result.stdout).toContain('No such file');
    expect(result.stdout).toContain('CapEff:\t0000000000000000');
    expect(result.stdout).toContain('\n1000\n');
  });
});
