/**
 * Bytes to text, refusing what must not be parsed: files over the size limit and invalid UTF-8.
 * Both checks run before the YAML parser sees anything.
 */
import { diagnostic } from './diagnostics.ts';
import type { Diagnostic } from './types.ts';

/** AppConfig hosts at most 1 MB per configuration; a larger source file can never deploy. */
export const MAX_FILE_BYTES = 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type DecodeResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

export function decodeSource(file: string, bytes: Uint8Array): DecodeResult {
  if (bytes.length > MAX_FILE_BYTES) {
    return fail(
      diagnostic(
        'file-too-large',
        { file, line: 1, column: 1 },
        `file is ${bytes.length} bytes; flagops reads at most ${MAX_FILE_BYTES} bytes (1 MiB) per file, and AppConfig hosts at most 1 MB per configuration. Split the data or remove what is not needed.`,
      ),
    );
  }
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    return fail(
      diagnostic(
        'invalid-utf8',
        positionOfByte(file, bytes, offset),
        `file is not valid UTF-8 (bad byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at byte ${offset}); save it as UTF-8.`,
      ),
    );
  }
}

function fail(d: Diagnostic): DecodeResult {
  return { ok: false, diagnostic: d };
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    // Overlong forms, surrogates and code points past U+10FFFF are invalid too.
    const second = bytes[i + 1] ?? 0;
    if (lead === 0xe0 && second < 0xa0) return i;
    if (lead === 0xed && second > 0x9f) return i;
    if (lead === 0xf0 && second < 0x90) return i;
    if (lead === 0xf4 && second > 0x8f) return i;
    i += length;
  }
  return bytes.length;
}

function positionOfByte(file: string, bytes: Uint8Array, offset: number) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: offset - lineStart + 1 };
}

/**
 * At most a short excerpt of content in a message: messages reach comments and logs, and content
 * can be anything (a file of environment variables). Control characters become `?`.
 */
export function excerpt(text: string, max = 40): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
