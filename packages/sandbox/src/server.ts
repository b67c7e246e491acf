/**
 * The sandbox server: one HTTP listener on 127.0.0.1 that routes each request to the emulated
 * service it belongs to, applies injected faults, drives simulated time, and persists state.
 *
 * Control endpoints (never part of any real API) live under `/_sandbox/`:
 *   GET  /_sandbox/state            everything, as JSON
 *   POST /_sandbox/reset            forget everything
 *   GET|POST|DELETE /_sandbox/faults   list, add (one rule or {rules:[…]} to replace), clear
 *   GET|POST /_sandbox/clock        read; {advanceSeconds} and/or {speed}
 *   GET|POST /_sandbox/scenario     read; {name} to switch the traffic scenario
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { SimClock } from './clock.ts';
import { type Reply, type SandboxRequest, type Service, type ServiceContext, ServiceError } from './core.ts';
import { type FaultRule, Faults } from './faults.ts';
import { protocolError, type RequestHints, refusedByParser, unknownOperation } from './protocol-errors.ts';

/** Simulated time advances in steps of at most this much, so effects happen in order. */
const TICK_STEP_MS = 1_000;
/** Real milliseconds between background ticks. */
const TICK_INTERVAL_MS = 20;
/** The largest request body, sent or inflated from gzip: beyond it, 413 as GitHub and AWS answer. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** A request refused before any service sees it, with the status to answer. */
class Refused extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error code the protocols with codes (AWS) carry. */
    readonly code = 'BadRequestException',
  ) {
    super(message);
  }
}

export interface ServerOptions {
  port?: number;
  host?: string;
  clock: SimClock;
  statePath?: string;
  faultSeed?: number;
  /** Builds the services once the context exists (order = tick order). */
  services: (ctx: ServiceContext) => Service[];
  /**
   * Whether the request's credentials may perform the operation (the IAM role a session assumed):
   * the error to answer with, in the service's own shape, or undefined when allowed.
   */
  authorize?: (service: string, operation: string, req: SandboxRequest) => ServiceError | undefined;
  /** Extra control endpoint handling (scenarios); return undefined when not handled. */
  control?: (req: SandboxRequest) => Reply | Promise<Reply> | undefined;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  services: Service[];
  faults: Faults;
  clock: SimClock;
  /** Run simulated time up to the clock's now (normally done in the background). */
  tick(): void;
  /** Persist now (no-op without a state path). */
  save(): void;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const clock = options.clock;
  const faults = new Faults(options.faultSeed ?? 1);
  let dirty = false;
  const ctx: ServiceContext = {
    clock,
    changed: () => {
      dirty = true;
    },
  };
  const services = options.services(ctx);
  let lastTick = clock.now();

  if (options.statePath) {
    const saved = readState(options.statePath);
    if (saved) {
      clock.resumeAt(saved.clock);
      lastTick = saved.clock;
      for (const s of services) {
        const data = saved.services[s.name];
        if (data !== undefined) s.load?.(data);
      }
    }
  }

  function tick(): void {
    const target = clock.now();
    while (lastTick < target) {
      const step = Math.min(lastTick + TICK_STEP_MS, target);
      for (const s of services) s.tick?.(step);
      lastTick = step;
    }
  }

  function save(): void {
    if (!options.statePath) return;
    dirty = false;
    const data = { clock: clock.now(), services: {} as Record<string, unknown> };
    for (const s of services) if (s.dump) data.services[s.name] = s.dump();
    writeStateAtomically(options.statePath, data);
  }

