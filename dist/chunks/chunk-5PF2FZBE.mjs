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
    const listed = new Set(this.base.list(dir));
    for (const [path, text] of Object.entries(this.files)) {
      if (!path.startsWith(prefix)) continue;
      else if (text === null) listed.delete(path);
      else listed.add(path);
    }
    return [...listed].sort();
  }
  irregular(dir) {
    return this.base.irregular(dir).filter((e) => !Object.hasOwn(this.files, e.path));
  }
  read(path) {
    if (!Object.hasOwn(this.files, path)) return this.base.read(path);
    const text = this.files[path];
    return text === null || text === void 0 ? void 0 : Buffer.from(text, "utf8");
  }
};

export {
  OverlaySource
};
