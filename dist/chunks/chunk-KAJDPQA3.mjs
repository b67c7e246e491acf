import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  ROLLOUT_KEY,
  compareDiagnostics
} from "./chunk-S5U7UAL3.mjs";

// src/model/compile.ts
import { createHash } from "node:crypto";

// src/model/compile-json.ts
var NotJsonError = class extends Error {
  constructor(message, path) {
    super(message);
    this.path = path;
    this.name = "NotJsonError";
  }
  path;
};
function canonicalJson(value) {
  const parts = [];
  write(value, "", parts, /* @__PURE__ */ new Set());
  return parts.join("");
}
function write(value, path, out, ancestors) {
  if (value === null) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) throw new NotJsonError(`${String(value)} is not a JSON number`, path);
      out.push(JSON.stringify(value));
      return;
    case "object":
      break;
    default:
      throw new NotJsonError(`a ${typeof value} value has no JSON form`, path);
  }
  const object = value;
  if (ancestors.has(object)) throw new NotJsonError("the value refers to itself", path);
  ancestors.add(object);
  if (Array.isArray(object)) {
    out.push("[");
    object.forEach((item, index) => {
      if (index > 0) out.push(",");
      write(item, join(path, String(index)), out, ancestors);
    });
    out.push("]");
  } else {
    out.push("{");
    const entries = Object.entries(object).filter(([, v]) => v !== void 0);
    entries.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    entries.forEach(([key, item], index) => {
      if (index > 0) out.push(",");
      out.push(JSON.stringify(key), ":");
      write(item, join(path, key), out, ancestors);
    });
    out.push("}");
  }
  ancestors.delete(object);
}
function join(path, key) {
  return path === "" ? key : `${path}.${key}`;
}

