/** Bytes of a reply kept at least, whatever the output-token cap. */
const MIN_REPLY_CAP_BYTES = 64 * 1024;

/** Bytes kept per requested output token (a token is rarely over 16 bytes). */
const BYTES_PER_OUTPUT_TOKEN = 16;

/** The reply-size cap for a call with this output-token cap. */
export function replyCapBytes(maxOutputTokens: number): number {
  return Math.max(MIN_REPLY_CAP_BYTES, maxOutputTokens * BYTES_PER_OUTPUT_TOKEN);
}

/** The marker that ends a reply cut at the cap. */
export function replyTruncationMarker(receivedBytes: number, keptBytes: number): string {
  return `\n[... reply truncated by marketbench: ${receivedBytes} bytes received, ${keptBytes} kept ...]`;
}

/**
 * A reply cut to `capBytes` of UTF-8 (never inside a character) with a marker saying how much
 * was received, or the reply itself when it fits.
 */
export function capReply(text: string, capBytes: number): { text: string; truncated: boolean; bytes: number } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= capBytes) return { text, truncated: false, bytes };
  // Decoding a cut buffer may end in a replacement character; drop it.
  const head = Buffer.from(text, 'utf8').subarray(0, capBytes).toString('utf8').replace(/\uFFFD$/, '');
  return { text: head + replyTruncationMarker(bytes, Buffer.byteLength(head, 'utf8')), truncated: true, bytes };
}

/**
 * A raw response body as stored: itself when its JSON is within the cap, else a stub with its
 * size and the head of its JSON (the full body is never stored).
 */
export function capStoredBody(body: unknown, capBytes: number): unknown {
  if (body === null || body === undefined) return body;
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  if (json === undefined) return body;
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= capBytes) return body;
  return { truncated: true, bytes, head: capReply(json, capBytes).text };
}
