/**
 * CloudWatch's `awsQuery` protocol, which the AWS CLI v1/v2 before the JSON switch, boto3 and older
 * SDKs speak: `POST /` with a form-encoded body (`Action=…&Version=2010-08-01&…`), answered in XML
 * (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html). The codec is driven by the model,
 * so requests decode into the same input objects the JSON 1.0 side produces and every operation
 * works over both protocols with one handler.
 *
 * Form keys: structure members `A.B`, list items `A.member.N`, map entries `A.entry.N.key|value`,
 * an empty list as `A=`; timestamps ISO-8601. Errors are an `ErrorResponse` with the Query code.
 */
import { type Reply, ServiceError } from '../core.ts';
import { type MemberRef, operation, type Shape, shape, UNIT } from './model.ts';
import { invalidParameter } from './protocol.ts';

export const API_VERSION = '2010-08-01';
const XMLNS = `http://monitoring.amazonaws.com/doc/${API_VERSION}/`;
const CONTENT_TYPE = 'text/xml';

export type QueryParams = Map<string, string>;

/** Every key prefix → the next path segments under it, so nested lookups never scan all keys. */
class KeyIndex {
  private children = new Map<string, Set<string>>();
  constructor(readonly params: QueryParams) {
    for (const key of params.keys()) {
      const parts = key.split('.');
      for (let i = 0; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join('.');
        let set = this.children.get(prefix);
        if (!set) {
          set = new Set();
          this.children.set(prefix, set);
        }
        set.add(parts[i] as string);
      }
    }
  }
  has(key: string): boolean {
    return this.params.has(key) || this.children.has(key);
  }
  under(prefix: string): Set<string> {
    return this.children.get(prefix) ?? new Set();
  }
}

/** The `Action` of a form-encoded request body (or GET query), with the rest of its fields. */
export function readQueryRequest(form: URLSearchParams): {
  action?: string;
  version?: string;
  params: QueryParams;
} {
  const params: QueryParams = new Map();
  let action: string | undefined;
  let version: string | undefined;
  for (const [k, v] of form) {
    if (k === 'Action') action = v;
    else if (k === 'Version') version = v;
    else params.set(k, v);
  }
  return {
    ...(action !== undefined ? { action } : {}),
    ...(version !== undefined ? { version } : {}),
    params,
  };
}

/** Form fields → the input structure of `operationName`, typed as its model says. */
export function decodeQueryInput(operationName: string, params: QueryParams): Record<string, unknown> {
  const op = operation(operationName);
  if (!op)
    throw new ServiceError(
      400,
      'InvalidAction',
      `Could not find operation ${operationName} for version ${API_VERSION}`,
    );
  const index = new KeyIndex(params);
  return (decodeStructure(index, '', op.input) as Record<string, unknown> | undefined) ?? {};
}

