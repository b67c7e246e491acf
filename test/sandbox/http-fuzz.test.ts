/**
 * No request kills the sandbox, and each is answered as the real service would: in the error
 * shape of the protocol the client speaks, so an SDK raises a typed error instead of choking.
 *
 * - AWS JSON 1.0/1.1 errors are `{"__type": …}` with the protocol's content type
 *   (https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html#operation-error-serialization);
 *   a request with no `X-Amz-Target` names no operation, so it is an UnknownOperationException.
 * - awsQuery errors are an XML `<ErrorResponse><Error><Code>` (CloudWatch's Query API,
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html).
 * - restJson1 (AppConfig, AppConfigData) errors carry `X-Amzn-ErrorType`
 *   (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization).
 * - GitHub REST errors are `{"message", "documentation_url"}`
 *   (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
 *
 * The fuzz sends malformed targets (`GET http://[`), odd methods, headers, bodies and encodings
 * from a seeded generator over raw sockets, then checks the sandbox still answers real clients.
 */
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../packages/sandbox/src/index.ts';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seedDir: `${import.meta.dirname}/../fixtures`, speed: 0 });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One request exactly as written, over its own connection; the answer as the socket saw it. */
function raw(request: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(sandbox.port, '127.0.0.1', () => socket.end(request));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseAnswer(Buffer.concat(chunks).toString('latin1'))));
  });
}

function parseAnswer(text: string): Answer {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: end < 0 ? '' : text.slice(end + 4) };
}

