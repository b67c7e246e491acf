import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  commitFromGit,
  createAws
} from "./chunk-JUCKGTSM.mjs";
import {
  WorkingTreeSource,
  loadRepository
} from "./chunk-J65SMI3B.mjs";
import {
  EXIT,
  Failure
} from "./chunk-XMGGJPA5.mjs";

// src/pipeline/clock.ts
function realSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
var systemClock = {
  now: () => Date.now(),
  sleep: realSleep
};
function scaledClock(options) {
  const realNow = options.realNow ?? Date.now;
  const speed = options.speed;
  if (!(speed > 0)) throw new Failure(`clock speed must be a positive number, got ${speed}`, EXIT.usage);
  const start = realNow();
  const origin = options.origin ?? { realMs: start, simMs: start };
  return {
    now: () => Math.floor(origin.simMs + (realNow() - origin.realMs) * speed),
    sleep: (ms) => realSleep(ms / speed)
  };
}
async function clockFromEnvironment(env, fetchImpl = fetch) {
  const rawSpeed = env.FLAGOPS_CLOCK_SPEED;
  if (rawSpeed === void 0 || rawSpeed === "") return systemClock;
  const speed = Number(rawSpeed);
  if (!(speed > 0)) {
    throw new Failure(
      `FLAGOPS_CLOCK_SPEED must be a positive number (simulated seconds per real second), got "${rawSpeed}"`,
      EXIT.usage
    );
  }
  const origin = parseOrigin(env.FLAGOPS_CLOCK_ORIGIN) ?? await sandboxOrigin(env.FLAGOPS_SANDBOX_URL, fetchImpl);
  return scaledClock(origin ? { speed, origin } : { speed });
}
function parseOrigin(raw) {
  if (raw === void 0 || raw === "") return void 0;
  const match = /^(\d+):(\d+)$/.exec(raw.trim());
  if (!match)
    throw new Failure(`FLAGOPS_CLOCK_ORIGIN must look like <realMs>:<simMs>, got "${raw}"`, EXIT.usage);
  return { realMs: Number(match[1]), simMs: Number(match[2]) };
}
async function sandboxOrigin(url, fetchImpl) {
  if (!url) return void 0;
  try {
    const before = Date.now();
    const res = await fetchImpl(`${url.replace(/\/$/, "")}/_sandbox/clock`);
    if (!res.ok) return void 0;
    const body = await res.json();
    if (typeof body.now !== "number") return void 0;
    return { realMs: Math.round((before + Date.now()) / 2), simMs: body.now };
  } catch {
    return void 0;
  }
}

// src/runtime/env.ts
async function runtimeFromEnvironment(env) {
  const clock = await clockFromEnvironment(env);
  const speed = Number(env.FLAGOPS_CLOCK_SPEED ?? "1");
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || void 0;
  const aws = createAws({
    ...region ? { region } : {},
    ...Number.isFinite(speed) && speed > 1 ? { clockSpeed: speed } : {}
  });
  return { aws, clock, ...region ? { region } : {} };
}
function workingTreeContent(root) {
  return async () => ({ repo: loadRepository(new WorkingTreeSource(root)), commit: commitFromGit(root) });
}

export {
  runtimeFromEnvironment,
  workingTreeContent
};
