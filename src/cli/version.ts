import { readFileSync } from 'node:fs';

/** Reads the package version from package.json. */
export function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** Software versions recorded in a report's methods section. */
export function softwareVersions(): Record<string, string> {
  return { marketbench: packageVersion(), node: process.version };
}