  function snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      clock: { now: new Date(clock.now()).toISOString(), speed: clock.speed },
    };
    for (const s of services) if (s.dump) out[s.name] = s.dump();
    out['faults'] = faults.list();
    return out;
  }

  function control(req: SandboxRequest): Reply | Promise<Reply> {
    const route = req.path.slice('/_sandbox'.length);
    const body = parseJson(req.body);
    if (route === '/state' && req.method === 'GET') return { status: 200, body: snapshot() };
    if (route === '/reset' && req.method === 'POST') {
      for (const s of services) s.reset?.();
      faults.clear();
      ctx.changed();
      return { status: 200, body: { reset: true } };
    }
    if (route === '/faults') {
      if (req.method === 'GET')
        return { status: 200, body: { rules: faults.list(), injected: Object.fromEntries(faults.injected) } };
      if (req.method === 'DELETE') {
        faults.clear();
        return { status: 200, body: { rules: [] } };
      }
      if (req.method === 'POST') {
        const b = body as { rules?: FaultRule[] } & FaultRule;
        if (Array.isArray(b.rules)) faults.set(b.rules);
        else faults.add(b);
        return { status: 200, body: { rules: faults.list() } };
      }
    }
    if (route === '/clock') {
      if (req.method === 'POST') {
        const b = body as { advanceSeconds?: number; speed?: number };
        if (typeof b.speed === 'number' && b.speed > 0) clock.setSpeed(b.speed);
        if (typeof b.advanceSeconds === 'number' && b.advanceSeconds > 0)
          clock.advance(b.advanceSeconds * 1000);
        tick();
        ctx.changed();
      }
      return {
        status: 200,
        body: { now: clock.now(), iso: new Date(clock.now()).toISOString(), speed: clock.speed },
      };
    }
    const extra = options.control?.(req);
    if (extra) return extra;
    return { status: 404, body: { message: `no sandbox control endpoint ${req.method} ${req.path}` } };
  }

  async function handle(req: SandboxRequest, res: ServerResponse): Promise<void> {
    tick();
    const foreign = foreignOrigin(req, port);
    if (foreign) {
      const control = req.path.startsWith('/_sandbox/');
      send(
        res,
        control
          ? { status: 403, body: { message: foreign } }
          : protocolError(hintsOf(req), 403, 'AccessDeniedException', foreign),
      );
      return;
    }
    if (req.path.startsWith('/_sandbox/')) {
      try {
        send(res, await control(req));
      } catch (err) {
        send(res, { status: 400, body: { message: (err as Error).message } });
      }
      return;
    }
    for (const service of services) {
      const op = resolveSafely(service, req);
      if (!op) continue;
      const encodeError = (err: ServiceError): Reply =>
        op.encodeError ? op.encodeError(err) : service.encodeError(err, op.operation);
      const denied = options.authorize?.(service.name, op.operation, req);
      if (denied) {
        send(res, encodeError(denied));
        return;
      }
      let hangAfter = false;
      for (const fault of faults.decide(op.operation)) {
        if (fault.kind === 'latency') await sleep(fault.latencyMs);
        else if (fault.kind === 'hang') {
          // Never answered: the connection stays open until the caller dies or the sandbox closes.
          if (fault.after) hangAfter = true;
          else return;
        } else if (fault.kind === 'reset') {
          req.body = Buffer.alloc(0);
          res.socket?.destroy();
          return;
        } else if (fault.kind === 'throttle') {
          send(res, encodeError(service.throttleError(op.operation)));
          return;
        } else {
          const err = new ServiceError(500, 'InternalServerException', 'injected fault: internal error');
          send(res, encodeError(err));
          return;
        }
      }
      let reply: Reply;
      try {
        reply = await op.handle();
      } catch (err) {
        if (err instanceof ServiceError) reply = encodeError(err);
        else {
          const message = err instanceof Error ? err.message : String(err);
          reply = encodeError(new ServiceError(500, 'InternalServerException', message));
        }
      }
      if (hangAfter) {
        if (dirty) save();
        faults.count(op.operation);
        return;
      }
      send(res, reply);
      if (dirty) save();
      return;
    }
    send(res, unknownOperation(hintsOf(req)));
  }

  // Whatever goes wrong with one request is answered in its protocol's error shape; nothing a
  // client sends may reach the process as an uncaught exception.
  const server = createServer((incoming, res) => {
    readRequest(incoming, baseUrl)
      .then((req) => handle(req, res))
      .catch((err: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const refused = err instanceof Refused;
        const hints = {
          method: incoming.method ?? 'GET',
          target: incoming.url ?? '/',
          headers: incoming.headers,
        };
        const message = err instanceof Error ? err.message : String(err);
        send(
          res,
          protocolError(
            hints,
            refused ? err.status : 500,
            refused ? err.code : 'InternalServerException',
            message,
          ),
        );
      });
  });
  server.keepAliveTimeout = 60_000;
  // What Node's parser refuses (an unknown method, a malformed header) and CONNECT, which no
  // emulated API serves, are answered too, in the protocol the request's first bytes suggest.
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    socket.end(refusedByParser(err.rawPacket, status, `malformed request (${err.code ?? 'parse error'})`));
  });
  server.on('checkExpectation', (incoming: IncomingMessage, res: ServerResponse) => {
    const hints = {
      method: incoming.method ?? 'GET',
      target: incoming.url ?? '/',
      headers: incoming.headers,
    };
    const expectation = incoming.headers['expect'] ?? '';
    send(res, protocolError(hints, 417, 'ExpectationFailed', `unsupported Expect: ${expectation}`));
  });
  server.on('connect', (incoming: IncomingMessage, socket: Duplex) => {
    const raw = Buffer.from(`${incoming.method} ${incoming.url} HTTP/1.1\r\n`, 'latin1');
    socket.end(refusedByParser(raw, 400, 'CONNECT is not supported: the sandbox is no proxy'));
  });
  let baseUrl = '';
  let port = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const timer = setInterval(() => {
    tick();
    if (dirty) save();
  }, TICK_INTERVAL_MS);
  timer.unref();

  return {
    url: baseUrl,
    port,
    server,
    services,
    faults,
    clock,
    tick,
    save,
    async close() {
      clearInterval(timer);
      // Services first (the runner ends its jobs), so what they record on the way out is saved.
      for (const s of services) await s.close?.();
      // Always, not only when dirty: the saved clock is where a restart resumes simulated time.
      save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readRequest(incoming: IncomingMessage, baseUrl: string): Promise<SandboxRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new Refused(
            413,
            `request body too large: the sandbox accepts at most ${MAX_BODY_BYTES} bytes`,
            'PayloadTooLargeException',
          ),
        );
        incoming.resume();
        return;
      }
      chunks.push(c);
    });
    incoming.on('error', reject);
    incoming.on('end', () => {
      const url = parseTarget(incoming.url);
      if (!url) {
        reject(new Refused(400, `the request target ${JSON.stringify(incoming.url)} is not a URL`));
        return;
      }
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(incoming.headers))
        headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      if (size > MAX_BODY_BYTES) return;
      let body: Buffer;
      try {
        body = decodeBody(Buffer.concat(chunks), headers);
      } catch (err) {
        reject(err);
        return;
      }
      resolve({
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers,
        body,
        baseUrl,
      });
    });
  });
}