// src/model/compile-decompile.ts
var APPCONFIG_METADATA_KEYS = /* @__PURE__ */ new Set(["_createdAt", "_updatedAt"]);
function normaliseDeployedContent(content, profileType) {
  let parsed;
  try {
    parsed = JSON.parse(typeof content === "string" ? content : content.toString("utf8"));
  } catch {
    return void 0;
  }
  const cleaned = profileType === "AWS.AppConfig.FeatureFlags" ? withoutMetadata(parsed) : parsed;
  return Buffer.from(canonicalJson(cleaned), "utf8");
}
function withoutMetadata(document) {
  if (!isObject(document)) return document;
  const out = { ...document };
  for (const section of ["flags", "values"]) {
    const entries = document[section];
    if (!isObject(entries)) continue;
    out[section] = Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => [
        name,
        isObject(entry) ? Object.fromEntries(Object.entries(entry).filter(([k]) => !APPCONFIG_METADATA_KEYS.has(k))) : entry
      ])
    );
  }
  return out;
}
function decompileFeatureFlags(content) {
  let parsed;
  try {
    parsed = JSON.parse(typeof content === "string" ? content : content.toString("utf8"));
  } catch (cause) {
    return { ok: false, error: `the deployed document is not JSON (${cause.message})` };
  }
  if (!isObject(parsed)) return { ok: false, error: "the deployed document is not a JSON object" };
  const hosted = typeof parsed["version"] === "string";
  const valueEntries = hosted ? parsed["values"] : parsed;
  if (valueEntries !== void 0 && !isObject(valueEntries)) {
    return { ok: false, error: `the deployed document's "values" is not an object` };
  }
  const definitions = hosted && isObject(parsed["flags"]) ? parsed["flags"] : {};
  const flags = {};
  const names = /* @__PURE__ */ new Set([...Object.keys(definitions), ...Object.keys(valueEntries ?? {})]);
  for (const name of [...names].sort()) {
    if (name.startsWith("_")) continue;
    const entry = valueEntries?.[name];
    if (entry !== void 0 && !isObject(entry)) {
      return { ok: false, error: `the deployed value of flag "${name}" is not an object` };
    }
    const attributes = {};
    for (const [key, value] of Object.entries(entry ?? {})) {
      if (key === "enabled" || key.startsWith("_")) continue;
      attributes[key] = value;
    }
    flags[name] = { enabled: entry?.["enabled"] === true, attributes };
  }
  return { ok: true, flags };
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/model/compile-locate.ts
function appPosition(app, path) {
  return nearest(app.locations, path) ?? { file: `${app.dir}/app.yaml`, line: 1, column: 1 };
}
function targetPosition(target, path) {
  return nearest(target.locations, path) ?? { file: target.file, line: 1, column: 1 };
}
function error(code, message, position) {
  return { severity: "error", code, message, position };
}
function nearest(locations, path) {
  let current = path;
  for (; ; ) {
    const found = locations[current];
    if (found) return found;
    if (current === "") return void 0;
    const dot = current.lastIndexOf(".");
    current = dot < 0 ? "" : current.slice(0, dot);
  }
}

// src/model/compile-feature-flags.ts
var FEATURE_FLAG_KEY_PATTERN = /^[a-z][a-zA-Z\d_-]{0,63}$/;
var MAX_ATTRIBUTES_PER_FLAG = 25;
var MAX_DESCRIPTION_LENGTH = 1024;
var MAX_STRING_VALUE_LENGTH = 1024;
var MAX_PATTERN_LENGTH = 1024;
var MAX_ENUM_VALUES = 100;
function buildFeatureFlagsDocument(app, target) {
  const diagnostics = [];
  const flags = {};
  const values = {};
  for (const [flagName, flagValue] of Object.entries(target.flags ?? {})) {
    if (flagName.startsWith("_")) continue;
    const definition = Object.hasOwn(app.flags, flagName) ? app.flags[flagName] : void 0;
    if (!definition) {
      diagnostics.push(
        error(
          "unknown-flag",
          `flag "${flagName}" is not defined in ${app.dir}/app.yaml: declare it under flags: or remove it from this file`,
          targetPosition(target, flagName)
        )
      );
      continue;
    }
    if (!checkKey(flagName, "flag", appPosition(app, `flags.${flagName}`), diagnostics)) continue;
    const compiledFlag = { name: flagName };
    if (definition.description !== void 0) {
      checkDescription(
        definition.description,
        `flag "${flagName}"`,
        app,
        `flags.${flagName}.description`,
        diagnostics
      );
      compiledFlag["description"] = definition.description;
    }
    const attributeNames = Object.keys(definition.attributes);
    if (attributeNames.length > MAX_ATTRIBUTES_PER_FLAG) {
      diagnostics.push(
        error(
          "too-many-attributes",
          `flag "${flagName}" declares ${attributeNames.length} attributes; AppConfig allows at most ${MAX_ATTRIBUTES_PER_FLAG} per flag: split it into several flags or move settings to a freeform profile`,
          appPosition(app, `flags.${flagName}.attributes`)
        )
      );
    }
    if (attributeNames.length > 0) {
      const attributes = {};
      for (const [attributeName, attribute] of Object.entries(definition.attributes)) {
        if (!checkKey(
          attributeName,
          "attribute",
          appPosition(app, `flags.${flagName}.attributes.${attributeName}`),
          diagnostics
        ))
          continue;
        attributes[attributeName] = compileAttribute(app, flagName, attributeName, attribute, diagnostics);
      }
      compiledFlag["attributes"] = attributes;
    }
    flags[flagName] = compiledFlag;
    values[flagName] = compileValue(
      app,
      target,
      flagName,
      flagValue.enabled,
      flagValue.attributes,
      diagnostics
    );
  }
  return { document: { version: "1", flags, values }, diagnostics };
}
function compileAttribute(app, flagName, attributeName, attribute, diagnostics) {
  const path = `flags.${flagName}.attributes.${attributeName}`;
  const label = `attribute "${flagName}.${attributeName}"`;
  if (attributeName === "enabled") {
    diagnostics.push(
      error(
        "reserved-attribute-name",
        `${label} is named "enabled", which AppConfig uses for the flag's on/off value: rename the attribute`,
        appPosition(app, path)
      )
    );
  }
  const compiled = {};
  if (attribute.description !== void 0) {
    checkDescription(attribute.description, label, app, `${path}.description`, diagnostics);
    compiled["description"] = attribute.description;
  }
  const constraints = { type: attribute.type, required: attribute.required };
  switch (attribute.type) {
    case "number":
      rejectConstraints(attribute, ["enum", "pattern"], "number", label, app, path, diagnostics);
      Object.assign(constraints, numberBounds(attribute, label, app, path, diagnostics));
      break;
    case "string":
      Object.assign(constraints, stringRule(attribute, label, app, path, diagnostics));
      break;
    case "boolean":
      rejectConstraints(
        attribute,
        ["enum", "pattern", "minimum", "maximum"],
        "boolean",
        label,
        app,
        path,
        diagnostics
      );
      break;
    case "array": {
      const elements = attribute.elements;
      if (!elements) {
        diagnostics.push(
          error(
            "array-without-elements",
            `${label} is an array without "elements": AppConfig needs the element type (string or number) and its constraints`,
            appPosition(app, path)
          )
        );
        break;
      }
      const elementPath = `${path}.elements`;
      const elementLabel = `elements of ${label}`;
      const compiledElements = { type: elements.type };
      if (elements.type === "number") {
        rejectConstraints(
          elements,
          ["enum", "pattern"],
          "number",
          elementLabel,
          app,
          elementPath,
          diagnostics
        );
        Object.assign(compiledElements, numberBounds(elements, elementLabel, app, elementPath, diagnostics));
      } else {
        Object.assign(compiledElements, stringRule(elements, elementLabel, app, elementPath, diagnostics));
      }
      constraints["elements"] = compiledElements;
      break;
    }
  }
  compiled["constraints"] = constraints;
  return compiled;
}
function numberBounds(bounds, label, app, path, diagnostics) {
  const out = {};
  for (const key of ["minimum", "maximum"]) {
    const bound = bounds[key];
    if (bound === void 0) continue;
    if (!Number.isSafeInteger(bound)) {
      diagnostics.push(
        error(
          "non-integer-bound",
          `${label} has ${key} ${bound}; AppConfig number constraints must be integers: use ${Math.round(bound)}, or scale the attribute (e.g. per mille instead of percent)`,
          appPosition(app, `${path}.${key}`)
        )
      );
    }
    out[key] = bound;
  }
  if (bounds.minimum !== void 0 && bounds.maximum !== void 0 && bounds.minimum > bounds.maximum) {
    diagnostics.push(
      error(
        "bounds-inverted",
        `${label} has minimum ${bounds.minimum} above maximum ${bounds.maximum}: no value could pass`,
        appPosition(app, `${path}.minimum`)
      )
    );
  }
  return out;
}
function stringRule(rule, label, app, path, diagnostics) {
  const out = {};
  if (rule.pattern !== void 0 && rule.enum !== void 0) {
    diagnostics.push(
      error(
        "pattern-and-enum",
        `${label} sets both pattern and enum; AppConfig allows only one of them on a string: keep the enum and drop the pattern`,
        appPosition(app, `${path}.pattern`)
      )
    );
  }
  if (rule.pattern !== void 0) {
    if (rule.pattern.length > MAX_PATTERN_LENGTH) {
      diagnostics.push(
        error(
          "pattern-too-long",
          `${label} has a ${rule.pattern.length}-character pattern; AppConfig allows at most ${MAX_PATTERN_LENGTH}`,
          appPosition(app, `${path}.pattern`)
        )
      );
    }
    out["pattern"] = rule.pattern;
  }
  if (rule.enum !== void 0) {
    if (rule.enum.length > MAX_ENUM_VALUES) {
      diagnostics.push(
        error(
          "enum-too-long",
          `${label} lists ${rule.enum.length} enum values; AppConfig allows at most ${MAX_ENUM_VALUES}: use a pattern instead`,
          appPosition(app, `${path}.enum`)
        )
      );
    }
    rule.enum.forEach((item, index) => {
      if (typeof item === "number" && !Number.isSafeInteger(item)) {
        diagnostics.push(
          error(
            "non-integer-enum",
            `${label} enum value ${item} is not an integer; AppConfig enums hold strings or integers: quote it`,
            appPosition(app, `${path}.enum.${index}`)
          )
        );
      }
    });
    out["enum"] = [...rule.enum];
  }
  return out;
}
function rejectConstraints(rule, keys, type, label, app, path, diagnostics) {
  for (const key of keys) {
    if (rule[key] === void 0) continue;
    diagnostics.push(
      error(
        "unsupported-constraint",
        `${label} is a ${type} with "${key}", which AppConfig does not support on ${type}s: remove it${type === "number" && key === "enum" ? " (a policy ladder in app.yaml can restrict the allowed numbers)" : ""}`,
        appPosition(app, `${path}.${key}`)
      )
    );
  }
}
function compileValue(app, target, flagName, enabled, attributeValues, diagnostics) {
  const definition = app.flags[flagName];
  const value = { enabled };
  for (const [attributeName, attributeValue] of Object.entries(attributeValues)) {
    if (attributeName === ROLLOUT_KEY || attributeValue === void 0) continue;
    const path = `${flagName}.${attributeName}`;
    if (!Object.hasOwn(definition.attributes, attributeName)) {
      diagnostics.push(
        error(
          "unknown-attribute",
          `flag "${flagName}" has no attribute "${attributeName}" in ${app.dir}/app.yaml: declare it or remove it`,
          targetPosition(target, path)
        )
      );
      continue;
    }
    if (!FEATURE_FLAG_KEY_PATTERN.test(attributeName)) continue;
    for (const text of stringsIn(attributeValue)) {
      if (text.length > MAX_STRING_VALUE_LENGTH) {
        diagnostics.push(
          error(
            "value-too-long",
            `"${path}" has a ${text.length}-character string; AppConfig allows at most ${MAX_STRING_VALUE_LENGTH} per value: move long text to a freeform profile`,
            targetPosition(target, path)
          )
        );
      }
    }
    value[attributeName] = attributeValue;
  }
  return value;
}
function stringsIn(value) {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((item) => typeof item === "string");
  return [];
}
function checkKey(key, kind, position, out) {
  if (FEATURE_FLAG_KEY_PATTERN.test(key)) return true;
  out.push(
    error(
      "invalid-key",
      `${kind} key "${key}" does not match AppConfig's ${FEATURE_FLAG_KEY_PATTERN.source}: start with a lower-case letter, then up to 63 letters, digits, "_" or "-"`,
      position
    )
  );
  return false;
}
function checkDescription(text, label, app, path, out) {
  if (text.length <= MAX_DESCRIPTION_LENGTH) return;
  out.push(
    error(
      "description-too-long",
      `${label} has a ${text.length}-character description; AppConfig allows at most ${MAX_DESCRIPTION_LENGTH}: shorten it`,
      appPosition(app, path)
    )
  );
}

// src/core/target.ts
function targetId(t) {
  return `${t.application}/${t.environment}/${t.profile}`;
}

// src/model/compile.ts
var HOSTED_CONFIGURATION_LIMIT_BYTES = 1024 * 1024;
function compileTarget(app, target) {
  const diagnostics = [];
  let documentValue;
  if (target.profileType === "AWS.AppConfig.FeatureFlags") {
    const built = buildFeatureFlagsDocument(app, target);
    diagnostics.push(...built.diagnostics);
    documentValue = built.document;
  } else {
    if (target.data === void 0) {
      diagnostics.push(
        error(
          "empty-document",
          `${target.file} holds no data; a freeform profile deploys its data as JSON: write at least {}`,
          targetPosition(target, "")
        )
      );
    }
    documentValue = target.data;
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics: diagnostics.sort(compareDiagnostics) };
  let text;
  try {
    text = canonicalJson(documentValue);
  } catch (cause) {
    if (!(cause instanceof NotJsonError)) throw cause;
    const path = target.profileType === "AWS.Freeform" ? cause.path : valuesPath(cause.path);
    return {
      ok: false,
      diagnostics: [error("not-json", `"${cause.path}": ${cause.message}`, targetPosition(target, path))]
    };
  }
  const content = Buffer.from(text, "utf8");
  if (content.length > HOSTED_CONFIGURATION_LIMIT_BYTES) {
    return {
      ok: false,
      diagnostics: [
        error(
          "document-too-large",
          `${targetId(target)} compiles to ${content.length.toLocaleString("en")} bytes; AppConfig hosted configurations are limited to ${HOSTED_CONFIGURATION_LIMIT_BYTES.toLocaleString("en")} bytes (1 MB): split the flags across several profiles or move bulky settings out of this one`,
          targetPosition(target, "")
        )
      ]
    };
  }
  return {
    ok: true,
    document: {
      content,
      contentType: "application/json",
      sha256: createHash("sha256").update(content).digest("hex"),
      size: content.length
    }
  };
}
function valuesPath(documentPath) {
  return documentPath.startsWith("values.") ? documentPath.slice("values.".length) : "";
}
function matchesDeployed(app, target, deployed) {
  const compiled = compileTarget(app, target);
  if (!compiled.ok) return false;
  const normalised = normaliseDeployedContent(deployed, target.profileType);
  if (normalised?.equals(compiled.document.content)) return true;
  if (target.profileType !== "AWS.AppConfig.FeatureFlags") return false;
  const a = decompileFeatureFlags(compiled.document.content);
  const b = decompileFeatureFlags(deployed);
  return a.ok && b.ok && canonicalJson(a.flags) === canonicalJson(b.flags);
}
function compileDiagnostics(repo) {
  const broken = new Set(repo.diagnostics.filter((d) => d.severity === "error").map((d) => d.position.file));
  const out = [];
  for (const target of repo.targets) {
    const app = repo.applications[target.application];
    if (!app || broken.has(target.file)) continue;
    const compiled = compileTarget(app, target);
    if (!compiled.ok) out.push(...compiled.diagnostics);
  }
  return out;
}

export {
  normaliseDeployedContent,
  decompileFeatureFlags,
  targetId,
  compileTarget,
  matchesDeployed,
  compileDiagnostics
};