function decodeStructure(
  index: KeyIndex,
  prefix: string,
  target: string,
): Record<string, unknown> | undefined {
  const s = shape(target);
  if (!s?.members) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(s.members)) {
    const key = prefix === '' ? serializedName(name, ref) : `${prefix}.${serializedName(name, ref)}`;
    if (!index.has(key)) continue;
    const v = decodeValue(index, key, ref.target);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function decodeValue(index: KeyIndex, key: string, target: string): unknown {
  const s = shape(target);
  const raw = index.params.get(key);
  switch (s?.type) {
    case 'structure':
    case 'union':
      return decodeStructure(index, key, target);
    case 'list':
      return decodeList(index, key, s);
    case 'map':
      return decodeMap(index, key, s);
    case 'integer':
    case 'long':
      return raw === undefined ? undefined : parseInteger(raw, key);
    case 'double':
    case 'float':
      return raw === undefined ? undefined : parseDouble(raw, key);
    case 'boolean':
      if (raw === undefined) return undefined;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw invalidParameter(`The value ${raw} for parameter ${key} is invalid; use true or false.`);
    default:
      return raw; // string, enum, timestamp (ISO-8601, parsed by the handlers), blob (base64)
  }
}

function decodeList(index: KeyIndex, key: string, s: Shape): unknown[] | undefined {
  const member = s.member as MemberRef;
  const flattened = member.traits?.xmlFlattened !== undefined;
  const itemsKey = flattened ? key : `${key}.${member.traits?.xmlName ?? 'member'}`;
  const positions = [...index.under(itemsKey)].filter((p) => /^[1-9][0-9]*$/.test(p)).map(Number);
  if (positions.length === 0) return index.params.get(key) === '' ? [] : undefined;
  positions.sort((a, b) => a - b);
  return positions.map((n) => decodeValue(index, `${itemsKey}.${n}`, member.target));
}

function decodeMap(index: KeyIndex, key: string, s: Shape): Record<string, unknown> | undefined {
  const keyName = s.key?.traits?.xmlName ?? 'key';
  const valueName = s.value?.traits?.xmlName ?? 'value';
  const entries = `${key}.entry`;
  const positions = [...index.under(entries)].filter((p) => /^[1-9][0-9]*$/.test(p));
  if (positions.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const n of positions) {
    const k = index.params.get(`${entries}.${n}.${keyName}`);
    if (k === undefined) throw invalidParameter(`${entries}.${n}.${keyName} is missing.`);
    out[k] = decodeValue(index, `${entries}.${n}.${valueName}`, (s.value as MemberRef).target);
  }
  return out;
}

function parseInteger(raw: string, key: string): number {
  if (!/^-?[0-9]+$/.test(raw.trim()))
    throw invalidParameter(`The value ${raw} for parameter ${key} is invalid: it must be an integer.`);
  return Number(raw);
}

function parseDouble(raw: string, key: string): number {
  const t = raw.trim();
  if (t === 'NaN') return Number.NaN;
  if (t === 'Infinity') return Number.POSITIVE_INFINITY;
  if (t === '-Infinity') return Number.NEGATIVE_INFINITY;
  const v = Number(t);
  if (t === '' || Number.isNaN(v))
    throw invalidParameter(`The value ${raw} for parameter ${key} is invalid: it must be a number.`);
  return v;
}

const serializedName = (name: string, ref: MemberRef): string => ref.traits?.xmlName ?? name;

// ---- XML out ----

export function queryReply(operationName: string, output: unknown, requestId: string): Reply {
  const op = operation(operationName);
  const result =
    op && op.output !== UNIT ? element(`${operationName}Result`, encodeMembers(output, op.output)) : '';
  const body =
    `<${operationName}Response xmlns="${XMLNS}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operationName}Response>`;
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

export function queryError(err: ServiceError, errorShapeName: string | undefined, requestId: string): Reply {
  const s = errorShapeName ? shape(errorShapeName) : undefined;
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  // Modelled members beyond the message (e.g. dashboardValidationMessages) sit inside <Error>.
  const extra = errorShapeName ? encodeMembers(err.extra, errorShapeName, ['message', 'Message']) : '';
  const body =
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${escapeXml(err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message>${extra}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    status: s?.traits?.awsQueryError?.httpResponseCode ?? err.status,
    headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

function encodeMembers(value: unknown, target: string, skip: string[] = []): string {
  const s = shape(target);
  if (!s?.members || typeof value !== 'object' || value === null) return '';
  const v = value as Record<string, unknown>;
  let out = '';
  for (const [name, ref] of Object.entries(s.members)) {
    if (skip.includes(name) || v[name] === undefined || v[name] === null) continue;
    out += encodeValue(serializedName(name, ref), v[name], ref.target);
  }
  return out;
}

function encodeValue(name: string, value: unknown, target: string): string {
  const s = shape(target);
  switch (s?.type) {
    case 'structure':
    case 'union':
      return element(name, encodeMembers(value, target));
    case 'list': {
      const member = s.member as MemberRef;
      const items = Array.isArray(value) ? value : [];
      const itemName = member.traits?.xmlName ?? 'member';
      if (member.traits?.xmlFlattened !== undefined)
        return items.map((item) => encodeValue(name, item, member.target)).join('');
      return element(name, items.map((item) => encodeValue(itemName, item, member.target)).join(''));
    }
    case 'map': {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      const k = s.key as MemberRef;
      const val = s.value as MemberRef;
      return element(
        name,
        entries
          .map(([ek, ev]) =>
            element(
              'entry',
              encodeValue(k.traits?.xmlName ?? 'key', ek, k.target) +
                encodeValue(val.traits?.xmlName ?? 'value', ev, val.target),
            ),
          )
          .join(''),
      );
    }
    case 'timestamp':
      return element(name, escapeXml(isoTimestamp(value)));
    case 'double':
    case 'float':
      return element(name, formatDouble(value as number));
    default:
      return element(name, escapeXml(String(value)));
  }
}

/** Handlers give timestamps as epoch seconds (the JSON wire form); XML carries ISO-8601. */
function isoTimestamp(value: unknown): string {
  if (typeof value === 'number') return new Date(Math.round(value * 1000)).toISOString();
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Infinity';
  if (v === Number.NEGATIVE_INFINITY) return '-Infinity';
  return String(v);
}

const element = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}