/**
 * The request target as a URL, or undefined when it is none (`GET http://[`). An absolute-form
 * target (`GET http://host/path`, as proxies send) keeps only its path and query.
 */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://sandbox.invalid');
  } catch {
    return undefined;
  }
}

/** A service whose routing throws on a request (a bad escape in a path) has not taken it. */
function resolveSafely(service: Service, req: SandboxRequest): ReturnType<Service['resolve']> {
  try {
    return service.resolve(req);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      operation: 'MalformedRequest',
      handle: () => {
        throw new ServiceError(400, 'BadRequestException', message);
      },
    };
  }
}

function hintsOf(req: SandboxRequest): RequestHints {
  const query = req.query.toString();
  return { method: req.method, target: query ? `${req.path}?${query}` : req.path, headers: req.headers };
}

/**
 * A gzip body (the AWS SDK gzips large PutMetricData) inflated here, once for every service, and
 * never past MAX_BODY_BYTES: a small body that inflates to gigabytes (a gzip bomb) is a 413.
 */
function decodeBody(raw: Buffer, headers: Record<string, string | undefined>): Buffer {
  const encoding = headers['content-encoding']?.toLowerCase().trim();
  if (!encoding || encoding === 'identity' || raw.length === 0) return raw;
  if (encoding !== 'gzip')
    throw new Refused(415, `unsupported content-encoding ${encoding}`, 'UnsupportedMediaTypeException');
  try {
    const body = gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES });
    delete headers['content-encoding'];
    return body;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Refused(
        413,
        `request body inflates past ${MAX_BODY_BYTES} bytes`,
        'PayloadTooLargeException',
      );
    throw new Refused(400, 'request body is not valid gzip');
  }
}

/**
 * Why a request from a web page of another origin is refused, or undefined. Browsers send
 * `Origin` (and `Sec-Fetch-Site`) with cross-origin writes; a page elsewhere must not be able to
 * reset the sandbox, inject faults or act on its GitHub with a form post. The sandbox's own
 * pages are same-origin; the SDKs, Octokit and git send neither header.
 */
function foreignOrigin(req: SandboxRequest, port: number): string | undefined {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return undefined;
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers['origin'];
  const own = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
  if (
    (site !== undefined && site !== 'same-origin' && site !== 'none') ||
    (origin !== undefined && !own.includes(origin))
  )
    return `sandbox: cross-origin ${req.method} ${req.path} refused (origin ${origin ?? site})`;
  return undefined;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reply.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  let payload: Buffer | undefined;
  if (reply.body === undefined || reply.body === null) payload = undefined;
  else if (Buffer.isBuffer(reply.body)) payload = reply.body;
  else if (typeof reply.body === 'string') payload = Buffer.from(reply.body);
  else {
    payload = Buffer.from(JSON.stringify(reply.body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  }
  headers['content-length'] = String(payload?.length ?? 0);
  headers['x-amzn-requestid'] ??= randomBytes(16).toString('hex');
  res.writeHead(reply.status, headers);
  res.end(payload);
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  return JSON.parse(body.toString('utf8'));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface SavedState {
  clock: number;
  services: Record<string, unknown>;
}

function readState(path: string): SavedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const data = JSON.parse(text) as SavedState;
  if (typeof data.clock !== 'number' || typeof data.services !== 'object') {
    throw new Error(`${path}: not a sandbox state file`);
  }
  return data;
}

/** Write to a temporary file beside the target, then rename: a crash never leaves half a file. */
function writeStateAtomically(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, path);
}
