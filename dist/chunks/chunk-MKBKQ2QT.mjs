import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/policy/exposure.ts
function isEnabled(target, flag) {
  return target?.flags?.[flag]?.enabled === true;
}
function effectiveNumber(target, flag, attribute) {
  const value = target?.flags?.[flag];
  if (!value?.enabled) return 0;
  const n = value.attributes[attribute];
  return typeof n === "number" && Number.isFinite(n) ? n : 0;
}
function risesBetween(base, head) {
  const rises = [];
  for (const [flag, value] of Object.entries(head.flags ?? {})) {
    if (!value.enabled) continue;
    if (!isEnabled(base, flag)) rises.push({ kind: "enable", flag });
    for (const [attribute, raw] of Object.entries(value.attributes)) {
      if (typeof raw !== "number") continue;
      const before = effectiveNumber(base, flag, attribute);
      const after = effectiveNumber(head, flag, attribute);
      if (after > before) rises.push({ kind: "numeric", flag, attribute, before, after });
    }
  }
  return rises;
}
function describeRise(rise) {
  return rise.kind === "enable" ? `enabling ${rise.flag}` : `raising ${rise.flag}.${rise.attribute} ${rise.before} → ${rise.after}`;
}

// src/policy/soak.ts
function soakMinutesFor(env, value, maximum) {
  const soak = env?.soakMinutes ?? {};
  if (value >= maximum) return soak.maximum ?? 1440;
  if (value === 0) return soak.enable ?? 15;
  return soak.default ?? 0;
}

export {
  isEnabled,
  effectiveNumber,
  risesBetween,
  describeRise,
  soakMinutesFor
};
