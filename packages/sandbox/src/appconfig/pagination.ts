/**
 * `max_results` (1–50) and `next_token` for every AppConfig list operation. The token is an opaque
 * offset; a token the sandbox did not issue is a BadRequestException, as on AWS.
 */
import { badRequest } from './errors.ts';

const DEFAULT_PAGE_SIZE = 50;

export function paginate<T>(items: T[], query: URLSearchParams): { Items: T[]; NextToken?: string } {
  const size = parseMaxResults(query.get('max_results'));
  const start = parseNextToken(query.get('next_token'), items.length);
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length ? { Items: page, NextToken: encodeToken(end) } : { Items: page };
}

function parseMaxResults(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw badRequest(`max_results must be an integer from 1 to 50, not ${JSON.stringify(raw)}`);
  return n;
}

function parseNextToken(raw: string | null, length: number): number {
  if (raw === null || raw === '') return 0;
  const decoded = Buffer.from(raw, 'base64url').toString('utf8');
  const match = /^offset:(\d+)$/.exec(decoded);
  const offset = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(offset) || offset > length)
    throw badRequest('next_token is not valid; pass the NextToken of the previous page unchanged');
  return offset;
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}
