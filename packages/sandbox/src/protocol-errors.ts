/**
 * Errors for requests no service could take: a target that is no URL, a body that cannot be read,
 * a path or operation no emulated API has. The server cannot ask a service to encode these, so it
 * guesses the protocol from what the client sent and answers in that protocol's error shape, as
 * the real endpoint would; an SDK then raises a typed error instead of failing to parse the reply.
 *
 *  - AWS JSON 1.0/1.1 (`X-Amz-Target` or `application/x-amz-json-1.x`): `{"__type", "message"}`
 *    (https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization)
 *  - awsQuery (a form body, or `?Action=`): XML `<ErrorResponse><Error>…` (CloudWatch's Query API)
 *  - GitHub REST (`/github…`): `{"message", "documentation_url"}`
 *  - otherwise restJson1, as AppConfig and AppConfigData answer: `X-Amzn-ErrorType` and `{"Message"}`
 */
import { randomUUID } from 'node:crypto';
import type { Reply } from './core.ts';

/** What is known of a request that may not even have a parseable target. */
export interface RequestHints {
  method: string;
  /** The raw request target or the parsed path. */
  target: string;
  headers: Record<string, string | string[] | undefined>;
}

export type Protocol = 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'github' | 'restJson1';

export function protocolOf(hints: RequestHints): Protocol {
  const type = header(hints, 'content-type').toLowerCase();
  if (type.startsWith('application/x-amz-json-1.1')) return 'awsJson1_1';
  if (type.startsWith('application/x-amz-json-1.0') || header(hints, 'x-amz-target') !== '')
    return 'awsJson1_0';
  if (/^\/github(?:[/?]|$)/.test(hints.target)) return 'github';
  if (type.startsWith('application/x-www-form-urlencoded') || /^\/?\?(?:.*&)?Action=/.test(hints.target))
    return 'awsQuery';
  return 'restJson1';
}

/** The reply for `code`/`message` in the protocol the request speaks. */
export function protocolError(hints: RequestHints, status: number, code: string, message: string): Reply {
  const protocol = protocolOf(hints);
  if (protocol === 'awsJson1_0' || protocol === 'awsJson1_1') {
    const version = protocol === 'awsJson1_0' ? '1.0' : '1.1';
    return {
      status,
      headers: { 'content-type': `application/x-amz-json-${version}` },
      body: { __type: code, message },
    };
  }
  if (protocol === 'awsQuery') {
    const requestId = randomUUID();
    const type = status >= 500 ? 'Receiver' : 'Sender';
    return {
      status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${type}</Type>` +
        `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
        `<RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  if (protocol === 'github')
    return {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
    };
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: { Message: message },
  };
}

/** The code each protocol gives a request it cannot route. */
export function unknownOperation(hints: RequestHints): Reply {
  const protocol = protocolOf(hints);
  const what = `${hints.method} ${hints.target}`;
  if (protocol === 'github') return protocolError(hints, 404, 'NotFound', 'Not Found');
  if (protocol === 'awsQuery')
    return protocolError(
      hints,
      400,
      'InvalidAction',
      `The action or operation requested is invalid: ${what}`,
    );
  if (protocol === 'restJson1')
    return protocolError(hints, 404, 'UnknownOperationException', `no operation handles ${what}`);
  const target = header(hints, 'x-amz-target');
  return protocolError(
    hints,
    400,
    'UnknownOperationException',
    target === '' ? 'the request has no X-Amz-Target header' : `unknown operation ${target}`,
  );
}

function header(hints: RequestHints, name: string): string {
  const value = hints.headers[name];
  return (Array.isArray(value) ? value.join(', ') : value) ?? '';
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

/**
 * A whole HTTP/1.1 response for a request Node's parser refused before any handler saw it (a
 * method HTTP does not know, a malformed header, a bad chunk): what little of the request was
 * read picks the protocol, and the connection closes after it.
 */
export function refusedByParser(rawPacket: Buffer | undefined, status: number, message: string): Buffer {
  const reply = protocolError(loosely(rawPacket), status, 'BadRequestException', message);
  const body = Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body), 'utf8');
  const lines = [`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`];
  for (const [k, v] of Object.entries(reply.headers ?? {})) if (v !== undefined) lines.push(`${k}: ${v}`);
  lines.push(`content-length: ${body.length}`, 'connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** The request line and headers as far as they read, without trusting any of it. */
function loosely(rawPacket: Buffer | undefined): RequestHints {
  const text = (rawPacket ?? Buffer.alloc(0)).toString('latin1');
  const head = text.split('\r\n\r\n')[0] ?? '';
  const [requestLine = '', ...lines] = head.split(/\r?\n/);
  const [method = '', target = '/'] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, target, headers };
}