function request(
  method: string,
  target: string,
  headers: Record<string, string>,
  body: Buffer = Buffer.alloc(0),
) {
  const lines = [`${method} ${target} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push(`content-length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

type Protocol = 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'restJson1' | 'github';

/** The error shape each protocol's clients parse; fails with the answer when it is not there. */
function expectErrorShape(protocol: Protocol, answer: Answer): void {
  const context = `${protocol}: ${answer.status} ${JSON.stringify(answer.headers)} ${answer.body.slice(0, 300)}`;
  expect(answer.status, context).toBeGreaterThanOrEqual(400);
  if (protocol === 'awsQuery') {
    expect(answer.body, context).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>\w+<\/Code>/);
    return;
  }
  if (protocol === 'restJson1') {
    expect(answer.headers['x-amzn-errortype'], context).toMatch(/^\w+$/);
    return;
  }
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  if (protocol === 'github') {
    expect(typeof body['message'], context).toBe('string');
    expect(body['documentation_url'], context).toMatch(/^https:\/\/docs\.github\.com\//);
    return;
  }
  // CloudWatch speaks JSON 1.0 only and answers in it whatever version the client named.
  expect(answer.headers['content-type'], context).toMatch(/^application\/x-amz-json-1\.[01]$/);
  expect(body['__type'], context).toMatch(/\w/);
}

describe('each protocol’s error shape for requests no operation takes', () => {
  it('GET http://[ (no URL at all) is a 400 in restJson1’s shape, not a dead process', async () => {
    const answer = await raw(request('GET', 'http://[', {}));
    expect(answer.status).toBe(400);
    expectErrorShape('restJson1', answer);
  });

  it('AWS JSON 1.0 without X-Amz-Target is UnknownOperationException in `__type`, not a 404 {message}', async () => {
    const answer = await raw(
      request('POST', '/', { 'content-type': 'application/x-amz-json-1.0' }, Buffer.from('{}')),
    );
    expect(answer.status).toBe(400);
    expectErrorShape('awsJson1_0', answer);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('AWS JSON 1.1 with a target no service has answers in 1.1', async () => {
    const answer = await raw(
      request('POST', '/', {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Nobody.Nothing',
      }),
    );
    expectErrorShape('awsJson1_1', answer);
    expect(answer.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(answer.body)['message']).toContain('Nobody.Nothing');
  });

  it('CloudWatch’s JSON side: an unknown operation and a body that is no JSON keep `__type`', async () => {
    const headers = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'GraniteServiceVersion20100801.Nope',
    };
    expectErrorShape('awsJson1_0', await raw(request('POST', '/', headers)));
    const target = { ...headers, 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' };
    const broken = await raw(request('POST', '/', target, Buffer.from([0x7b, 0xff, 0xfe])));
    expectErrorShape('awsJson1_0', broken);
    expect(JSON.parse(broken.body)['__type']).toContain('SerializationException');
  });

  it('awsQuery: an unknown Action and a missing one are XML ErrorResponses', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const unknown = await raw(request('POST', '/', form, Buffer.from('Action=Nope&Version=2010-08-01')));
    expectErrorShape('awsQuery', unknown);
    expect(unknown.body).toContain('<Code>InvalidAction</Code>');
    const missing = await raw(request('POST', '/', form, Buffer.from('Version=2010-08-01&%zz=%')));
    expectErrorShape('awsQuery', missing);
  });

  it('restJson1: an unknown path and a bad escape in an AppConfig path carry X-Amzn-ErrorType', async () => {
    const unknown = await raw(request('DELETE', '/nowhere/at/all', {}));
    expect(unknown.status).toBe(404);
    expectErrorShape('restJson1', unknown);
    const badEscape = await raw(request('GET', '/applications/%E0%A4%A', {}));
    expectErrorShape('restJson1', badEscape);
    expect(badEscape.status).toBeLessThan(500);
  });

  it('bodies that cannot be read: bad gzip is 400, an unknown encoding 415, each in its protocol', async () => {
    const badGzip = { 'content-encoding': 'gzip', 'content-type': 'application/json' };
    const github = await raw(request('POST', '/github/markdown', badGzip, Buffer.from('not gzip')));
    expect(github.status).toBe(400);
    expectErrorShape('github', github);
    const brotli = await raw(
      request('POST', '/applications', { 'content-encoding': 'br' }, Buffer.from('x')),
    );
    expect(brotli.status).toBe(415);
    expectErrorShape('restJson1', brotli);
    const json10 = { 'content-type': 'application/x-amz-json-1.0', 'content-encoding': 'gzip' };
    const cw = await raw(request('POST', '/', json10, Buffer.from([0x1f, 0x8b, 0, 0])));
    expect(cw.status).toBe(400);
    expectErrorShape('awsJson1_0', cw);
  });

  it('GitHub: an unknown route and an odd method are {message, documentation_url}', async () => {
    expectErrorShape('github', await raw(request('GET', '/github/nope', {})));
    expectErrorShape('github', await raw(request('BREW', '/github/user', {})));
  });
});

// ---- The fuzz ----

/** mulberry32: small, seeded, so a failing case can be replayed from its index. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'PROPFIND',
  'BREW',
  'TRACE',
  'M-SEARCH',
];
const PIECES = [
  'applications',
  'environments',
  'configurationprofiles',
  'deployments',
  'deploymentstrategies',
  'hostedconfigurationversions',
  'configuration',
  'configurationsessions',
  '%zz',
  '%E0%A4%A',
  '%00',
  '..',
  '.',
  '%2F',
  '%ff%fe',
  '[',
  ']',
  '@',
  ':',
  '~',
  "'",
  '"',
  '<script>',
  '{x}',
  '|',
  '\\',
  '%',
  '9999999999999999999999',
  '-1',
  'a'.repeat(300),
  '?',
  '#',
  '&Action=Nope',
  '=',
];
const GITHUB_PIECES = [
  'repos',
  'ons',
  'flags',
  'pulls',
  'issues',
  'git',
  'refs',
  'heads',
  'main',
  'user',
  '1',
];
const ENCODINGS = ['gzip', 'br', 'deflate', 'identity', 'GZIP', 'gzip, gzip', 'x-unknown', ''];
const CHARSETS = ['', '; charset=utf-8', '; charset=utf-16', '; charset=ebcdic', ';;;'];

interface FuzzCase {
  protocol: Protocol;
  bytes: Buffer;
  description: string;
}

function fuzzCase(next: () => number): FuzzCase {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const protocol = pick<Protocol>(['awsJson1_0', 'awsJson1_1', 'awsQuery', 'restJson1', 'github']);
  const method = pick(METHODS);
  const path = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
    // `..` would climb out of `/github` (URLs resolve dot segments), where the API is not.
    pick(protocol === 'github' ? [...GITHUB_PIECES, ...PIECES.filter((p) => p !== '..')] : PIECES),
  ).join('/');
  const headers: Record<string, string> = {};
  let target = `/${path}`;
  if (protocol === 'github') target = `/github/${path}`;
  else if (protocol === 'restJson1') {
    if (target.startsWith('/github')) target = `/x${target}`;
    if (next() < 0.1) target = pick(['http://[', 'http://[::1', 'http://a:b:c/', '*', '//', 'http:']);
    headers['authorization'] = 'AWS4-HMAC-SHA256 Credential=x/20260101/eu-west-2/appconfig/aws4_request';
  } else {
    // The AWS JSON and Query protocols always address `/`: a path is AppConfig's (restJson1).
    target = next() < 0.5 ? '/' : `/?${pick(PIECES)}`;
    const version = protocol === 'awsJson1_1' ? '1.1' : '1.0';
    if (protocol === 'awsQuery')
      headers['content-type'] = `application/x-www-form-urlencoded${pick(CHARSETS)}`;
    else headers['content-type'] = `application/x-amz-json-${version}${pick(CHARSETS)}`;
    if (protocol !== 'awsQuery' && next() < 0.7)
      headers['x-amz-target'] =
        pick(['GraniteServiceVersion20100801.', 'Nope.']) +
        pick(['DescribeAlarms', 'PutMetricData', 'Nope', '']);
  }
  let body: Buffer = Buffer.from(
    Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256)),
  );
  if (next() < 0.4)
    body = Buffer.from(
      pick([
        '{}',
        '[]',
        'null',
        '{"Name":',
        '{"a":{"b":[1,2,{"c":null}]}}',
        'Action=PutMetricData&Version=2010-08-01&MetricData.member.1.Value=x',
        'Action=&Version=',
      ]),
    );
  const encoding = pick(ENCODINGS);
  if (encoding !== '') headers['content-encoding'] = encoding;
  if (encoding.toLowerCase() === 'gzip' && next() < 0.5) body = gzipSync(body);
  if (next() < 0.2)
    headers[pick(['x-amz-date', 'expect', 'accept-encoding', 'range', 'if-match'])] = pick([
      '',
      '*',
      'bytes=-1',
      '100-continue',
      'x'.repeat(200),
    ]);
  return {
    protocol,
    bytes: request(method, target, headers, body),
    description: `${method} ${target} ${JSON.stringify(headers)}`,
  };
}

describe('a fuzz of the HTTP layer', () => {
  it('400 seeded requests each get an answer (none 5xx) in their protocol’s shape, and the sandbox serves on', async () => {
    const next = random(24);
    for (let i = 0; i < 400; i++) {
      const c = fuzzCase(next);
      const answer = await raw(c.bytes);
      const context = `case ${i}: ${c.description} → ${answer.status} ${answer.body.slice(0, 200)}`;
      expect(answer.status, context).toBeGreaterThanOrEqual(100);
      expect(answer.status, context).toBeLessThan(500);
      if (answer.status >= 400 && !c.description.startsWith('HEAD ')) expectErrorShape(c.protocol, answer);
    }
    const list = await fetch(`${sandbox.url}/applications`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x/20260101/eu-west-2/appconfig/aws4_request' },
    });
    expect(list.status).toBe(200);
    const repo = await fetch(`${sandbox.env['GITHUB_API_URL']}/repos/${sandbox.env['GITHUB_REPOSITORY']}`, {
      headers: { authorization: 'token sandbox-user-alice' },
    });
    expect(repo.status).toBe(200);
  }, 120_000);
});
