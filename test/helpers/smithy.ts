/**
 * Checks raw AWS answers against a published Smithy model (test/fixtures/aws-models/, copied from
 * https://github.com/aws/api-models-aws): the status the operation's `http` trait names, then every
 * member of its output (or of the error it names) in the place the protocol puts it — restJson1:
 * `httpHeader` members in headers, `httpPayload` as the body, the rest as JSON members; awsJson1_0:
 * the whole body — with required members present, no member the model lacks, no `null`s (AWS omits
 * unset members) and each value of its shape's type: enum values, integers, numbers, booleans,
 * base64 blobs, timestamps in the protocol's or the member's format. Length, range and pattern
 * traits are not applied: Smithy's constraint traits bind input, and AWS's own answers step outside
 * them (predefined strategy ids such as `AppConfig.AllAtOnce`, `PercentageComplete` 0).
 * Protocols: https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html and
 * https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Traits = Record<string, unknown>;
interface MemberDef {
  target: string;
  traits?: Traits;
}
interface ShapeDef {
  type: string;
  members?: Record<string, MemberDef>;
  member?: MemberDef;
  key?: MemberDef;
  value?: MemberDef;
  input?: { target: string };
  output?: { target: string };
  errors?: Array<{ target: string }>;
  traits?: Traits;
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export interface SmithyModel {
  /** `restJson1` or `awsJson1_0`. */
  protocol: 'restJson1' | 'awsJson1_0';
  has(operation: string): boolean;
  /** Problems with an answer to `operation`, one line each; empty when it conforms. */
  check(operation: string, answer: RawAnswer): string[];
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'aws-models');

