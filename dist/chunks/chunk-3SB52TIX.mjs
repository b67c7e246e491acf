import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);

// src/edit/overlay-source.ts
var OverlaySource = class {
  constructor(base, files) {
    this.base = base;
    this.files = files;
    this.label = `${base.label} with edits`;
    this.root = base.root;
  }
  base;
  files;
  label;
  root;
  list(dir) {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    const added = Object.keys(this.files).filter((p) => p.startsWith(prefix));
    return [.../* @__PURE__ */ new Set([...this.base.list(dir), ...added])].sort();
  }
  irregular(dir) {
    return this.base.irregular(dir).filter((e) => this.files[e.path] === void 0);
  }
  read(path) {
    const text = this.files[path];
    return text === void 0 ? this.base.read(path) : Buffer.from(text, "utf8");
  }
};

export {
  OverlaySource
};
