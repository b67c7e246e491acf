/**
 * NextToken pagination over an ordered list. Tokens are opaque to clients but carry the operation
 * they belong to, so a token from another call is rejected as InvalidNextToken, as on CloudWatch.
 */
import { invalidNextToken, invalidParameter } from './protocol.ts';

export function pageSize(maxRecords: number | undefined, fallback: number, max = 100): number {
  if (maxRecords === undefined) return fallback;
  if (maxRecords < 1 || maxRecords > max) {
    throw invalidParameter(`MaxRecords must be between 1 and ${max}, not ${maxRecords}.`);
  }
  return maxRecords;
}

export function paginate<T>(
  items: T[],
  operation: string,
  size: number,
  nextToken: string | undefined,
): { page: T[]; nextToken?: string } {
  const offset = nextToken === undefined ? 0 : decodeToken(nextToken, operation);
  if (offset > items.length) throw invalidNextToken();
  const end = offset + size;
  const page = items.slice(offset, end);
  return end < items.length ? { page, nextToken: encodeToken(operation, end) } : { page };
}

function encodeToken(operation: string, offset: number): string {
  return Buffer.from(JSON.stringify({ op: operation, offset })).toString('base64url');
}

function decodeToken(token: string, operation: string): number {
  try {
    const data = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      op?: unknown;
      offset?: unknown;
    };
    if (
      data.op === operation &&
      typeof data.offset === 'number' &&
      Number.isInteger(data.offset) &&
      data.offset >= 0
    ) {
      return data.offset;
    }
  } catch {
    // falls through to the error below
  }
  throw invalidNextToken();
}