export function loadModel(file: string, protocol: SmithyModel['protocol']): SmithyModel {
  const model = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as {
    shapes: Record<string, ShapeDef>;
  };
  const shapes = model.shapes;
  const service = Object.entries(shapes).find(([, s]) => s.type === 'service');
  if (!service) throw new Error(`${file}: no service shape`);
  const ns = service[0].slice(0, service[0].indexOf('#') + 1);
  const shapeOf = (target: string) => shapes[target];

  return {
    protocol,
    has: (operation) => shapeOf(ns + operation)?.type === 'operation',
    check(operation, answer) {
      const op = shapeOf(ns + operation);
      if (op?.type !== 'operation') return [`${operation} is not an operation of ${file}`];
      const problems: string[] = [];
      const errorName = errorOf(answer);
      if (errorName !== undefined) {
        const declared = (op.errors ?? []).map((e) => e.target);
        const target = declared.find((t) => t === errorName || t.endsWith(`#${errorName}`));
        if (!target) return [`error ${errorName} is not one ${operation} declares`];
        const error = shapeOf(target);
        const status = error?.traits?.['smithy.api#httpError'];
        if (typeof status === 'number' && answer.status !== status)
          problems.push(`status ${answer.status}, the model says ${status} for ${errorName}`);
        checkBody(target, answer, problems, ['__type', 'code']);
        return problems;
      }
      const http = op.traits?.['smithy.api#http'] as { code?: number } | undefined;
      const expected = protocol === 'restJson1' ? (http?.code ?? 200) : 200;
      if (answer.status !== expected) problems.push(`status ${answer.status}, the model says ${expected}`);
      const output = op.output?.target;
      if (output && output !== 'smithy.api#Unit') checkBody(output, answer, problems, []);
      else if (answer.body.length > 0 && answer.body.toString().trim() !== '{}')
        problems.push('a body where the operation has no output');
      return problems;
    },
  };

  function errorOf(answer: RawAnswer): string | undefined {
    if (answer.status < 300) return undefined;
    const header = answer.headers['x-amzn-errortype'];
    let name = header?.split(':')[0];
    if (!name) {
      try {
        const body = JSON.parse(answer.body.toString()) as { __type?: string; code?: string };
        name = body.__type ?? body.code;
      } catch {
        name = undefined;
      }
    }
    return name ?? `(no error type) ${answer.status}`;
  }

  /** The structure's members where the protocol puts them. */
  function checkBody(target: string, answer: RawAnswer, problems: string[], ignored: string[]): void {
    const shape = shapeOf(target);
    const members = shape?.members ?? {};
    const inBody: Record<string, MemberDef> = {};
    let payload: [string, MemberDef] | undefined;
    for (const [name, member] of Object.entries(members)) {
      const t = member.traits ?? {};
      if (protocol === 'restJson1' && typeof t['smithy.api#httpHeader'] === 'string') {
        const value = answer.headers[(t['smithy.api#httpHeader'] as string).toLowerCase()];
        if (value === undefined) {
          if (t['smithy.api#required'] !== undefined) problems.push(`header for ${name}: missing (required)`);
        } else checkHeader(`header ${t['smithy.api#httpHeader']}`, member, value, problems);
      } else if (protocol === 'restJson1' && t['smithy.api#httpResponseCode'] !== undefined) {
        // the status itself
      } else if (protocol === 'restJson1' && t['smithy.api#httpPayload'] !== undefined)
        payload = [name, member];
      else inBody[name] = member;
    }
    if (payload) {
      const targetType = shapeOf(payload[1].target)?.type;
      if (targetType === 'structure' || targetType === 'union')
        checkValue(`$.${payload[0]}`, payload[1], parseJson(answer.body, problems), problems);
      return;
    }
    if (Object.keys(inBody).length === 0 && answer.body.length === 0) return;
    const body = parseJson(answer.body, problems);
    if (body === undefined) return;
    checkStructure('$', inBody, body, problems, ignored);
  }

  function checkHeader(path: string, member: MemberDef, value: string, problems: string[]): void {
    const shape = shapeOf(member.target);
    const type = shape?.type ?? primitive(member.target);
    if (['integer', 'long', 'short', 'byte'].includes(type) && !/^-?\d+$/.test(value))
      problems.push(`${path}: "${value}" is not an integer`);
    else if (type === 'boolean' && value !== 'true' && value !== 'false')
      problems.push(`${path}: "${value}" is not a boolean`);
    else if (type === 'string' || type === 'enum') checkString(path, member, value, problems);
  }

  function checkStructure(
    path: string,
    members: Record<string, MemberDef>,
    value: unknown,
    problems: string[],
    ignored: string[] = [],
  ): void {
    if (!isObject(value)) {
      problems.push(`${path}: ${describe(value)} where the model has a structure`);
      return;
    }
    const byWireName = new Map(
      Object.entries(members).map(([name, m]) => [
        (m.traits?.['smithy.api#jsonName'] as string | undefined) ?? name,
        [name, m] as const,
      ]),
    );
    for (const [key, v] of Object.entries(value)) {
      if (ignored.includes(key)) continue;
      const entry = byWireName.get(key);
      if (!entry) problems.push(`${path}.${key}: not a member in the model`);
      else checkValue(`${path}.${key}`, entry[1], v, problems);
    }
    for (const [wire, [, m]] of byWireName)
      if (m.traits?.['smithy.api#required'] !== undefined && !(wire in value))
        problems.push(`${path}.${wire}: missing (required)`);
  }

  function checkValue(path: string, member: MemberDef, value: unknown, problems: string[]): void {
    if (value === null) {
      problems.push(`${path}: null (AWS omits members it has no value for)`);
      return;
    }
    const shape = shapeOf(member.target);
    const type = shape?.type ?? primitive(member.target);
    const traits = { ...shape?.traits, ...member.traits };
    switch (type) {
      case 'structure':
        checkStructure(path, shape?.members ?? {}, value, problems);
        return;
      case 'union': {
        if (!isObject(value) || Object.keys(value).length !== 1)
          problems.push(`${path}: a union needs exactly one member, got ${describe(value)}`);
        else checkStructure(path, shape?.members ?? {}, value, problems);
        return;
      }
      case 'list':
        if (!Array.isArray(value)) problems.push(`${path}: ${describe(value)} where the model has a list`);
        else
          for (const [i, item] of value.entries())
            checkValue(`${path}[${i}]`, shape?.member as MemberDef, item, problems);
        return;
      case 'map':
        if (!isObject(value)) problems.push(`${path}: ${describe(value)} where the model has a map`);
        else
          for (const [k, v] of Object.entries(value)) {
            checkString(`${path} key ${k}`, shape?.key as MemberDef, k, problems);
            checkValue(`${path}.${k}`, shape?.value as MemberDef, v, problems);
          }
        return;
      case 'string':
      case 'enum':
        if (typeof value !== 'string')
          problems.push(`${path}: ${describe(value)} where the model has a string`);
        else checkString(path, member, value, problems);
        return;
      case 'integer':
      case 'long':
      case 'short':
      case 'byte':
      case 'intEnum':
        if (!Number.isInteger(value))
          problems.push(`${path}: ${describe(value)} where the model has an integer`);
        return;
      case 'float':
      case 'double':
        if (typeof value !== 'number')
          problems.push(`${path}: ${describe(value)} where the model has a number`);
        return;
      case 'boolean':
        if (typeof value !== 'boolean')
          problems.push(`${path}: ${describe(value)} where the model has a boolean`);
        return;
      case 'blob':
        if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
          problems.push(`${path}: ${describe(value)} where the model has base64 bytes`);
        return;
      case 'timestamp': {
        const format = (traits['smithy.api#timestampFormat'] as string | undefined) ?? 'epoch-seconds';
        if (format === 'epoch-seconds' ? typeof value !== 'number' : typeof value !== 'string')
          problems.push(`${path}: ${describe(value)} where the model has a ${format} timestamp`);
        else if (format === 'date-time' && Number.isNaN(Date.parse(value as string)))
          problems.push(`${path}: "${value}" is not a date-time`);
        return;
      }
      case 'document':
        return;
      default:
        problems.push(`${path}: the checker does not know shape type ${type}`);
    }
  }

  function checkString(path: string, member: MemberDef, value: string, problems: string[]): void {
    const shape = shapeOf(member.target);
    if (shape?.type === 'enum') {
      const values = Object.entries(shape.members ?? {}).map(
        ([name, m]) => (m.traits?.['smithy.api#enumValue'] as string | undefined) ?? name,
      );
      if (!values.includes(value)) problems.push(`${path}: "${value}" is not one of ${values.join(', ')}`);
    }
  }
}

/** Smithy's prelude shapes (`smithy.api#String`…) by the type they name. */
function primitive(target: string): string {
  const name = target.startsWith('smithy.api#') ? target.slice('smithy.api#'.length) : target;
  const lower = name.replace(/^Primitive/, '').toLowerCase();
  return lower === 'unit' ? 'structure' : lower;
}

function parseJson(body: Buffer, problems: string[]): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    problems.push(`the body is not JSON: ${body.toString('utf8').slice(0, 80)}`);
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  return Array.isArray(v)
    ? 'an array'
    : v === null
      ? 'null'
      : `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}
