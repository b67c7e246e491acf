import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  SCENARIOS,
  createScenarios
} from "../chunks/chunk-44QWA3F5.mjs";
import {
  runRelease
} from "../chunks/chunk-P3DO7PS5.mjs";
import {
  openRevert,
  tokenLogin
} from "../chunks/chunk-3FRIZQ2I.mjs";
import "../chunks/chunk-W7VPY6SB.mjs";
import "../chunks/chunk-7ONZ7LHL.mjs";
import {
  bootstrap
} from "../chunks/chunk-T2Q7YVOK.mjs";
import {
  enableQueries,
  setPercentage
} from "../chunks/chunk-UIYYTB2V.mjs";
import "../chunks/chunk-PAGDCH5G.mjs";
import "../chunks/chunk-3SB52TIX.mjs";
import {
  buildPlan
} from "../chunks/chunk-Y4BQYVE2.mjs";
import "../chunks/chunk-WHJ4JTCG.mjs";
import "../chunks/chunk-KZLMX2TR.mjs";
import "../chunks/chunk-XC3Q56L7.mjs";
import "../chunks/chunk-3J4Y6B6P.mjs";
import "../chunks/chunk-JOQ3LTQQ.mjs";
import "../chunks/chunk-4CFKZHU4.mjs";
import {
  gitHubHoldCheck
} from "../chunks/chunk-SINKXITF.mjs";
import "../chunks/chunk-O4O5YLN7.mjs";
import {
  describeBreach
} from "../chunks/chunk-IA3JUAOU.mjs";
import "../chunks/chunk-SZZXU6ZL.mjs";
import {
  clockFollowing,
  createAws,
  makeContext,
  require_dist_cjs
} from "../chunks/chunk-UVE2Y4YI.mjs";
import {
  gitHubFromEnv
} from "../chunks/chunk-N7LMTA5R.mjs";
import "../chunks/chunk-LSTVOV7P.mjs";
import "../chunks/chunk-3OB7MYHT.mjs";
import {
  decompileFeatureFlags
} from "../chunks/chunk-HQ7VPFTY.mjs";
import {
  loadRevision,
  loadWorkingTree
} from "../chunks/chunk-VR35YWCJ.mjs";
import "../chunks/chunk-DXNVWNTH.mjs";
import {
  require__,
  require_applicator,
  require_codegen,
  require_core,
  require_core2,
  require_discriminator,
  require_format,
  require_metadata,
  require_ref_error,
  require_validate,
  require_validation,
  require_validation_error
} from "../chunks/chunk-GG4POKPS.mjs";
import "../chunks/chunk-SHB6SBT6.mjs";
import "../chunks/chunk-OUNM63CZ.mjs";
import {
  __commonJS,
  __require,
  __toESM
} from "../chunks/chunk-UMADLKRQ.mjs";

// node_modules/ajv/dist/vocabularies/draft7.js
var require_draft7 = __commonJS({
  "node_modules/ajv/dist/vocabularies/draft7.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var core_1 = require_core2();
    var validation_1 = require_validation();
    var applicator_1 = require_applicator();
    var format_1 = require_format();
    var metadata_1 = require_metadata();
    var draft7Vocabularies = [
      core_1.default,
      validation_1.default,
      (0, applicator_1.default)(),
      format_1.default,
      metadata_1.metadataVocabulary,
      metadata_1.contentVocabulary
    ];
    exports.default = draft7Vocabularies;
  }
});

// node_modules/ajv/dist/refs/json-schema-draft-07.json
var require_json_schema_draft_07 = __commonJS({
  "node_modules/ajv/dist/refs/json-schema-draft-07.json"(exports, module) {
    module.exports = {
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "http://json-schema.org/draft-07/schema#",
      title: "Core schema meta-schema",
      definitions: {
        schemaArray: {
          type: "array",
          minItems: 1,
          items: { $ref: "#" }
        },
        nonNegativeInteger: {
          type: "integer",
          minimum: 0
        },
        nonNegativeIntegerDefault0: {
          allOf: [{ $ref: "#/definitions/nonNegativeInteger" }, { default: 0 }]
        },
        simpleTypes: {
          enum: ["array", "boolean", "integer", "null", "number", "object", "string"]
        },
        stringArray: {
          type: "array",
          items: { type: "string" },
          uniqueItems: true,
          default: []
        }
      },
      type: ["object", "boolean"],
      properties: {
        $id: {
          type: "string",
          format: "uri-reference"
        },
        $schema: {
          type: "string",
          format: "uri"
        },
        $ref: {
          type: "string",
          format: "uri-reference"
        },
        $comment: {
          type: "string"
        },
        title: {
          type: "string"
        },
        description: {
          type: "string"
        },
        default: true,
        readOnly: {
          type: "boolean",
          default: false
        },
        examples: {
          type: "array",
          items: true
        },
        multipleOf: {
          type: "number",
          exclusiveMinimum: 0
        },
        maximum: {
          type: "number"
        },
        exclusiveMaximum: {
          type: "number"
        },
        minimum: {
          type: "number"
        },
        exclusiveMinimum: {
          type: "number"
        },
        maxLength: { $ref: "#/definitions/nonNegativeInteger" },
        minLength: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        pattern: {
          type: "string",
          format: "regex"
        },
        additionalItems: { $ref: "#" },
        items: {
          anyOf: [{ $ref: "#" }, { $ref: "#/definitions/schemaArray" }],
          default: true
        },
        maxItems: { $ref: "#/definitions/nonNegativeInteger" },
        minItems: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        uniqueItems: {
          type: "boolean",
          default: false
        },
        contains: { $ref: "#" },
        maxProperties: { $ref: "#/definitions/nonNegativeInteger" },
        minProperties: { $ref: "#/definitions/nonNegativeIntegerDefault0" },
        required: { $ref: "#/definitions/stringArray" },
        additionalProperties: { $ref: "#" },
        definitions: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        properties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          default: {}
        },
        patternProperties: {
          type: "object",
          additionalProperties: { $ref: "#" },
          propertyNames: { format: "regex" },
          default: {}
        },
        dependencies: {
          type: "object",
          additionalProperties: {
            anyOf: [{ $ref: "#" }, { $ref: "#/definitions/stringArray" }]
          }
        },
        propertyNames: { $ref: "#" },
        const: true,
        enum: {
          type: "array",
          items: true,
          minItems: 1,
          uniqueItems: true
        },
        type: {
          anyOf: [
            { $ref: "#/definitions/simpleTypes" },
            {
              type: "array",
              items: { $ref: "#/definitions/simpleTypes" },
              minItems: 1,
              uniqueItems: true
            }
          ]
        },
        format: { type: "string" },
        contentMediaType: { type: "string" },
        contentEncoding: { type: "string" },
        if: { $ref: "#" },
        then: { $ref: "#" },
        else: { $ref: "#" },
        allOf: { $ref: "#/definitions/schemaArray" },
        anyOf: { $ref: "#/definitions/schemaArray" },
        oneOf: { $ref: "#/definitions/schemaArray" },
        not: { $ref: "#" }
      },
      default: true
    };
  }
});

// node_modules/ajv/dist/ajv.js
var require_ajv = __commonJS({
  "node_modules/ajv/dist/ajv.js"(exports, module) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.MissingRefError = exports.ValidationError = exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = exports.Ajv = void 0;
    var core_1 = require_core();
    var draft7_1 = require_draft7();
    var discriminator_1 = require_discriminator();
    var draft7MetaSchema = require_json_schema_draft_07();
    var META_SUPPORT_DATA = ["/properties"];
    var META_SCHEMA_ID = "http://json-schema.org/draft-07/schema";
    var Ajv2 = class extends core_1.default {
      _addVocabularies() {
        super._addVocabularies();
        draft7_1.default.forEach((v2) => this.addVocabulary(v2));
        if (this.opts.discriminator)
          this.addKeyword(discriminator_1.default);
      }
      _addDefaultMetaSchema() {
        super._addDefaultMetaSchema();
        if (!this.opts.meta)
          return;
        const metaSchema = this.opts.$data ? this.$dataMetaSchema(draft7MetaSchema, META_SUPPORT_DATA) : draft7MetaSchema;
        this.addMetaSchema(metaSchema, META_SCHEMA_ID, false);
        this.refs["http://json-schema.org/schema"] = META_SCHEMA_ID;
      }
      defaultMeta() {
        return this.opts.defaultMeta = super.defaultMeta() || (this.getSchema(META_SCHEMA_ID) ? META_SCHEMA_ID : void 0);
      }
    };
    exports.Ajv = Ajv2;
    module.exports = exports = Ajv2;
    module.exports.Ajv = Ajv2;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.default = Ajv2;
    var validate_1 = require_validate();
    Object.defineProperty(exports, "KeywordCxt", { enumerable: true, get: function() {
      return validate_1.KeywordCxt;
    } });
    var codegen_1 = require_codegen();
    Object.defineProperty(exports, "_", { enumerable: true, get: function() {
      return codegen_1._;
    } });
    Object.defineProperty(exports, "str", { enumerable: true, get: function() {
      return codegen_1.str;
    } });
    Object.defineProperty(exports, "stringify", { enumerable: true, get: function() {
      return codegen_1.stringify;
    } });
    Object.defineProperty(exports, "nil", { enumerable: true, get: function() {
      return codegen_1.nil;
    } });
    Object.defineProperty(exports, "Name", { enumerable: true, get: function() {
      return codegen_1.Name;
    } });
    Object.defineProperty(exports, "CodeGen", { enumerable: true, get: function() {
      return codegen_1.CodeGen;
    } });
    var validation_error_1 = require_validation_error();
    Object.defineProperty(exports, "ValidationError", { enumerable: true, get: function() {
      return validation_error_1.default;
    } });
    var ref_error_1 = require_ref_error();
    Object.defineProperty(exports, "MissingRefError", { enumerable: true, get: function() {
      return ref_error_1.default;
    } });
  }
});

// node_modules/sanitize-html/node_modules/entities/dist/commonjs/decode-codepoint.js
var require_decode_codepoint = __commonJS({
  "node_modules/sanitize-html/node_modules/entities/dist/commonjs/decode-codepoint.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.fromCodePoint = void 0;
    exports.replaceCodePoint = replaceCodePoint;
    exports.decodeCodePoint = decodeCodePoint;
    var decodeMap2 = /* @__PURE__ */ new Map([
      [0, 65533],
      // C1 Unicode control character reference replacements
      [128, 8364],
      [130, 8218],
      [131, 402],
      [132, 8222],
      [133, 8230],
      [134, 8224],
      [135, 8225],
      [136, 710],
      [137, 8240],
      [138, 352],
      [139, 8249],
      [140, 338],
      [142, 381],
      [145, 8216],
      [146, 8217],
      [147, 8220],
      [148, 8221],
      [149, 8226],
      [150, 8211],
      [151, 8212],
      [152, 732],
      [153, 8482],
      [154, 353],
      [155, 8250],
      [156, 339],
      [158, 382],
      [159, 376]
    ]);
    exports.fromCodePoint = // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition, n/no-unsupported-features/es-builtins
    (_a = String.fromCodePoint) !== null && _a !== void 0 ? _a : ((codePoint) => {
      let output = "";
      if (codePoint > 65535) {
        codePoint -= 65536;
        output += String.fromCharCode(codePoint >>> 10 & 1023 | 55296);
        codePoint = 56320 | codePoint & 1023;
      }
      output += String.fromCharCode(codePoint);
      return output;
    });
    function replaceCodePoint(codePoint) {
      var _a2;
      if (codePoint >= 55296 && codePoint <= 57343 || codePoint > 1114111) {
        return 65533;
      }
      return (_a2 = decodeMap2.get(codePoint)) !== null && _a2 !== void 0 ? _a2 : codePoint;
    }
    function decodeCodePoint(codePoint) {
      return (0, exports.fromCodePoint)(replaceCodePoint(codePoint));
    }
  }
});

// node_modules/sanitize-html/node_modules/entities/dist/commonjs/internal/decode-shared.js
var require_decode_shared = __commonJS({
  "node_modules/sanitize-html/node_modules/entities/dist/commonjs/internal/decode-shared.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.decodeBase64 = decodeBase64;
    function decodeBase64(input) {
      const binary = (
        // eslint-disable-next-line n/no-unsupported-features/node-builtins
        typeof atob === "function" ? (
          // Browser (and Node >=16)
          // eslint-disable-next-line n/no-unsupported-features/node-builtins
          atob(input)
        ) : (
          // Older Node versions (<16)
          // eslint-disable-next-line n/no-unsupported-features/node-builtins
          typeof Buffer.from === "function" ? (
            // eslint-disable-next-line n/no-unsupported-features/node-builtins
            Buffer.from(input, "base64").toString("binary")
          ) : (
            // eslint-disable-next-line unicorn/no-new-buffer, n/no-deprecated-api
            new Buffer(input, "base64").toString("binary")
          )
        )
      );
      const evenLength = binary.length & ~1;
      const out = new Uint16Array(evenLength / 2);
      for (let index = 0, outIndex = 0; index < evenLength; index += 2) {
        const lo = binary.charCodeAt(index);
        const hi = binary.charCodeAt(index + 1);
        out[outIndex++] = lo | hi << 8;
      }
      return out;
    }
  }
});

// node_modules/sanitize-html/node_modules/entities/dist/commonjs/generated/decode-data-html.js
var require_decode_data_html = __commonJS({
  "node_modules/sanitize-html/node_modules/entities/dist/commonjs/generated/decode-data-html.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.htmlDecodeTree = void 0;
    var decode_shared_js_1 = require_decode_shared();
    exports.htmlDecodeTree = (0, decode_shared_js_1.decodeBase64)("QR08ALkAAgH6AYsDNQR2BO0EPgXZBQEGLAbdBxMISQrvCmQLfQurDKQNLw4fD4YPpA+6D/IPAAAAAAAAAAAAAAAAKhBMEY8TmxUWF2EYLBkxGuAa3RsJHDscWR8YIC8jSCSIJcMl6ie3Ku8rEC0CLjoupS7kLgAIRU1hYmNmZ2xtbm9wcnN0dVQAWgBeAGUAaQBzAHcAfgCBAIQAhwCSAJoAoACsALMAbABpAGcAO4DGAMZAUAA7gCYAJkBjAHUAdABlADuAwQDBQHIiZXZlAAJhAAFpeW0AcgByAGMAO4DCAMJAEGRyAADgNdgE3XIAYQB2AGUAO4DAAMBA8CFoYZFj4SFjcgBhZAAAoFMqAAFncIsAjgBvAG4ABGFmAADgNdg43fAlbHlGdW5jdGlvbgCgYSBpAG4AZwA7gMUAxUAAAWNzpACoAHIAAOA12Jzc6SFnbgCgVCJpAGwAZABlADuAwwDDQG0AbAA7gMQAxEAABGFjZWZvcnN1xQDYANoA7QDxAPYA+QD8AAABY3LJAM8AayNzbGFzaAAAoBYidgHTANUAAKDnKmUAZAAAoAYjeQARZIABY3J0AOAA5QDrAGEidXNlAACgNSLuI291bGxpcwCgLCFhAJJjcgAA4DXYBd1wAGYAAOA12Dnd5SF2ZdhiYwDyAOoAbSJwZXEAAKBOIgAHSE9hY2RlZmhpbG9yc3UXARoBHwE6AVIBVQFiAWQBZgGCAakB6QHtAfIBYwB5ACdkUABZADuAqQCpQIABY3B5ACUBKAE1AfUhdGUGYWmg0iJ0KGFsRGlmZmVyZW50aWFsRAAAoEUhbCJleXMAAKAtIQACYWVpb0EBRAFKAU0B8iFvbgxhZABpAGwAO4DHAMdAcgBjAAhhbiJpbnQAAKAwIm8AdAAKYQABZG5ZAV0BaSJsbGEAuGB0I2VyRG90ALdg8gA5AWkAp2NyImNsZQAAAkRNUFRwAXQBeQF9AW8AdAAAoJkiaSJudXMAAKCWIuwhdXMAoJUiaSJtZXMAAKCXIm8AAAFjc4cBlAFrKndpc2VDb250b3VySW50ZWdyYWwAAKAyImUjQ3VybHkAAAFEUZwBpAFvJXVibGVRdW90ZQAAoB0gdSJvdGUAAKAZIAACbG5wdbABtgHNAdgBbwBuAGWgNyIAoHQqgAFnaXQAvAHBAcUB8iJ1ZW50AKBhIm4AdAAAoC8i7yV1ckludGVncmFsAKAuIgABZnLRAdMBAKACIe8iZHVjdACgECJuLnRlckNsb2Nrd2lzZUNvbnRvdXJJbnRlZ3JhbAAAoDMi7yFzcwCgLypjAHIAAOA12J7ccABDoNMiYQBwAACgTSKABURKU1phY2VmaW9zAAsCEgIVAhgCGwIsAjQCOQI9AnMCfwNvoEUh9CJyYWhkAKARKWMAeQACZGMAeQAFZGMAeQAPZIABZ3JzACECJQIoAuchZXIAoCEgcgAAoKEhaAB2AACg5CoAAWF5MAIzAvIhb24OYRRkbAB0oAciYQCUY3IAAOA12AfdAAFhZkECawIAAWNtRQJnAvIjaXRpY2FsAAJBREdUUAJUAl8CYwJjInV0ZQC0YG8AdAFZAloC2WJiJGxlQWN1dGUA3WJyImF2ZQBgYGkibGRlANxi7yFuZACgxCJmJWVyZW50aWFsRAAAoEYhcAR9AgAAAAAAAIECjgIAABoDZgAA4DXYO91EoagAhQKJAm8AdAAAoNwgcSJ1YWwAAKBQIuIhbGUAA0NETFJVVpkCqAK1Au8C/wIRA28AbgB0AG8AdQByAEkAbgB0AGUAZwByAGEA7ADEAW8AdAKvAgAAAACwAqhgbiNBcnJvdwAAoNMhAAFlb7kC0AJmAHQAgAFBUlQAwQLGAs0CciJyb3cAAKDQIekkZ2h0QXJyb3cAoNQhZQDlACsCbgBnAAABTFLWAugC5SFmdAABQVLcAuECciJyb3cAAKD4J+kkZ2h0QXJyb3cAoPon6SRnaHRBcnJvdwCg+SdpImdodAAAAUFU9gL7AnIicm93AACg0iFlAGUAAKCoInAAQQIGAwAAAAALA3Iicm93AACg0SFvJHduQXJyb3cAAKDVIWUlcnRpY2FsQmFyAACgJSJuAAADQUJMUlRhJAM2AzoDWgNxA3oDciJyb3cAAKGTIUJVLAMwA2EAcgAAoBMpcCNBcnJvdwAAoPUhciJldmUAEWPlIWZ00gJDAwAASwMAAFIDaSVnaHRWZWN0b3IAAKBQKWUkZVZlY3RvcgAAoF4p5SJjdG9yQqC9IWEAcgAAoFYpaSJnaHQA1AFiAwAAaQNlJGVWZWN0b3IAAKBfKeUiY3RvckKgwSFhAHIAAKBXKWUAZQBBoKQiciJyb3cAAKCnIXIAcgBvAPcAtAIAAWN0gwOHA3IAAOA12J/c8iFvaxBhAAhOVGFjZGZnbG1vcHFzdHV4owOlA6kDsAO/A8IDxgPNA9ID8gP9AwEEFAQeBCAEJQRHAEphSAA7gNAA0EBjAHUAdABlADuAyQDJQIABYWl5ALYDuQO+A/Ihb24aYXIAYwA7gMoAykAtZG8AdAAWYXIAAOA12AjdcgBhAHYAZQA7gMgAyEDlIm1lbnQAoAgiAAFhcNYD2QNjAHIAEmF0AHkAUwLhAwAAAADpA20lYWxsU3F1YXJlAACg+yVlJ3J5U21hbGxTcXVhcmUAAKCrJQABZ3D2A/kDbwBuABhhZgAA4DXYPN3zImlsb26VY3UAAAFhaQYEDgRsAFSgdSppImxkZQAAoEIi7CNpYnJpdW0AoMwhAAFjaRgEGwRyAACgMCFtAACgcyphAJdjbQBsADuAywDLQAABaXApBC0E8yF0cwCgAyLvJG5lbnRpYWxFAKBHIYACY2Zpb3MAPQQ/BEMEXQRyBHkAJGRyAADgNdgJ3WwibGVkAFMCTAQAAAAAVARtJWFsbFNxdWFyZQAAoPwlZSdyeVNtYWxsU3F1YXJlAACgqiVwA2UEAABpBAAAAABtBGYAAOA12D3dwSFsbACgACLyI2llcnRyZgCgMSFjAPIAcQQABkpUYWJjZGZnb3JzdIgEiwSOBJMElwSkBKcEqwStBLIE5QTqBGMAeQADZDuAPgA+QO0hbWFkoJMD3GNyImV2ZQAeYYABZWl5AJ0EoASjBOQhaWwiYXIAYwAcYRNkbwB0ACBhcgAA4DXYCt0AoNkicABmAADgNdg+3eUiYXRlcgADRUZHTFNUvwTIBM8E1QTZBOAEcSJ1YWwATKBlIuUhc3MAoNsidSRsbEVxdWFsAACgZyJyI2VhdGVyAACgoirlIXNzAKB3IuwkYW50RXF1YWwAoH4qaSJsZGUAAKBzImMAcgAA4DXYotwAoGsiAARBYWNmaW9zdfkE/QQFBQgFCwUTBSIFKwVSIkRjeQAqZAABY3QBBQQFZQBrAMdiXmDpIXJjJGFyAACgDCFsJWJlcnRTcGFjZQAAoAsh8AEYBQAAGwVmAACgDSHpJXpvbnRhbExpbmUAoAAlAAFjdCYFKAXyABIF8iFvayZhbQBwAEQBMQU5BW8AdwBuAEgAdQBtAPAAAAFxInVhbAAAoE8iAAdFSk9hY2RmZ21ub3N0dVMFVgVZBVwFYwVtBXAFcwV6BZAFtgXFBckFzQVjAHkAFWTsIWlnMmFjAHkAAWRjAHUAdABlADuAzQDNQAABaXlnBWwFcgBjADuAzgDOQBhkbwB0ADBhcgAAoBEhcgBhAHYAZQA7gMwAzEAAoREhYXB/BYsFAAFjZ4MFhQVyACphaSNuYXJ5SQAAoEghbABpAGUA8wD6AvQBlQUAAKUFZaAsIgABZ3KaBZ4F8iFhbACgKyLzI2VjdGlvbgCgwiJpI3NpYmxlAAABQ1SsBbEFbyJtbWEAAKBjIGkibWVzAACgYiCAAWdwdAC8Bb8FwwVvAG4ALmFmAADgNdhA3WEAmWNjAHIAAKAQIWkibGRlAChh6wHSBQAA1QVjAHkABmRsADuAzwDPQIACY2Zvc3UA4QXpBe0F8gX9BQABaXnlBegFcgBjADRhGWRyAADgNdgN3XAAZgAA4DXYQd3jAfcFAAD7BXIAAOA12KXc8iFjeQhk6yFjeQRkgANISmFjZm9zAAwGDwYSBhUGHQYhBiYGYwB5ACVkYwB5AAxk8CFwYZpjAAFleRkGHAbkIWlsNmEaZHIAAOA12A7dcABmAADgNdhC3WMAcgAA4DXYptyABUpUYWNlZmxtb3N0AD0GQAZDBl4GawZkB2gHcAd0B80H2gdjAHkACWQ7gDwAPECAAmNtbnByAEwGTwZSBlUGWwb1IXRlOWHiIWRhm2NnAACg6ifsI2FjZXRyZgCgEiFyAACgniGAAWFleQBkBmcGagbyIW9uPWHkIWlsO2EbZAABZnNvBjQHdAAABUFDREZSVFVWYXKABp4GpAbGBssG3AYDByEHwQIqBwABbnKEBowGZyVsZUJyYWNrZXQAAKDoJ/Ihb3cAoZAhQlKTBpcGYQByAACg5CHpJGdodEFycm93AKDGIWUjaWxpbmcAAKAII28A9QGqBgAAsgZiJWxlQnJhY2tldAAAoOYnbgDUAbcGAAC+BmUkZVZlY3RvcgAAoGEp5SJjdG9yQqDDIWEAcgAAoFkpbCJvb3IAAKAKI2kiZ2h0AAABQVbSBtcGciJyb3cAAKCUIeUiY3RvcgCgTikAAWVy4AbwBmUAAKGjIkFW5gbrBnIicm93AACgpCHlImN0b3IAoFopaSNhbmdsZQBCorIi+wYAAAAA/wZhAHIAAKDPKXEidWFsAACgtCJwAIABRFRWAAoHEQcYB+8kd25WZWN0b3IAoFEpZSRlVmVjdG9yAACgYCnlImN0b3JCoL8hYQByAACgWCnlImN0b3JCoLwhYQByAACgUilpAGcAaAB0AGEAcgByAG8A9wDMAnMAAANFRkdMU1Q/B0cHTgdUB1gHXwfxJXVhbEdyZWF0ZXIAoNoidSRsbEVxdWFsAACgZiJyI2VhdGVyAACgdiLlIXNzAKChKuwkYW50RXF1YWwAoH0qaSJsZGUAAKByInIAAOA12A/dZaDYIuYjdGFycm93AKDaIWkiZG90AD9hgAFucHcAege1B7kHZwAAAkxSbHKCB5QHmwerB+UhZnQAAUFSiAeNB3Iicm93AACg9SfpJGdodEFycm93AKD3J+kkZ2h0QXJyb3cAoPYn5SFmdAABYXLcAqEHaQBnAGgAdABhAHIAcgBvAPcA5wJpAGcAaAB0AGEAcgByAG8A9wDuAmYAAOA12EPdZQByAAABTFK/B8YHZSRmdEFycm93AACgmSHpJGdodEFycm93AKCYIYABY2h0ANMH1QfXB/IAWgYAoLAh8iFva0FhAKBqIgAEYWNlZmlvc3XpB+wH7gf/BwMICQgOCBEIcAAAoAUpeQAcZAABZGzyB/kHaSR1bVNwYWNlAACgXyBsI2ludHJmAACgMyFyAADgNdgQ3e4jdXNQbHVzAKATInAAZgAA4DXYRN1jAPIA/gecY4AESmFjZWZvc3R1ACEIJAgoCDUIgQiFCDsKQApHCmMAeQAKZGMidXRlAENhgAFhZXkALggxCDQI8iFvbkdh5CFpbEVhHWSAAWdzdwA7CGEIfQjhInRpdmWAAU1UVgBECEwIWQhlJWRpdW1TcGFjZQAAoAsgaABpAAABY25SCFMIawBTAHAAYQBjAOUASwhlAHIAeQBUAGgAaQDuAFQI9CFlZAABR0xnCHUIcgBlAGEAdABlAHIARwByAGUAYQB0AGUA8gDrBGUAcwBzAEwAZQBzAPMA2wdMImluZQAKYHIAAOA12BHdAAJCbnB0jAiRCJkInAhyImVhawAAoGAgwiZyZWFraW5nU3BhY2WgYGYAAKAVIUOq7CqzCMIIzQgAAOcIGwkAAAAAAAAtCQAAbwkAAIcJAACdCcAJGQoAADQKAAFvdbYIvAjuI2dydWVudACgYiJwIkNhcAAAoG0ibyh1YmxlVmVydGljYWxCYXIAAKAmIoABbHF4ANII1wjhCOUibWVudACgCSL1IWFsVKBgImkibGRlAADgQiI4A2kic3RzAACgBCJyI2VhdGVyAACjbyJFRkdMU1T1CPoIAgkJCQ0JFQlxInVhbAAAoHEidSRsbEVxdWFsAADgZyI4A3IjZWF0ZXIAAOBrIjgD5SFzcwCgeSLsJGFudEVxdWFsAOB+KjgDaSJsZGUAAKB1IvUhbXBEASAJJwnvI3duSHVtcADgTiI4A3EidWFsAADgTyI4A2UAAAFmczEJRgn0JFRyaWFuZ2xlQqLqIj0JAAAAAEIJYQByAADgzyk4A3EidWFsAACg7CJzAICibiJFR0xTVABRCVYJXAlhCWkJcSJ1YWwAAKBwInIjZWF0ZXIAAKB4IuUhc3MA4GoiOAPsJGFudEVxdWFsAOB9KjgDaSJsZGUAAKB0IuUic3RlZAABR0x1CX8J8iZlYXRlckdyZWF0ZXIA4KIqOAPlI3NzTGVzcwDgoSo4A/IjZWNlZGVzAKGAIkVTjwmVCXEidWFsAADgryo4A+wkYW50RXF1YWwAoOAiAAFlaaAJqQl2JmVyc2VFbGVtZW50AACgDCLnJWh0VHJpYW5nbGVCousitgkAAAAAuwlhAHIAAODQKTgDcSJ1YWwAAKDtIgABcXXDCeAJdSNhcmVTdQAAAWJwywnVCfMhZXRF4I8iOANxInVhbAAAoOIi5SJyc2V0ReCQIjgDcSJ1YWwAAKDjIoABYmNwAOYJ8AkNCvMhZXRF4IIi0iBxInVhbAAAoIgi4yJlZWRzgKGBIkVTVAD6CQAKBwpxInVhbAAA4LAqOAPsJGFudEVxdWFsAKDhImkibGRlAADgfyI4A+UicnNldEXggyLSIHEidWFsAACgiSJpImxkZQCAoUEiRUZUACIKJwouCnEidWFsAACgRCJ1JGxsRXF1YWwAAKBHImkibGRlAACgSSJlJXJ0aWNhbEJhcgAAoCQiYwByAADgNdip3GkAbABkAGUAO4DRANFAnWMAB0VhY2RmZ21vcHJzdHV2XgphCmgKcgp2CnoKgQqRCpYKqwqtCrsKyArNCuwhaWdSYWMAdQB0AGUAO4DTANNAAAFpeWwKcQpyAGMAO4DUANRAHmRiImxhYwBQYXIAAOA12BLdcgBhAHYAZQA7gNIA0kCAAWFlaQCHCooKjQpjAHIATGFnAGEAqWNjInJvbgCfY3AAZgAA4DXYRt3lI25DdXJseQABRFGeCqYKbyV1YmxlUXVvdGUAAKAcIHUib3RlAACgGCAAoFQqAAFjbLEKtQpyAADgNdiq3GEAcwBoADuA2ADYQGkAbAHACsUKZABlADuA1QDVQGUAcwAAoDcqbQBsADuA1gDWQGUAcgAAAUJQ0wrmCgABYXLXCtoKcgAAoD4gYQBjAAABZWvgCuIKAKDeI2UAdAAAoLQjYSVyZW50aGVzaXMAAKDcI4AEYWNmaGlsb3JzAP0KAwsFCwkLCwsMCxELIwtaC3IjdGlhbEQAAKACInkAH2RyAADgNdgT3WkApmOgY/Ujc01pbnVzsWAAAWlwFQsgC24AYwBhAHIAZQBwAGwAYQBuAOUACgVmAACgGSGAobsqZWlvACoLRQtJC+MiZWRlc4CheiJFU1QANAs5C0ALcSJ1YWwAAKCvKuwkYW50RXF1YWwAoHwiaSJsZGUAAKB+Im0AZQAAoDMgAAFkcE0LUQv1IWN0AKAPIm8jcnRpb24AYaA3ImwAAKAdIgABY2leC2ILcgAA4DXYq9yoYwACVWZvc2oLbwtzC3cLTwBUADuAIgAiQHIAAOA12BTdcABmAACgGiFjAHIAAOA12KzcAAZCRWFjZWZoaW9yc3WPC5MLlwupC7YL2AvbC90LhQyTDJoMowzhIXJyAKAQKUcAO4CuAK5AgAFjbnIAnQugC6ML9SF0ZVRhZwAAoOsncgB0oKAhbAAAoBYpgAFhZXkArwuyC7UL8iFvblhh5CFpbFZhIGR2oBwhZSJyc2UAAAFFVb8LzwsAAWxxwwvIC+UibWVudACgCyL1JGlsaWJyaXVtAKDLIXAmRXF1aWxpYnJpdW0AAKBvKXIAAKAcIW8AoWPnIWh0AARBQ0RGVFVWYewLCgwQDDIMNwxeDHwM9gIAAW5y8Av4C2clbGVCcmFja2V0AACg6SfyIW93AKGSIUJM/wsDDGEAcgAAoOUhZSRmdEFycm93AACgxCFlI2lsaW5nAACgCSNvAPUBFgwAAB4MYiVsZUJyYWNrZXQAAKDnJ24A1AEjDAAAKgxlJGVWZWN0b3IAAKBdKeUiY3RvckKgwiFhAHIAAKBVKWwib29yAACgCyMAAWVyOwxLDGUAAKGiIkFWQQxGDHIicm93AACgpiHlImN0b3IAoFspaSNhbmdsZQBCorMiVgwAAAAAWgxhAHIAAKDQKXEidWFsAACgtSJwAIABRFRWAGUMbAxzDO8kd25WZWN0b3IAoE8pZSRlVmVjdG9yAACgXCnlImN0b3JCoL4hYQByAACgVCnlImN0b3JCoMAhYQByAACgUykAAXB1iQyMDGYAAKAdIe4kZEltcGxpZXMAoHAp6SRnaHRhcnJvdwCg2yEAAWNongyhDHIAAKAbIQCgsSHsJGVEZWxheWVkAKD0KYAGSE9hY2ZoaW1vcXN0dQC/DMgMzAzQDOIM5gwKDQ0NFA0ZDU8NVA1YDQABQ2PDDMYMyCFjeSlkeQAoZEYiVGN5ACxkYyJ1dGUAWmEAorwqYWVpedgM2wzeDOEM8iFvbmBh5CFpbF5hcgBjAFxhIWRyAADgNdgW3e8hcnQAAkRMUlXvDPYM/QwEDW8kd25BcnJvdwAAoJMhZSRmdEFycm93AACgkCHpJGdodEFycm93AKCSIXAjQXJyb3cAAKCRIechbWGjY+EkbGxDaXJjbGUAoBgicABmAADgNdhK3XICHw0AAAAAIg10AACgGiLhIXJlgKGhJUlTVQAqDTINSg3uJXRlcnNlY3Rpb24AoJMidQAAAWJwNw1ADfMhZXRFoI8icSJ1YWwAAKCRIuUicnNldEWgkCJxInVhbAAAoJIibiJpb24AAKCUImMAcgAA4DXYrtxhAHIAAKDGIgACYmNtcF8Nag2ODZANc6DQImUAdABFoNAicSJ1YWwAAKCGIgABY2huDYkNZSJlZHMAgKF7IkVTVAB4DX0NhA1xInVhbAAAoLAq7CRhbnRFcXVhbACgfSJpImxkZQAAoH8iVABoAGEA9ADHCwCgESIAodEiZXOVDZ8NciJzZXQARaCDInEidWFsAACghyJlAHQAAKDRIoAFSFJTYWNmaGlvcnMAtQ27Db8NyA3ODdsN3w3+DRgOHQ4jDk8AUgBOADuA3gDeQMEhREUAoCIhAAFIY8MNxg1jAHkAC2R5ACZkAAFidcwNzQ0JYKRjgAFhZXkA1A3XDdoN8iFvbmRh5CFpbGJhImRyAADgNdgX3QABZWnjDe4N8gHoDQAA7Q3lImZvcmUAoDQiYQCYYwABY27yDfkNayNTcGFjZQAA4F8gCiDTInBhY2UAoAkg7CFkZYChPCJFRlQABw4MDhMOcSJ1YWwAAKBDInUkbGxFcXVhbAAAoEUiaSJsZGUAAKBIInAAZgAA4DXYS93pI3BsZURvdACg2yAAAWN0Jw4rDnIAAOA12K/c8iFva2Zh4QpFDlYOYA5qDgAAbg5yDgAAAAAAAAAAAAB5DnwOqA6zDgAADg8RDxYPGg8AAWNySA5ODnUAdABlADuA2gDaQHIAb6CfIeMhaXIAoEkpcgDjAVsOAABdDnkADmR2AGUAbGEAAWl5Yw5oDnIAYwA7gNsA20AjZGIibGFjAHBhcgAA4DXYGN1yAGEAdgBlADuA2QDZQOEhY3JqYQABZGl/Dp8OZQByAAABQlCFDpcOAAFhcokOiw5yAF9gYQBjAAABZWuRDpMOAKDfI2UAdAAAoLUjYSVyZW50aGVzaXMAAKDdI28AbgBQoMMi7CF1cwCgjiIAAWdwqw6uDm8AbgByYWYAAOA12EzdAARBREVUYWRwc78O0g7ZDuEOBQPqDvMOBw9yInJvdwDCoZEhyA4AAMwOYQByAACgEilvJHduQXJyb3cAAKDFIW8kd25BcnJvdwAAoJUhcSV1aWxpYnJpdW0AAKBuKWUAZQBBoKUiciJyb3cAAKClIW8AdwBuAGEAcgByAG8A9wAQA2UAcgAAAUxS+Q4AD2UkZnRBcnJvdwAAoJYh6SRnaHRBcnJvdwCglyFpAGyg0gNvAG4ApWPpIW5nbmFjAHIAAOA12LDcaSJsZGUAaGFtAGwAO4DcANxAgAREYmNkZWZvc3YALQ8xDzUPNw89D3IPdg97D4AP4SFzaACgqyJhAHIAAKDrKnkAEmThIXNobKCpIgCg5ioAAWVyQQ9DDwCgwSKAAWJ0eQBJD00Paw9hAHIAAKAWIGmgFiDjIWFsAAJCTFNUWA9cD18PZg9hAHIAAKAjIukhbmV8YGUkcGFyYXRvcgAAoFgnaSJsZGUAAKBAItQkaGluU3BhY2UAoAogcgAA4DXYGd1wAGYAAOA12E3dYwByAADgNdix3GQiYXNoAACgqiKAAmNlZm9zAI4PkQ+VD5kPng/pIXJjdGHkIWdlAKDAInIAAOA12BrdcABmAADgNdhO3WMAcgAA4DXYstwAAmZpb3OqD64Prw+0D3IAAOA12BvdnmNwAGYAAOA12E/dYwByAADgNdiz3IAEQUlVYWNmb3N1AMgPyw/OD9EP2A/gD+QP6Q/uD2MAeQAvZGMAeQAHZGMAeQAuZGMAdQB0AGUAO4DdAN1AAAFpedwP3w9yAGMAdmErZHIAAOA12BzdcABmAADgNdhQ3WMAcgAA4DXYtNxtAGwAeGEABEhhY2RlZm9z/g8BEAUQDRAQEB0QIBAkEGMAeQAWZGMidXRlAHlhAAFheQkQDBDyIW9ufWEXZG8AdAB7YfIBFRAAABwQbwBXAGkAZAB0AOgAVAhhAJZjcgAAoCghcABmAACgJCFjAHIAAOA12LXc4QtCEEkQTRAAAGcQbRByEAAAAAAAAAAAeRCKEJcQ8hD9EAAAGxEhETIROREAAD4RYwB1AHQAZQA7gOEA4UByImV2ZQADYYCiPiJFZGl1eQBWEFkQWxBgEGUQAOA+IjMDAKA/InIAYwA7gOIA4kB0AGUAO4C0ALRAMGRsAGkAZwA7gOYA5kByoGEgAOA12B7dcgBhAHYAZQA7gOAA4EAAAWVwfBCGEAABZnCAEIQQ8yF5bQCgNSHoAIMQaABhALFjAAFhcI0QWwAAAWNskRCTEHIAAWFnAACgPypkApwQAAAAALEQAKInImFkc3ajEKcQqRCuEG4AZAAAoFUqAKBcKmwib3BlAACgWCoAoFoqAKMgImVsbXJzersQvRDAEN0Q5RDtEACgpCllAACgICJzAGQAYaAhImEEzhDQENIQ1BDWENgQ2hDcEACgqCkAoKkpAKCqKQCgqykAoKwpAKCtKQCgrikAoK8pdAB2oB8iYgBkoL4iAKCdKQABcHTpEOwQaAAAoCIixWDhIXJyAKB8IwABZ3D1EPgQbwBuAAVhZgAA4DXYUt0Ao0giRWFlaW9wBxEJEQ0RDxESERQRAKBwKuMhaXIAoG8qAKBKImQAAKBLInMAJ2DyIW94ZaBIIvEADhFpAG4AZwA7gOUA5UCAAWN0eQAmESoRKxFyAADgNdi23CpgbQBwAGWgSCLxAPgBaQBsAGQAZQA7gOMA40BtAGwAO4DkAORAAAFjaUERRxFvAG4AaQBuAPQA6AFuAHQAAKARKgAITmFiY2RlZmlrbG5vcHJzdWQRaBGXEZ8RpxGrEdIR1hErEjASexKKEn0RThNbE3oTbwB0AACg7SoAAWNybBGJEWsAAAJjZXBzdBF4EX0RghHvIW5nAKBMInAjc2lsb24A9mNyImltZQAAoDUgaQBtAGWgPSJxAACgzSJ2AY0RkRFlAGUAAKC9ImUAZABnoAUjZQAAoAUjcgBrAHSgtSPiIXJrAKC2IwABb3mjEaYRbgDnAHcRMWTxIXVvAKAeIIACY21wcnQAtBG5Eb4RwRHFEeEhdXPloDUi5ABwInR5dgAAoLApcwDpAH0RbgBvAPUA6gCAAWFodwDLEcwRzhGyYwCgNiHlIWVuAKBsInIAAOA12B/dZwCAA2Nvc3R1dncA4xHyEQUSEhIhEiYSKRKAAWFpdQDpEesR7xHwAKMFcgBjAACg7yVwAACgwyKAAWRwdAD4EfwRABJvAHQAAKAAKuwhdXMAoAEqaSJtZXMAAKACKnECCxIAAAAADxLjIXVwAKAGKmEAcgAAoAUm8iNpYW5nbGUAAWR1GhIeEu8hd24AoL0lcAAAoLMlcCJsdXMAAKAEKmUA5QBCD+UAkg9hInJvdwAAoA0pgAFha28ANhJoEncSAAFjbjoSZRJrAIABbHN0AEESRxJNEm8jemVuZ2UAAKDrKXEAdQBhAHIA5QBcBPIjaWFuZ2xlgKG0JWRscgBYElwSYBLvIXduAKC+JeUhZnQAoMIlaSJnaHQAAKC4JWsAAKAjJLEBbRIAAHUSsgFxEgAAcxIAoJIlAKCRJTQAAKCTJWMAawAAoIglAAFlb38ShxJx4D0A5SD1IWl2AOBhIuUgdAAAoBAjAAJwdHd4kRKVEpsSnxJmAADgNdhT3XSgpSJvAG0AAKClIvQhaWUAoMgiAAZESFVWYmRobXB0dXayEsES0RLgEvcS+xIKExoTHxMjEygTNxMAAkxSbHK5ErsSvRK/EgCgVyUAoFQlAKBWJQCgUyUAolAlRFVkdckSyxLNEs8SAKBmJQCgaSUAoGQlAKBnJQACTFJsctgS2hLcEt4SAKBdJQCgWiUAoFwlAKBZJQCjUSVITFJobHLrEu0S7xLxEvMS9RIAoGwlAKBjJQCgYCUAoGslAKBiJQCgXyVvAHgAAKDJKQACTFJscgITBBMGEwgTAKBVJQCgUiUAoBAlAKAMJQCiACVEVWR1EhMUExYTGBMAoGUlAKBoJQCgLCUAoDQlaSJudXMAAKCfIuwhdXMAoJ4iaSJtZXMAAKCgIgACTFJsci8TMRMzEzUTAKBbJQCgWCUAoBglAKAUJQCjAiVITFJobHJCE0QTRhNIE0oTTBMAoGolAKBhJQCgXiUAoDwlAKAkJQCgHCUAAWV2UhNVE3YA5QD5AGIAYQByADuApgCmQAACY2Vpb2ITZhNqE24TcgAA4DXYt9xtAGkAAKBPIG0A5aA9IogRbAAAoVwAYmh0E3YTAKDFKfMhdWIAoMgnbAF+E4QTbABloCIgdAAAoCIgcAAAoU4iRWWJE4sTAKCuKvGgTyI8BeEMqRMAAN8TABQDFB8UAAAjFDQUAAAAAIUUAAAAAI0UAAAAANcU4xT3FPsUAACIFQAAlhWAAWNwcgCuE7ET1RP1IXRlB2GAoikiYWJjZHMAuxO/E8QTzhPSE24AZAAAoEQqciJjdXAAAKBJKgABYXXIE8sTcAAAoEsqcAAAoEcqbwB0AACgQCoA4CkiAP4AAWVv2RPcE3QAAKBBIO4ABAUAAmFlaXXlE+8T9RP4E/AB6hMAAO0TcwAAoE0qbwBuAA1hZABpAGwAO4DnAOdAcgBjAAlhcABzAHOgTCptAACgUCpvAHQAC2GAAWRtbgAIFA0UEhRpAGwAO4C4ALhAcCJ0eXYAAKCyKXQAAIGiADtlGBQZFKJAcgBkAG8A9ABiAXIAAOA12CDdgAFjZWkAKBQqFDIUeQBHZGMAawBtoBMn4SFyawCgEyfHY3IAAKPLJUVjZWZtcz8UQRRHFHcUfBSAFACgwykAocYCZWxGFEkUcQAAoFciZQBhAlAUAAAAAGAUciJyb3cAAAFsclYUWhTlIWZ0AKC6IWkiZ2h0AACguyGAAlJTYWNkAGgUaRRrFG8UcxSuYACgyCRzAHQAAKCbIukhcmMAoJoi4SFzaACgnSJuImludAAAoBAqaQBkAACg7yrjIWlyAKDCKfUhYnN1oGMmaQB0AACgYybsApMUmhS2FAAAwxRvAG4AZaA6APGgVCKrAG0CnxQAAAAAoxRhAHSgLABAYAChASJmbKcUqRTuABMNZQAAAW14rhSyFOUhbnQAoAEiZQDzANIB5wG6FAAAwBRkoEUibwB0AACgbSpuAPQAzAGAAWZyeQDIFMsUzhQA4DXYVN1vAOQA1wEAgakAO3MeAdMUcgAAoBchAAFhb9oU3hRyAHIAAKC1IXMAcwAAoBcnAAFjdeYU6hRyAADgNdi43AABYnDuFPIUZaDPKgCg0SploNAqAKDSKuQhb3QAoO8igANkZWxwcnZ3AAYVEBUbFSEVRBVlFYQV4SFycgABbHIMFQ4VAKA4KQCgNSlwAhYVAAAAABkVcgAAoN4iYwAAoN8i4SFycnCgtiEAoD0pgKIqImJjZG9zACsVMBU6FT4VQRVyImNhcAAAoEgqAAFhdTQVNxVwAACgRipwAACgSipvAHQAAKCNInIAAKBFKgDgKiIA/gACYWxydksVURVuFXMVcgByAG2gtyEAoDwpeQCAAWV2dwBYFWUVaRVxAHACXxUAAAAAYxVyAGUA4wAXFXUA4wAZFWUAZQAAoM4iZSJkZ2UAAKDPImUAbgA7gKQApEBlI2Fycm93AAABbHJ7FX8V5SFmdACgtiFpImdodAAAoLchZQDkAG0VAAFjaYsVkRVvAG4AaQBuAPQAkwFuAHQAAKAxImwiY3R5AACgLSOACUFIYWJjZGVmaGlqbG9yc3R1d3oAuBW7Fb8V1RXgFegV+RUKFhUWHxZUFlcWZRbFFtsW7xb7FgUXChdyAPIAtAJhAHIAAKBlKQACZ2xyc8YVyhXOFdAV5yFlcgCgICDlIXRoAKA4IfIA9QxoAHagECAAoKMiawHZFd4VYSJyb3cAAKAPKWEA4wBfAgABYXnkFecV8iFvbg9hNGQAoUYhYW/tFfQVAAFnciEC8RVyAACgyiF0InNlcQAAoHcqgAFnbG0A/xUCFgUWO4CwALBAdABhALRjcCJ0eXYAAKCxKQABaXIOFhIW8yFodACgfykA4DXYId1hAHIAAAFschsWHRYAoMMhAKDCIYACYWVnc3YAKBauAjYWOhY+Fm0AAKHEIm9zLhY0Fm4AZABzoMQi9SFpdACgZiZhIm1tYQDdY2kAbgAAoPIiAKH3AGlvQxZRFmQAZQAAgfcAO29KFksW90BuI3RpbWVzAACgxyJuAPgAUBZjAHkAUmRjAG8CXhYAAAAAYhZyAG4AAKAeI28AcAAAoA0jgAJscHR1dwBuFnEWdRaSFp4W7CFhciRgZgAA4DXYVd0AotkCZW1wc30WhBaJFo0WcQBkoFAibwB0AACgUSJpIm51cwAAoDgi7CF1cwCgFCLxInVhcmUAoKEiYgBsAGUAYgBhAHIAdwBlAGQAZwDlANcAbgCAAWFkaAClFqoWtBZyAHIAbwD3APUMbwB3AG4AYQByAHIAbwB3APMA8xVhI3Jwb29uAAABbHK8FsAWZQBmAPQAHBZpAGcAaAD0AB4WYgHJFs8WawBhAHIAbwD3AJILbwLUFgAAAADYFnIAbgAAoB8jbwBwAACgDCOAAWNvdADhFukW7BYAAXJ55RboFgDgNdi53FVkbAAAoPYp8iFvaxFhAAFkcvMW9xZvAHQAAKDxImkA5qC/JVsSAAFhaP8WAhdyAPIANQNhAPIA1wvhIm5nbGUAoKYpAAFjaQ4XEBd5AF9k5yJyYXJyAKD/JwAJRGFjZGVmZ2xtbm9wcXJzdHV4MRc4F0YXWxcyBF4XaRd5F40XrBe0F78X2RcVGCEYLRg1GEAYAAFEbzUXgRZvAPQA+BUAAWNzPBdCF3UAdABlADuA6QDpQPQhZXIAoG4qAAJhaW95TRdQF1YXWhfyIW9uG2FyAGOgViI7gOoA6kDsIW9uAKBVIk1kbwB0ABdhAAFEcmIXZhdvAHQAAKBSIgDgNdgi3XKhmipuF3QXYQB2AGUAO4DoAOhAZKCWKm8AdAAAoJgqgKGZKmlscwCAF4UXhxfuInRlcnMAoOcjAKATIWSglSpvAHQAAKCXKoABYXBzAJMXlheiF2MAcgATYXQAeQBzogUinxcAAAAAoRdlAHQAAKAFInAAMaADIDMBqRerFwCgBCAAoAUgAAFnc7AXsRdLYXAAAKACIAABZ3C4F7sXbwBuABlhZgAA4DXYVt2AAWFscwDFF8sXzxdyAHOg1SJsAACg4yl1AHMAAKBxKmkAAKG1A2x21RfYF28AbgC1Y/VjAAJjc3V24BfoF/0XEBgAAWlv5BdWF3IAYwAAoFYiaQLuFwAAAADwF+0ADQThIW50AAFnbPUX+Rd0AHIAAKCWKuUhc3MAoJUqgAFhZWkAAxgGGAoYbABzAD1gcwB0AACgXyJ2AESgYSJEAACgeCrwImFyc2wAoOUpAAFEYRkYHRhvAHQAAKBTInIAcgAAoHEpgAFjZGkAJxgqGO0XcgAAoC8hbwD0AIwCAAFhaDEYMhi3YzuA8ADwQAABbXI5GD0YbAA7gOsA60BvAACgrCCAAWNpcABGGEgYSxhsACFgcwD0ACwEAAFlb08YVxhjAHQAYQB0AGkAbwDuABoEbgBlAG4AdABpAGEAbADlADME4Ql1GAAAgRgAAIMYiBgAAAAAoRilGAAAqhgAALsYvhjRGAAA1xgnGWwAbABpAG4AZwBkAG8AdABzAGUA8QBlF3kARGRtImFsZQAAoEAmgAFpbHIAjRiRGJ0Y7CFpZwCgA/tpApcYAAAAAJoYZwAAoAD7aQBnAACgBPsA4DXYI93sIWlnAKAB++whaWcA4GYAagCAAWFsdACvGLIYthh0AACgbSZpAGcAAKAC+24AcwAAoLElbwBmAJJh8AHCGAAAxhhmAADgNdhX3QABYWvJGMwYbADsAGsEdqDUIgCg2SphI3J0aW50AACgDSoAAWFv2hgiGQABY3PeGB8ZsQPnGP0YBRkSGRUZAAAdGbID7xjyGPQY9xj5GAAA+xg7gL0AvUAAoFMhO4C8ALxAAKBVIQCgWSEAoFshswEBGQAAAxkAoFQhAKBWIbQCCxkOGQAAAAAQGTuAvgC+QACgVyEAoFwhNQAAoFghtgEZGQAAGxkAoFohAKBdITgAAKBeIWwAAKBEIHcAbgAAoCIjYwByAADgNdi73IAIRWFiY2RlZmdpamxub3JzdHYARhlKGVoZXhlmGWkZkhmWGZkZnRmgGa0ZxhnLGc8Z4BkjGmygZyIAoIwqgAFjbXAAUBlTGVgZ9SF0ZfVhbQBhAOSgswM6FgCghipyImV2ZQAfYQABaXliGWUZcgBjAB1hM2RvAHQAIWGAoWUibHFzAMYEcBl6GfGhZSLOBAAAdhlsAGEAbgD0AN8EgKF+KmNkbACBGYQZjBljAACgqSpvAHQAb6CAKmyggioAoIQqZeDbIgD+cwAAoJQqcgAA4DXYJN3noGsirATtIWVsAKA3IWMAeQBTZIChdyJFYWoApxmpGasZAKCSKgCgpSoAoKQqAAJFYWVztBm2Gb0ZwhkAoGkicABwoIoq8iFveACgiipxoIgq8aCIKrUZaQBtAACg5yJwAGYAAOA12FjdYQB2AOUAYwIAAWNp0xnWGXIAAKAKIW0AAKFzImVs3BneGQCgjioAoJAqAIM+ADtjZGxxco0E6xn0GfgZ/BkBGgABY2nvGfEZAKCnKnIAAKB6Km8AdAAAoNci0CFhcgCglSl1ImVzdAAAoHwqgAJhZGVscwAKGvQZFhrVBCAa8AEPGgAAFBpwAHIAbwD4AFkZcgAAoHgpcQAAAWxxxAQbGmwAZQBzAPMASRlpAO0A5AQAAWVuJxouGnIjdG5lcXEAAOBpIgD+xQAsGgAFQWFiY2Vma29zeUAaQxpmGmoabRqDGocalhrCGtMacgDyAMwCAAJpbG1yShpOGlAaVBpyAHMA8ABxD2YAvWBpAGwA9AASBQABZHJYGlsaYwB5AEpkAKGUIWN3YBpkGmkAcgAAoEgpAKCtIWEAcgAAoA8h6SFyYyVhgAFhbHIAcxp7Gn8a8iF0c3WgZSZpAHQAAKBlJuwhaXAAoCYg4yFvbgCguSJyAADgNdgl3XMAAAFld4wakRphInJvdwAAoCUpYSJyb3cAAKAmKYACYW1vcHIAnxqjGqcauhq+GnIAcgAAoP8h9CFodACgOyJrAAABbHKsGrMaZSRmdGFycm93AACgqSHpJGdodGFycm93AKCqIWYAAOA12Fnd4iFhcgCgFSCAAWNsdADIGswa0BpyAADgNdi93GEAcwDoAGka8iFvaydhAAFicNca2xr1IWxsAKBDIOghZW4AoBAg4Qr2GgAA/RoAAAgbExsaGwAAIRs7GwAAAAA+G2IbmRuVG6sbAACyG80b0htjAHUAdABlADuA7QDtQAChYyBpeQEbBhtyAGMAO4DuAO5AOGQAAWN4CxsNG3kANWRjAGwAO4ChAKFAAAFmcssCFhsA4DXYJt1yAGEAdgBlADuA7ADsQIChSCFpbm8AJxsyGzYbAAFpbisbLxtuAHQAAKAMKnQAAKAtIuYhaW4AoNwpdABhAACgKSHsIWlnM2GAAWFvcABDG1sbXhuAAWNndABJG0sbWRtyACthgAFlbHAAcQVRG1UbaQBuAOUAyAVhAHIA9AByBWgAMWFmAACgtyJlAGQAtWEAoggiY2ZvdGkbbRt1G3kb4SFyZQCgBSFpAG4AdKAeImkAZQAAoN0pZABvAPQAWxsAoisiY2VscIEbhRuPG5QbYQBsAACguiIAAWdyiRuNG2UAcgDzACMQ4wCCG2EicmhrAACgFyryIW9kAKA8KgACY2dwdJ8boRukG6gbeQBRZG8AbgAvYWYAAOA12FrdYQC5Y3UAZQBzAHQAO4C/AL9AAAFjabUbuRtyAADgNdi+3G4AAKIIIkVkc3bCG8QbyBvQAwCg+SJvAHQAAKD1Inag9CIAoPMiaaBiIOwhZGUpYesB1hsAANkbYwB5AFZkbAA7gO8A70AAA2NmbW9zdeYb7hvyG/Ub+hsFHAABaXnqG+0bcgBjADVhOWRyAADgNdgn3eEhdGg3YnAAZgAA4DXYW93jAf8bAAADHHIAAOA12L/c8iFjeVhk6yFjeVRkAARhY2ZnaGpvcxUcGhwiHCYcKhwtHDAcNRzwIXBhdqC6A/BjAAFleR4cIRzkIWlsN2E6ZHIAAOA12CjdciJlZW4AOGFjAHkARWRjAHkAXGRwAGYAAOA12FzdYwByAADgNdjA3IALQUJFSGFiY2RlZmdoamxtbm9wcnN0dXYAXhxtHHEcdRx5HN8cBx0dHTwd3B3tHfEdAR4EHh0eLB5FHrwewx7hHgkfPR9LH4ABYXJ0AGQcZxxpHHIA8gBvB/IAxQLhIWlsAKAbKeEhcnIAoA4pZ6BmIgCgiyphAHIAAKBiKWMJjRwAAJAcAACVHAAAAAAAAAAAAACZHJwcAACmHKgcrRwAANIc9SF0ZTph7SJwdHl2AKC0KXIAYQDuAFoG4iFkYbtjZwAAoegnZGyhHKMcAKCRKeUAiwYAoIUqdQBvADuAqwCrQHIAgKOQIWJmaGxwc3QAuhy/HMIcxBzHHMoczhxmoOQhcwAAoB8pcwAAoB0p6wCyGnAAAKCrIWwAAKA5KWkAbQAAoHMpbAAAoKIhAKGrKmFl1hzaHGkAbAAAoBkpc6CtKgDgrSoA/oABYWJyAOUc6RztHHIAcgAAoAwpcgBrAACgcicAAWFr8Rz4HGMAAAFla/Yc9xx7YFtgAAFlc/wc/hwAoIspbAAAAWR1Ax0FHQCgjykAoI0pAAJhZXV5Dh0RHRodHB3yIW9uPmEAAWRpFR0YHWkAbAA8YewAowbiAPccO2QAAmNxcnMkHScdLB05HWEAAKA2KXUAbwDyoBwgqhEAAWR1MB00HeghYXIAoGcpcyJoYXIAAKBLKWgAAKCyIQCiZCJmZ3FzRB1FB5Qdnh10AIACYWhscnQATh1WHWUdbB2NHXIicm93AHSgkCFhAOkAzxxhI3Jwb29uAAABZHVeHWId7yF3bgCgvSFwAACgvCHlJGZ0YXJyb3dzAKDHIWkiZ2h0AIABYWhzAHUdex2DHXIicm93APOglCGdBmEAcgBwAG8AbwBuAPMAzgtxAHUAaQBnAGEAcgByAG8A9wBlGugkcmVldGltZXMAoMsi8aFkIk0HAACaHWwAYQBuAPQAXgcAon0qY2Rnc6YdqR2xHbcdYwAAoKgqbwB0AG+gfypyoIEqAKCDKmXg2iIA/nMAAKCTKoACYWRlZ3MAwB3GHcod1h3ZHXAAcAByAG8A+ACmHG8AdAAAoNYicQAAAWdxzx3SHXQA8gBGB2cAdADyAHQcdADyAFMHaQDtAGMHgAFpbHIA4h3mHeod8yFodACgfClvAG8A8gDKBgDgNdgp3UWgdiIAoJEqYQH1Hf4dcgAAAWR1YB35HWygvCEAoGopbABrAACghCVjAHkAWWQAomoiYWNodAweDx4VHhkecgDyAGsdbwByAG4AZQDyAGAW4SFyZACgaylyAGkAAKD6JQABaW8hHiQe5CFvdEBh9SFzdGGgsCPjIWhlAKCwIwACRWFlczMeNR48HkEeAKBoInAAcKCJKvIhb3gAoIkqcaCHKvGghyo0HmkAbQAAoOYiAARhYm5vcHR3elIeXB5fHoUelh6mHqsetB4AAW5yVh5ZHmcAAKDsJ3IAAKD9IXIA6wCwBmcAgAFsbXIAZh52Hnse5SFmdAABYXKIB2weaQBnAGgAdABhAHIAcgBvAPcAkwfhInBzdG8AoPwnaQBnAGgAdABhAHIAcgBvAPcAmgdwI2Fycm93AAABbHKNHpEeZQBmAPQAxhxpImdodAAAoKwhgAFhZmwAnB6fHqIecgAAoIUpAOA12F3ddQBzAACgLSppIm1lcwAAoDQqYQGvHrMecwB0AACgFyLhAIoOZaHKJbkeRhLuIWdlAKDKJWEAcgBsoCgAdAAAoJMpgAJhY2htdADMHs8e1R7bHt0ecgDyAJ0GbwByAG4AZQDyANYWYQByAGSgyyEAoG0pAKAOIHIAaQAAoL8iAANhY2hpcXTrHu8e1QfzHv0eBh/xIXVvAKA5IHIAAOA12MHcbQDloXIi+h4AAPweAKCNKgCgjyoAAWJ19xwBH28AcqAYIACgGiDyIW9rQmEAhDwAO2NkaGlscXJCBhcfxh0gHyQfKB8sHzEfAAFjaRsfHR8AoKYqcgAAoHkqcgBlAOUAkx3tIWVzAKDJIuEhcnIAoHYpdSJlc3QAAKB7KgABUGk1HzkfYQByAACglillocMlAgdfEnIAAAFkdUIfRx9zImhhcgAAoEop6CFhcgCgZikAAWVuTx9WH3IjdG5lcXEAAOBoIgD+xQBUHwAHRGFjZGVmaGlsbm9wc3VuH3Ifoh+rH68ftx+7H74f5h/uH/MfBwj/HwsgxCFvdACgOiIAAmNscHJ5H30fiR+eH3IAO4CvAK9AAAFldIEfgx8AoEImZaAgJ3MAZQAAoCAnc6CmIXQAbwCAoaYhZGx1AJQfmB+cH28AdwDuAHkDZQBmAPQA6gbwAOkO6yFlcgCgriUAAW95ph+qH+0hbWEAoCkqPGThIXNoAKAUIOElc3VyZWRhbmdsZQCgISJyAADgNdgq3W8AAKAnIYABY2RuAMQfyR/bH3IAbwA7gLUAtUBhoiMi0B8AANMf1x9zAPQAKxFpAHIAAKDwKm8AdAA7gLcAt0B1AHMA4qESIh4TAADjH3WgOCIAoCoqYwHqH+0fcAAAoNsq8gB+GnAAbAB1APMACAgAAWRw9x/7H+UhbHMAoKciZgAA4DXYXt0AAWN0AyAHIHIAAOA12MLc8CFvcwCgPiJsobwDECAVIPQiaW1hcACguCJhAPAAEyAADEdMUlZhYmNkZWZnaGlqbG1vcHJzdHV2dzwgRyBmIG0geSCqILgg2iDeIBEhFSEyIUMhTSFQIZwhnyHSIQAiIyKLIrEivyIUIwABZ3RAIEMgAODZIjgD9uBrItIgBwmAAWVsdABNIF8gYiBmAHQAAAFhclMgWCByInJvdwAAoM0h6SRnaHRhcnJvdwCgziEA4NgiOAP24Goi0iBfCekkZ2h0YXJyb3cAoM8hAAFEZHEgdSDhIXNoAKCvIuEhc2gAoK4igAJiY25wdACCIIYgiSCNIKIgbABhAACgByL1IXRlRGFnAADgICLSIACiSSJFaW9wlSCYIJwgniAA4HAqOANkAADgSyI4A3MASWFyAG8A+AAyCnUAcgBhoG4mbADzoG4mmwjzAa8gAACzIHAAO4CgAKBAbQBwAOXgTiI4AyoJgAJhZW91eQDBIMogzSDWINkg8AHGIAAAyCAAoEMqbwBuAEhh5CFpbEZhbgBnAGSgRyJvAHQAAOBtKjgDcAAAoEIqPWThIXNoAKATIACjYCJBYWRxc3jpIO0g+SD+IAIhDCFyAHIAAKDXIXIAAAFocvIg9SBrAACgJClvoJch9wAGD28AdAAA4FAiOAN1AGkA9gC7CAABZWkGIQohYQByAACgKCntAN8I6SFzdPOgBCLlCHIAAOA12CvdAAJFZXN0/wgcISshLiHxoXEiIiEAABMJ8aFxIgAJAAAnIWwAYQBuAPQAEwlpAO0AGQlyoG8iAKBvIoABQWFwADghOyE/IXIA8gBeIHIAcgAAoK4hYQByAACg8ipzogsiSiEAAAAAxwtkoPwiAKD6ImMAeQBaZIADQUVhZGVzdABcIV8hYiFmIWkhkyGWIXIA8gBXIADgZiI4A3IAcgAAoJohcgAAoCUggKFwImZxcwBwIYQhjiF0AAABYXJ1IXohcgByAG8A9wBlIWkAZwBoAHQAYQByAHIAbwD3AD4h8aFwImAhAACKIWwAYQBuAPQAZwlz4H0qOAMAoG4iaQDtAG0JcqBuImkA5aDqIkUJaQDkADoKAAFwdKMhpyFmAADgNdhf3YCBrAA7aW4AriGvIcchrEBuAIChCSJFZHYAtyG6Ib8hAOD5IjgDbwB0AADg9SI4A+EB1gjEIcYhAKD3IgCg9iJpAHagDCLhAagJzyHRIQCg/iIAoP0igAFhb3IA2CHsIfEhcgCAoSYiYXN0AOAh5SHpIWwAbABlAOwAywhsAADg/SrlIADgAiI4A2wiaW50AACgFCrjoYAi9yEAAPohdQDlAJsJY+CvKjgDZaCAIvEAkwkAAkFhaXQHIgoiFyIeInIA8gBsIHIAcgAAoZshY3cRIhQiAOAzKTgDAOCdITgDZyRodGFycm93AACgmyFyAGkA5aDrIr4JgANjaGltcHF1AC8iPCJHIpwhTSJQIloigKGBImNlcgA2Iv0JOSJ1AOUABgoA4DXYw9zvIXJ0bQKdIQAAAABEImEAcgDhAOEhbQBloEEi8aBEIiYKYQDyAMsIcwB1AAABYnBWIlgi5QDUCeUA3wmAAWJjcABgInMieCKAoYQiRWVzAGci7glqIgDgxSo4A2UAdABl4IIi0iBxAPGgiCJoImMAZaCBIvEA/gmAoYUiRWVzAH8iFgqCIgDgxio4A2UAdABl4IMi0iBxAPGgiSKAIgACZ2lscpIilCKaIpwi7AAMCWwAZABlADuA8QDxQOcAWwlpI2FuZ2xlAAABbHKkIqoi5SFmdGWg6iLxAEUJaSJnaHQAZaDrIvEAvgltoL0DAKEjAGVzuCK8InIAbwAAoBYhcAAAoAcggARESGFkZ2lscnMAziLSItYi2iLeIugi7SICIw8j4SFzaACgrSLhIXJyAKAEKXAAAOBNItIg4SFzaACgrCIAAWV04iLlIgDgZSLSIADgPgDSIG4iZmluAACg3imAAUFldADzIvci+iJyAHIAAKACKQDgZCLSIHLgPADSIGkAZQAA4LQi0iAAAUF0BiMKI3IAcgAAoAMp8iFpZQDgtSLSIGkAbQAA4Dwi0iCAAUFhbgAaIx4jKiNyAHIAAKDWIXIAAAFociMjJiNrAACgIylvoJYh9wD/DuUhYXIAoCcpUxJqFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVCMAAF4jaSN/I4IjjSOeI8AUAAAAAKYjwCMAANoj3yMAAO8jHiQvJD8kRCQAAWNzVyNsFHUAdABlADuA8wDzQAABaXlhI2cjcgBjoJoiO4D0APRAPmSAAmFiaW9zAHEjdCN3I3EBeiNzAOgAdhTsIWFjUWF2AACgOCrvIWxkAKC8KewhaWdTYQABY3KFI4kjaQByAACgvykA4DXYLN1vA5QjAAAAAJYjAACcI24A22JhAHYAZQA7gPIA8kAAoMEpAAFibaEjjAphAHIAAKC1KQACYWNpdKwjryO6I70jcgDyAFkUAAFpcrMjtiNyAACgvinvIXNzAKC7KW4A5QDZCgCgwCmAAWFlaQDFI8gjyyNjAHIATWFnAGEAyWOAAWNkbgDRI9Qj1iPyIW9uv2MAoLYpdQDzAHgBcABmAADgNdhg3YABYWVsAOQj5yPrI3IAAKC3KXIAcAAAoLkpdQDzAHwBAKMoImFkaW9zdvkj/CMPJBMkFiQbJHIA8gBeFIChXSplZm0AAyQJJAwkcgBvoDQhZgAAoDQhO4CqAKpAO4C6ALpA5yFvZgCgtiJyAACgVipsIm9wZQAAoFcqAKBbKoABY2xvACMkJSQrJPIACCRhAHMAaAA7gPgA+EBsAACgmCJpAGwBMyQ4JGQAZQA7gPUA9UBlAHMAYaCXInMAAKA2Km0AbAA7gPYA9kDiIWFyAKA9I+EKXiQAAHokAAB8JJQkAACYJKkkAAAAALUkEQsAAPAkAAAAAAQleiUAAIMlcgCAoSUiYXN0AGUkbyQBCwCBtgA7bGokayS2QGwAZQDsABgDaQJ1JAAAAAB4JG0AAKDzKgCg/Sp5AD9kcgCAAmNpbXB0AIUkiCSLJJkSjyRuAHQAJWBvAGQALmBpAGwAAKAwIOUhbmsAoDEgcgAA4DXYLd2AAWltbwCdJKAkpCR2oMYD1WNtAGEA9AD+B24AZQAAoA4m9KHAA64kAAC0JGMjaGZvcmsAAKDUItZjAAFhdbgkxCRuAAABY2u9JMIkawBooA8hAKAOIfYAaRpzAACkKwBhYmNkZW1zdNMkIRPXJNsk4STjJOck6yTjIWlyAKAjKmkAcgAAoCIqAAFvdYsW3yQAoCUqAKByKm4AO4CxALFAaQBtAACgJip3AG8AAKAnKoABaXB1APUk+iT+JO4idGludACgFSpmAADgNdhh3W4AZAA7gKMAo0CApHoiRWFjZWlub3N1ABMlFSUYJRslTCVRJVklSSV1JQCgsypwAACgtyp1AOUAPwtjoK8qgKJ6ImFjZW5zACclLSU0JTYlSSVwAHAAcgBvAPgAFyV1AHIAbAB5AGUA8QA/C/EAOAuAAWFlcwA8JUElRSXwInByb3gAoLkqcQBxAACgtSppAG0AAKDoImkA7QBEC20AZQDzoDIgIguAAUVhcwBDJVclRSXwAEAlgAFkZnAATwtfJXElgAFhbHMAZSVpJW0l7CFhcgCgLiPpIW5lAKASI/UhcmYAoBMjdKAdIu8AWQvyIWVsAKCwIgABY2l9JYElcgAA4DXYxdzIY24iY3NwAACgCCAAA2Zpb3BzdZElKxuVJZolnyWkJXIAAOA12C7dcABmAADgNdhi3XIiaW1lAACgVyBjAHIAAOA12MbcgAFhZW8AqiW6JcAldAAAAWVpryW2JXIAbgBpAG8AbgDzABkFbgB0AACgFipzAHQAZaA/APEACRj0AG0LgApBQkhhYmNkZWZoaWxtbm9wcnN0dXgA4yXyJfYl+iVpJpAmpia9JtUm5ib4JlonaCdxJ3UnnietJ7EnyCfiJ+cngAFhcnQA6SXsJe4lcgDyAJkM8gD6AuEhaWwAoBwpYQByAPIA3BVhAHIAAKBkKYADY2RlbnFydAAGJhAmEyYYJiYmKyZaJgABZXUKJg0mAOA9IjEDdABlAFVhaQDjACAN7SJwdHl2AKCzKWcAgKHpJ2RlbAAgJiImJCYAoJIpAKClKeUA9wt1AG8AO4C7ALtAcgAApZIhYWJjZmhscHN0dz0mQCZFJkcmSiZMJk4mUSZVJlgmcAAAoHUpZqDlIXMAAKAgKQCgMylzAACgHinrALka8ACVHmwAAKBFKWkAbQAAoHQpbAAAoKMhAKCdIQABYWleJmImaQBsAACgGilvAG6gNiJhAGwA8wB2C4ABYWJyAG8mciZ2JnIA8gAvEnIAawAAoHMnAAFha3omgSZjAAABZWt/JoAmfWBdYAABZXOFJocmAKCMKWwAAAFkdYwmjiYAoI4pAKCQKQACYWV1eZcmmiajJqUm8iFvbllhAAFkaZ4moSZpAGwAV2HsAA8M4gCAJkBkAAJjbHFzrSawJrUmuiZhAACgNylkImhhcgAAoGkpdQBvAPKgHSCjAWgAAKCzIYABYWNnAMMm0iaUC2wAgKEcIWlwcwDLJs4migxuAOUAoAxhAHIA9ADaC3QAAKCtJYABaWxyANsm3ybjJvMhaHQAoH0pbwBvAPIANgwA4DXYL90AAWFv6ib1JnIAAAFkde8m8SYAoMEhbKDAIQCgbCl2oMED8WOAAWducwD+Jk4nUCdoAHQAAANhaGxyc3QKJxInISc1Jz0nRydyInJvdwB0oJIhYQDpAFYmYSNycG9vbgAAAWR1GiceJ28AdwDuAPAmcAAAoMAh5SFmdAABYWgnJy0ncgByAG8AdwDzAAkMYQByAHAAbwBvAG4A8wATBGklZ2h0YXJyb3dzAACgySFxAHUAaQBnAGEAcgByAG8A9wBZJugkcmVldGltZXMAoMwiZwDaYmkAbgBnAGQAbwB0AHMAZQDxABwYgAFhaG0AYCdjJ2YncgDyAAkMYQDyABMEAKAPIG8idXN0AGGgsSPjIWhlAKCxI+0haWQAoO4qAAJhYnB0fCeGJ4knmScAAW5ygCeDJ2cAAKDtJ3IAAKD+IXIA6wAcDIABYWZsAI8nkieVJ3IAAKCGKQDgNdhj3XUAcwAAoC4qaSJtZXMAAKA1KgABYXCiJ6gncgBnoCkAdAAAoJQp7yJsaW50AKASKmEAcgDyADwnAAJhY2hxuCe8J6EMwCfxIXVvAKA6IHIAAOA12MfcAAFidYAmxCdvAPKgGSCoAYABaGlyAM4n0ifWJ3IAZQDlAE0n7SFlcwCgyiJpAIChuSVlZmwAXAxjEt4n9CFyaQCgzinsInVoYXIAoGgpAKAeIWENBSgJKA0oSyhVKIYoAACLKLAoAAAAAOMo5ygAABApJCkxKW0pcSmHKaYpAACYKgAAAACxKmMidXRlAFthcQB1AO8ABR+ApHsiRWFjZWlucHN5ABwoHignKCooLygyKEEoRihJKACgtCrwASMoAAAlKACguCpvAG4AYWF1AOUAgw1koLAqaQBsAF9hcgBjAF1hgAFFYXMAOCg6KD0oAKC2KnAAAKC6KmkAbQAAoOki7yJsaW50AKATKmkA7QCIDUFkbwB0AGKixSKRFgAAAABTKACgZiqAA0FhY21zdHgAYChkKG8ocyh1KHkogihyAHIAAKDYIXIAAAFocmkoayjrAJAab6CYIfcAzAd0ADuApwCnQGkAO2D3IWFyAKApKW0AAAFpbn4ozQBuAHUA8wDOAHQAAKA2J3IA7+A12DDdIxkAAmFjb3mRKJUonSisKHIAcAAAoG8mAAFoeZkonChjAHkASWRIZHIAdABtAqUoAAAAAKgoaQDkAFsPYQByAGEA7ABsJDuArQCtQAABZ22zKLsobQBhAAChwwNmdroouijCY4CjPCJkZWdsbnByAMgozCjPKNMo1yjaKN4obwB0AACgairxoEMiCw5FoJ4qAKCgKkWgnSoAoJ8qZQAAoEYi7CF1cwCgJCrhIXJyAKByKWEAcgDyAPwMAAJhZWl07Sj8KAEpCCkAAWxz8Sj4KGwAcwBlAHQAbQDpAH8oaABwAACgMyrwImFyc2wAoOQpAAFkbFoPBSllAACgIyNloKoqc6CsKgDgrCoA/oABZmxwABUpGCkfKfQhY3lMZGKgLwBhoMQpcgAAoD8jZgAA4DXYZN1hAAABZHIoKRcDZQBzAHWgYCZpAHQAAKBgJoABY3N1ADYpRilhKQABYXU6KUApcABzoJMiAOCTIgD+cABzoJQiAOCUIgD+dQAAAWJwSylWKQChjyJlcz4NUCllAHQAZaCPIvEAPw0AoZAiZXNIDVspZQB0AGWgkCLxAEkNAKGhJWFmZilbBHIAZQFrKVwEAKChJWEAcgDyAAMNAAJjZW10dyl7KX8pgilyAADgNdjI3HQAbQDuAM4AaQDsAAYpYQByAOYAVw0AAWFyiimOKXIA5qAGJhESAAFhbpIpoylpImdodAAAAWVwmSmgKXAAcwBpAGwAbwDuANkXaADpAKAkcwCvYIACYmNtbnAArin8KY4NJSooKgCkgiJFZGVtbnByc7wpvinCKcgpzCnUKdgp3CkAoMUqbwB0AACgvSpkoIYibwB0AACgwyr1IWx0AKDBKgABRWXQKdIpAKDLKgCgiiLsIXVzAKC/KuEhcnIAoHkpgAFlaXUA4inxKfQpdAAAoYIiZW7oKewpcQDxoIYivSllAHEA8aCKItEpbQAAoMcqAAFicPgp+ikAoNUqAKDTKmMAgKJ7ImFjZW5zAAcqDSoUKhYqRihwAHAAcgBvAPgAIyh1AHIAbAB5AGUA8QCDDfEAfA2AAWFlcwAcKiIqPShwAHAAcgBvAPgAPChxAPEAOShnAACgaiYApoMiMTIzRWRlaGxtbnBzPCo/KkIqRSpHKlIqWCpjKmcqaypzKncqO4C5ALlAO4CyALJAO4CzALNAAKDGKgABb3NLKk4qdAAAoL4qdQBiAACg2CpkoIcibwB0AACgxCpzAAABb3VdKmAqbAAAoMknYgAAoNcq4SFycgCgeyn1IWx0AKDCKgABRWVvKnEqAKDMKgCgiyLsIXVzAKDAKoABZWl1AH0qjCqPKnQAAKGDImVugyqHKnEA8aCHIkYqZQBxAPGgiyJwKm0AAKDIKgABYnCTKpUqAKDUKgCg1iqAAUFhbgCdKqEqrCpyAHIAAKDZIXIAAAFocqYqqCrrAJUab6CZIfcAxQf3IWFyAKAqKWwAaQBnADuA3wDfQOELzyrZKtwq6SrsKvEqAAD1KjQrAAAAAAAAAAAAAEwrbCsAAHErvSsAAAAAAADRK3IC1CoAAAAA2CrnIWV0AKAWI8RjcgDrAOUKgAFhZXkA4SrkKucq8iFvbmVh5CFpbGNhQmRvAPQAIg5sInJlYwAAoBUjcgAA4DXYMd0AAmVpa2/7KhIrKCsuK/IBACsAAAkrZQAAATRm6g0EK28AcgDlAOsNYQBzorgDECsAAAAAEit5AG0A0WMAAWNuFislK2sAAAFhcxsrIStwAHAAcgBvAPgAFw5pAG0AAKA8InMA8AD9DQABYXMsKyEr8AAXDnIAbgA7gP4A/kDsATgrOyswG2QA5QBnAmUAcwCAgdcAO2JkAEMrRCtJK9dAYaCgInIAAKAxKgCgMCqAAWVwcwBRK1MraSvhAAkh4qKkIlsrXysAAAAAYytvAHQAAKA2I2kAcgAAoPEqb+A12GXdcgBrAACg2irhAHgociJpbWUAAKA0IIABYWlwAHYreSu3K2QA5QC+DYADYWRlbXBzdACFK6MrmiunK6wrsCuzK24iZ2xlAACitSVkbHFykCuUK5ornCvvIXduAKC/JeUhZnRloMMl8QACBwCgXCJpImdodABloLkl8QBdDG8AdAAAoOwlaSJudXMAAKA6KuwhdXMAoDkqYgAAoM0p6SFtZQCgOyrlInppdW0AoOIjgAFjaHQAwivKK80rAAFyecYrySsA4DXYydxGZGMAeQBbZPIhb2tnYQABaW/UK9creAD0ANERaCJlYWQAAAFsct4r5ytlAGYAdABhAHIAcgBvAPcAXQbpJGdodGFycm93AKCgIQAJQUhhYmNkZmdobG1vcHJzdHV3CiwNLBEsHSwnLDEsQCxLLFIsYix6LIQsjyzLLOgs7Sz/LAotcgDyAAkDYQByAACgYykAAWNyFSwbLHUAdABlADuA+gD6QPIACQ1yAOMBIywAACUseQBeZHYAZQBtYQABaXkrLDAscgBjADuA+wD7QENkgAFhYmgANyw6LD0scgDyANEO7CFhY3FhYQDyAOAOAAFpckQsSCzzIWh0AKB+KQDgNdgy3XIAYQB2AGUAO4D5APlAYQFWLF8scgAAAWxyWixcLACgvyEAoL4hbABrAACggCUAAWN0Zix2LG8CbCwAAAAAcyxyAG4AZaAcI3IAAKAcI28AcAAAoA8jcgBpAACg+CUAAWFsfiyBLGMAcgBrYTuAqACoQAABZ3CILIssbwBuAHNhZgAA4DXYZt0AA2FkaGxzdZksniynLLgsuyzFLHIAcgBvAPcACQ1vAHcAbgBhAHIAcgBvAPcA2A5hI3Jwb29uAAABbHKvLLMsZQBmAPQAWyxpAGcAaAD0AF0sdQDzAKYOaQAAocUDaGzBLMIs0mNvAG4AxWPwI2Fycm93cwCgyCGAAWNpdADRLOEs5CxvAtcsAAAAAN4scgBuAGWgHSNyAACgHSNvAHAAAKAOI24AZwBvYXIAaQAAoPklYwByAADgNdjK3IABZGlyAPMs9yz6LG8AdAAAoPAi7CFkZWlhaQBmoLUlAKC0JQABYW0DLQYtcgDyAMosbAA7gPwA/EDhIm5nbGUAoKcpgAdBQkRhY2RlZmxub3Byc3oAJy0qLTAtNC2bLZ0toS2/LcMtxy3TLdgt3C3gLfwtcgDyABADYQByAHag6CoAoOkqYQBzAOgA/gIAAW5yOC08LechcnQAoJwpgANla25wcnN0AJkpSC1NLVQtXi1iLYItYQBwAHAA4QAaHG8AdABoAGkAbgDnAKEXgAFoaXIAoSmzJFotbwBwAPQAdCVooJUh7wD4JgABaXVmLWotZwBtAOEAuygAAWJwbi14LXMjZXRuZXEAceCKIgD+AODLKgD+cyNldG5lcQBx4IsiAP4A4MwqAP4AAWhyhi2KLWUAdADhABIraSNhbmdsZQAAAWxyki2WLeUhZnQAoLIiaSJnaHQAAKCzInkAMmThIXNoAKCiIoABZWxyAKcttC24LWKiKCKuLQAAAACyLWEAcgAAoLsicQAAoFoi7CFpcACg7iIAAWJ0vC1eD2EA8gBfD3IAAOA12DPddAByAOkAlS1zAHUAAAFicM0t0C0A4IIi0iAA4IMi0iBwAGYAAOA12GfdcgBvAPAAWQt0AHIA6QCaLQABY3XkLegtcgAA4DXYy9wAAWJw7C30LW4AAAFFZXUt8S0A4IoiAP5uAAABRWV/LfktAOCLIgD+6SJnemFnAKCaKYADY2Vmb3BycwANLhAuJS4pLiMuLi40LukhcmN1YQABZGkULiEuAAFiZxguHC5hAHIAAKBfKmUAcaAnIgCgWSLlIXJwAKAYIXIAAOA12DTdcABmAADgNdho3WWgQCJhAHQA6ABqD2MAcgAA4DXYzNzjCuQRUC4AAFQuAABYLmIuAAAAAGMubS5wLnQuAAAAAIguki4AAJouJxIqEnQAcgDpAB0ScgAA4DXYNd0AAUFhWy5eLnIA8gDnAnIA8gCTB75jAAFBYWYuaS5yAPIA4AJyAPIAjAdhAPAAeh5pAHMAAKD7IoABZHB0APgReS6DLgABZmx9LoAuAOA12GnddQDzAP8RaQBtAOUABBIAAUFhiy6OLnIA8gDuAnIA8gCaBwABY3GVLgoScgAA4DXYzdwAAXB0nS6hLmwAdQDzACUScgDpACASAARhY2VmaW9zdbEuvC7ELsguzC7PLtQu2S5jAAABdXm2LrsudABlADuA/QD9QE9kAAFpecAuwy5yAGMAd2FLZG4AO4ClAKVAcgAA4DXYNt1jAHkAV2RwAGYAAOA12GrdYwByAADgNdjO3AABY23dLt8ueQBOZGwAO4D/AP9AAAVhY2RlZmhpb3N38y73Lv8uAi8MLxAvEy8YLx0vIi9jInV0ZQB6YQABYXn7Lv4u8iFvbn5hN2RvAHQAfGEAAWV0Bi8KL3QAcgDmAB8QYQC2Y3IAAOA12DfdYwB5ADZk5yJyYXJyAKDdIXAAZgAA4DXYa91jAHIAAOA12M/cAAFqbiYvKC8AoA0gagAAoAwg");
  }
});

// node_modules/sanitize-html/node_modules/entities/dist/commonjs/generated/decode-data-xml.js
var require_decode_data_xml = __commonJS({
  "node_modules/sanitize-html/node_modules/entities/dist/commonjs/generated/decode-data-xml.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.xmlDecodeTree = void 0;
    var decode_shared_js_1 = require_decode_shared();
    exports.xmlDecodeTree = (0, decode_shared_js_1.decodeBase64)("AAJhZ2xxBwARABMAFQBtAg0AAAAAAA8AcAAmYG8AcwAnYHQAPmB0ADxg9SFvdCJg");
  }
});

// node_modules/sanitize-html/node_modules/entities/dist/commonjs/internal/bin-trie-flags.js
var require_bin_trie_flags = __commonJS({
  "node_modules/sanitize-html/node_modules/entities/dist/commonjs/internal/bin-trie-flags.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.BinTrieFlags = void 0;
    var BinTrieFlags;
    (function(BinTrieFlags2) {
      BinTrieFlags2[BinTrieFlags2["VALUE_LENGTH"] = 49152] = "VALUE_LENGTH";
      BinTrieFlags2[BinTrieFlags2["FLAG13"] = 8192] = "FLAG13";
      BinTrieFlags2[BinTrieFlags2["BRANCH_LENGTH"] = 8064] = "BRANCH_LENGTH";
      BinTrieFlags2[BinTrieFlags2["JUMP_TABLE"] = 127] = "JUMP_TABLE";
    })(BinTrieFlags || (exports.BinTrieFlags = BinTrieFlags = {}));
  }
});

// node_modules/sanitize-html/node_modules/entities/dist/commonjs/decode.js
var require_decode = __commonJS({
  "node_modules/sanitize-html/node_modules/entities/dist/commonjs/decode.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.xmlDecodeTree = exports.htmlDecodeTree = exports.replaceCodePoint = exports.fromCodePoint = exports.decodeCodePoint = exports.EntityDecoder = exports.DecodingMode = void 0;
    exports.determineBranch = determineBranch;
    exports.decodeHTML = decodeHTML;
    exports.decodeHTMLAttribute = decodeHTMLAttribute;
    exports.decodeHTMLStrict = decodeHTMLStrict;
    exports.decodeXML = decodeXML;
    var decode_codepoint_js_1 = require_decode_codepoint();
    var decode_data_html_js_1 = require_decode_data_html();
    var decode_data_xml_js_1 = require_decode_data_xml();
    var bin_trie_flags_js_1 = require_bin_trie_flags();
    var CharCodes;
    (function(CharCodes2) {
      CharCodes2[CharCodes2["NUM"] = 35] = "NUM";
      CharCodes2[CharCodes2["SEMI"] = 59] = "SEMI";
      CharCodes2[CharCodes2["EQUALS"] = 61] = "EQUALS";
      CharCodes2[CharCodes2["ZERO"] = 48] = "ZERO";
      CharCodes2[CharCodes2["NINE"] = 57] = "NINE";
      CharCodes2[CharCodes2["LOWER_A"] = 97] = "LOWER_A";
      CharCodes2[CharCodes2["LOWER_F"] = 102] = "LOWER_F";
      CharCodes2[CharCodes2["LOWER_X"] = 120] = "LOWER_X";
      CharCodes2[CharCodes2["LOWER_Z"] = 122] = "LOWER_Z";
      CharCodes2[CharCodes2["UPPER_A"] = 65] = "UPPER_A";
      CharCodes2[CharCodes2["UPPER_F"] = 70] = "UPPER_F";
      CharCodes2[CharCodes2["UPPER_Z"] = 90] = "UPPER_Z";
    })(CharCodes || (CharCodes = {}));
    var TO_LOWER_BIT = 32;
    function isNumber(code) {
      return code >= CharCodes.ZERO && code <= CharCodes.NINE;
    }
    function isHexadecimalCharacter(code) {
      return code >= CharCodes.UPPER_A && code <= CharCodes.UPPER_F || code >= CharCodes.LOWER_A && code <= CharCodes.LOWER_F;
    }
    function isAsciiAlphaNumeric(code) {
      return code >= CharCodes.UPPER_A && code <= CharCodes.UPPER_Z || code >= CharCodes.LOWER_A && code <= CharCodes.LOWER_Z || isNumber(code);
    }
    function isEntityInAttributeInvalidEnd(code) {
      return code === CharCodes.EQUALS || isAsciiAlphaNumeric(code);
    }
    var EntityDecoderState;
    (function(EntityDecoderState2) {
      EntityDecoderState2[EntityDecoderState2["EntityStart"] = 0] = "EntityStart";
      EntityDecoderState2[EntityDecoderState2["NumericStart"] = 1] = "NumericStart";
      EntityDecoderState2[EntityDecoderState2["NumericDecimal"] = 2] = "NumericDecimal";
      EntityDecoderState2[EntityDecoderState2["NumericHex"] = 3] = "NumericHex";
      EntityDecoderState2[EntityDecoderState2["NamedEntity"] = 4] = "NamedEntity";
    })(EntityDecoderState || (EntityDecoderState = {}));
    var DecodingMode;
    (function(DecodingMode2) {
      DecodingMode2[DecodingMode2["Legacy"] = 0] = "Legacy";
      DecodingMode2[DecodingMode2["Strict"] = 1] = "Strict";
      DecodingMode2[DecodingMode2["Attribute"] = 2] = "Attribute";
    })(DecodingMode || (exports.DecodingMode = DecodingMode = {}));
    var EntityDecoder = class {
      constructor(decodeTree, emitCodePoint, errors) {
        this.decodeTree = decodeTree;
        this.emitCodePoint = emitCodePoint;
        this.errors = errors;
        this.state = EntityDecoderState.EntityStart;
        this.consumed = 1;
        this.result = 0;
        this.treeIndex = 0;
        this.excess = 1;
        this.decodeMode = DecodingMode.Strict;
        this.runConsumed = 0;
      }
      /** Resets the instance to make it reusable. */
      startEntity(decodeMode) {
        this.decodeMode = decodeMode;
        this.state = EntityDecoderState.EntityStart;
        this.result = 0;
        this.treeIndex = 0;
        this.excess = 1;
        this.consumed = 1;
        this.runConsumed = 0;
      }
      /**
       * Write an entity to the decoder. This can be called multiple times with partial entities.
       * If the entity is incomplete, the decoder will return -1.
       *
       * Mirrors the implementation of `getDecoder`, but with the ability to stop decoding if the
       * entity is incomplete, and resume when the next string is written.
       *
       * @param input The string containing the entity (or a continuation of the entity).
       * @param offset The offset at which the entity begins. Should be 0 if this is not the first call.
       * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
       */
      write(input, offset) {
        switch (this.state) {
          case EntityDecoderState.EntityStart: {
            if (input.charCodeAt(offset) === CharCodes.NUM) {
              this.state = EntityDecoderState.NumericStart;
              this.consumed += 1;
              return this.stateNumericStart(input, offset + 1);
            }
            this.state = EntityDecoderState.NamedEntity;
            return this.stateNamedEntity(input, offset);
          }
          case EntityDecoderState.NumericStart: {
            return this.stateNumericStart(input, offset);
          }
          case EntityDecoderState.NumericDecimal: {
            return this.stateNumericDecimal(input, offset);
          }
          case EntityDecoderState.NumericHex: {
            return this.stateNumericHex(input, offset);
          }
          case EntityDecoderState.NamedEntity: {
            return this.stateNamedEntity(input, offset);
          }
        }
      }
      /**
       * Switches between the numeric decimal and hexadecimal states.
       *
       * Equivalent to the `Numeric character reference state` in the HTML spec.
       *
       * @param input The string containing the entity (or a continuation of the entity).
       * @param offset The current offset.
       * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
       */
      stateNumericStart(input, offset) {
        if (offset >= input.length) {
          return -1;
        }
        if ((input.charCodeAt(offset) | TO_LOWER_BIT) === CharCodes.LOWER_X) {
          this.state = EntityDecoderState.NumericHex;
          this.consumed += 1;
          return this.stateNumericHex(input, offset + 1);
        }
        this.state = EntityDecoderState.NumericDecimal;
        return this.stateNumericDecimal(input, offset);
      }
      /**
       * Parses a hexadecimal numeric entity.
       *
       * Equivalent to the `Hexademical character reference state` in the HTML spec.
       *
       * @param input The string containing the entity (or a continuation of the entity).
       * @param offset The current offset.
       * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
       */
      stateNumericHex(input, offset) {
        while (offset < input.length) {
          const char = input.charCodeAt(offset);
          if (isNumber(char) || isHexadecimalCharacter(char)) {
            const digit = char <= CharCodes.NINE ? char - CharCodes.ZERO : (char | TO_LOWER_BIT) - CharCodes.LOWER_A + 10;
            this.result = this.result * 16 + digit;
            this.consumed++;
            offset++;
          } else {
            return this.emitNumericEntity(char, 3);
          }
        }
        return -1;
      }
      /**
       * Parses a decimal numeric entity.
       *
       * Equivalent to the `Decimal character reference state` in the HTML spec.
       *
       * @param input The string containing the entity (or a continuation of the entity).
       * @param offset The current offset.
       * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
       */
      stateNumericDecimal(input, offset) {
        while (offset < input.length) {
          const char = input.charCodeAt(offset);
          if (isNumber(char)) {
            this.result = this.result * 10 + (char - CharCodes.ZERO);
            this.consumed++;
            offset++;
          } else {
            return this.emitNumericEntity(char, 2);
          }
        }
        return -1;
      }
      /**
       * Validate and emit a numeric entity.
       *
       * Implements the logic from the `Hexademical character reference start
       * state` and `Numeric character reference end state` in the HTML spec.
       *
       * @param lastCp The last code point of the entity. Used to see if the
       *               entity was terminated with a semicolon.
       * @param expectedLength The minimum number of characters that should be
       *                       consumed. Used to validate that at least one digit
       *                       was consumed.
       * @returns The number of characters that were consumed.
       */
      emitNumericEntity(lastCp, expectedLength) {
        var _a;
        if (this.consumed <= expectedLength) {
          (_a = this.errors) === null || _a === void 0 ? void 0 : _a.absenceOfDigitsInNumericCharacterReference(this.consumed);
          return 0;
        }
        if (lastCp === CharCodes.SEMI) {
          this.consumed += 1;
        } else if (this.decodeMode === DecodingMode.Strict) {
          return 0;
        }
        this.emitCodePoint((0, decode_codepoint_js_1.replaceCodePoint)(this.result), this.consumed);
        if (this.errors) {
          if (lastCp !== CharCodes.SEMI) {
            this.errors.missingSemicolonAfterCharacterReference();
          }
          this.errors.validateNumericCharacterReference(this.result);
        }
        return this.consumed;
      }
      /**
       * Parses a named entity.
       *
       * Equivalent to the `Named character reference state` in the HTML spec.
       *
       * @param input The string containing the entity (or a continuation of the entity).
       * @param offset The current offset.
       * @returns The number of characters that were consumed, or -1 if the entity is incomplete.
       */
      stateNamedEntity(input, offset) {
        const { decodeTree } = this;
        let current = decodeTree[this.treeIndex];
        let valueLength = (current & bin_trie_flags_js_1.BinTrieFlags.VALUE_LENGTH) >> 14;
        while (offset < input.length) {
          if (valueLength === 0 && (current & bin_trie_flags_js_1.BinTrieFlags.FLAG13) !== 0) {
            const runLength = (current & bin_trie_flags_js_1.BinTrieFlags.BRANCH_LENGTH) >> 7;
            if (this.runConsumed === 0) {
              const firstChar = current & bin_trie_flags_js_1.BinTrieFlags.JUMP_TABLE;
              if (input.charCodeAt(offset) !== firstChar) {
                return this.result === 0 ? 0 : this.emitNotTerminatedNamedEntity();
              }
              offset++;
              this.excess++;
              this.runConsumed++;
            }
            while (this.runConsumed < runLength) {
              if (offset >= input.length) {
                return -1;
              }
              const charIndexInPacked = this.runConsumed - 1;
              const packedWord = decodeTree[this.treeIndex + 1 + (charIndexInPacked >> 1)];
              const expectedChar = charIndexInPacked % 2 === 0 ? packedWord & 255 : packedWord >> 8 & 255;
              if (input.charCodeAt(offset) !== expectedChar) {
                this.runConsumed = 0;
                return this.result === 0 ? 0 : this.emitNotTerminatedNamedEntity();
              }
              offset++;
              this.excess++;
              this.runConsumed++;
            }
            this.runConsumed = 0;
            this.treeIndex += 1 + (runLength >> 1);
            current = decodeTree[this.treeIndex];
            valueLength = (current & bin_trie_flags_js_1.BinTrieFlags.VALUE_LENGTH) >> 14;
          }
          if (offset >= input.length)
            break;
          const char = input.charCodeAt(offset);
          if (char === CharCodes.SEMI && valueLength !== 0 && (current & bin_trie_flags_js_1.BinTrieFlags.FLAG13) !== 0) {
            return this.emitNamedEntityData(this.treeIndex, valueLength, this.consumed + this.excess);
          }
          this.treeIndex = determineBranch(decodeTree, current, this.treeIndex + Math.max(1, valueLength), char);
          if (this.treeIndex < 0) {
            return this.result === 0 || // If we are parsing an attribute
            this.decodeMode === DecodingMode.Attribute && // We shouldn't have consumed any characters after the entity,
            (valueLength === 0 || // And there should be no invalid characters.
            isEntityInAttributeInvalidEnd(char)) ? 0 : this.emitNotTerminatedNamedEntity();
          }
          current = decodeTree[this.treeIndex];
          valueLength = (current & bin_trie_flags_js_1.BinTrieFlags.VALUE_LENGTH) >> 14;
          if (valueLength !== 0) {
            if (char === CharCodes.SEMI) {
              return this.emitNamedEntityData(this.treeIndex, valueLength, this.consumed + this.excess);
            }
            if (this.decodeMode !== DecodingMode.Strict && (current & bin_trie_flags_js_1.BinTrieFlags.FLAG13) === 0) {
              this.result = this.treeIndex;
              this.consumed += this.excess;
              this.excess = 0;
            }
          }
          offset++;
          this.excess++;
        }
        return -1;
      }
      /**
       * Emit a named entity that was not terminated with a semicolon.
       *
       * @returns The number of characters consumed.
       */
      emitNotTerminatedNamedEntity() {
        var _a;
        const { result, decodeTree } = this;
        const valueLength = (decodeTree[result] & bin_trie_flags_js_1.BinTrieFlags.VALUE_LENGTH) >> 14;
        this.emitNamedEntityData(result, valueLength, this.consumed);
        (_a = this.errors) === null || _a === void 0 ? void 0 : _a.missingSemicolonAfterCharacterReference();
        return this.consumed;
      }
      /**
       * Emit a named entity.
       *
       * @param result The index of the entity in the decode tree.
       * @param valueLength The number of bytes in the entity.
       * @param consumed The number of characters consumed.
       *
       * @returns The number of characters consumed.
       */
      emitNamedEntityData(result, valueLength, consumed) {
        const { decodeTree } = this;
        this.emitCodePoint(valueLength === 1 ? decodeTree[result] & ~(bin_trie_flags_js_1.BinTrieFlags.VALUE_LENGTH | bin_trie_flags_js_1.BinTrieFlags.FLAG13) : decodeTree[result + 1], consumed);
        if (valueLength === 3) {
          this.emitCodePoint(decodeTree[result + 2], consumed);
        }
        return consumed;
      }
      /**
       * Signal to the parser that the end of the input was reached.
       *
       * Remaining data will be emitted and relevant errors will be produced.
       *
       * @returns The number of characters consumed.
       */
      end() {
        var _a;
        switch (this.state) {
          case EntityDecoderState.NamedEntity: {
            return this.result !== 0 && (this.decodeMode !== DecodingMode.Attribute || this.result === this.treeIndex) ? this.emitNotTerminatedNamedEntity() : 0;
          }
          // Otherwise, emit a numeric entity if we have one.
          case EntityDecoderState.NumericDecimal: {
            return this.emitNumericEntity(0, 2);
          }
          case EntityDecoderState.NumericHex: {
            return this.emitNumericEntity(0, 3);
          }
          case EntityDecoderState.NumericStart: {
            (_a = this.errors) === null || _a === void 0 ? void 0 : _a.absenceOfDigitsInNumericCharacterReference(this.consumed);
            return 0;
          }
          case EntityDecoderState.EntityStart: {
            return 0;
          }
        }
      }
    };
    exports.EntityDecoder = EntityDecoder;
    function getDecoder(decodeTree) {
      let returnValue = "";
      const decoder = new EntityDecoder(decodeTree, (data) => returnValue += (0, decode_codepoint_js_1.fromCodePoint)(data));
      return function decodeWithTrie(input, decodeMode) {
        let lastIndex = 0;
        let offset = 0;
        while ((offset = input.indexOf("&", offset)) >= 0) {
          returnValue += input.slice(lastIndex, offset);
          decoder.startEntity(decodeMode);
          const length = decoder.write(
            input,
            // Skip the "&"
            offset + 1
          );
          if (length < 0) {
            lastIndex = offset + decoder.end();
            break;
          }
          lastIndex = offset + length;
          offset = length === 0 ? lastIndex + 1 : lastIndex;
        }
        const result = returnValue + input.slice(lastIndex);
        returnValue = "";
        return result;
      };
    }
    function determineBranch(decodeTree, current, nodeIndex, char) {
      const branchCount = (current & bin_trie_flags_js_1.BinTrieFlags.BRANCH_LENGTH) >> 7;
      const jumpOffset = current & bin_trie_flags_js_1.BinTrieFlags.JUMP_TABLE;
      if (branchCount === 0) {
        return jumpOffset !== 0 && char === jumpOffset ? nodeIndex : -1;
      }
      if (jumpOffset) {
        const value = char - jumpOffset;
        return value < 0 || value >= branchCount ? -1 : decodeTree[nodeIndex + value] - 1;
      }
      const packedKeySlots = branchCount + 1 >> 1;
      let lo = 0;
      let hi = branchCount - 1;
      while (lo <= hi) {
        const mid = lo + hi >>> 1;
        const slot = mid >> 1;
        const packed = decodeTree[nodeIndex + slot];
        const midKey = packed >> (mid & 1) * 8 & 255;
        if (midKey < char) {
          lo = mid + 1;
        } else if (midKey > char) {
          hi = mid - 1;
        } else {
          return decodeTree[nodeIndex + packedKeySlots + mid];
        }
      }
      return -1;
    }
    var htmlDecoder = /* @__PURE__ */ getDecoder(decode_data_html_js_1.htmlDecodeTree);
    var xmlDecoder = /* @__PURE__ */ getDecoder(decode_data_xml_js_1.xmlDecodeTree);
    function decodeHTML(htmlString, mode = DecodingMode.Legacy) {
      return htmlDecoder(htmlString, mode);
    }
    function decodeHTMLAttribute(htmlAttribute) {
      return htmlDecoder(htmlAttribute, DecodingMode.Attribute);
    }
    function decodeHTMLStrict(htmlString) {
      return htmlDecoder(htmlString, DecodingMode.Strict);
    }
    function decodeXML(xmlString) {
      return xmlDecoder(xmlString, DecodingMode.Strict);
    }
    var decode_codepoint_js_2 = require_decode_codepoint();
    Object.defineProperty(exports, "decodeCodePoint", { enumerable: true, get: function() {
      return decode_codepoint_js_2.decodeCodePoint;
    } });
    Object.defineProperty(exports, "fromCodePoint", { enumerable: true, get: function() {
      return decode_codepoint_js_2.fromCodePoint;
    } });
    Object.defineProperty(exports, "replaceCodePoint", { enumerable: true, get: function() {
      return decode_codepoint_js_2.replaceCodePoint;
    } });
    var decode_data_html_js_2 = require_decode_data_html();
    Object.defineProperty(exports, "htmlDecodeTree", { enumerable: true, get: function() {
      return decode_data_html_js_2.htmlDecodeTree;
    } });
    var decode_data_xml_js_2 = require_decode_data_xml();
    Object.defineProperty(exports, "xmlDecodeTree", { enumerable: true, get: function() {
      return decode_data_xml_js_2.xmlDecodeTree;
    } });
  }
});

// node_modules/sanitize-html/node_modules/htmlparser2/dist/commonjs/Tokenizer.js
var require_Tokenizer = __commonJS({
  "node_modules/sanitize-html/node_modules/htmlparser2/dist/commonjs/Tokenizer.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.QuoteType = void 0;
    var decode_1 = require_decode();
    var CharCodes;
    (function(CharCodes2) {
      CharCodes2[CharCodes2["Tab"] = 9] = "Tab";
      CharCodes2[CharCodes2["NewLine"] = 10] = "NewLine";
      CharCodes2[CharCodes2["FormFeed"] = 12] = "FormFeed";
      CharCodes2[CharCodes2["CarriageReturn"] = 13] = "CarriageReturn";
      CharCodes2[CharCodes2["Space"] = 32] = "Space";
      CharCodes2[CharCodes2["ExclamationMark"] = 33] = "ExclamationMark";
      CharCodes2[CharCodes2["Number"] = 35] = "Number";
      CharCodes2[CharCodes2["Amp"] = 38] = "Amp";
      CharCodes2[CharCodes2["SingleQuote"] = 39] = "SingleQuote";
      CharCodes2[CharCodes2["DoubleQuote"] = 34] = "DoubleQuote";
      CharCodes2[CharCodes2["Dash"] = 45] = "Dash";
      CharCodes2[CharCodes2["Slash"] = 47] = "Slash";
      CharCodes2[CharCodes2["Zero"] = 48] = "Zero";
      CharCodes2[CharCodes2["Nine"] = 57] = "Nine";
      CharCodes2[CharCodes2["Semi"] = 59] = "Semi";
      CharCodes2[CharCodes2["Lt"] = 60] = "Lt";
      CharCodes2[CharCodes2["Eq"] = 61] = "Eq";
      CharCodes2[CharCodes2["Gt"] = 62] = "Gt";
      CharCodes2[CharCodes2["Questionmark"] = 63] = "Questionmark";
      CharCodes2[CharCodes2["UpperA"] = 65] = "UpperA";
      CharCodes2[CharCodes2["LowerA"] = 97] = "LowerA";
      CharCodes2[CharCodes2["UpperF"] = 70] = "UpperF";
      CharCodes2[CharCodes2["LowerF"] = 102] = "LowerF";
      CharCodes2[CharCodes2["UpperZ"] = 90] = "UpperZ";
      CharCodes2[CharCodes2["LowerZ"] = 122] = "LowerZ";
      CharCodes2[CharCodes2["LowerX"] = 120] = "LowerX";
      CharCodes2[CharCodes2["OpeningSquareBracket"] = 91] = "OpeningSquareBracket";
    })(CharCodes || (CharCodes = {}));
    var State;
    (function(State2) {
      State2[State2["Text"] = 1] = "Text";
      State2[State2["BeforeTagName"] = 2] = "BeforeTagName";
      State2[State2["InTagName"] = 3] = "InTagName";
      State2[State2["InSelfClosingTag"] = 4] = "InSelfClosingTag";
      State2[State2["BeforeClosingTagName"] = 5] = "BeforeClosingTagName";
      State2[State2["InClosingTagName"] = 6] = "InClosingTagName";
      State2[State2["AfterClosingTagName"] = 7] = "AfterClosingTagName";
      State2[State2["BeforeAttributeName"] = 8] = "BeforeAttributeName";
      State2[State2["InAttributeName"] = 9] = "InAttributeName";
      State2[State2["AfterAttributeName"] = 10] = "AfterAttributeName";
      State2[State2["BeforeAttributeValue"] = 11] = "BeforeAttributeValue";
      State2[State2["InAttributeValueDq"] = 12] = "InAttributeValueDq";
      State2[State2["InAttributeValueSq"] = 13] = "InAttributeValueSq";
      State2[State2["InAttributeValueNq"] = 14] = "InAttributeValueNq";
      State2[State2["BeforeDeclaration"] = 15] = "BeforeDeclaration";
      State2[State2["InDeclaration"] = 16] = "InDeclaration";
      State2[State2["InProcessingInstruction"] = 17] = "InProcessingInstruction";
      State2[State2["BeforeComment"] = 18] = "BeforeComment";
      State2[State2["CDATASequence"] = 19] = "CDATASequence";
      State2[State2["InSpecialComment"] = 20] = "InSpecialComment";
      State2[State2["InCommentLike"] = 21] = "InCommentLike";
      State2[State2["BeforeSpecialS"] = 22] = "BeforeSpecialS";
      State2[State2["BeforeSpecialT"] = 23] = "BeforeSpecialT";
      State2[State2["SpecialStartSequence"] = 24] = "SpecialStartSequence";
      State2[State2["InSpecialTag"] = 25] = "InSpecialTag";
      State2[State2["InEntity"] = 26] = "InEntity";
    })(State || (State = {}));
    function isWhitespace(c) {
      return c === CharCodes.Space || c === CharCodes.NewLine || c === CharCodes.Tab || c === CharCodes.FormFeed || c === CharCodes.CarriageReturn;
    }
    function isEndOfTagSection(c) {
      return c === CharCodes.Slash || c === CharCodes.Gt || isWhitespace(c);
    }
    function isASCIIAlpha(c) {
      return c >= CharCodes.LowerA && c <= CharCodes.LowerZ || c >= CharCodes.UpperA && c <= CharCodes.UpperZ;
    }
    var QuoteType;
    (function(QuoteType2) {
      QuoteType2[QuoteType2["NoValue"] = 0] = "NoValue";
      QuoteType2[QuoteType2["Unquoted"] = 1] = "Unquoted";
      QuoteType2[QuoteType2["Single"] = 2] = "Single";
      QuoteType2[QuoteType2["Double"] = 3] = "Double";
    })(QuoteType || (exports.QuoteType = QuoteType = {}));
    var Sequences = {
      Cdata: new Uint8Array([67, 68, 65, 84, 65, 91]),
      // CDATA[
      CdataEnd: new Uint8Array([93, 93, 62]),
      // ]]>
      CommentEnd: new Uint8Array([45, 45, 62]),
      // `-->`
      ScriptEnd: new Uint8Array([60, 47, 115, 99, 114, 105, 112, 116]),
      // `</script`
      StyleEnd: new Uint8Array([60, 47, 115, 116, 121, 108, 101]),
      // `</style`
      TitleEnd: new Uint8Array([60, 47, 116, 105, 116, 108, 101]),
      // `</title`
      TextareaEnd: new Uint8Array([
        60,
        47,
        116,
        101,
        120,
        116,
        97,
        114,
        101,
        97
      ]),
      // `</textarea`
      XmpEnd: new Uint8Array([60, 47, 120, 109, 112])
      // `</xmp`
    };
    var Tokenizer = class {
      constructor({ xmlMode = false, decodeEntities = true }, cbs) {
        this.cbs = cbs;
        this.state = State.Text;
        this.buffer = "";
        this.sectionStart = 0;
        this.index = 0;
        this.entityStart = 0;
        this.baseState = State.Text;
        this.isSpecial = false;
        this.running = true;
        this.offset = 0;
        this.currentSequence = void 0;
        this.sequenceIndex = 0;
        this.xmlMode = xmlMode;
        this.decodeEntities = decodeEntities;
        this.entityDecoder = new decode_1.EntityDecoder(xmlMode ? decode_1.xmlDecodeTree : decode_1.htmlDecodeTree, (cp, consumed) => this.emitCodePoint(cp, consumed));
      }
      reset() {
        this.state = State.Text;
        this.buffer = "";
        this.sectionStart = 0;
        this.index = 0;
        this.baseState = State.Text;
        this.currentSequence = void 0;
        this.running = true;
        this.offset = 0;
      }
      write(chunk) {
        this.offset += this.buffer.length;
        this.buffer = chunk;
        this.parse();
      }
      end() {
        if (this.running)
          this.finish();
      }
      pause() {
        this.running = false;
      }
      resume() {
        this.running = true;
        if (this.index < this.buffer.length + this.offset) {
          this.parse();
        }
      }
      stateText(c) {
        if (c === CharCodes.Lt || !this.decodeEntities && this.fastForwardTo(CharCodes.Lt)) {
          if (this.index > this.sectionStart) {
            this.cbs.ontext(this.sectionStart, this.index);
          }
          this.state = State.BeforeTagName;
          this.sectionStart = this.index;
        } else if (this.decodeEntities && c === CharCodes.Amp) {
          this.startEntity();
        }
      }
      stateSpecialStartSequence(c) {
        const isEnd = this.sequenceIndex === this.currentSequence.length;
        const isMatch = isEnd ? (
          // If we are at the end of the sequence, make sure the tag name has ended
          isEndOfTagSection(c)
        ) : (
          // Otherwise, do a case-insensitive comparison
          (c | 32) === this.currentSequence[this.sequenceIndex]
        );
        if (!isMatch) {
          this.isSpecial = false;
        } else if (!isEnd) {
          this.sequenceIndex++;
          return;
        }
        this.sequenceIndex = 0;
        this.state = State.InTagName;
        this.stateInTagName(c);
      }
      /** Look for an end tag. For <title> tags, also decode entities. */
      stateInSpecialTag(c) {
        if (this.sequenceIndex === this.currentSequence.length) {
          if (c === CharCodes.Gt || isWhitespace(c)) {
            const endOfText = this.index - this.currentSequence.length;
            if (this.sectionStart < endOfText) {
              const actualIndex = this.index;
              this.index = endOfText;
              this.cbs.ontext(this.sectionStart, endOfText);
              this.index = actualIndex;
            }
            this.isSpecial = false;
            this.sectionStart = endOfText + 2;
            this.stateInClosingTagName(c);
            return;
          }
          this.sequenceIndex = 0;
        }
        if ((c | 32) === this.currentSequence[this.sequenceIndex]) {
          this.sequenceIndex += 1;
        } else if (this.sequenceIndex === 0) {
          if (this.currentSequence === Sequences.TitleEnd) {
            if (this.decodeEntities && c === CharCodes.Amp) {
              this.startEntity();
            }
          } else if (this.fastForwardTo(CharCodes.Lt)) {
            this.sequenceIndex = 1;
          }
        } else {
          this.sequenceIndex = Number(c === CharCodes.Lt);
        }
      }
      stateCDATASequence(c) {
        if (c === Sequences.Cdata[this.sequenceIndex]) {
          if (++this.sequenceIndex === Sequences.Cdata.length) {
            this.state = State.InCommentLike;
            this.currentSequence = Sequences.CdataEnd;
            this.sequenceIndex = 0;
            this.sectionStart = this.index + 1;
          }
        } else {
          this.sequenceIndex = 0;
          this.state = State.InDeclaration;
          this.stateInDeclaration(c);
        }
      }
      /**
       * When we wait for one specific character, we can speed things up
       * by skipping through the buffer until we find it.
       *
       * @returns Whether the character was found.
       */
      fastForwardTo(c) {
        while (++this.index < this.buffer.length + this.offset) {
          if (this.buffer.charCodeAt(this.index - this.offset) === c) {
            return true;
          }
        }
        this.index = this.buffer.length + this.offset - 1;
        return false;
      }
      /**
       * Comments and CDATA end with `-->` and `]]>`.
       *
       * Their common qualities are:
       * - Their end sequences have a distinct character they start with.
       * - That character is then repeated, so we have to check multiple repeats.
       * - All characters but the start character of the sequence can be skipped.
       */
      stateInCommentLike(c) {
        if (c === this.currentSequence[this.sequenceIndex]) {
          if (++this.sequenceIndex === this.currentSequence.length) {
            if (this.currentSequence === Sequences.CdataEnd) {
              this.cbs.oncdata(this.sectionStart, this.index, 2);
            } else {
              this.cbs.oncomment(this.sectionStart, this.index, 2);
            }
            this.sequenceIndex = 0;
            this.sectionStart = this.index + 1;
            this.state = State.Text;
          }
        } else if (this.sequenceIndex === 0) {
          if (this.fastForwardTo(this.currentSequence[0])) {
            this.sequenceIndex = 1;
          }
        } else if (c !== this.currentSequence[this.sequenceIndex - 1]) {
          this.sequenceIndex = 0;
        }
      }
      /**
       * HTML only allows ASCII alpha characters (a-z and A-Z) at the beginning of a tag name.
       *
       * XML allows a lot more characters here (@see https://www.w3.org/TR/REC-xml/#NT-NameStartChar).
       * We allow anything that wouldn't end the tag.
       */
      isTagStartChar(c) {
        return this.xmlMode ? !isEndOfTagSection(c) : isASCIIAlpha(c);
      }
      startSpecial(sequence, offset) {
        this.isSpecial = true;
        this.currentSequence = sequence;
        this.sequenceIndex = offset;
        this.state = State.SpecialStartSequence;
      }
      stateBeforeTagName(c) {
        if (c === CharCodes.ExclamationMark) {
          this.state = State.BeforeDeclaration;
          this.sectionStart = this.index + 1;
        } else if (c === CharCodes.Questionmark) {
          this.state = State.InProcessingInstruction;
          this.sectionStart = this.index + 1;
        } else if (this.isTagStartChar(c)) {
          const lower = c | 32;
          this.sectionStart = this.index;
          if (this.xmlMode) {
            this.state = State.InTagName;
          } else if (lower === Sequences.ScriptEnd[2]) {
            this.state = State.BeforeSpecialS;
          } else if (lower === Sequences.TitleEnd[2] || lower === Sequences.XmpEnd[2]) {
            this.state = State.BeforeSpecialT;
          } else {
            this.state = State.InTagName;
          }
        } else if (c === CharCodes.Slash) {
          this.state = State.BeforeClosingTagName;
        } else {
          this.state = State.Text;
          this.stateText(c);
        }
      }
      stateInTagName(c) {
        if (isEndOfTagSection(c)) {
          this.cbs.onopentagname(this.sectionStart, this.index);
          this.sectionStart = -1;
          this.state = State.BeforeAttributeName;
          this.stateBeforeAttributeName(c);
        }
      }
      stateBeforeClosingTagName(c) {
        if (isWhitespace(c)) {
        } else if (c === CharCodes.Gt) {
          this.state = State.Text;
        } else {
          this.state = this.isTagStartChar(c) ? State.InClosingTagName : State.InSpecialComment;
          this.sectionStart = this.index;
        }
      }
      stateInClosingTagName(c) {
        if (c === CharCodes.Gt || isWhitespace(c)) {
          this.cbs.onclosetag(this.sectionStart, this.index);
          this.sectionStart = -1;
          this.state = State.AfterClosingTagName;
          this.stateAfterClosingTagName(c);
        }
      }
      stateAfterClosingTagName(c) {
        if (c === CharCodes.Gt || this.fastForwardTo(CharCodes.Gt)) {
          this.state = State.Text;
          this.sectionStart = this.index + 1;
        }
      }
      stateBeforeAttributeName(c) {
        if (c === CharCodes.Gt) {
          this.cbs.onopentagend(this.index);
          if (this.isSpecial) {
            this.state = State.InSpecialTag;
            this.sequenceIndex = 0;
          } else {
            this.state = State.Text;
          }
          this.sectionStart = this.index + 1;
        } else if (c === CharCodes.Slash) {
          this.state = State.InSelfClosingTag;
        } else if (!isWhitespace(c)) {
          this.state = State.InAttributeName;
          this.sectionStart = this.index;
        }
      }
      stateInSelfClosingTag(c) {
        if (c === CharCodes.Gt) {
          this.cbs.onselfclosingtag(this.index);
          this.state = State.Text;
          this.sectionStart = this.index + 1;
          this.isSpecial = false;
        } else if (!isWhitespace(c)) {
          this.state = State.BeforeAttributeName;
          this.stateBeforeAttributeName(c);
        }
      }
      stateInAttributeName(c) {
        if (c === CharCodes.Eq || isEndOfTagSection(c)) {
          this.cbs.onattribname(this.sectionStart, this.index);
          this.sectionStart = this.index;
          this.state = State.AfterAttributeName;
          this.stateAfterAttributeName(c);
        }
      }
      stateAfterAttributeName(c) {
        if (c === CharCodes.Eq) {
          this.state = State.BeforeAttributeValue;
        } else if (c === CharCodes.Slash || c === CharCodes.Gt) {
          this.cbs.onattribend(QuoteType.NoValue, this.sectionStart);
          this.sectionStart = -1;
          this.state = State.BeforeAttributeName;
          this.stateBeforeAttributeName(c);
        } else if (!isWhitespace(c)) {
          this.cbs.onattribend(QuoteType.NoValue, this.sectionStart);
          this.state = State.InAttributeName;
          this.sectionStart = this.index;
        }
      }
      stateBeforeAttributeValue(c) {
        if (c === CharCodes.DoubleQuote) {
          this.state = State.InAttributeValueDq;
          this.sectionStart = this.index + 1;
        } else if (c === CharCodes.SingleQuote) {
          this.state = State.InAttributeValueSq;
          this.sectionStart = this.index + 1;
        } else if (!isWhitespace(c)) {
          this.sectionStart = this.index;
          this.state = State.InAttributeValueNq;
          this.stateInAttributeValueNoQuotes(c);
        }
      }
      handleInAttributeValue(c, quote) {
        if (c === quote || !this.decodeEntities && this.fastForwardTo(quote)) {
          this.cbs.onattribdata(this.sectionStart, this.index);
          this.sectionStart = -1;
          this.cbs.onattribend(quote === CharCodes.DoubleQuote ? QuoteType.Double : QuoteType.Single, this.index + 1);
          this.state = State.BeforeAttributeName;
        } else if (this.decodeEntities && c === CharCodes.Amp) {
          this.startEntity();
        }
      }
      stateInAttributeValueDoubleQuotes(c) {
        this.handleInAttributeValue(c, CharCodes.DoubleQuote);
      }
      stateInAttributeValueSingleQuotes(c) {
        this.handleInAttributeValue(c, CharCodes.SingleQuote);
      }
      stateInAttributeValueNoQuotes(c) {
        if (isWhitespace(c) || c === CharCodes.Gt) {
          this.cbs.onattribdata(this.sectionStart, this.index);
          this.sectionStart = -1;
          this.cbs.onattribend(QuoteType.Unquoted, this.index);
          this.state = State.BeforeAttributeName;
          this.stateBeforeAttributeName(c);
        } else if (this.decodeEntities && c === CharCodes.Amp) {
          this.startEntity();
        }
      }
      stateBeforeDeclaration(c) {
        if (c === CharCodes.OpeningSquareBracket) {
          this.state = State.CDATASequence;
          this.sequenceIndex = 0;
        } else {
          this.state = c === CharCodes.Dash ? State.BeforeComment : State.InDeclaration;
        }
      }
      stateInDeclaration(c) {
        if (c === CharCodes.Gt || this.fastForwardTo(CharCodes.Gt)) {
          this.cbs.ondeclaration(this.sectionStart, this.index);
          this.state = State.Text;
          this.sectionStart = this.index + 1;
        }
      }
      stateInProcessingInstruction(c) {
        if (c === CharCodes.Gt || this.fastForwardTo(CharCodes.Gt)) {
          this.cbs.onprocessinginstruction(this.sectionStart, this.index);
          this.state = State.Text;
          this.sectionStart = this.index + 1;
        }
      }
      stateBeforeComment(c) {
        if (c === CharCodes.Dash) {
          this.state = State.InCommentLike;
          this.currentSequence = Sequences.CommentEnd;
          this.sequenceIndex = 2;
          this.sectionStart = this.index + 1;
        } else {
          this.state = State.InDeclaration;
        }
      }
      stateInSpecialComment(c) {
        if (c === CharCodes.Gt || this.fastForwardTo(CharCodes.Gt)) {
          this.cbs.oncomment(this.sectionStart, this.index, 0);
          this.state = State.Text;
          this.sectionStart = this.index + 1;
        }
      }
      stateBeforeSpecialS(c) {
        const lower = c | 32;
        if (lower === Sequences.ScriptEnd[3]) {
          this.startSpecial(Sequences.ScriptEnd, 4);
        } else if (lower === Sequences.StyleEnd[3]) {
          this.startSpecial(Sequences.StyleEnd, 4);
        } else {
          this.state = State.InTagName;
          this.stateInTagName(c);
        }
      }
      stateBeforeSpecialT(c) {
        const lower = c | 32;
        switch (lower) {
          case Sequences.TitleEnd[3]: {
            this.startSpecial(Sequences.TitleEnd, 4);
            break;
          }
          case Sequences.TextareaEnd[3]: {
            this.startSpecial(Sequences.TextareaEnd, 4);
            break;
          }
          case Sequences.XmpEnd[3]: {
            this.startSpecial(Sequences.XmpEnd, 4);
            break;
          }
          default: {
            this.state = State.InTagName;
            this.stateInTagName(c);
          }
        }
      }
      startEntity() {
        this.baseState = this.state;
        this.state = State.InEntity;
        this.entityStart = this.index;
        this.entityDecoder.startEntity(this.xmlMode ? decode_1.DecodingMode.Strict : this.baseState === State.Text || this.baseState === State.InSpecialTag ? decode_1.DecodingMode.Legacy : decode_1.DecodingMode.Attribute);
      }
      stateInEntity() {
        const indexInBuffer = this.index - this.offset;
        const length = this.entityDecoder.write(this.buffer, indexInBuffer);
        if (length >= 0) {
          this.state = this.baseState;
          if (length === 0) {
            this.index -= 1;
          }
        } else {
          if (indexInBuffer < this.buffer.length && this.buffer.charCodeAt(indexInBuffer) === CharCodes.Amp) {
            this.state = this.baseState;
            this.index -= 1;
            return;
          }
          this.index = this.offset + this.buffer.length - 1;
        }
      }
      /**
       * Remove data that has already been consumed from the buffer.
       */
      cleanup() {
        if (this.running && this.sectionStart !== this.index) {
          if (this.state === State.Text || this.state === State.InSpecialTag && this.sequenceIndex === 0) {
            this.cbs.ontext(this.sectionStart, this.index);
            this.sectionStart = this.index;
          } else if (this.state === State.InAttributeValueDq || this.state === State.InAttributeValueSq || this.state === State.InAttributeValueNq) {
            this.cbs.onattribdata(this.sectionStart, this.index);
            this.sectionStart = this.index;
          }
        }
      }
      shouldContinue() {
        return this.index < this.buffer.length + this.offset && this.running;
      }
      /**
       * Iterates through the buffer, calling the function corresponding to the current state.
       *
       * States that are more likely to be hit are higher up, as a performance improvement.
       */
      parse() {
        while (this.shouldContinue()) {
          const c = this.buffer.charCodeAt(this.index - this.offset);
          switch (this.state) {
            case State.Text: {
              this.stateText(c);
              break;
            }
            case State.SpecialStartSequence: {
              this.stateSpecialStartSequence(c);
              break;
            }
            case State.InSpecialTag: {
              this.stateInSpecialTag(c);
              break;
            }
            case State.CDATASequence: {
              this.stateCDATASequence(c);
              break;
            }
            case State.InAttributeValueDq: {
              this.stateInAttributeValueDoubleQuotes(c);
              break;
            }
            case State.InAttributeName: {
              this.stateInAttributeName(c);
              break;
            }
            case State.InCommentLike: {
              this.stateInCommentLike(c);
              break;
            }
            case State.InSpecialComment: {
              this.stateInSpecialComment(c);
              break;
            }
            case State.BeforeAttributeName: {
              this.stateBeforeAttributeName(c);
              break;
            }
            case State.InTagName: {
              this.stateInTagName(c);
              break;
            }
            case State.InClosingTagName: {
              this.stateInClosingTagName(c);
              break;
            }
            case State.BeforeTagName: {
              this.stateBeforeTagName(c);
              break;
            }
            case State.AfterAttributeName: {
              this.stateAfterAttributeName(c);
              break;
            }
            case State.InAttributeValueSq: {
              this.stateInAttributeValueSingleQuotes(c);
              break;
            }
            case State.BeforeAttributeValue: {
              this.stateBeforeAttributeValue(c);
              break;
            }
            case State.BeforeClosingTagName: {
              this.stateBeforeClosingTagName(c);
              break;
            }
            case State.AfterClosingTagName: {
              this.stateAfterClosingTagName(c);
              break;
            }
            case State.BeforeSpecialS: {
              this.stateBeforeSpecialS(c);
              break;
            }
            case State.BeforeSpecialT: {
              this.stateBeforeSpecialT(c);
              break;
            }
            case State.InAttributeValueNq: {
              this.stateInAttributeValueNoQuotes(c);
              break;
            }
            case State.InSelfClosingTag: {
              this.stateInSelfClosingTag(c);
              break;
            }
            case State.InDeclaration: {
              this.stateInDeclaration(c);
              break;
            }
            case State.BeforeDeclaration: {
              this.stateBeforeDeclaration(c);
              break;
            }
            case State.BeforeComment: {
              this.stateBeforeComment(c);
              break;
            }
            case State.InProcessingInstruction: {
              this.stateInProcessingInstruction(c);
              break;
            }
            case State.InEntity: {
              this.stateInEntity();
              break;
            }
          }
          this.index++;
        }
        this.cleanup();
      }
      finish() {
        if (this.state === State.InEntity) {
          this.entityDecoder.end();
          this.state = this.baseState;
        }
        this.handleTrailingData();
        this.cbs.onend();
      }
      /** Handle any trailing data. */
      handleTrailingData() {
        const endIndex = this.buffer.length + this.offset;
        if (this.sectionStart >= endIndex) {
          return;
        }
        if (this.state === State.InCommentLike) {
          if (this.currentSequence === Sequences.CdataEnd) {
            this.cbs.oncdata(this.sectionStart, endIndex, 0);
          } else {
            this.cbs.oncomment(this.sectionStart, endIndex, 0);
          }
        } else if (this.state === State.InTagName || this.state === State.BeforeAttributeName || this.state === State.BeforeAttributeValue || this.state === State.AfterAttributeName || this.state === State.InAttributeName || this.state === State.InAttributeValueSq || this.state === State.InAttributeValueDq || this.state === State.InAttributeValueNq || this.state === State.InClosingTagName) {
        } else {
          this.cbs.ontext(this.sectionStart, endIndex);
        }
      }
      emitCodePoint(cp, consumed) {
        if (this.baseState !== State.Text && this.baseState !== State.InSpecialTag) {
          if (this.sectionStart < this.entityStart) {
            this.cbs.onattribdata(this.sectionStart, this.entityStart);
          }
          this.sectionStart = this.entityStart + consumed;
          this.index = this.sectionStart - 1;
          this.cbs.onattribentity(cp);
        } else {
          if (this.sectionStart < this.entityStart) {
            this.cbs.ontext(this.sectionStart, this.entityStart);
          }
          this.sectionStart = this.entityStart + consumed;
          this.index = this.sectionStart - 1;
          this.cbs.ontextentity(cp, this.sectionStart);
        }
      }
    };
    exports.default = Tokenizer;
  }
});

// node_modules/sanitize-html/node_modules/htmlparser2/dist/commonjs/Parser.js
var require_Parser = __commonJS({
  "node_modules/sanitize-html/node_modules/htmlparser2/dist/commonjs/Parser.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v2) {
      Object.defineProperty(o, "default", { enumerable: true, value: v2 });
    }) : function(o, v2) {
      o["default"] = v2;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Parser = void 0;
    var Tokenizer_js_1 = __importStar(require_Tokenizer());
    var decode_1 = require_decode();
    var formTags = /* @__PURE__ */ new Set([
      "input",
      "option",
      "optgroup",
      "select",
      "button",
      "datalist",
      "textarea"
    ]);
    var pTag = /* @__PURE__ */ new Set(["p"]);
    var tableSectionTags = /* @__PURE__ */ new Set(["thead", "tbody"]);
    var ddtTags = /* @__PURE__ */ new Set(["dd", "dt"]);
    var rtpTags = /* @__PURE__ */ new Set(["rt", "rp"]);
    var openImpliesClose = /* @__PURE__ */ new Map([
      ["tr", /* @__PURE__ */ new Set(["tr", "th", "td"])],
      ["th", /* @__PURE__ */ new Set(["th"])],
      ["td", /* @__PURE__ */ new Set(["thead", "th", "td"])],
      ["body", /* @__PURE__ */ new Set(["head", "link", "script"])],
      ["li", /* @__PURE__ */ new Set(["li"])],
      ["p", pTag],
      ["h1", pTag],
      ["h2", pTag],
      ["h3", pTag],
      ["h4", pTag],
      ["h5", pTag],
      ["h6", pTag],
      ["select", formTags],
      ["input", formTags],
      ["output", formTags],
      ["button", formTags],
      ["datalist", formTags],
      ["textarea", formTags],
      ["option", /* @__PURE__ */ new Set(["option"])],
      ["optgroup", /* @__PURE__ */ new Set(["optgroup", "option"])],
      ["dd", ddtTags],
      ["dt", ddtTags],
      ["address", pTag],
      ["article", pTag],
      ["aside", pTag],
      ["blockquote", pTag],
      ["details", pTag],
      ["div", pTag],
      ["dl", pTag],
      ["fieldset", pTag],
      ["figcaption", pTag],
      ["figure", pTag],
      ["footer", pTag],
      ["form", pTag],
      ["header", pTag],
      ["hr", pTag],
      ["main", pTag],
      ["nav", pTag],
      ["ol", pTag],
      ["pre", pTag],
      ["section", pTag],
      ["table", pTag],
      ["ul", pTag],
      ["rt", rtpTags],
      ["rp", rtpTags],
      ["tbody", tableSectionTags],
      ["tfoot", tableSectionTags]
    ]);
    var voidElements = /* @__PURE__ */ new Set([
      "area",
      "base",
      "basefont",
      "br",
      "col",
      "command",
      "embed",
      "frame",
      "hr",
      "img",
      "input",
      "isindex",
      "keygen",
      "link",
      "meta",
      "param",
      "source",
      "track",
      "wbr"
    ]);
    var foreignContextElements = /* @__PURE__ */ new Set(["math", "svg"]);
    var htmlIntegrationElements = /* @__PURE__ */ new Set([
      "mi",
      "mo",
      "mn",
      "ms",
      "mtext",
      "annotation-xml",
      "foreignobject",
      "desc",
      "title"
    ]);
    var reNameEnd = /\s|\//;
    var Parser = class {
      constructor(cbs, options = {}) {
        var _a, _b, _c, _d, _e2, _f;
        this.options = options;
        this.startIndex = 0;
        this.endIndex = 0;
        this.openTagStart = 0;
        this.tagname = "";
        this.attribname = "";
        this.attribvalue = "";
        this.attribs = null;
        this.stack = [];
        this.buffers = [];
        this.bufferOffset = 0;
        this.writeIndex = 0;
        this.ended = false;
        this.cbs = cbs !== null && cbs !== void 0 ? cbs : {};
        this.htmlMode = !this.options.xmlMode;
        this.lowerCaseTagNames = (_a = options.lowerCaseTags) !== null && _a !== void 0 ? _a : this.htmlMode;
        this.lowerCaseAttributeNames = (_b = options.lowerCaseAttributeNames) !== null && _b !== void 0 ? _b : this.htmlMode;
        this.recognizeSelfClosing = (_c = options.recognizeSelfClosing) !== null && _c !== void 0 ? _c : !this.htmlMode;
        this.tokenizer = new ((_d = options.Tokenizer) !== null && _d !== void 0 ? _d : Tokenizer_js_1.default)(this.options, this);
        this.foreignContext = [!this.htmlMode];
        (_f = (_e2 = this.cbs).onparserinit) === null || _f === void 0 ? void 0 : _f.call(_e2, this);
      }
      // Tokenizer event handlers
      /** @internal */
      ontext(start, endIndex) {
        var _a, _b;
        const data = this.getSlice(start, endIndex);
        this.endIndex = endIndex - 1;
        (_b = (_a = this.cbs).ontext) === null || _b === void 0 ? void 0 : _b.call(_a, data);
        this.startIndex = endIndex;
      }
      /** @internal */
      ontextentity(cp, endIndex) {
        var _a, _b;
        this.endIndex = endIndex - 1;
        (_b = (_a = this.cbs).ontext) === null || _b === void 0 ? void 0 : _b.call(_a, (0, decode_1.fromCodePoint)(cp));
        this.startIndex = endIndex;
      }
      /**
       * Checks if the current tag is a void element. Override this if you want
       * to specify your own additional void elements.
       */
      isVoidElement(name) {
        return this.htmlMode && voidElements.has(name);
      }
      /** @internal */
      onopentagname(start, endIndex) {
        this.endIndex = endIndex;
        let name = this.getSlice(start, endIndex);
        if (this.lowerCaseTagNames) {
          name = name.toLowerCase();
        }
        this.emitOpenTag(name);
      }
      emitOpenTag(name) {
        var _a, _b, _c, _d;
        this.openTagStart = this.startIndex;
        this.tagname = name;
        const impliesClose = this.htmlMode && openImpliesClose.get(name);
        if (impliesClose) {
          while (this.stack.length > 0 && impliesClose.has(this.stack[0])) {
            const element2 = this.stack.shift();
            (_b = (_a = this.cbs).onclosetag) === null || _b === void 0 ? void 0 : _b.call(_a, element2, true);
          }
        }
        if (!this.isVoidElement(name)) {
          this.stack.unshift(name);
          if (this.htmlMode) {
            if (foreignContextElements.has(name)) {
              this.foreignContext.unshift(true);
            } else if (htmlIntegrationElements.has(name)) {
              this.foreignContext.unshift(false);
            }
          }
        }
        (_d = (_c = this.cbs).onopentagname) === null || _d === void 0 ? void 0 : _d.call(_c, name);
        if (this.cbs.onopentag)
          this.attribs = {};
      }
      endOpenTag(isImplied) {
        var _a, _b;
        this.startIndex = this.openTagStart;
        if (this.attribs) {
          (_b = (_a = this.cbs).onopentag) === null || _b === void 0 ? void 0 : _b.call(_a, this.tagname, this.attribs, isImplied);
          this.attribs = null;
        }
        if (this.cbs.onclosetag && this.isVoidElement(this.tagname)) {
          this.cbs.onclosetag(this.tagname, true);
        }
        this.tagname = "";
      }
      /** @internal */
      onopentagend(endIndex) {
        this.endIndex = endIndex;
        this.endOpenTag(false);
        this.startIndex = endIndex + 1;
      }
      /** @internal */
      onclosetag(start, endIndex) {
        var _a, _b, _c, _d, _e2, _f, _g, _h;
        this.endIndex = endIndex;
        let name = this.getSlice(start, endIndex);
        if (this.lowerCaseTagNames) {
          name = name.toLowerCase();
        }
        if (this.htmlMode && (foreignContextElements.has(name) || htmlIntegrationElements.has(name))) {
          this.foreignContext.shift();
        }
        if (!this.isVoidElement(name)) {
          const pos = this.stack.indexOf(name);
          if (pos !== -1) {
            for (let index = 0; index <= pos; index++) {
              const element2 = this.stack.shift();
              (_b = (_a = this.cbs).onclosetag) === null || _b === void 0 ? void 0 : _b.call(_a, element2, index !== pos);
            }
          } else if (this.htmlMode && name === "p") {
            this.emitOpenTag("p");
            this.closeCurrentTag(true);
          }
        } else if (this.htmlMode && name === "br") {
          (_d = (_c = this.cbs).onopentagname) === null || _d === void 0 ? void 0 : _d.call(_c, "br");
          (_f = (_e2 = this.cbs).onopentag) === null || _f === void 0 ? void 0 : _f.call(_e2, "br", {}, true);
          (_h = (_g = this.cbs).onclosetag) === null || _h === void 0 ? void 0 : _h.call(_g, "br", false);
        }
        this.startIndex = endIndex + 1;
      }
      /** @internal */
      onselfclosingtag(endIndex) {
        this.endIndex = endIndex;
        if (this.recognizeSelfClosing || this.foreignContext[0]) {
          this.closeCurrentTag(false);
          this.startIndex = endIndex + 1;
        } else {
          this.onopentagend(endIndex);
        }
      }
      closeCurrentTag(isOpenImplied) {
        var _a, _b;
        const name = this.tagname;
        this.endOpenTag(isOpenImplied);
        if (this.stack[0] === name) {
          (_b = (_a = this.cbs).onclosetag) === null || _b === void 0 ? void 0 : _b.call(_a, name, !isOpenImplied);
          this.stack.shift();
        }
      }
      /** @internal */
      onattribname(start, endIndex) {
        this.startIndex = start;
        const name = this.getSlice(start, endIndex);
        this.attribname = this.lowerCaseAttributeNames ? name.toLowerCase() : name;
      }
      /** @internal */
      onattribdata(start, endIndex) {
        this.attribvalue += this.getSlice(start, endIndex);
      }
      /** @internal */
      onattribentity(cp) {
        this.attribvalue += (0, decode_1.fromCodePoint)(cp);
      }
      /** @internal */
      onattribend(quote, endIndex) {
        var _a, _b;
        this.endIndex = endIndex;
        (_b = (_a = this.cbs).onattribute) === null || _b === void 0 ? void 0 : _b.call(_a, this.attribname, this.attribvalue, quote === Tokenizer_js_1.QuoteType.Double ? '"' : quote === Tokenizer_js_1.QuoteType.Single ? "'" : quote === Tokenizer_js_1.QuoteType.NoValue ? void 0 : null);
        if (this.attribs && !Object.prototype.hasOwnProperty.call(this.attribs, this.attribname)) {
          this.attribs[this.attribname] = this.attribvalue;
        }
        this.attribvalue = "";
      }
      getInstructionName(value) {
        const index = value.search(reNameEnd);
        let name = index < 0 ? value : value.substr(0, index);
        if (this.lowerCaseTagNames) {
          name = name.toLowerCase();
        }
        return name;
      }
      /** @internal */
      ondeclaration(start, endIndex) {
        this.endIndex = endIndex;
        const value = this.getSlice(start, endIndex);
        if (this.cbs.onprocessinginstruction) {
          const name = this.getInstructionName(value);
          this.cbs.onprocessinginstruction(`!${name}`, `!${value}`);
        }
        this.startIndex = endIndex + 1;
      }
      /** @internal */
      onprocessinginstruction(start, endIndex) {
        this.endIndex = endIndex;
        const value = this.getSlice(start, endIndex);
        if (this.cbs.onprocessinginstruction) {
          const name = this.getInstructionName(value);
          this.cbs.onprocessinginstruction(`?${name}`, `?${value}`);
        }
        this.startIndex = endIndex + 1;
      }
      /** @internal */
      oncomment(start, endIndex, offset) {
        var _a, _b, _c, _d;
        this.endIndex = endIndex;
        (_b = (_a = this.cbs).oncomment) === null || _b === void 0 ? void 0 : _b.call(_a, this.getSlice(start, endIndex - offset));
        (_d = (_c = this.cbs).oncommentend) === null || _d === void 0 ? void 0 : _d.call(_c);
        this.startIndex = endIndex + 1;
      }
      /** @internal */
      oncdata(start, endIndex, offset) {
        var _a, _b, _c, _d, _e2, _f, _g, _h, _j, _k;
        this.endIndex = endIndex;
        const value = this.getSlice(start, endIndex - offset);
        if (!this.htmlMode || this.options.recognizeCDATA) {
          (_b = (_a = this.cbs).oncdatastart) === null || _b === void 0 ? void 0 : _b.call(_a);
          (_d = (_c = this.cbs).ontext) === null || _d === void 0 ? void 0 : _d.call(_c, value);
          (_f = (_e2 = this.cbs).oncdataend) === null || _f === void 0 ? void 0 : _f.call(_e2);
        } else {
          (_h = (_g = this.cbs).oncomment) === null || _h === void 0 ? void 0 : _h.call(_g, `[CDATA[${value}]]`);
          (_k = (_j = this.cbs).oncommentend) === null || _k === void 0 ? void 0 : _k.call(_j);
        }
        this.startIndex = endIndex + 1;
      }
      /** @internal */
      onend() {
        var _a, _b;
        if (this.cbs.onclosetag) {
          this.endIndex = this.startIndex;
          for (let index = 0; index < this.stack.length; index++) {
            this.cbs.onclosetag(this.stack[index], true);
          }
        }
        (_b = (_a = this.cbs).onend) === null || _b === void 0 ? void 0 : _b.call(_a);
      }
      /**
       * Resets the parser to a blank state, ready to parse a new HTML document
       */
      reset() {
        var _a, _b, _c, _d;
        (_b = (_a = this.cbs).onreset) === null || _b === void 0 ? void 0 : _b.call(_a);
        this.tokenizer.reset();
        this.tagname = "";
        this.attribname = "";
        this.attribs = null;
        this.stack.length = 0;
        this.startIndex = 0;
        this.endIndex = 0;
        (_d = (_c = this.cbs).onparserinit) === null || _d === void 0 ? void 0 : _d.call(_c, this);
        this.buffers.length = 0;
        this.foreignContext.length = 0;
        this.foreignContext.unshift(!this.htmlMode);
        this.bufferOffset = 0;
        this.writeIndex = 0;
        this.ended = false;
      }
      /**
       * Resets the parser, then parses a complete document and
       * pushes it to the handler.
       *
       * @param data Document to parse.
       */
      parseComplete(data) {
        this.reset();
        this.end(data);
      }
      getSlice(start, end) {
        while (start - this.bufferOffset >= this.buffers[0].length) {
          this.shiftBuffer();
        }
        let slice = this.buffers[0].slice(start - this.bufferOffset, end - this.bufferOffset);
        while (end - this.bufferOffset > this.buffers[0].length) {
          this.shiftBuffer();
          slice += this.buffers[0].slice(0, end - this.bufferOffset);
        }
        return slice;
      }
      shiftBuffer() {
        this.bufferOffset += this.buffers[0].length;
        this.writeIndex--;
        this.buffers.shift();
      }
      /**
       * Parses a chunk of data and calls the corresponding callbacks.
       *
       * @param chunk Chunk to parse.
       */
      write(chunk) {
        var _a, _b;
        if (this.ended) {
          (_b = (_a = this.cbs).onerror) === null || _b === void 0 ? void 0 : _b.call(_a, new Error(".write() after done!"));
          return;
        }
        this.buffers.push(chunk);
        if (this.tokenizer.running) {
          this.tokenizer.write(chunk);
          this.writeIndex++;
        }
      }
      /**
       * Parses the end of the buffer and clears the stack, calls onend.
       *
       * @param chunk Optional final chunk to parse.
       */
      end(chunk) {
        var _a, _b;
        if (this.ended) {
          (_b = (_a = this.cbs).onerror) === null || _b === void 0 ? void 0 : _b.call(_a, new Error(".end() after done!"));
          return;
        }
        if (chunk)
          this.write(chunk);
        this.ended = true;
        this.tokenizer.end();
      }
      /**
       * Pauses parsing. The parser won't emit events until `resume` is called.
       */
      pause() {
        this.tokenizer.pause();
      }
      /**
       * Resumes parsing after `pause` was called.
       */
      resume() {
        this.tokenizer.resume();
        while (this.tokenizer.running && this.writeIndex < this.buffers.length) {
          this.tokenizer.write(this.buffers[this.writeIndex++]);
        }
        if (this.ended)
          this.tokenizer.end();
      }
      /**
       * Alias of `write`, for backwards compatibility.
       *
       * @param chunk Chunk to parse.
       * @deprecated
       */
      parseChunk(chunk) {
        this.write(chunk);
      }
      /**
       * Alias of `end`, for backwards compatibility.
       *
       * @param chunk Optional final chunk to parse.
       * @deprecated
       */
      done(chunk) {
        this.end(chunk);
      }
    };
    exports.Parser = Parser;
  }
});

// node_modules/sanitize-html/node_modules/domelementtype/lib/index.js
var require_lib = __commonJS({
  "node_modules/sanitize-html/node_modules/domelementtype/lib/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.Doctype = exports.CDATA = exports.Tag = exports.Style = exports.Script = exports.Comment = exports.Directive = exports.Text = exports.Root = exports.isTag = exports.ElementType = void 0;
    var ElementType;
    (function(ElementType2) {
      ElementType2["Root"] = "root";
      ElementType2["Text"] = "text";
      ElementType2["Directive"] = "directive";
      ElementType2["Comment"] = "comment";
      ElementType2["Script"] = "script";
      ElementType2["Style"] = "style";
      ElementType2["Tag"] = "tag";
      ElementType2["CDATA"] = "cdata";
      ElementType2["Doctype"] = "doctype";
    })(ElementType = exports.ElementType || (exports.ElementType = {}));
    function isTag(elem) {
      return elem.type === ElementType.Tag || elem.type === ElementType.Script || elem.type === ElementType.Style;
    }
    exports.isTag = isTag;
    exports.Root = ElementType.Root;
    exports.Text = ElementType.Text;
    exports.Directive = ElementType.Directive;
    exports.Comment = ElementType.Comment;
    exports.Script = ElementType.Script;
    exports.Style = ElementType.Style;
    exports.Tag = ElementType.Tag;
    exports.CDATA = ElementType.CDATA;
    exports.Doctype = ElementType.Doctype;
  }
});

// node_modules/sanitize-html/node_modules/domhandler/lib/node.js
var require_node = __commonJS({
  "node_modules/sanitize-html/node_modules/domhandler/lib/node.js"(exports) {
    "use strict";
    var __extends = exports && exports.__extends || /* @__PURE__ */ (function() {
      var extendStatics = function(d, b) {
        extendStatics = Object.setPrototypeOf || { __proto__: [] } instanceof Array && function(d2, b2) {
          d2.__proto__ = b2;
        } || function(d2, b2) {
          for (var p in b2) if (Object.prototype.hasOwnProperty.call(b2, p)) d2[p] = b2[p];
        };
        return extendStatics(d, b);
      };
      return function(d, b) {
        if (typeof b !== "function" && b !== null)
          throw new TypeError("Class extends value " + String(b) + " is not a constructor or null");
        extendStatics(d, b);
        function __() {
          this.constructor = d;
        }
        d.prototype = b === null ? Object.create(b) : (__.prototype = b.prototype, new __());
      };
    })();
    var __assign = exports && exports.__assign || function() {
      __assign = Object.assign || function(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
          s = arguments[i];
          for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p))
            t[p] = s[p];
        }
        return t;
      };
      return __assign.apply(this, arguments);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.cloneNode = exports.hasChildren = exports.isDocument = exports.isDirective = exports.isComment = exports.isText = exports.isCDATA = exports.isTag = exports.Element = exports.Document = exports.CDATA = exports.NodeWithChildren = exports.ProcessingInstruction = exports.Comment = exports.Text = exports.DataNode = exports.Node = void 0;
    var domelementtype_1 = require_lib();
    var Node = (
      /** @class */
      (function() {
        function Node2() {
          this.parent = null;
          this.prev = null;
          this.next = null;
          this.startIndex = null;
          this.endIndex = null;
        }
        Object.defineProperty(Node2.prototype, "parentNode", {
          // Read-write aliases for properties
          /**
           * Same as {@link parent}.
           * [DOM spec](https://dom.spec.whatwg.org)-compatible alias.
           */
          get: function() {
            return this.parent;
          },
          set: function(parent) {
            this.parent = parent;
          },
          enumerable: false,
          configurable: true
        });
        Object.defineProperty(Node2.prototype, "previousSibling", {
          /**
           * Same as {@link prev}.
           * [DOM spec](https://dom.spec.whatwg.org)-compatible alias.
           */
          get: function() {
            return this.prev;
          },
          set: function(prev) {
            this.prev = prev;
          },
          enumerable: false,
          configurable: true
        });
        Object.defineProperty(Node2.prototype, "nextSibling", {
          /**
           * Same as {@link next}.
           * [DOM spec](https://dom.spec.whatwg.org)-compatible alias.
           */
          get: function() {
            return this.next;
          },
          set: function(next) {
            this.next = next;
          },
          enumerable: false,
          configurable: true
        });
        Node2.prototype.cloneNode = function(recursive) {
          if (recursive === void 0) {
            recursive = false;
          }
          return cloneNode(this, recursive);
        };
        return Node2;
      })()
    );
    exports.Node = Node;
    var DataNode = (
      /** @class */
      (function(_super) {
        __extends(DataNode2, _super);
        function DataNode2(data) {
          var _this = _super.call(this) || this;
          _this.data = data;
          return _this;
        }
        Object.defineProperty(DataNode2.prototype, "nodeValue", {
          /**
           * Same as {@link data}.
           * [DOM spec](https://dom.spec.whatwg.org)-compatible alias.
           */
          get: function() {
            return this.data;
          },
          set: function(data) {
            this.data = data;
          },
          enumerable: false,
          configurable: true
        });
        return DataNode2;
      })(Node)
    );
    exports.DataNode = DataNode;
    var Text = (
      /** @class */
      (function(_super) {
        __extends(Text2, _super);
        function Text2() {
          var _this = _super !== null && _super.apply(this, arguments) || this;
          _this.type = domelementtype_1.ElementType.Text;
          return _this;
        }
        Object.defineProperty(Text2.prototype, "nodeType", {
          get: function() {
            return 3;
          },
          enumerable: false,
          configurable: true
        });
        return Text2;
      })(DataNode)
    );
    exports.Text = Text;
    var Comment = (
      /** @class */
      (function(_super) {
        __extends(Comment2, _super);
        function Comment2() {
          var _this = _super !== null && _super.apply(this, arguments) || this;
          _this.type = domelementtype_1.ElementType.Comment;
          return _this;
        }
        Object.defineProperty(Comment2.prototype, "nodeType", {
          get: function() {
            return 8;
          },
          enumerable: false,
          configurable: true
        });
        return Comment2;
      })(DataNode)
    );
    exports.Comment = Comment;
    var ProcessingInstruction = (
      /** @class */
      (function(_super) {
        __extends(ProcessingInstruction2, _super);
        function ProcessingInstruction2(name, data) {
          var _this = _super.call(this, data) || this;
          _this.name = name;
          _this.type = domelementtype_1.ElementType.Directive;
          return _this;
        }
        Object.defineProperty(ProcessingInstruction2.prototype, "nodeType", {
          get: function() {
            return 1;
          },
          enumerable: false,
          configurable: true
        });
        return ProcessingInstruction2;
      })(DataNode)
    );
    exports.ProcessingInstruction = ProcessingInstruction;
    var NodeWithChildren = (
      /** @class */
      (function(_super) {
        __extends(NodeWithChildren2, _super);
        function NodeWithChildren2(children) {
          var _this = _super.call(this) || this;
          _this.children = children;
          return _this;
        }
        Object.defineProperty(NodeWithChildren2.prototype, "firstChild", {
          // Aliases
          /** First child of the node. */
          get: function() {
            var _a;
            return (_a = this.children[0]) !== null && _a !== void 0 ? _a : null;
          },
          enumerable: false,
          configurable: true
        });
        Object.defineProperty(NodeWithChildren2.prototype, "lastChild", {
          /** Last child of the node. */
          get: function() {
            return this.children.length > 0 ? this.children[this.children.length - 1] : null;
          },
          enumerable: false,
          configurable: true
        });
        Object.defineProperty(NodeWithChildren2.prototype, "childNodes", {
          /**
           * Same as {@link children}.
           * [DOM spec](https://dom.spec.whatwg.org)-compatible alias.
           */
          get: function() {
            return this.children;
          },
          set: function(children) {
            this.children = children;
          },
          enumerable: false,
          configurable: true
        });
        return NodeWithChildren2;
      })(Node)
    );
    exports.NodeWithChildren = NodeWithChildren;
    var CDATA = (
      /** @class */
      (function(_super) {
        __extends(CDATA2, _super);
        function CDATA2() {
          var _this = _super !== null && _super.apply(this, arguments) || this;
          _this.type = domelementtype_1.ElementType.CDATA;
          return _this;
        }
        Object.defineProperty(CDATA2.prototype, "nodeType", {
          get: function() {
            return 4;
          },
          enumerable: false,
          configurable: true
        });
        return CDATA2;
      })(NodeWithChildren)
    );
    exports.CDATA = CDATA;
    var Document = (
      /** @class */
      (function(_super) {
        __extends(Document2, _super);
        function Document2() {
          var _this = _super !== null && _super.apply(this, arguments) || this;
          _this.type = domelementtype_1.ElementType.Root;
          return _this;
        }
        Object.defineProperty(Document2.prototype, "nodeType", {
          get: function() {
            return 9;
          },
          enumerable: false,
          configurable: true
        });
        return Document2;
      })(NodeWithChildren)
    );
    exports.Document = Document;
    var Element = (
      /** @class */
      (function(_super) {
        __extends(Element2, _super);
        function Element2(name, attribs, children, type) {
          if (children === void 0) {
            children = [];
          }
          if (type === void 0) {
            type = name === "script" ? domelementtype_1.ElementType.Script : name === "style" ? domelementtype_1.ElementType.Style : domelementtype_1.ElementType.Tag;
          }
          var _this = _super.call(this, children) || this;
          _this.name = name;
          _this.attribs = attribs;
          _this.type = type;
          return _this;
        }
        Object.defineProperty(Element2.prototype, "nodeType", {
          get: function() {
            return 1;
          },
          enumerable: false,
          configurable: true
        });
        Object.defineProperty(Element2.prototype, "tagName", {
          // DOM Level 1 aliases
          /**
           * Same as {@link name}.
           * [DOM spec](https://dom.spec.whatwg.org)-compatible alias.
           */
          get: function() {
            return this.name;
          },
          set: function(name) {
            this.name = name;
          },
          enumerable: false,
          configurable: true
        });
        Object.defineProperty(Element2.prototype, "attributes", {
          get: function() {
            var _this = this;
            return Object.keys(this.attribs).map(function(name) {
              var _a, _b;
              return {
                name,
                value: _this.attribs[name],
                namespace: (_a = _this["x-attribsNamespace"]) === null || _a === void 0 ? void 0 : _a[name],
                prefix: (_b = _this["x-attribsPrefix"]) === null || _b === void 0 ? void 0 : _b[name]
              };
            });
          },
          enumerable: false,
          configurable: true
        });
        return Element2;
      })(NodeWithChildren)
    );
    exports.Element = Element;
    function isTag(node) {
      return (0, domelementtype_1.isTag)(node);
    }
    exports.isTag = isTag;
    function isCDATA(node) {
      return node.type === domelementtype_1.ElementType.CDATA;
    }
    exports.isCDATA = isCDATA;
    function isText(node) {
      return node.type === domelementtype_1.ElementType.Text;
    }
    exports.isText = isText;
    function isComment(node) {
      return node.type === domelementtype_1.ElementType.Comment;
    }
    exports.isComment = isComment;
    function isDirective(node) {
      return node.type === domelementtype_1.ElementType.Directive;
    }
    exports.isDirective = isDirective;
    function isDocument(node) {
      return node.type === domelementtype_1.ElementType.Root;
    }
    exports.isDocument = isDocument;
    function hasChildren(node) {
      return Object.prototype.hasOwnProperty.call(node, "children");
    }
    exports.hasChildren = hasChildren;
    function cloneNode(node, recursive) {
      if (recursive === void 0) {
        recursive = false;
      }
      var result;
      if (isText(node)) {
        result = new Text(node.data);
      } else if (isComment(node)) {
        result = new Comment(node.data);
      } else if (isTag(node)) {
        var children = recursive ? cloneChildren(node.children) : [];
        var clone_1 = new Element(node.name, __assign({}, node.attribs), children);
        children.forEach(function(child) {
          return child.parent = clone_1;
        });
        if (node.namespace != null) {
          clone_1.namespace = node.namespace;
        }
        if (node["x-attribsNamespace"]) {
          clone_1["x-attribsNamespace"] = __assign({}, node["x-attribsNamespace"]);
        }
        if (node["x-attribsPrefix"]) {
          clone_1["x-attribsPrefix"] = __assign({}, node["x-attribsPrefix"]);
        }
        result = clone_1;
      } else if (isCDATA(node)) {
        var children = recursive ? cloneChildren(node.children) : [];
        var clone_2 = new CDATA(children);
        children.forEach(function(child) {
          return child.parent = clone_2;
        });
        result = clone_2;
      } else if (isDocument(node)) {
        var children = recursive ? cloneChildren(node.children) : [];
        var clone_3 = new Document(children);
        children.forEach(function(child) {
          return child.parent = clone_3;
        });
        if (node["x-mode"]) {
          clone_3["x-mode"] = node["x-mode"];
        }
        result = clone_3;
      } else if (isDirective(node)) {
        var instruction = new ProcessingInstruction(node.name, node.data);
        if (node["x-name"] != null) {
          instruction["x-name"] = node["x-name"];
          instruction["x-publicId"] = node["x-publicId"];
          instruction["x-systemId"] = node["x-systemId"];
        }
        result = instruction;
      } else {
        throw new Error("Not implemented yet: ".concat(node.type));
      }
      result.startIndex = node.startIndex;
      result.endIndex = node.endIndex;
      if (node.sourceCodeLocation != null) {
        result.sourceCodeLocation = node.sourceCodeLocation;
      }
      return result;
    }
    exports.cloneNode = cloneNode;
    function cloneChildren(childs) {
      var children = childs.map(function(child) {
        return cloneNode(child, true);
      });
      for (var i = 1; i < children.length; i++) {
        children[i].prev = children[i - 1];
        children[i - 1].next = children[i];
      }
      return children;
    }
  }
});

// node_modules/sanitize-html/node_modules/domhandler/lib/index.js
var require_lib2 = __commonJS({
  "node_modules/sanitize-html/node_modules/domhandler/lib/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DomHandler = void 0;
    var domelementtype_1 = require_lib();
    var node_js_1 = require_node();
    __exportStar(require_node(), exports);
    var defaultOpts = {
      withStartIndices: false,
      withEndIndices: false,
      xmlMode: false
    };
    var DomHandler = (
      /** @class */
      (function() {
        function DomHandler2(callback, options, elementCB) {
          this.dom = [];
          this.root = new node_js_1.Document(this.dom);
          this.done = false;
          this.tagStack = [this.root];
          this.lastNode = null;
          this.parser = null;
          if (typeof options === "function") {
            elementCB = options;
            options = defaultOpts;
          }
          if (typeof callback === "object") {
            options = callback;
            callback = void 0;
          }
          this.callback = callback !== null && callback !== void 0 ? callback : null;
          this.options = options !== null && options !== void 0 ? options : defaultOpts;
          this.elementCB = elementCB !== null && elementCB !== void 0 ? elementCB : null;
        }
        DomHandler2.prototype.onparserinit = function(parser) {
          this.parser = parser;
        };
        DomHandler2.prototype.onreset = function() {
          this.dom = [];
          this.root = new node_js_1.Document(this.dom);
          this.done = false;
          this.tagStack = [this.root];
          this.lastNode = null;
          this.parser = null;
        };
        DomHandler2.prototype.onend = function() {
          if (this.done)
            return;
          this.done = true;
          this.parser = null;
          this.handleCallback(null);
        };
        DomHandler2.prototype.onerror = function(error) {
          this.handleCallback(error);
        };
        DomHandler2.prototype.onclosetag = function() {
          this.lastNode = null;
          var elem = this.tagStack.pop();
          if (this.options.withEndIndices) {
            elem.endIndex = this.parser.endIndex;
          }
          if (this.elementCB)
            this.elementCB(elem);
        };
        DomHandler2.prototype.onopentag = function(name, attribs) {
          var type = this.options.xmlMode ? domelementtype_1.ElementType.Tag : void 0;
          var element2 = new node_js_1.Element(name, attribs, void 0, type);
          this.addNode(element2);
          this.tagStack.push(element2);
        };
        DomHandler2.prototype.ontext = function(data) {
          var lastNode = this.lastNode;
          if (lastNode && lastNode.type === domelementtype_1.ElementType.Text) {
            lastNode.data += data;
            if (this.options.withEndIndices) {
              lastNode.endIndex = this.parser.endIndex;
            }
          } else {
            var node = new node_js_1.Text(data);
            this.addNode(node);
            this.lastNode = node;
          }
        };
        DomHandler2.prototype.oncomment = function(data) {
          if (this.lastNode && this.lastNode.type === domelementtype_1.ElementType.Comment) {
            this.lastNode.data += data;
            return;
          }
          var node = new node_js_1.Comment(data);
          this.addNode(node);
          this.lastNode = node;
        };
        DomHandler2.prototype.oncommentend = function() {
          this.lastNode = null;
        };
        DomHandler2.prototype.oncdatastart = function() {
          var text = new node_js_1.Text("");
          var node = new node_js_1.CDATA([text]);
          this.addNode(node);
          text.parent = node;
          this.lastNode = text;
        };
        DomHandler2.prototype.oncdataend = function() {
          this.lastNode = null;
        };
        DomHandler2.prototype.onprocessinginstruction = function(name, data) {
          var node = new node_js_1.ProcessingInstruction(name, data);
          this.addNode(node);
        };
        DomHandler2.prototype.handleCallback = function(error) {
          if (typeof this.callback === "function") {
            this.callback(error, this.dom);
          } else if (error) {
            throw error;
          }
        };
        DomHandler2.prototype.addNode = function(node) {
          var parent = this.tagStack[this.tagStack.length - 1];
          var previousSibling = parent.children[parent.children.length - 1];
          if (this.options.withStartIndices) {
            node.startIndex = this.parser.startIndex;
          }
          if (this.options.withEndIndices) {
            node.endIndex = this.parser.endIndex;
          }
          parent.children.push(node);
          if (previousSibling) {
            node.prev = previousSibling;
            previousSibling.next = node;
          }
          node.parent = parent;
          this.lastNode = null;
        };
        return DomHandler2;
      })()
    );
    exports.DomHandler = DomHandler;
    exports.default = DomHandler;
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/generated/decode-data-html.js
var require_decode_data_html2 = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/generated/decode-data-html.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.default = new Uint16Array(
      // prettier-ignore
      'ᵁ<Õıʊҝջאٵ۞ޢߖࠏ੊ઑඡ๭༉༦჊ረዡᐕᒝᓃᓟᔥ\0\0\0\0\0\0ᕫᛍᦍᰒᷝ὾⁠↰⊍⏀⏻⑂⠤⤒ⴈ⹈⿎〖㊺㘹㞬㣾㨨㩱㫠㬮ࠀEMabcfglmnoprstu\\bfms¦³¹ÈÏlig耻Æ䃆P耻&䀦cute耻Á䃁reve;䄂Āiyx}rc耻Â䃂;䐐r;쀀𝔄rave耻À䃀pha;䎑acr;䄀d;橓Āgp¡on;䄄f;쀀𝔸plyFunction;恡ing耻Å䃅Ācs¾Ãr;쀀𝒜ign;扔ilde耻Ã䃃ml耻Ä䃄ЀaceforsuåûþėĜĢħĪĀcrêòkslash;或Ŷöø;櫧ed;挆y;䐑ƀcrtąċĔause;戵noullis;愬a;䎒r;쀀𝔅pf;쀀𝔹eve;䋘còēmpeq;扎܀HOacdefhilorsuōőŖƀƞƢƵƷƺǜȕɳɸɾcy;䐧PY耻©䂩ƀcpyŝŢźute;䄆Ā;iŧŨ拒talDifferentialD;慅leys;愭ȀaeioƉƎƔƘron;䄌dil耻Ç䃇rc;䄈nint;戰ot;䄊ĀdnƧƭilla;䂸terDot;䂷òſi;䎧rcleȀDMPTǇǋǑǖot;抙inus;抖lus;投imes;抗oĀcsǢǸkwiseContourIntegral;戲eCurlyĀDQȃȏoubleQuote;思uote;怙ȀlnpuȞȨɇɕonĀ;eȥȦ户;橴ƀgitȯȶȺruent;扡nt;戯ourIntegral;戮ĀfrɌɎ;愂oduct;成nterClockwiseContourIntegral;戳oss;樯cr;쀀𝒞pĀ;Cʄʅ拓ap;才րDJSZacefiosʠʬʰʴʸˋ˗ˡ˦̳ҍĀ;oŹʥtrahd;椑cy;䐂cy;䐅cy;䐏ƀgrsʿ˄ˇger;怡r;憡hv;櫤Āayː˕ron;䄎;䐔lĀ;t˝˞戇a;䎔r;쀀𝔇Āaf˫̧Ācm˰̢riticalȀADGT̖̜̀̆cute;䂴oŴ̋̍;䋙bleAcute;䋝rave;䁠ilde;䋜ond;拄ferentialD;慆Ѱ̽\0\0\0͔͂\0Ѕf;쀀𝔻ƀ;DE͈͉͍䂨ot;惜qual;扐blèCDLRUVͣͲ΂ϏϢϸontourIntegraìȹoɴ͹\0\0ͻ»͉nArrow;懓Āeo·ΤftƀARTΐΖΡrrow;懐ightArrow;懔eåˊngĀLRΫτeftĀARγιrrow;柸ightArrow;柺ightArrow;柹ightĀATϘϞrrow;懒ee;抨pɁϩ\0\0ϯrrow;懑ownArrow;懕erticalBar;戥ǹABLRTaВЪаўѿͼrrowƀ;BUНОТ憓ar;椓pArrow;懵reve;䌑eft˒к\0ц\0ѐightVector;楐eeVector;楞ectorĀ;Bљњ憽ar;楖ightǔѧ\0ѱeeVector;楟ectorĀ;BѺѻ懁ar;楗eeĀ;A҆҇护rrow;憧ĀctҒҗr;쀀𝒟rok;䄐ࠀNTacdfglmopqstuxҽӀӄӋӞӢӧӮӵԡԯԶՒ՝ՠեG;䅊H耻Ð䃐cute耻É䃉ƀaiyӒӗӜron;䄚rc耻Ê䃊;䐭ot;䄖r;쀀𝔈rave耻È䃈ement;戈ĀapӺӾcr;䄒tyɓԆ\0\0ԒmallSquare;旻erySmallSquare;斫ĀgpԦԪon;䄘f;쀀𝔼silon;䎕uĀaiԼՉlĀ;TՂՃ橵ilde;扂librium;懌Āci՗՚r;愰m;橳a;䎗ml耻Ë䃋Āipժկsts;戃onentialE;慇ʀcfiosօֈ֍ֲ׌y;䐤r;쀀𝔉lledɓ֗\0\0֣mallSquare;旼erySmallSquare;斪Ͱֺ\0ֿ\0\0ׄf;쀀𝔽All;戀riertrf;愱cò׋؀JTabcdfgorstר׬ׯ׺؀ؒؖ؛؝أ٬ٲcy;䐃耻>䀾mmaĀ;d׷׸䎓;䏜reve;䄞ƀeiy؇،ؐdil;䄢rc;䄜;䐓ot;䄠r;쀀𝔊;拙pf;쀀𝔾eater̀EFGLSTصلَٖٛ٦qualĀ;Lؾؿ扥ess;招ullEqual;执reater;檢ess;扷lantEqual;橾ilde;扳cr;쀀𝒢;扫ЀAacfiosuڅڋږڛڞڪھۊRDcy;䐪Āctڐڔek;䋇;䁞irc;䄤r;愌lbertSpace;愋ǰگ\0ڲf;愍izontalLine;攀Āctۃۅòکrok;䄦mpńېۘownHumðįqual;扏܀EJOacdfgmnostuۺ۾܃܇܎ܚܞܡܨ݄ݸދޏޕcy;䐕lig;䄲cy;䐁cute耻Í䃍Āiyܓܘrc耻Î䃎;䐘ot;䄰r;愑rave耻Ì䃌ƀ;apܠܯܿĀcgܴܷr;䄪inaryI;慈lieóϝǴ݉\0ݢĀ;eݍݎ戬Āgrݓݘral;戫section;拂isibleĀCTݬݲomma;恣imes;恢ƀgptݿރވon;䄮f;쀀𝕀a;䎙cr;愐ilde;䄨ǫޚ\0ޞcy;䐆l耻Ï䃏ʀcfosuެ޷޼߂ߐĀiyޱ޵rc;䄴;䐙r;쀀𝔍pf;쀀𝕁ǣ߇\0ߌr;쀀𝒥rcy;䐈kcy;䐄΀HJacfosߤߨ߽߬߱ࠂࠈcy;䐥cy;䐌ppa;䎚Āey߶߻dil;䄶;䐚r;쀀𝔎pf;쀀𝕂cr;쀀𝒦րJTaceflmostࠥࠩࠬࡐࡣ঳সে্਷ੇcy;䐉耻<䀼ʀcmnpr࠷࠼ࡁࡄࡍute;䄹bda;䎛g;柪lacetrf;愒r;憞ƀaeyࡗ࡜ࡡron;䄽dil;䄻;䐛Āfsࡨ॰tԀACDFRTUVarࡾࢩࢱࣦ࣠ࣼयज़ΐ४Ānrࢃ࢏gleBracket;柨rowƀ;BR࢙࢚࢞憐ar;懤ightArrow;懆eiling;挈oǵࢷ\0ࣃbleBracket;柦nǔࣈ\0࣒eeVector;楡ectorĀ;Bࣛࣜ懃ar;楙loor;挊ightĀAV࣯ࣵrrow;憔ector;楎Āerँगeƀ;AVउऊऐ抣rrow;憤ector;楚iangleƀ;BEतथऩ抲ar;槏qual;抴pƀDTVषूौownVector;楑eeVector;楠ectorĀ;Bॖॗ憿ar;楘ectorĀ;B॥०憼ar;楒ightáΜs̀EFGLSTॾঋকঝঢভqualGreater;拚ullEqual;扦reater;扶ess;檡lantEqual;橽ilde;扲r;쀀𝔏Ā;eঽা拘ftarrow;懚idot;䄿ƀnpw৔ਖਛgȀLRlr৞৷ਂਐeftĀAR০৬rrow;柵ightArrow;柷ightArrow;柶eftĀarγਊightáοightáϊf;쀀𝕃erĀLRਢਬeftArrow;憙ightArrow;憘ƀchtਾੀੂòࡌ;憰rok;䅁;扪Ѐacefiosuਗ਼੝੠੷੼અઋ઎p;椅y;䐜Ādl੥੯iumSpace;恟lintrf;愳r;쀀𝔐nusPlus;戓pf;쀀𝕄cò੶;䎜ҀJacefostuણધભીଔଙඑ඗ඞcy;䐊cute;䅃ƀaey઴હાron;䅇dil;䅅;䐝ƀgswે૰଎ativeƀMTV૓૟૨ediumSpace;怋hiĀcn૦૘ë૙eryThiî૙tedĀGL૸ଆreaterGreateòٳessLesóੈLine;䀊r;쀀𝔑ȀBnptଢନଷ଺reak;恠BreakingSpace;䂠f;愕ڀ;CDEGHLNPRSTV୕ୖ୪୼஡௫ఄ౞಄ದ೘ൡඅ櫬Āou୛୤ngruent;扢pCap;扭oubleVerticalBar;戦ƀlqxஃஊ஛ement;戉ualĀ;Tஒஓ扠ilde;쀀≂̸ists;戄reater΀;EFGLSTஶஷ஽௉௓௘௥扯qual;扱ullEqual;쀀≧̸reater;쀀≫̸ess;批lantEqual;쀀⩾̸ilde;扵umpń௲௽ownHump;쀀≎̸qual;쀀≏̸eĀfsఊధtTriangleƀ;BEచఛడ拪ar;쀀⧏̸qual;括s̀;EGLSTవశ఼ౄోౘ扮qual;扰reater;扸ess;쀀≪̸lantEqual;쀀⩽̸ilde;扴estedĀGL౨౹reaterGreater;쀀⪢̸essLess;쀀⪡̸recedesƀ;ESಒಓಛ技qual;쀀⪯̸lantEqual;拠ĀeiಫಹverseElement;戌ghtTriangleƀ;BEೋೌ೒拫ar;쀀⧐̸qual;拭ĀquೝഌuareSuĀbp೨೹setĀ;E೰ೳ쀀⊏̸qual;拢ersetĀ;Eഃആ쀀⊐̸qual;拣ƀbcpഓതൎsetĀ;Eഛഞ쀀⊂⃒qual;抈ceedsȀ;ESTലള഻െ抁qual;쀀⪰̸lantEqual;拡ilde;쀀≿̸ersetĀ;E൘൛쀀⊃⃒qual;抉ildeȀ;EFT൮൯൵ൿ扁qual;扄ullEqual;扇ilde;扉erticalBar;戤cr;쀀𝒩ilde耻Ñ䃑;䎝܀Eacdfgmoprstuvලෂ෉෕ෛ෠෧෼ขภยา฿ไlig;䅒cute耻Ó䃓Āiy෎ීrc耻Ô䃔;䐞blac;䅐r;쀀𝔒rave耻Ò䃒ƀaei෮ෲ෶cr;䅌ga;䎩cron;䎟pf;쀀𝕆enCurlyĀDQฎบoubleQuote;怜uote;怘;橔Āclวฬr;쀀𝒪ash耻Ø䃘iŬื฼de耻Õ䃕es;樷ml耻Ö䃖erĀBP๋๠Āar๐๓r;怾acĀek๚๜;揞et;掴arenthesis;揜Ҁacfhilors๿ງຊຏຒດຝະ໼rtialD;戂y;䐟r;쀀𝔓i;䎦;䎠usMinus;䂱Āipຢອncareplanåڝf;愙Ȁ;eio຺ູ໠໤檻cedesȀ;EST່້໏໚扺qual;檯lantEqual;扼ilde;找me;怳Ādp໩໮uct;戏ortionĀ;aȥ໹l;戝Āci༁༆r;쀀𝒫;䎨ȀUfos༑༖༛༟OT耻"䀢r;쀀𝔔pf;愚cr;쀀𝒬؀BEacefhiorsu༾གྷཇའཱིྦྷྪྭ႖ႩႴႾarr;椐G耻®䂮ƀcnrཎནབute;䅔g;柫rĀ;tཛྷཝ憠l;椖ƀaeyཧཬཱron;䅘dil;䅖;䐠Ā;vླྀཹ愜erseĀEUྂྙĀlq྇ྎement;戋uilibrium;懋pEquilibrium;楯r»ཹo;䎡ghtЀACDFTUVa࿁࿫࿳ဢဨၛႇϘĀnr࿆࿒gleBracket;柩rowƀ;BL࿜࿝࿡憒ar;懥eftArrow;懄eiling;按oǵ࿹\0စbleBracket;柧nǔည\0နeeVector;楝ectorĀ;Bဝသ懂ar;楕loor;挋Āerိ၃eƀ;AVဵံြ抢rrow;憦ector;楛iangleƀ;BEၐၑၕ抳ar;槐qual;抵pƀDTVၣၮၸownVector;楏eeVector;楜ectorĀ;Bႂႃ憾ar;楔ectorĀ;B႑႒懀ar;楓Āpuႛ႞f;愝ndImplies;楰ightarrow;懛ĀchႹႼr;愛;憱leDelayed;槴ڀHOacfhimoqstuფჱჷჽᄙᄞᅑᅖᅡᅧᆵᆻᆿĀCcჩხHcy;䐩y;䐨FTcy;䐬cute;䅚ʀ;aeiyᄈᄉᄎᄓᄗ檼ron;䅠dil;䅞rc;䅜;䐡r;쀀𝔖ortȀDLRUᄪᄴᄾᅉownArrow»ОeftArrow»࢚ightArrow»࿝pArrow;憑gma;䎣allCircle;战pf;쀀𝕊ɲᅭ\0\0ᅰt;戚areȀ;ISUᅻᅼᆉᆯ斡ntersection;抓uĀbpᆏᆞsetĀ;Eᆗᆘ抏qual;抑ersetĀ;Eᆨᆩ抐qual;抒nion;抔cr;쀀𝒮ar;拆ȀbcmpᇈᇛሉላĀ;sᇍᇎ拐etĀ;Eᇍᇕqual;抆ĀchᇠህeedsȀ;ESTᇭᇮᇴᇿ扻qual;檰lantEqual;扽ilde;承Tháྌ;我ƀ;esሒሓሣ拑rsetĀ;Eሜም抃qual;抇et»ሓրHRSacfhiorsሾቄ቉ቕ቞ቱቶኟዂወዑORN耻Þ䃞ADE;愢ĀHc቎ቒcy;䐋y;䐦Ābuቚቜ;䀉;䎤ƀaeyብቪቯron;䅤dil;䅢;䐢r;쀀𝔗Āeiቻ኉ǲኀ\0ኇefore;戴a;䎘Ācn኎ኘkSpace;쀀  Space;怉ldeȀ;EFTካኬኲኼ戼qual;扃ullEqual;扅ilde;扈pf;쀀𝕋ipleDot;惛Āctዖዛr;쀀𝒯rok;䅦ૡዷጎጚጦ\0ጬጱ\0\0\0\0\0ጸጽ፷ᎅ\0᏿ᐄᐊᐐĀcrዻጁute耻Ú䃚rĀ;oጇገ憟cir;楉rǣጓ\0጖y;䐎ve;䅬Āiyጞጣrc耻Û䃛;䐣blac;䅰r;쀀𝔘rave耻Ù䃙acr;䅪Ādiፁ፩erĀBPፈ፝Āarፍፐr;䁟acĀekፗፙ;揟et;掵arenthesis;揝onĀ;P፰፱拃lus;抎Āgp፻፿on;䅲f;쀀𝕌ЀADETadps᎕ᎮᎸᏄϨᏒᏗᏳrrowƀ;BDᅐᎠᎤar;椒ownArrow;懅ownArrow;憕quilibrium;楮eeĀ;AᏋᏌ报rrow;憥ownáϳerĀLRᏞᏨeftArrow;憖ightArrow;憗iĀ;lᏹᏺ䏒on;䎥ing;䅮cr;쀀𝒰ilde;䅨ml耻Ü䃜ҀDbcdefosvᐧᐬᐰᐳᐾᒅᒊᒐᒖash;披ar;櫫y;䐒ashĀ;lᐻᐼ抩;櫦Āerᑃᑅ;拁ƀbtyᑌᑐᑺar;怖Ā;iᑏᑕcalȀBLSTᑡᑥᑪᑴar;戣ine;䁼eparator;杘ilde;所ThinSpace;怊r;쀀𝔙pf;쀀𝕍cr;쀀𝒱dash;抪ʀcefosᒧᒬᒱᒶᒼirc;䅴dge;拀r;쀀𝔚pf;쀀𝕎cr;쀀𝒲Ȁfiosᓋᓐᓒᓘr;쀀𝔛;䎞pf;쀀𝕏cr;쀀𝒳ҀAIUacfosuᓱᓵᓹᓽᔄᔏᔔᔚᔠcy;䐯cy;䐇cy;䐮cute耻Ý䃝Āiyᔉᔍrc;䅶;䐫r;쀀𝔜pf;쀀𝕐cr;쀀𝒴ml;䅸ЀHacdefosᔵᔹᔿᕋᕏᕝᕠᕤcy;䐖cute;䅹Āayᕄᕉron;䅽;䐗ot;䅻ǲᕔ\0ᕛoWidtè૙a;䎖r;愨pf;愤cr;쀀𝒵௡ᖃᖊᖐ\0ᖰᖶᖿ\0\0\0\0ᗆᗛᗫᙟ᙭\0ᚕ᚛ᚲᚹ\0ᚾcute耻á䃡reve;䄃̀;Ediuyᖜᖝᖡᖣᖨᖭ戾;쀀∾̳;房rc耻â䃢te肻´̆;䐰lig耻æ䃦Ā;r²ᖺ;쀀𝔞rave耻à䃠ĀepᗊᗖĀfpᗏᗔsym;愵èᗓha;䎱ĀapᗟcĀclᗤᗧr;䄁g;樿ɤᗰ\0\0ᘊʀ;adsvᗺᗻᗿᘁᘇ戧nd;橕;橜lope;橘;橚΀;elmrszᘘᘙᘛᘞᘿᙏᙙ戠;榤e»ᘙsdĀ;aᘥᘦ戡ѡᘰᘲᘴᘶᘸᘺᘼᘾ;榨;榩;榪;榫;榬;榭;榮;榯tĀ;vᙅᙆ戟bĀ;dᙌᙍ抾;榝Āptᙔᙗh;戢»¹arr;捼Āgpᙣᙧon;䄅f;쀀𝕒΀;Eaeiop዁ᙻᙽᚂᚄᚇᚊ;橰cir;橯;扊d;手s;䀧roxĀ;e዁ᚒñᚃing耻å䃥ƀctyᚡᚦᚨr;쀀𝒶;䀪mpĀ;e዁ᚯñʈilde耻ã䃣ml耻ä䃤Āciᛂᛈoninôɲnt;樑ࠀNabcdefiklnoprsu᛭ᛱᜰ᜼ᝃᝈ᝸᝽០៦ᠹᡐᜍ᤽᥈ᥰot;櫭Ācrᛶ᜞kȀcepsᜀᜅᜍᜓong;扌psilon;䏶rime;怵imĀ;e᜚᜛戽q;拍Ŷᜢᜦee;抽edĀ;gᜬᜭ挅e»ᜭrkĀ;t፜᜷brk;掶Āoyᜁᝁ;䐱quo;怞ʀcmprtᝓ᝛ᝡᝤᝨausĀ;eĊĉptyv;榰séᜌnoõēƀahwᝯ᝱ᝳ;䎲;愶een;扬r;쀀𝔟g΀costuvwឍឝឳេ៕៛៞ƀaiuបពរðݠrc;旯p»፱ƀdptឤឨឭot;樀lus;樁imes;樂ɱឹ\0\0ើcup;樆ar;昅riangleĀdu៍្own;施p;斳plus;樄eåᑄåᒭarow;植ƀako៭ᠦᠵĀcn៲ᠣkƀlst៺֫᠂ozenge;槫riangleȀ;dlr᠒᠓᠘᠝斴own;斾eft;旂ight;斸k;搣Ʊᠫ\0ᠳƲᠯ\0ᠱ;斒;斑4;斓ck;斈ĀeoᠾᡍĀ;qᡃᡆ쀀=⃥uiv;쀀≡⃥t;挐Ȁptwxᡙᡞᡧᡬf;쀀𝕓Ā;tᏋᡣom»Ꮜtie;拈؀DHUVbdhmptuvᢅᢖᢪᢻᣗᣛᣬ᣿ᤅᤊᤐᤡȀLRlrᢎᢐᢒᢔ;敗;敔;敖;敓ʀ;DUduᢡᢢᢤᢦᢨ敐;敦;敩;敤;敧ȀLRlrᢳᢵᢷᢹ;敝;敚;敜;教΀;HLRhlrᣊᣋᣍᣏᣑᣓᣕ救;敬;散;敠;敫;敢;敟ox;槉ȀLRlrᣤᣦᣨᣪ;敕;敒;攐;攌ʀ;DUduڽ᣷᣹᣻᣽;敥;敨;攬;攴inus;抟lus;択imes;抠ȀLRlrᤙᤛᤝ᤟;敛;敘;攘;攔΀;HLRhlrᤰᤱᤳᤵᤷ᤻᤹攂;敪;敡;敞;攼;攤;攜Āevģ᥂bar耻¦䂦Ȁceioᥑᥖᥚᥠr;쀀𝒷mi;恏mĀ;e᜚᜜lƀ;bhᥨᥩᥫ䁜;槅sub;柈Ŭᥴ᥾lĀ;e᥹᥺怢t»᥺pƀ;Eeįᦅᦇ;檮Ā;qۜۛೡᦧ\0᧨ᨑᨕᨲ\0ᨷᩐ\0\0᪴\0\0᫁\0\0ᬡᬮ᭍᭒\0᯽\0ᰌƀcpr᦭ᦲ᧝ute;䄇̀;abcdsᦿᧀᧄ᧊᧕᧙戩nd;橄rcup;橉Āau᧏᧒p;橋p;橇ot;橀;쀀∩︀Āeo᧢᧥t;恁îړȀaeiu᧰᧻ᨁᨅǰ᧵\0᧸s;橍on;䄍dil耻ç䃧rc;䄉psĀ;sᨌᨍ橌m;橐ot;䄋ƀdmnᨛᨠᨦil肻¸ƭptyv;榲t脀¢;eᨭᨮ䂢räƲr;쀀𝔠ƀceiᨽᩀᩍy;䑇ckĀ;mᩇᩈ朓ark»ᩈ;䏇r΀;Ecefms᩟᩠ᩢᩫ᪤᪪᪮旋;槃ƀ;elᩩᩪᩭ䋆q;扗eɡᩴ\0\0᪈rrowĀlr᩼᪁eft;憺ight;憻ʀRSacd᪒᪔᪖᪚᪟»ཇ;擈st;抛irc;抚ash;抝nint;樐id;櫯cir;槂ubsĀ;u᪻᪼晣it»᪼ˬ᫇᫔᫺\0ᬊonĀ;eᫍᫎ䀺Ā;qÇÆɭ᫙\0\0᫢aĀ;t᫞᫟䀬;䁀ƀ;fl᫨᫩᫫戁îᅠeĀmx᫱᫶ent»᫩eóɍǧ᫾\0ᬇĀ;dኻᬂot;橭nôɆƀfryᬐᬔᬗ;쀀𝕔oäɔ脀©;sŕᬝr;愗Āaoᬥᬩrr;憵ss;朗Ācuᬲᬷr;쀀𝒸Ābpᬼ᭄Ā;eᭁᭂ櫏;櫑Ā;eᭉᭊ櫐;櫒dot;拯΀delprvw᭠᭬᭷ᮂᮬᯔ᯹arrĀlr᭨᭪;椸;椵ɰ᭲\0\0᭵r;拞c;拟arrĀ;p᭿ᮀ憶;椽̀;bcdosᮏᮐᮖᮡᮥᮨ截rcap;橈Āauᮛᮞp;橆p;橊ot;抍r;橅;쀀∪︀Ȁalrv᮵ᮿᯞᯣrrĀ;mᮼᮽ憷;椼yƀevwᯇᯔᯘqɰᯎ\0\0ᯒreã᭳uã᭵ee;拎edge;拏en耻¤䂤earrowĀlrᯮ᯳eft»ᮀight»ᮽeäᯝĀciᰁᰇoninôǷnt;戱lcty;挭ঀAHabcdefhijlorstuwz᰸᰻᰿ᱝᱩᱵᲊᲞᲬᲷ᳻᳿ᴍᵻᶑᶫᶻ᷆᷍rò΁ar;楥Ȁglrs᱈ᱍ᱒᱔ger;怠eth;愸òᄳhĀ;vᱚᱛ怐»ऊūᱡᱧarow;椏aã̕Āayᱮᱳron;䄏;䐴ƀ;ao̲ᱼᲄĀgrʿᲁr;懊tseq;橷ƀglmᲑᲔᲘ耻°䂰ta;䎴ptyv;榱ĀirᲣᲨsht;楿;쀀𝔡arĀlrᲳᲵ»ࣜ»သʀaegsv᳂͸᳖᳜᳠mƀ;oș᳊᳔ndĀ;ș᳑uit;晦amma;䏝in;拲ƀ;io᳧᳨᳸䃷de脀÷;o᳧ᳰntimes;拇nø᳷cy;䑒cɯᴆ\0\0ᴊrn;挞op;挍ʀlptuwᴘᴝᴢᵉᵕlar;䀤f;쀀𝕕ʀ;emps̋ᴭᴷᴽᵂqĀ;d͒ᴳot;扑inus;戸lus;戔quare;抡blebarwedgåúnƀadhᄮᵝᵧownarrowóᲃarpoonĀlrᵲᵶefôᲴighôᲶŢᵿᶅkaro÷གɯᶊ\0\0ᶎrn;挟op;挌ƀcotᶘᶣᶦĀryᶝᶡ;쀀𝒹;䑕l;槶rok;䄑Ādrᶰᶴot;拱iĀ;fᶺ᠖斿Āah᷀᷃ròЩaòྦangle;榦Āci᷒ᷕy;䑟grarr;柿ऀDacdefglmnopqrstuxḁḉḙḸոḼṉṡṾấắẽỡἪἷὄ὎὚ĀDoḆᴴoôᲉĀcsḎḔute耻é䃩ter;橮ȀaioyḢḧḱḶron;䄛rĀ;cḭḮ扖耻ê䃪lon;払;䑍ot;䄗ĀDrṁṅot;扒;쀀𝔢ƀ;rsṐṑṗ檚ave耻è䃨Ā;dṜṝ檖ot;檘Ȁ;ilsṪṫṲṴ檙nters;揧;愓Ā;dṹṺ檕ot;檗ƀapsẅẉẗcr;䄓tyƀ;svẒẓẕ戅et»ẓpĀ1;ẝẤĳạả;怄;怅怃ĀgsẪẬ;䅋p;怂ĀgpẴẸon;䄙f;쀀𝕖ƀalsỄỎỒrĀ;sỊị拕l;槣us;橱iƀ;lvỚớở䎵on»ớ;䏵ȀcsuvỪỳἋἣĀioữḱrc»Ḯɩỹ\0\0ỻíՈantĀglἂἆtr»ṝess»Ṻƀaeiἒ἖Ἒls;䀽st;扟vĀ;DȵἠD;橸parsl;槥ĀDaἯἳot;打rr;楱ƀcdiἾὁỸr;愯oô͒ĀahὉὋ;䎷耻ð䃰Āmrὓὗl耻ë䃫o;悬ƀcipὡὤὧl;䀡sôծĀeoὬὴctatioîՙnentialåչৡᾒ\0ᾞ\0ᾡᾧ\0\0ῆῌ\0ΐ\0ῦῪ \0 ⁚llingdotseñṄy;䑄male;晀ƀilrᾭᾳ῁lig;耀ﬃɩᾹ\0\0᾽g;耀ﬀig;耀ﬄ;쀀𝔣lig;耀ﬁlig;쀀fjƀaltῙ῜ῡt;晭ig;耀ﬂns;斱of;䆒ǰ΅\0ῳf;쀀𝕗ĀakֿῷĀ;vῼ´拔;櫙artint;樍Āao‌⁕Ācs‑⁒α‚‰‸⁅⁈\0⁐β•‥‧‪‬\0‮耻½䂽;慓耻¼䂼;慕;慙;慛Ƴ‴\0‶;慔;慖ʴ‾⁁\0\0⁃耻¾䂾;慗;慜5;慘ƶ⁌\0⁎;慚;慝8;慞l;恄wn;挢cr;쀀𝒻ࢀEabcdefgijlnorstv₂₉₟₥₰₴⃰⃵⃺⃿℃ℒℸ̗ℾ⅒↞Ā;lٍ₇;檌ƀcmpₐₕ₝ute;䇵maĀ;dₜ᳚䎳;檆reve;䄟Āiy₪₮rc;䄝;䐳ot;䄡Ȁ;lqsؾق₽⃉ƀ;qsؾٌ⃄lanô٥Ȁ;cdl٥⃒⃥⃕c;檩otĀ;o⃜⃝檀Ā;l⃢⃣檂;檄Ā;e⃪⃭쀀⋛︀s;檔r;쀀𝔤Ā;gٳ؛mel;愷cy;䑓Ȁ;Eajٚℌℎℐ;檒;檥;檤ȀEaesℛℝ℩ℴ;扩pĀ;p℣ℤ檊rox»ℤĀ;q℮ℯ檈Ā;q℮ℛim;拧pf;쀀𝕘Āci⅃ⅆr;愊mƀ;el٫ⅎ⅐;檎;檐茀>;cdlqr׮ⅠⅪⅮⅳⅹĀciⅥⅧ;檧r;橺ot;拗Par;榕uest;橼ʀadelsↄⅪ←ٖ↛ǰ↉\0↎proø₞r;楸qĀlqؿ↖lesó₈ií٫Āen↣↭rtneqq;쀀≩︀Å↪ԀAabcefkosy⇄⇇⇱⇵⇺∘∝∯≨≽ròΠȀilmr⇐⇔⇗⇛rsðᒄf»․ilôکĀdr⇠⇤cy;䑊ƀ;cwࣴ⇫⇯ir;楈;憭ar;意irc;䄥ƀalr∁∎∓rtsĀ;u∉∊晥it»∊lip;怦con;抹r;쀀𝔥sĀew∣∩arow;椥arow;椦ʀamopr∺∾≃≞≣rr;懿tht;戻kĀlr≉≓eftarrow;憩ightarrow;憪f;쀀𝕙bar;怕ƀclt≯≴≸r;쀀𝒽asè⇴rok;䄧Ābp⊂⊇ull;恃hen»ᱛૡ⊣\0⊪\0⊸⋅⋎\0⋕⋳\0\0⋸⌢⍧⍢⍿\0⎆⎪⎴cute耻í䃭ƀ;iyݱ⊰⊵rc耻î䃮;䐸Ācx⊼⊿y;䐵cl耻¡䂡ĀfrΟ⋉;쀀𝔦rave耻ì䃬Ȁ;inoܾ⋝⋩⋮Āin⋢⋦nt;樌t;戭fin;槜ta;愩lig;䄳ƀaop⋾⌚⌝ƀcgt⌅⌈⌗r;䄫ƀelpܟ⌏⌓inåގarôܠh;䄱f;抷ed;䆵ʀ;cfotӴ⌬⌱⌽⍁are;愅inĀ;t⌸⌹戞ie;槝doô⌙ʀ;celpݗ⍌⍐⍛⍡al;抺Āgr⍕⍙eróᕣã⍍arhk;樗rod;樼Ȁcgpt⍯⍲⍶⍻y;䑑on;䄯f;쀀𝕚a;䎹uest耻¿䂿Āci⎊⎏r;쀀𝒾nʀ;EdsvӴ⎛⎝⎡ӳ;拹ot;拵Ā;v⎦⎧拴;拳Ā;iݷ⎮lde;䄩ǫ⎸\0⎼cy;䑖l耻ï䃯̀cfmosu⏌⏗⏜⏡⏧⏵Āiy⏑⏕rc;䄵;䐹r;쀀𝔧ath;䈷pf;쀀𝕛ǣ⏬\0⏱r;쀀𝒿rcy;䑘kcy;䑔Ѐacfghjos␋␖␢␧␭␱␵␻ppaĀ;v␓␔䎺;䏰Āey␛␠dil;䄷;䐺r;쀀𝔨reen;䄸cy;䑅cy;䑜pf;쀀𝕜cr;쀀𝓀஀ABEHabcdefghjlmnoprstuv⑰⒁⒆⒍⒑┎┽╚▀♎♞♥♹♽⚚⚲⛘❝❨➋⟀⠁⠒ƀart⑷⑺⑼rò৆òΕail;椛arr;椎Ā;gঔ⒋;檋ar;楢ॣ⒥\0⒪\0⒱\0\0\0\0\0⒵Ⓔ\0ⓆⓈⓍ\0⓹ute;䄺mptyv;榴raîࡌbda;䎻gƀ;dlࢎⓁⓃ;榑åࢎ;檅uo耻«䂫rЀ;bfhlpst࢙ⓞⓦⓩ⓫⓮⓱⓵Ā;f࢝ⓣs;椟s;椝ë≒p;憫l;椹im;楳l;憢ƀ;ae⓿─┄檫il;椙Ā;s┉┊檭;쀀⪭︀ƀabr┕┙┝rr;椌rk;杲Āak┢┬cĀek┨┪;䁻;䁛Āes┱┳;榋lĀdu┹┻;榏;榍Ȁaeuy╆╋╖╘ron;䄾Ādi═╔il;䄼ìࢰâ┩;䐻Ȁcqrs╣╦╭╽a;椶uoĀ;rนᝆĀdu╲╷har;楧shar;楋h;憲ʀ;fgqs▋▌উ◳◿扤tʀahlrt▘▤▷◂◨rrowĀ;t࢙□aé⓶arpoonĀdu▯▴own»њp»०eftarrows;懇ightƀahs◍◖◞rrowĀ;sࣴࢧarpoonó྘quigarro÷⇰hreetimes;拋ƀ;qs▋ও◺lanôবʀ;cdgsব☊☍☝☨c;檨otĀ;o☔☕橿Ā;r☚☛檁;檃Ā;e☢☥쀀⋚︀s;檓ʀadegs☳☹☽♉♋pproøⓆot;拖qĀgq♃♅ôউgtò⒌ôছiíলƀilr♕࣡♚sht;楼;쀀𝔩Ā;Eজ♣;檑š♩♶rĀdu▲♮Ā;l॥♳;楪lk;斄cy;䑙ʀ;achtੈ⚈⚋⚑⚖rò◁orneòᴈard;楫ri;旺Āio⚟⚤dot;䅀ustĀ;a⚬⚭掰che»⚭ȀEaes⚻⚽⛉⛔;扨pĀ;p⛃⛄檉rox»⛄Ā;q⛎⛏檇Ā;q⛎⚻im;拦Ѐabnoptwz⛩⛴⛷✚✯❁❇❐Ānr⛮⛱g;柬r;懽rëࣁgƀlmr⛿✍✔eftĀar০✇ightá৲apsto;柼ightá৽parrowĀlr✥✩efô⓭ight;憬ƀafl✶✹✽r;榅;쀀𝕝us;樭imes;樴š❋❏st;戗áፎƀ;ef❗❘᠀旊nge»❘arĀ;l❤❥䀨t;榓ʀachmt❳❶❼➅➇ròࢨorneòᶌarĀ;d྘➃;業;怎ri;抿̀achiqt➘➝ੀ➢➮➻quo;怹r;쀀𝓁mƀ;egল➪➬;檍;檏Ābu┪➳oĀ;rฟ➹;怚rok;䅂萀<;cdhilqrࠫ⟒☹⟜⟠⟥⟪⟰Āci⟗⟙;檦r;橹reå◲mes;拉arr;楶uest;橻ĀPi⟵⟹ar;榖ƀ;ef⠀भ᠛旃rĀdu⠇⠍shar;楊har;楦Āen⠗⠡rtneqq;쀀≨︀Å⠞܀Dacdefhilnopsu⡀⡅⢂⢎⢓⢠⢥⢨⣚⣢⣤ઃ⣳⤂Dot;戺Ȁclpr⡎⡒⡣⡽r耻¯䂯Āet⡗⡙;時Ā;e⡞⡟朠se»⡟Ā;sျ⡨toȀ;dluျ⡳⡷⡻owîҌefôएðᏑker;斮Āoy⢇⢌mma;権;䐼ash;怔asuredangle»ᘦr;쀀𝔪o;愧ƀcdn⢯⢴⣉ro耻µ䂵Ȁ;acdᑤ⢽⣀⣄sôᚧir;櫰ot肻·Ƶusƀ;bd⣒ᤃ⣓戒Ā;uᴼ⣘;横ţ⣞⣡p;櫛ò−ðઁĀdp⣩⣮els;抧f;쀀𝕞Āct⣸⣽r;쀀𝓂pos»ᖝƀ;lm⤉⤊⤍䎼timap;抸ఀGLRVabcdefghijlmoprstuvw⥂⥓⥾⦉⦘⧚⧩⨕⨚⩘⩝⪃⪕⪤⪨⬄⬇⭄⭿⮮ⰴⱧⱼ⳩Āgt⥇⥋;쀀⋙̸Ā;v⥐௏쀀≫⃒ƀelt⥚⥲⥶ftĀar⥡⥧rrow;懍ightarrow;懎;쀀⋘̸Ā;v⥻ే쀀≪⃒ightarrow;懏ĀDd⦎⦓ash;抯ash;抮ʀbcnpt⦣⦧⦬⦱⧌la»˞ute;䅄g;쀀∠⃒ʀ;Eiop඄⦼⧀⧅⧈;쀀⩰̸d;쀀≋̸s;䅉roø඄urĀ;a⧓⧔普lĀ;s⧓ସǳ⧟\0⧣p肻 ଷmpĀ;e௹ఀʀaeouy⧴⧾⨃⨐⨓ǰ⧹\0⧻;橃on;䅈dil;䅆ngĀ;dൾ⨊ot;쀀⩭̸p;橂;䐽ash;怓΀;Aadqsxஒ⨩⨭⨻⩁⩅⩐rr;懗rĀhr⨳⨶k;椤Ā;oᏲᏰot;쀀≐̸uiöୣĀei⩊⩎ar;椨í஘istĀ;s஠டr;쀀𝔫ȀEest௅⩦⩹⩼ƀ;qs஼⩭௡ƀ;qs஼௅⩴lanô௢ií௪Ā;rஶ⪁»ஷƀAap⪊⪍⪑rò⥱rr;憮ar;櫲ƀ;svྍ⪜ྌĀ;d⪡⪢拼;拺cy;䑚΀AEadest⪷⪺⪾⫂⫅⫶⫹rò⥦;쀀≦̸rr;憚r;急Ȁ;fqs఻⫎⫣⫯tĀar⫔⫙rro÷⫁ightarro÷⪐ƀ;qs఻⪺⫪lanôౕĀ;sౕ⫴»శiíౝĀ;rవ⫾iĀ;eచథiäඐĀpt⬌⬑f;쀀𝕟膀¬;in⬙⬚⬶䂬nȀ;Edvஉ⬤⬨⬮;쀀⋹̸ot;쀀⋵̸ǡஉ⬳⬵;拷;拶iĀ;vಸ⬼ǡಸ⭁⭃;拾;拽ƀaor⭋⭣⭩rȀ;ast୻⭕⭚⭟lleì୻l;쀀⫽⃥;쀀∂̸lint;樔ƀ;ceಒ⭰⭳uåಥĀ;cಘ⭸Ā;eಒ⭽ñಘȀAait⮈⮋⮝⮧rò⦈rrƀ;cw⮔⮕⮙憛;쀀⤳̸;쀀↝̸ghtarrow»⮕riĀ;eೋೖ΀chimpqu⮽⯍⯙⬄୸⯤⯯Ȁ;cerല⯆ഷ⯉uå൅;쀀𝓃ortɭ⬅\0\0⯖ará⭖mĀ;e൮⯟Ā;q൴൳suĀbp⯫⯭å೸åഋƀbcp⯶ⰑⰙȀ;Ees⯿ⰀഢⰄ抄;쀀⫅̸etĀ;eഛⰋqĀ;qണⰀcĀ;eലⰗñസȀ;EesⰢⰣൟⰧ抅;쀀⫆̸etĀ;e൘ⰮqĀ;qൠⰣȀgilrⰽⰿⱅⱇìௗlde耻ñ䃱çృiangleĀlrⱒⱜeftĀ;eచⱚñదightĀ;eೋⱥñ೗Ā;mⱬⱭ䎽ƀ;esⱴⱵⱹ䀣ro;愖p;怇ҀDHadgilrsⲏⲔⲙⲞⲣⲰⲶⳓⳣash;抭arr;椄p;쀀≍⃒ash;抬ĀetⲨⲬ;쀀≥⃒;쀀>⃒nfin;槞ƀAetⲽⳁⳅrr;椂;쀀≤⃒Ā;rⳊⳍ쀀<⃒ie;쀀⊴⃒ĀAtⳘⳜrr;椃rie;쀀⊵⃒im;쀀∼⃒ƀAan⳰⳴ⴂrr;懖rĀhr⳺⳽k;椣Ā;oᏧᏥear;椧ቓ᪕\0\0\0\0\0\0\0\0\0\0\0\0\0ⴭ\0ⴸⵈⵠⵥ⵲ⶄᬇ\0\0ⶍⶫ\0ⷈⷎ\0ⷜ⸙⸫⸾⹃Ācsⴱ᪗ute耻ó䃳ĀiyⴼⵅrĀ;c᪞ⵂ耻ô䃴;䐾ʀabios᪠ⵒⵗǈⵚlac;䅑v;樸old;榼lig;䅓Ācr⵩⵭ir;榿;쀀𝔬ͯ⵹\0\0⵼\0ⶂn;䋛ave耻ò䃲;槁Ābmⶈ෴ar;榵Ȁacitⶕ⶘ⶥⶨrò᪀Āir⶝ⶠr;榾oss;榻nå๒;槀ƀaeiⶱⶵⶹcr;䅍ga;䏉ƀcdnⷀⷅǍron;䎿;榶pf;쀀𝕠ƀaelⷔ⷗ǒr;榷rp;榹΀;adiosvⷪⷫⷮ⸈⸍⸐⸖戨rò᪆Ȁ;efmⷷⷸ⸂⸅橝rĀ;oⷾⷿ愴f»ⷿ耻ª䂪耻º䂺gof;抶r;橖lope;橗;橛ƀclo⸟⸡⸧ò⸁ash耻ø䃸l;折iŬⸯ⸴de耻õ䃵esĀ;aǛ⸺s;樶ml耻ö䃶bar;挽ૡ⹞\0⹽\0⺀⺝\0⺢⺹\0\0⻋ຜ\0⼓\0\0⼫⾼\0⿈rȀ;astЃ⹧⹲຅脀¶;l⹭⹮䂶leìЃɩ⹸\0\0⹻m;櫳;櫽y;䐿rʀcimpt⺋⺏⺓ᡥ⺗nt;䀥od;䀮il;怰enk;怱r;쀀𝔭ƀimo⺨⺰⺴Ā;v⺭⺮䏆;䏕maô੶ne;明ƀ;tv⺿⻀⻈䏀chfork»´;䏖Āau⻏⻟nĀck⻕⻝kĀ;h⇴⻛;愎ö⇴sҀ;abcdemst⻳⻴ᤈ⻹⻽⼄⼆⼊⼎䀫cir;樣ir;樢Āouᵀ⼂;樥;橲n肻±ຝim;樦wo;樧ƀipu⼙⼠⼥ntint;樕f;쀀𝕡nd耻£䂣Ԁ;Eaceinosu່⼿⽁⽄⽇⾁⾉⾒⽾⾶;檳p;檷uå໙Ā;c໎⽌̀;acens່⽙⽟⽦⽨⽾pproø⽃urlyeñ໙ñ໎ƀaes⽯⽶⽺pprox;檹qq;檵im;拨iíໟmeĀ;s⾈ຮ怲ƀEas⽸⾐⽺ð⽵ƀdfp໬⾙⾯ƀals⾠⾥⾪lar;挮ine;挒urf;挓Ā;t໻⾴ï໻rel;抰Āci⿀⿅r;쀀𝓅;䏈ncsp;怈̀fiopsu⿚⋢⿟⿥⿫⿱r;쀀𝔮pf;쀀𝕢rime;恗cr;쀀𝓆ƀaeo⿸〉〓tĀei⿾々rnionóڰnt;樖stĀ;e【】䀿ñἙô༔઀ABHabcdefhilmnoprstux぀けさすムㄎㄫㅇㅢㅲㆎ㈆㈕㈤㈩㉘㉮㉲㊐㊰㊷ƀartぇおがròႳòϝail;検aròᱥar;楤΀cdenqrtとふへみわゔヌĀeuねぱ;쀀∽̱te;䅕iãᅮmptyv;榳gȀ;del࿑らるろ;榒;榥å࿑uo耻»䂻rր;abcfhlpstw࿜ガクシスゼゾダッデナp;極Ā;f࿠ゴs;椠;椳s;椞ë≝ð✮l;楅im;楴l;憣;憝Āaiパフil;椚oĀ;nホボ戶aló༞ƀabrョリヮrò៥rk;杳ĀakンヽcĀekヹ・;䁽;䁝Āes㄂㄄;榌lĀduㄊㄌ;榎;榐Ȁaeuyㄗㄜㄧㄩron;䅙Ādiㄡㄥil;䅗ì࿲âヺ;䑀Ȁclqsㄴㄷㄽㅄa;椷dhar;楩uoĀ;rȎȍh;憳ƀacgㅎㅟངlȀ;ipsླྀㅘㅛႜnåႻarôྩt;断ƀilrㅩဣㅮsht;楽;쀀𝔯ĀaoㅷㆆrĀduㅽㅿ»ѻĀ;l႑ㆄ;楬Ā;vㆋㆌ䏁;䏱ƀgns㆕ㇹㇼht̀ahlrstㆤㆰ㇂㇘㇤㇮rrowĀ;t࿜ㆭaéトarpoonĀduㆻㆿowîㅾp»႒eftĀah㇊㇐rrowó࿪arpoonóՑightarrows;應quigarro÷ニhreetimes;拌g;䋚ingdotseñἲƀahm㈍㈐㈓rò࿪aòՑ;怏oustĀ;a㈞㈟掱che»㈟mid;櫮Ȁabpt㈲㈽㉀㉒Ānr㈷㈺g;柭r;懾rëဃƀafl㉇㉊㉎r;榆;쀀𝕣us;樮imes;樵Āap㉝㉧rĀ;g㉣㉤䀩t;榔olint;樒arò㇣Ȁachq㉻㊀Ⴜ㊅quo;怺r;쀀𝓇Ābu・㊊oĀ;rȔȓƀhir㊗㊛㊠reåㇸmes;拊iȀ;efl㊪ၙᠡ㊫方tri;槎luhar;楨;愞ൡ㋕㋛㋟㌬㌸㍱\0㍺㎤\0\0㏬㏰\0㐨㑈㑚㒭㒱㓊㓱\0㘖\0\0㘳cute;䅛quï➺Ԁ;Eaceinpsyᇭ㋳㋵㋿㌂㌋㌏㌟㌦㌩;檴ǰ㋺\0㋼;檸on;䅡uåᇾĀ;dᇳ㌇il;䅟rc;䅝ƀEas㌖㌘㌛;檶p;檺im;择olint;樓iíሄ;䑁otƀ;be㌴ᵇ㌵担;橦΀Aacmstx㍆㍊㍗㍛㍞㍣㍭rr;懘rĀhr㍐㍒ë∨Ā;oਸ਼਴t耻§䂧i;䀻war;椩mĀin㍩ðnuóñt;朶rĀ;o㍶⁕쀀𝔰Ȁacoy㎂㎆㎑㎠rp;景Āhy㎋㎏cy;䑉;䑈rtɭ㎙\0\0㎜iäᑤaraì⹯耻­䂭Āgm㎨㎴maƀ;fv㎱㎲㎲䏃;䏂Ѐ;deglnprካ㏅㏉㏎㏖㏞㏡㏦ot;橪Ā;q኱ኰĀ;E㏓㏔檞;檠Ā;E㏛㏜檝;檟e;扆lus;樤arr;楲aròᄽȀaeit㏸㐈㐏㐗Āls㏽㐄lsetmé㍪hp;樳parsl;槤Ādlᑣ㐔e;挣Ā;e㐜㐝檪Ā;s㐢㐣檬;쀀⪬︀ƀflp㐮㐳㑂tcy;䑌Ā;b㐸㐹䀯Ā;a㐾㐿槄r;挿f;쀀𝕤aĀdr㑍ЂesĀ;u㑔㑕晠it»㑕ƀcsu㑠㑹㒟Āau㑥㑯pĀ;sᆈ㑫;쀀⊓︀pĀ;sᆴ㑵;쀀⊔︀uĀbp㑿㒏ƀ;esᆗᆜ㒆etĀ;eᆗ㒍ñᆝƀ;esᆨᆭ㒖etĀ;eᆨ㒝ñᆮƀ;afᅻ㒦ְrť㒫ֱ»ᅼaròᅈȀcemt㒹㒾㓂㓅r;쀀𝓈tmîñiì㐕aræᆾĀar㓎㓕rĀ;f㓔ឿ昆Āan㓚㓭ightĀep㓣㓪psiloîỠhé⺯s»⡒ʀbcmnp㓻㕞ሉ㖋㖎Ҁ;Edemnprs㔎㔏㔑㔕㔞㔣㔬㔱㔶抂;櫅ot;檽Ā;dᇚ㔚ot;櫃ult;櫁ĀEe㔨㔪;櫋;把lus;檿arr;楹ƀeiu㔽㕒㕕tƀ;en㔎㕅㕋qĀ;qᇚ㔏eqĀ;q㔫㔨m;櫇Ābp㕚㕜;櫕;櫓c̀;acensᇭ㕬㕲㕹㕻㌦pproø㋺urlyeñᇾñᇳƀaes㖂㖈㌛pproø㌚qñ㌗g;晪ڀ123;Edehlmnps㖩㖬㖯ሜ㖲㖴㗀㗉㗕㗚㗟㗨㗭耻¹䂹耻²䂲耻³䂳;櫆Āos㖹㖼t;檾ub;櫘Ā;dሢ㗅ot;櫄sĀou㗏㗒l;柉b;櫗arr;楻ult;櫂ĀEe㗤㗦;櫌;抋lus;櫀ƀeiu㗴㘉㘌tƀ;enሜ㗼㘂qĀ;qሢ㖲eqĀ;q㗧㗤m;櫈Ābp㘑㘓;櫔;櫖ƀAan㘜㘠㘭rr;懙rĀhr㘦㘨ë∮Ā;oਫ਩war;椪lig耻ß䃟௡㙑㙝㙠ዎ㙳㙹\0㙾㛂\0\0\0\0\0㛛㜃\0㜉㝬\0\0\0㞇ɲ㙖\0\0㙛get;挖;䏄rë๟ƀaey㙦㙫㙰ron;䅥dil;䅣;䑂lrec;挕r;쀀𝔱Ȁeiko㚆㚝㚵㚼ǲ㚋\0㚑eĀ4fኄኁaƀ;sv㚘㚙㚛䎸ym;䏑Ācn㚢㚲kĀas㚨㚮pproø዁im»ኬsðኞĀas㚺㚮ð዁rn耻þ䃾Ǭ̟㛆⋧es膀×;bd㛏㛐㛘䃗Ā;aᤏ㛕r;樱;樰ƀeps㛡㛣㜀á⩍Ȁ;bcf҆㛬㛰㛴ot;挶ir;櫱Ā;o㛹㛼쀀𝕥rk;櫚á㍢rime;怴ƀaip㜏㜒㝤dåቈ΀adempst㜡㝍㝀㝑㝗㝜㝟ngleʀ;dlqr㜰㜱㜶㝀㝂斵own»ᶻeftĀ;e⠀㜾ñम;扜ightĀ;e㊪㝋ñၚot;旬inus;樺lus;樹b;槍ime;樻ezium;揢ƀcht㝲㝽㞁Āry㝷㝻;쀀𝓉;䑆cy;䑛rok;䅧Āio㞋㞎xô᝷headĀlr㞗㞠eftarro÷ࡏightarrow»ཝऀAHabcdfghlmoprstuw㟐㟓㟗㟤㟰㟼㠎㠜㠣㠴㡑㡝㡫㢩㣌㣒㣪㣶ròϭar;楣Ācr㟜㟢ute耻ú䃺òᅐrǣ㟪\0㟭y;䑞ve;䅭Āiy㟵㟺rc耻û䃻;䑃ƀabh㠃㠆㠋ròᎭlac;䅱aòᏃĀir㠓㠘sht;楾;쀀𝔲rave耻ù䃹š㠧㠱rĀlr㠬㠮»ॗ»ႃlk;斀Āct㠹㡍ɯ㠿\0\0㡊rnĀ;e㡅㡆挜r»㡆op;挏ri;旸Āal㡖㡚cr;䅫肻¨͉Āgp㡢㡦on;䅳f;쀀𝕦̀adhlsuᅋ㡸㡽፲㢑㢠ownáᎳarpoonĀlr㢈㢌efô㠭ighô㠯iƀ;hl㢙㢚㢜䏅»ᏺon»㢚parrows;懈ƀcit㢰㣄㣈ɯ㢶\0\0㣁rnĀ;e㢼㢽挝r»㢽op;挎ng;䅯ri;旹cr;쀀𝓊ƀdir㣙㣝㣢ot;拰lde;䅩iĀ;f㜰㣨»᠓Āam㣯㣲rò㢨l耻ü䃼angle;榧ހABDacdeflnoprsz㤜㤟㤩㤭㦵㦸㦽㧟㧤㧨㧳㧹㧽㨁㨠ròϷarĀ;v㤦㤧櫨;櫩asèϡĀnr㤲㤷grt;榜΀eknprst㓣㥆㥋㥒㥝㥤㦖appá␕othinçẖƀhir㓫⻈㥙opô⾵Ā;hᎷ㥢ïㆍĀiu㥩㥭gmá㎳Ābp㥲㦄setneqĀ;q㥽㦀쀀⊊︀;쀀⫋︀setneqĀ;q㦏㦒쀀⊋︀;쀀⫌︀Āhr㦛㦟etá㚜iangleĀlr㦪㦯eft»थight»ၑy;䐲ash»ံƀelr㧄㧒㧗ƀ;beⷪ㧋㧏ar;抻q;扚lip;拮Ābt㧜ᑨaòᑩr;쀀𝔳tré㦮suĀbp㧯㧱»ജ»൙pf;쀀𝕧roð໻tré㦴Ācu㨆㨋r;쀀𝓋Ābp㨐㨘nĀEe㦀㨖»㥾nĀEe㦒㨞»㦐igzag;榚΀cefoprs㨶㨻㩖㩛㩔㩡㩪irc;䅵Ādi㩀㩑Ābg㩅㩉ar;機eĀ;qᗺ㩏;扙erp;愘r;쀀𝔴pf;쀀𝕨Ā;eᑹ㩦atèᑹcr;쀀𝓌ૣណ㪇\0㪋\0㪐㪛\0\0㪝㪨㪫㪯\0\0㫃㫎\0㫘ៜ៟tré៑r;쀀𝔵ĀAa㪔㪗ròσrò৶;䎾ĀAa㪡㪤ròθrò৫að✓is;拻ƀdptឤ㪵㪾Āfl㪺ឩ;쀀𝕩imåឲĀAa㫇㫊ròώròਁĀcq㫒ីr;쀀𝓍Āpt៖㫜ré។Ѐacefiosu㫰㫽㬈㬌㬑㬕㬛㬡cĀuy㫶㫻te耻ý䃽;䑏Āiy㬂㬆rc;䅷;䑋n耻¥䂥r;쀀𝔶cy;䑗pf;쀀𝕪cr;쀀𝓎Ācm㬦㬩y;䑎l耻ÿ䃿Ԁacdefhiosw㭂㭈㭔㭘㭤㭩㭭㭴㭺㮀cute;䅺Āay㭍㭒ron;䅾;䐷ot;䅼Āet㭝㭡træᕟa;䎶r;쀀𝔷cy;䐶grarr;懝pf;쀀𝕫cr;쀀𝓏Ājn㮅㮇;怍j;怌'.split("").map(function(c) {
        return c.charCodeAt(0);
      })
    );
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/generated/decode-data-xml.js
var require_decode_data_xml2 = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/generated/decode-data-xml.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.default = new Uint16Array(
      // prettier-ignore
      "Ȁaglq	\x1Bɭ\0\0p;䀦os;䀧t;䀾t;䀼uot;䀢".split("").map(function(c) {
        return c.charCodeAt(0);
      })
    );
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/decode_codepoint.js
var require_decode_codepoint2 = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/decode_codepoint.js"(exports) {
    "use strict";
    var _a;
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.replaceCodePoint = exports.fromCodePoint = void 0;
    var decodeMap2 = /* @__PURE__ */ new Map([
      [0, 65533],
      // C1 Unicode control character reference replacements
      [128, 8364],
      [130, 8218],
      [131, 402],
      [132, 8222],
      [133, 8230],
      [134, 8224],
      [135, 8225],
      [136, 710],
      [137, 8240],
      [138, 352],
      [139, 8249],
      [140, 338],
      [142, 381],
      [145, 8216],
      [146, 8217],
      [147, 8220],
      [148, 8221],
      [149, 8226],
      [150, 8211],
      [151, 8212],
      [152, 732],
      [153, 8482],
      [154, 353],
      [155, 8250],
      [156, 339],
      [158, 382],
      [159, 376]
    ]);
    exports.fromCodePoint = // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition, node/no-unsupported-features/es-builtins
    (_a = String.fromCodePoint) !== null && _a !== void 0 ? _a : function(codePoint) {
      var output = "";
      if (codePoint > 65535) {
        codePoint -= 65536;
        output += String.fromCharCode(codePoint >>> 10 & 1023 | 55296);
        codePoint = 56320 | codePoint & 1023;
      }
      output += String.fromCharCode(codePoint);
      return output;
    };
    function replaceCodePoint(codePoint) {
      var _a2;
      if (codePoint >= 55296 && codePoint <= 57343 || codePoint > 1114111) {
        return 65533;
      }
      return (_a2 = decodeMap2.get(codePoint)) !== null && _a2 !== void 0 ? _a2 : codePoint;
    }
    exports.replaceCodePoint = replaceCodePoint;
    function decodeCodePoint(codePoint) {
      return (0, exports.fromCodePoint)(replaceCodePoint(codePoint));
    }
    exports.default = decodeCodePoint;
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/decode.js
var require_decode2 = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/decode.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v2) {
      Object.defineProperty(o, "default", { enumerable: true, value: v2 });
    }) : function(o, v2) {
      o["default"] = v2;
    });
    var __importStar = exports && exports.__importStar || function(mod) {
      if (mod && mod.__esModule) return mod;
      var result = {};
      if (mod != null) {
        for (var k in mod) if (k !== "default" && Object.prototype.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
      }
      __setModuleDefault(result, mod);
      return result;
    };
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.decodeXML = exports.decodeHTMLStrict = exports.decodeHTMLAttribute = exports.decodeHTML = exports.determineBranch = exports.EntityDecoder = exports.DecodingMode = exports.BinTrieFlags = exports.fromCodePoint = exports.replaceCodePoint = exports.decodeCodePoint = exports.xmlDecodeTree = exports.htmlDecodeTree = void 0;
    var decode_data_html_js_1 = __importDefault(require_decode_data_html2());
    exports.htmlDecodeTree = decode_data_html_js_1.default;
    var decode_data_xml_js_1 = __importDefault(require_decode_data_xml2());
    exports.xmlDecodeTree = decode_data_xml_js_1.default;
    var decode_codepoint_js_1 = __importStar(require_decode_codepoint2());
    exports.decodeCodePoint = decode_codepoint_js_1.default;
    var decode_codepoint_js_2 = require_decode_codepoint2();
    Object.defineProperty(exports, "replaceCodePoint", { enumerable: true, get: function() {
      return decode_codepoint_js_2.replaceCodePoint;
    } });
    Object.defineProperty(exports, "fromCodePoint", { enumerable: true, get: function() {
      return decode_codepoint_js_2.fromCodePoint;
    } });
    var CharCodes;
    (function(CharCodes2) {
      CharCodes2[CharCodes2["NUM"] = 35] = "NUM";
      CharCodes2[CharCodes2["SEMI"] = 59] = "SEMI";
      CharCodes2[CharCodes2["EQUALS"] = 61] = "EQUALS";
      CharCodes2[CharCodes2["ZERO"] = 48] = "ZERO";
      CharCodes2[CharCodes2["NINE"] = 57] = "NINE";
      CharCodes2[CharCodes2["LOWER_A"] = 97] = "LOWER_A";
      CharCodes2[CharCodes2["LOWER_F"] = 102] = "LOWER_F";
      CharCodes2[CharCodes2["LOWER_X"] = 120] = "LOWER_X";
      CharCodes2[CharCodes2["LOWER_Z"] = 122] = "LOWER_Z";
      CharCodes2[CharCodes2["UPPER_A"] = 65] = "UPPER_A";
      CharCodes2[CharCodes2["UPPER_F"] = 70] = "UPPER_F";
      CharCodes2[CharCodes2["UPPER_Z"] = 90] = "UPPER_Z";
    })(CharCodes || (CharCodes = {}));
    var TO_LOWER_BIT = 32;
    var BinTrieFlags;
    (function(BinTrieFlags2) {
      BinTrieFlags2[BinTrieFlags2["VALUE_LENGTH"] = 49152] = "VALUE_LENGTH";
      BinTrieFlags2[BinTrieFlags2["BRANCH_LENGTH"] = 16256] = "BRANCH_LENGTH";
      BinTrieFlags2[BinTrieFlags2["JUMP_TABLE"] = 127] = "JUMP_TABLE";
    })(BinTrieFlags = exports.BinTrieFlags || (exports.BinTrieFlags = {}));
    function isNumber(code) {
      return code >= CharCodes.ZERO && code <= CharCodes.NINE;
    }
    function isHexadecimalCharacter(code) {
      return code >= CharCodes.UPPER_A && code <= CharCodes.UPPER_F || code >= CharCodes.LOWER_A && code <= CharCodes.LOWER_F;
    }
    function isAsciiAlphaNumeric(code) {
      return code >= CharCodes.UPPER_A && code <= CharCodes.UPPER_Z || code >= CharCodes.LOWER_A && code <= CharCodes.LOWER_Z || isNumber(code);
    }
    function isEntityInAttributeInvalidEnd(code) {
      return code === CharCodes.EQUALS || isAsciiAlphaNumeric(code);
    }
    var EntityDecoderState;
    (function(EntityDecoderState2) {
      EntityDecoderState2[EntityDecoderState2["EntityStart"] = 0] = "EntityStart";
      EntityDecoderState2[EntityDecoderState2["NumericStart"] = 1] = "NumericStart";
      EntityDecoderState2[EntityDecoderState2["NumericDecimal"] = 2] = "NumericDecimal";
      EntityDecoderState2[EntityDecoderState2["NumericHex"] = 3] = "NumericHex";
      EntityDecoderState2[EntityDecoderState2["NamedEntity"] = 4] = "NamedEntity";
    })(EntityDecoderState || (EntityDecoderState = {}));
    var DecodingMode;
    (function(DecodingMode2) {
      DecodingMode2[DecodingMode2["Legacy"] = 0] = "Legacy";
      DecodingMode2[DecodingMode2["Strict"] = 1] = "Strict";
      DecodingMode2[DecodingMode2["Attribute"] = 2] = "Attribute";
    })(DecodingMode = exports.DecodingMode || (exports.DecodingMode = {}));
    var EntityDecoder = (
      /** @class */
      (function() {
        function EntityDecoder2(decodeTree, emitCodePoint, errors) {
          this.decodeTree = decodeTree;
          this.emitCodePoint = emitCodePoint;
          this.errors = errors;
          this.state = EntityDecoderState.EntityStart;
          this.consumed = 1;
          this.result = 0;
          this.treeIndex = 0;
          this.excess = 1;
          this.decodeMode = DecodingMode.Strict;
        }
        EntityDecoder2.prototype.startEntity = function(decodeMode) {
          this.decodeMode = decodeMode;
          this.state = EntityDecoderState.EntityStart;
          this.result = 0;
          this.treeIndex = 0;
          this.excess = 1;
          this.consumed = 1;
        };
        EntityDecoder2.prototype.write = function(str, offset) {
          switch (this.state) {
            case EntityDecoderState.EntityStart: {
              if (str.charCodeAt(offset) === CharCodes.NUM) {
                this.state = EntityDecoderState.NumericStart;
                this.consumed += 1;
                return this.stateNumericStart(str, offset + 1);
              }
              this.state = EntityDecoderState.NamedEntity;
              return this.stateNamedEntity(str, offset);
            }
            case EntityDecoderState.NumericStart: {
              return this.stateNumericStart(str, offset);
            }
            case EntityDecoderState.NumericDecimal: {
              return this.stateNumericDecimal(str, offset);
            }
            case EntityDecoderState.NumericHex: {
              return this.stateNumericHex(str, offset);
            }
            case EntityDecoderState.NamedEntity: {
              return this.stateNamedEntity(str, offset);
            }
          }
        };
        EntityDecoder2.prototype.stateNumericStart = function(str, offset) {
          if (offset >= str.length) {
            return -1;
          }
          if ((str.charCodeAt(offset) | TO_LOWER_BIT) === CharCodes.LOWER_X) {
            this.state = EntityDecoderState.NumericHex;
            this.consumed += 1;
            return this.stateNumericHex(str, offset + 1);
          }
          this.state = EntityDecoderState.NumericDecimal;
          return this.stateNumericDecimal(str, offset);
        };
        EntityDecoder2.prototype.addToNumericResult = function(str, start, end, base) {
          if (start !== end) {
            var digitCount = end - start;
            this.result = this.result * Math.pow(base, digitCount) + parseInt(str.substr(start, digitCount), base);
            this.consumed += digitCount;
          }
        };
        EntityDecoder2.prototype.stateNumericHex = function(str, offset) {
          var startIdx = offset;
          while (offset < str.length) {
            var char = str.charCodeAt(offset);
            if (isNumber(char) || isHexadecimalCharacter(char)) {
              offset += 1;
            } else {
              this.addToNumericResult(str, startIdx, offset, 16);
              return this.emitNumericEntity(char, 3);
            }
          }
          this.addToNumericResult(str, startIdx, offset, 16);
          return -1;
        };
        EntityDecoder2.prototype.stateNumericDecimal = function(str, offset) {
          var startIdx = offset;
          while (offset < str.length) {
            var char = str.charCodeAt(offset);
            if (isNumber(char)) {
              offset += 1;
            } else {
              this.addToNumericResult(str, startIdx, offset, 10);
              return this.emitNumericEntity(char, 2);
            }
          }
          this.addToNumericResult(str, startIdx, offset, 10);
          return -1;
        };
        EntityDecoder2.prototype.emitNumericEntity = function(lastCp, expectedLength) {
          var _a;
          if (this.consumed <= expectedLength) {
            (_a = this.errors) === null || _a === void 0 ? void 0 : _a.absenceOfDigitsInNumericCharacterReference(this.consumed);
            return 0;
          }
          if (lastCp === CharCodes.SEMI) {
            this.consumed += 1;
          } else if (this.decodeMode === DecodingMode.Strict) {
            return 0;
          }
          this.emitCodePoint((0, decode_codepoint_js_1.replaceCodePoint)(this.result), this.consumed);
          if (this.errors) {
            if (lastCp !== CharCodes.SEMI) {
              this.errors.missingSemicolonAfterCharacterReference();
            }
            this.errors.validateNumericCharacterReference(this.result);
          }
          return this.consumed;
        };
        EntityDecoder2.prototype.stateNamedEntity = function(str, offset) {
          var decodeTree = this.decodeTree;
          var current = decodeTree[this.treeIndex];
          var valueLength = (current & BinTrieFlags.VALUE_LENGTH) >> 14;
          for (; offset < str.length; offset++, this.excess++) {
            var char = str.charCodeAt(offset);
            this.treeIndex = determineBranch(decodeTree, current, this.treeIndex + Math.max(1, valueLength), char);
            if (this.treeIndex < 0) {
              return this.result === 0 || // If we are parsing an attribute
              this.decodeMode === DecodingMode.Attribute && // We shouldn't have consumed any characters after the entity,
              (valueLength === 0 || // And there should be no invalid characters.
              isEntityInAttributeInvalidEnd(char)) ? 0 : this.emitNotTerminatedNamedEntity();
            }
            current = decodeTree[this.treeIndex];
            valueLength = (current & BinTrieFlags.VALUE_LENGTH) >> 14;
            if (valueLength !== 0) {
              if (char === CharCodes.SEMI) {
                return this.emitNamedEntityData(this.treeIndex, valueLength, this.consumed + this.excess);
              }
              if (this.decodeMode !== DecodingMode.Strict) {
                this.result = this.treeIndex;
                this.consumed += this.excess;
                this.excess = 0;
              }
            }
          }
          return -1;
        };
        EntityDecoder2.prototype.emitNotTerminatedNamedEntity = function() {
          var _a;
          var _b = this, result = _b.result, decodeTree = _b.decodeTree;
          var valueLength = (decodeTree[result] & BinTrieFlags.VALUE_LENGTH) >> 14;
          this.emitNamedEntityData(result, valueLength, this.consumed);
          (_a = this.errors) === null || _a === void 0 ? void 0 : _a.missingSemicolonAfterCharacterReference();
          return this.consumed;
        };
        EntityDecoder2.prototype.emitNamedEntityData = function(result, valueLength, consumed) {
          var decodeTree = this.decodeTree;
          this.emitCodePoint(valueLength === 1 ? decodeTree[result] & ~BinTrieFlags.VALUE_LENGTH : decodeTree[result + 1], consumed);
          if (valueLength === 3) {
            this.emitCodePoint(decodeTree[result + 2], consumed);
          }
          return consumed;
        };
        EntityDecoder2.prototype.end = function() {
          var _a;
          switch (this.state) {
            case EntityDecoderState.NamedEntity: {
              return this.result !== 0 && (this.decodeMode !== DecodingMode.Attribute || this.result === this.treeIndex) ? this.emitNotTerminatedNamedEntity() : 0;
            }
            // Otherwise, emit a numeric entity if we have one.
            case EntityDecoderState.NumericDecimal: {
              return this.emitNumericEntity(0, 2);
            }
            case EntityDecoderState.NumericHex: {
              return this.emitNumericEntity(0, 3);
            }
            case EntityDecoderState.NumericStart: {
              (_a = this.errors) === null || _a === void 0 ? void 0 : _a.absenceOfDigitsInNumericCharacterReference(this.consumed);
              return 0;
            }
            case EntityDecoderState.EntityStart: {
              return 0;
            }
          }
        };
        return EntityDecoder2;
      })()
    );
    exports.EntityDecoder = EntityDecoder;
    function getDecoder(decodeTree) {
      var ret = "";
      var decoder = new EntityDecoder(decodeTree, function(str) {
        return ret += (0, decode_codepoint_js_1.fromCodePoint)(str);
      });
      return function decodeWithTrie(str, decodeMode) {
        var lastIndex = 0;
        var offset = 0;
        while ((offset = str.indexOf("&", offset)) >= 0) {
          ret += str.slice(lastIndex, offset);
          decoder.startEntity(decodeMode);
          var len = decoder.write(
            str,
            // Skip the "&"
            offset + 1
          );
          if (len < 0) {
            lastIndex = offset + decoder.end();
            break;
          }
          lastIndex = offset + len;
          offset = len === 0 ? lastIndex + 1 : lastIndex;
        }
        var result = ret + str.slice(lastIndex);
        ret = "";
        return result;
      };
    }
    function determineBranch(decodeTree, current, nodeIdx, char) {
      var branchCount = (current & BinTrieFlags.BRANCH_LENGTH) >> 7;
      var jumpOffset = current & BinTrieFlags.JUMP_TABLE;
      if (branchCount === 0) {
        return jumpOffset !== 0 && char === jumpOffset ? nodeIdx : -1;
      }
      if (jumpOffset) {
        var value = char - jumpOffset;
        return value < 0 || value >= branchCount ? -1 : decodeTree[nodeIdx + value] - 1;
      }
      var lo = nodeIdx;
      var hi = lo + branchCount - 1;
      while (lo <= hi) {
        var mid = lo + hi >>> 1;
        var midVal = decodeTree[mid];
        if (midVal < char) {
          lo = mid + 1;
        } else if (midVal > char) {
          hi = mid - 1;
        } else {
          return decodeTree[mid + branchCount];
        }
      }
      return -1;
    }
    exports.determineBranch = determineBranch;
    var htmlDecoder = getDecoder(decode_data_html_js_1.default);
    var xmlDecoder = getDecoder(decode_data_xml_js_1.default);
    function decodeHTML(str, mode) {
      if (mode === void 0) {
        mode = DecodingMode.Legacy;
      }
      return htmlDecoder(str, mode);
    }
    exports.decodeHTML = decodeHTML;
    function decodeHTMLAttribute(str) {
      return htmlDecoder(str, DecodingMode.Attribute);
    }
    exports.decodeHTMLAttribute = decodeHTMLAttribute;
    function decodeHTMLStrict(str) {
      return htmlDecoder(str, DecodingMode.Strict);
    }
    exports.decodeHTMLStrict = decodeHTMLStrict;
    function decodeXML(str) {
      return xmlDecoder(str, DecodingMode.Strict);
    }
    exports.decodeXML = decodeXML;
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/generated/encode-html.js
var require_encode_html = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/generated/encode-html.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function restoreDiff(arr) {
      for (var i = 1; i < arr.length; i++) {
        arr[i][0] += arr[i - 1][0] + 1;
      }
      return arr;
    }
    exports.default = new Map(/* @__PURE__ */ restoreDiff([[9, "&Tab;"], [0, "&NewLine;"], [22, "&excl;"], [0, "&quot;"], [0, "&num;"], [0, "&dollar;"], [0, "&percnt;"], [0, "&amp;"], [0, "&apos;"], [0, "&lpar;"], [0, "&rpar;"], [0, "&ast;"], [0, "&plus;"], [0, "&comma;"], [1, "&period;"], [0, "&sol;"], [10, "&colon;"], [0, "&semi;"], [0, { v: "&lt;", n: 8402, o: "&nvlt;" }], [0, { v: "&equals;", n: 8421, o: "&bne;" }], [0, { v: "&gt;", n: 8402, o: "&nvgt;" }], [0, "&quest;"], [0, "&commat;"], [26, "&lbrack;"], [0, "&bsol;"], [0, "&rbrack;"], [0, "&Hat;"], [0, "&lowbar;"], [0, "&DiacriticalGrave;"], [5, { n: 106, o: "&fjlig;" }], [20, "&lbrace;"], [0, "&verbar;"], [0, "&rbrace;"], [34, "&nbsp;"], [0, "&iexcl;"], [0, "&cent;"], [0, "&pound;"], [0, "&curren;"], [0, "&yen;"], [0, "&brvbar;"], [0, "&sect;"], [0, "&die;"], [0, "&copy;"], [0, "&ordf;"], [0, "&laquo;"], [0, "&not;"], [0, "&shy;"], [0, "&circledR;"], [0, "&macr;"], [0, "&deg;"], [0, "&PlusMinus;"], [0, "&sup2;"], [0, "&sup3;"], [0, "&acute;"], [0, "&micro;"], [0, "&para;"], [0, "&centerdot;"], [0, "&cedil;"], [0, "&sup1;"], [0, "&ordm;"], [0, "&raquo;"], [0, "&frac14;"], [0, "&frac12;"], [0, "&frac34;"], [0, "&iquest;"], [0, "&Agrave;"], [0, "&Aacute;"], [0, "&Acirc;"], [0, "&Atilde;"], [0, "&Auml;"], [0, "&angst;"], [0, "&AElig;"], [0, "&Ccedil;"], [0, "&Egrave;"], [0, "&Eacute;"], [0, "&Ecirc;"], [0, "&Euml;"], [0, "&Igrave;"], [0, "&Iacute;"], [0, "&Icirc;"], [0, "&Iuml;"], [0, "&ETH;"], [0, "&Ntilde;"], [0, "&Ograve;"], [0, "&Oacute;"], [0, "&Ocirc;"], [0, "&Otilde;"], [0, "&Ouml;"], [0, "&times;"], [0, "&Oslash;"], [0, "&Ugrave;"], [0, "&Uacute;"], [0, "&Ucirc;"], [0, "&Uuml;"], [0, "&Yacute;"], [0, "&THORN;"], [0, "&szlig;"], [0, "&agrave;"], [0, "&aacute;"], [0, "&acirc;"], [0, "&atilde;"], [0, "&auml;"], [0, "&aring;"], [0, "&aelig;"], [0, "&ccedil;"], [0, "&egrave;"], [0, "&eacute;"], [0, "&ecirc;"], [0, "&euml;"], [0, "&igrave;"], [0, "&iacute;"], [0, "&icirc;"], [0, "&iuml;"], [0, "&eth;"], [0, "&ntilde;"], [0, "&ograve;"], [0, "&oacute;"], [0, "&ocirc;"], [0, "&otilde;"], [0, "&ouml;"], [0, "&div;"], [0, "&oslash;"], [0, "&ugrave;"], [0, "&uacute;"], [0, "&ucirc;"], [0, "&uuml;"], [0, "&yacute;"], [0, "&thorn;"], [0, "&yuml;"], [0, "&Amacr;"], [0, "&amacr;"], [0, "&Abreve;"], [0, "&abreve;"], [0, "&Aogon;"], [0, "&aogon;"], [0, "&Cacute;"], [0, "&cacute;"], [0, "&Ccirc;"], [0, "&ccirc;"], [0, "&Cdot;"], [0, "&cdot;"], [0, "&Ccaron;"], [0, "&ccaron;"], [0, "&Dcaron;"], [0, "&dcaron;"], [0, "&Dstrok;"], [0, "&dstrok;"], [0, "&Emacr;"], [0, "&emacr;"], [2, "&Edot;"], [0, "&edot;"], [0, "&Eogon;"], [0, "&eogon;"], [0, "&Ecaron;"], [0, "&ecaron;"], [0, "&Gcirc;"], [0, "&gcirc;"], [0, "&Gbreve;"], [0, "&gbreve;"], [0, "&Gdot;"], [0, "&gdot;"], [0, "&Gcedil;"], [1, "&Hcirc;"], [0, "&hcirc;"], [0, "&Hstrok;"], [0, "&hstrok;"], [0, "&Itilde;"], [0, "&itilde;"], [0, "&Imacr;"], [0, "&imacr;"], [2, "&Iogon;"], [0, "&iogon;"], [0, "&Idot;"], [0, "&imath;"], [0, "&IJlig;"], [0, "&ijlig;"], [0, "&Jcirc;"], [0, "&jcirc;"], [0, "&Kcedil;"], [0, "&kcedil;"], [0, "&kgreen;"], [0, "&Lacute;"], [0, "&lacute;"], [0, "&Lcedil;"], [0, "&lcedil;"], [0, "&Lcaron;"], [0, "&lcaron;"], [0, "&Lmidot;"], [0, "&lmidot;"], [0, "&Lstrok;"], [0, "&lstrok;"], [0, "&Nacute;"], [0, "&nacute;"], [0, "&Ncedil;"], [0, "&ncedil;"], [0, "&Ncaron;"], [0, "&ncaron;"], [0, "&napos;"], [0, "&ENG;"], [0, "&eng;"], [0, "&Omacr;"], [0, "&omacr;"], [2, "&Odblac;"], [0, "&odblac;"], [0, "&OElig;"], [0, "&oelig;"], [0, "&Racute;"], [0, "&racute;"], [0, "&Rcedil;"], [0, "&rcedil;"], [0, "&Rcaron;"], [0, "&rcaron;"], [0, "&Sacute;"], [0, "&sacute;"], [0, "&Scirc;"], [0, "&scirc;"], [0, "&Scedil;"], [0, "&scedil;"], [0, "&Scaron;"], [0, "&scaron;"], [0, "&Tcedil;"], [0, "&tcedil;"], [0, "&Tcaron;"], [0, "&tcaron;"], [0, "&Tstrok;"], [0, "&tstrok;"], [0, "&Utilde;"], [0, "&utilde;"], [0, "&Umacr;"], [0, "&umacr;"], [0, "&Ubreve;"], [0, "&ubreve;"], [0, "&Uring;"], [0, "&uring;"], [0, "&Udblac;"], [0, "&udblac;"], [0, "&Uogon;"], [0, "&uogon;"], [0, "&Wcirc;"], [0, "&wcirc;"], [0, "&Ycirc;"], [0, "&ycirc;"], [0, "&Yuml;"], [0, "&Zacute;"], [0, "&zacute;"], [0, "&Zdot;"], [0, "&zdot;"], [0, "&Zcaron;"], [0, "&zcaron;"], [19, "&fnof;"], [34, "&imped;"], [63, "&gacute;"], [65, "&jmath;"], [142, "&circ;"], [0, "&caron;"], [16, "&breve;"], [0, "&DiacriticalDot;"], [0, "&ring;"], [0, "&ogon;"], [0, "&DiacriticalTilde;"], [0, "&dblac;"], [51, "&DownBreve;"], [127, "&Alpha;"], [0, "&Beta;"], [0, "&Gamma;"], [0, "&Delta;"], [0, "&Epsilon;"], [0, "&Zeta;"], [0, "&Eta;"], [0, "&Theta;"], [0, "&Iota;"], [0, "&Kappa;"], [0, "&Lambda;"], [0, "&Mu;"], [0, "&Nu;"], [0, "&Xi;"], [0, "&Omicron;"], [0, "&Pi;"], [0, "&Rho;"], [1, "&Sigma;"], [0, "&Tau;"], [0, "&Upsilon;"], [0, "&Phi;"], [0, "&Chi;"], [0, "&Psi;"], [0, "&ohm;"], [7, "&alpha;"], [0, "&beta;"], [0, "&gamma;"], [0, "&delta;"], [0, "&epsi;"], [0, "&zeta;"], [0, "&eta;"], [0, "&theta;"], [0, "&iota;"], [0, "&kappa;"], [0, "&lambda;"], [0, "&mu;"], [0, "&nu;"], [0, "&xi;"], [0, "&omicron;"], [0, "&pi;"], [0, "&rho;"], [0, "&sigmaf;"], [0, "&sigma;"], [0, "&tau;"], [0, "&upsi;"], [0, "&phi;"], [0, "&chi;"], [0, "&psi;"], [0, "&omega;"], [7, "&thetasym;"], [0, "&Upsi;"], [2, "&phiv;"], [0, "&piv;"], [5, "&Gammad;"], [0, "&digamma;"], [18, "&kappav;"], [0, "&rhov;"], [3, "&epsiv;"], [0, "&backepsilon;"], [10, "&IOcy;"], [0, "&DJcy;"], [0, "&GJcy;"], [0, "&Jukcy;"], [0, "&DScy;"], [0, "&Iukcy;"], [0, "&YIcy;"], [0, "&Jsercy;"], [0, "&LJcy;"], [0, "&NJcy;"], [0, "&TSHcy;"], [0, "&KJcy;"], [1, "&Ubrcy;"], [0, "&DZcy;"], [0, "&Acy;"], [0, "&Bcy;"], [0, "&Vcy;"], [0, "&Gcy;"], [0, "&Dcy;"], [0, "&IEcy;"], [0, "&ZHcy;"], [0, "&Zcy;"], [0, "&Icy;"], [0, "&Jcy;"], [0, "&Kcy;"], [0, "&Lcy;"], [0, "&Mcy;"], [0, "&Ncy;"], [0, "&Ocy;"], [0, "&Pcy;"], [0, "&Rcy;"], [0, "&Scy;"], [0, "&Tcy;"], [0, "&Ucy;"], [0, "&Fcy;"], [0, "&KHcy;"], [0, "&TScy;"], [0, "&CHcy;"], [0, "&SHcy;"], [0, "&SHCHcy;"], [0, "&HARDcy;"], [0, "&Ycy;"], [0, "&SOFTcy;"], [0, "&Ecy;"], [0, "&YUcy;"], [0, "&YAcy;"], [0, "&acy;"], [0, "&bcy;"], [0, "&vcy;"], [0, "&gcy;"], [0, "&dcy;"], [0, "&iecy;"], [0, "&zhcy;"], [0, "&zcy;"], [0, "&icy;"], [0, "&jcy;"], [0, "&kcy;"], [0, "&lcy;"], [0, "&mcy;"], [0, "&ncy;"], [0, "&ocy;"], [0, "&pcy;"], [0, "&rcy;"], [0, "&scy;"], [0, "&tcy;"], [0, "&ucy;"], [0, "&fcy;"], [0, "&khcy;"], [0, "&tscy;"], [0, "&chcy;"], [0, "&shcy;"], [0, "&shchcy;"], [0, "&hardcy;"], [0, "&ycy;"], [0, "&softcy;"], [0, "&ecy;"], [0, "&yucy;"], [0, "&yacy;"], [1, "&iocy;"], [0, "&djcy;"], [0, "&gjcy;"], [0, "&jukcy;"], [0, "&dscy;"], [0, "&iukcy;"], [0, "&yicy;"], [0, "&jsercy;"], [0, "&ljcy;"], [0, "&njcy;"], [0, "&tshcy;"], [0, "&kjcy;"], [1, "&ubrcy;"], [0, "&dzcy;"], [7074, "&ensp;"], [0, "&emsp;"], [0, "&emsp13;"], [0, "&emsp14;"], [1, "&numsp;"], [0, "&puncsp;"], [0, "&ThinSpace;"], [0, "&hairsp;"], [0, "&NegativeMediumSpace;"], [0, "&zwnj;"], [0, "&zwj;"], [0, "&lrm;"], [0, "&rlm;"], [0, "&dash;"], [2, "&ndash;"], [0, "&mdash;"], [0, "&horbar;"], [0, "&Verbar;"], [1, "&lsquo;"], [0, "&CloseCurlyQuote;"], [0, "&lsquor;"], [1, "&ldquo;"], [0, "&CloseCurlyDoubleQuote;"], [0, "&bdquo;"], [1, "&dagger;"], [0, "&Dagger;"], [0, "&bull;"], [2, "&nldr;"], [0, "&hellip;"], [9, "&permil;"], [0, "&pertenk;"], [0, "&prime;"], [0, "&Prime;"], [0, "&tprime;"], [0, "&backprime;"], [3, "&lsaquo;"], [0, "&rsaquo;"], [3, "&oline;"], [2, "&caret;"], [1, "&hybull;"], [0, "&frasl;"], [10, "&bsemi;"], [7, "&qprime;"], [7, { v: "&MediumSpace;", n: 8202, o: "&ThickSpace;" }], [0, "&NoBreak;"], [0, "&af;"], [0, "&InvisibleTimes;"], [0, "&ic;"], [72, "&euro;"], [46, "&tdot;"], [0, "&DotDot;"], [37, "&complexes;"], [2, "&incare;"], [4, "&gscr;"], [0, "&hamilt;"], [0, "&Hfr;"], [0, "&Hopf;"], [0, "&planckh;"], [0, "&hbar;"], [0, "&imagline;"], [0, "&Ifr;"], [0, "&lagran;"], [0, "&ell;"], [1, "&naturals;"], [0, "&numero;"], [0, "&copysr;"], [0, "&weierp;"], [0, "&Popf;"], [0, "&Qopf;"], [0, "&realine;"], [0, "&real;"], [0, "&reals;"], [0, "&rx;"], [3, "&trade;"], [1, "&integers;"], [2, "&mho;"], [0, "&zeetrf;"], [0, "&iiota;"], [2, "&bernou;"], [0, "&Cayleys;"], [1, "&escr;"], [0, "&Escr;"], [0, "&Fouriertrf;"], [1, "&Mellintrf;"], [0, "&order;"], [0, "&alefsym;"], [0, "&beth;"], [0, "&gimel;"], [0, "&daleth;"], [12, "&CapitalDifferentialD;"], [0, "&dd;"], [0, "&ee;"], [0, "&ii;"], [10, "&frac13;"], [0, "&frac23;"], [0, "&frac15;"], [0, "&frac25;"], [0, "&frac35;"], [0, "&frac45;"], [0, "&frac16;"], [0, "&frac56;"], [0, "&frac18;"], [0, "&frac38;"], [0, "&frac58;"], [0, "&frac78;"], [49, "&larr;"], [0, "&ShortUpArrow;"], [0, "&rarr;"], [0, "&darr;"], [0, "&harr;"], [0, "&updownarrow;"], [0, "&nwarr;"], [0, "&nearr;"], [0, "&LowerRightArrow;"], [0, "&LowerLeftArrow;"], [0, "&nlarr;"], [0, "&nrarr;"], [1, { v: "&rarrw;", n: 824, o: "&nrarrw;" }], [0, "&Larr;"], [0, "&Uarr;"], [0, "&Rarr;"], [0, "&Darr;"], [0, "&larrtl;"], [0, "&rarrtl;"], [0, "&LeftTeeArrow;"], [0, "&mapstoup;"], [0, "&map;"], [0, "&DownTeeArrow;"], [1, "&hookleftarrow;"], [0, "&hookrightarrow;"], [0, "&larrlp;"], [0, "&looparrowright;"], [0, "&harrw;"], [0, "&nharr;"], [1, "&lsh;"], [0, "&rsh;"], [0, "&ldsh;"], [0, "&rdsh;"], [1, "&crarr;"], [0, "&cularr;"], [0, "&curarr;"], [2, "&circlearrowleft;"], [0, "&circlearrowright;"], [0, "&leftharpoonup;"], [0, "&DownLeftVector;"], [0, "&RightUpVector;"], [0, "&LeftUpVector;"], [0, "&rharu;"], [0, "&DownRightVector;"], [0, "&dharr;"], [0, "&dharl;"], [0, "&RightArrowLeftArrow;"], [0, "&udarr;"], [0, "&LeftArrowRightArrow;"], [0, "&leftleftarrows;"], [0, "&upuparrows;"], [0, "&rightrightarrows;"], [0, "&ddarr;"], [0, "&leftrightharpoons;"], [0, "&Equilibrium;"], [0, "&nlArr;"], [0, "&nhArr;"], [0, "&nrArr;"], [0, "&DoubleLeftArrow;"], [0, "&DoubleUpArrow;"], [0, "&DoubleRightArrow;"], [0, "&dArr;"], [0, "&DoubleLeftRightArrow;"], [0, "&DoubleUpDownArrow;"], [0, "&nwArr;"], [0, "&neArr;"], [0, "&seArr;"], [0, "&swArr;"], [0, "&lAarr;"], [0, "&rAarr;"], [1, "&zigrarr;"], [6, "&larrb;"], [0, "&rarrb;"], [15, "&DownArrowUpArrow;"], [7, "&loarr;"], [0, "&roarr;"], [0, "&hoarr;"], [0, "&forall;"], [0, "&comp;"], [0, { v: "&part;", n: 824, o: "&npart;" }], [0, "&exist;"], [0, "&nexist;"], [0, "&empty;"], [1, "&Del;"], [0, "&Element;"], [0, "&NotElement;"], [1, "&ni;"], [0, "&notni;"], [2, "&prod;"], [0, "&coprod;"], [0, "&sum;"], [0, "&minus;"], [0, "&MinusPlus;"], [0, "&dotplus;"], [1, "&Backslash;"], [0, "&lowast;"], [0, "&compfn;"], [1, "&radic;"], [2, "&prop;"], [0, "&infin;"], [0, "&angrt;"], [0, { v: "&ang;", n: 8402, o: "&nang;" }], [0, "&angmsd;"], [0, "&angsph;"], [0, "&mid;"], [0, "&nmid;"], [0, "&DoubleVerticalBar;"], [0, "&NotDoubleVerticalBar;"], [0, "&and;"], [0, "&or;"], [0, { v: "&cap;", n: 65024, o: "&caps;" }], [0, { v: "&cup;", n: 65024, o: "&cups;" }], [0, "&int;"], [0, "&Int;"], [0, "&iiint;"], [0, "&conint;"], [0, "&Conint;"], [0, "&Cconint;"], [0, "&cwint;"], [0, "&ClockwiseContourIntegral;"], [0, "&awconint;"], [0, "&there4;"], [0, "&becaus;"], [0, "&ratio;"], [0, "&Colon;"], [0, "&dotminus;"], [1, "&mDDot;"], [0, "&homtht;"], [0, { v: "&sim;", n: 8402, o: "&nvsim;" }], [0, { v: "&backsim;", n: 817, o: "&race;" }], [0, { v: "&ac;", n: 819, o: "&acE;" }], [0, "&acd;"], [0, "&VerticalTilde;"], [0, "&NotTilde;"], [0, { v: "&eqsim;", n: 824, o: "&nesim;" }], [0, "&sime;"], [0, "&NotTildeEqual;"], [0, "&cong;"], [0, "&simne;"], [0, "&ncong;"], [0, "&ap;"], [0, "&nap;"], [0, "&ape;"], [0, { v: "&apid;", n: 824, o: "&napid;" }], [0, "&backcong;"], [0, { v: "&asympeq;", n: 8402, o: "&nvap;" }], [0, { v: "&bump;", n: 824, o: "&nbump;" }], [0, { v: "&bumpe;", n: 824, o: "&nbumpe;" }], [0, { v: "&doteq;", n: 824, o: "&nedot;" }], [0, "&doteqdot;"], [0, "&efDot;"], [0, "&erDot;"], [0, "&Assign;"], [0, "&ecolon;"], [0, "&ecir;"], [0, "&circeq;"], [1, "&wedgeq;"], [0, "&veeeq;"], [1, "&triangleq;"], [2, "&equest;"], [0, "&ne;"], [0, { v: "&Congruent;", n: 8421, o: "&bnequiv;" }], [0, "&nequiv;"], [1, { v: "&le;", n: 8402, o: "&nvle;" }], [0, { v: "&ge;", n: 8402, o: "&nvge;" }], [0, { v: "&lE;", n: 824, o: "&nlE;" }], [0, { v: "&gE;", n: 824, o: "&ngE;" }], [0, { v: "&lnE;", n: 65024, o: "&lvertneqq;" }], [0, { v: "&gnE;", n: 65024, o: "&gvertneqq;" }], [0, { v: "&ll;", n: new Map(/* @__PURE__ */ restoreDiff([[824, "&nLtv;"], [7577, "&nLt;"]])) }], [0, { v: "&gg;", n: new Map(/* @__PURE__ */ restoreDiff([[824, "&nGtv;"], [7577, "&nGt;"]])) }], [0, "&between;"], [0, "&NotCupCap;"], [0, "&nless;"], [0, "&ngt;"], [0, "&nle;"], [0, "&nge;"], [0, "&lesssim;"], [0, "&GreaterTilde;"], [0, "&nlsim;"], [0, "&ngsim;"], [0, "&LessGreater;"], [0, "&gl;"], [0, "&NotLessGreater;"], [0, "&NotGreaterLess;"], [0, "&pr;"], [0, "&sc;"], [0, "&prcue;"], [0, "&sccue;"], [0, "&PrecedesTilde;"], [0, { v: "&scsim;", n: 824, o: "&NotSucceedsTilde;" }], [0, "&NotPrecedes;"], [0, "&NotSucceeds;"], [0, { v: "&sub;", n: 8402, o: "&NotSubset;" }], [0, { v: "&sup;", n: 8402, o: "&NotSuperset;" }], [0, "&nsub;"], [0, "&nsup;"], [0, "&sube;"], [0, "&supe;"], [0, "&NotSubsetEqual;"], [0, "&NotSupersetEqual;"], [0, { v: "&subne;", n: 65024, o: "&varsubsetneq;" }], [0, { v: "&supne;", n: 65024, o: "&varsupsetneq;" }], [1, "&cupdot;"], [0, "&UnionPlus;"], [0, { v: "&sqsub;", n: 824, o: "&NotSquareSubset;" }], [0, { v: "&sqsup;", n: 824, o: "&NotSquareSuperset;" }], [0, "&sqsube;"], [0, "&sqsupe;"], [0, { v: "&sqcap;", n: 65024, o: "&sqcaps;" }], [0, { v: "&sqcup;", n: 65024, o: "&sqcups;" }], [0, "&CirclePlus;"], [0, "&CircleMinus;"], [0, "&CircleTimes;"], [0, "&osol;"], [0, "&CircleDot;"], [0, "&circledcirc;"], [0, "&circledast;"], [1, "&circleddash;"], [0, "&boxplus;"], [0, "&boxminus;"], [0, "&boxtimes;"], [0, "&dotsquare;"], [0, "&RightTee;"], [0, "&dashv;"], [0, "&DownTee;"], [0, "&bot;"], [1, "&models;"], [0, "&DoubleRightTee;"], [0, "&Vdash;"], [0, "&Vvdash;"], [0, "&VDash;"], [0, "&nvdash;"], [0, "&nvDash;"], [0, "&nVdash;"], [0, "&nVDash;"], [0, "&prurel;"], [1, "&LeftTriangle;"], [0, "&RightTriangle;"], [0, { v: "&LeftTriangleEqual;", n: 8402, o: "&nvltrie;" }], [0, { v: "&RightTriangleEqual;", n: 8402, o: "&nvrtrie;" }], [0, "&origof;"], [0, "&imof;"], [0, "&multimap;"], [0, "&hercon;"], [0, "&intcal;"], [0, "&veebar;"], [1, "&barvee;"], [0, "&angrtvb;"], [0, "&lrtri;"], [0, "&bigwedge;"], [0, "&bigvee;"], [0, "&bigcap;"], [0, "&bigcup;"], [0, "&diam;"], [0, "&sdot;"], [0, "&sstarf;"], [0, "&divideontimes;"], [0, "&bowtie;"], [0, "&ltimes;"], [0, "&rtimes;"], [0, "&leftthreetimes;"], [0, "&rightthreetimes;"], [0, "&backsimeq;"], [0, "&curlyvee;"], [0, "&curlywedge;"], [0, "&Sub;"], [0, "&Sup;"], [0, "&Cap;"], [0, "&Cup;"], [0, "&fork;"], [0, "&epar;"], [0, "&lessdot;"], [0, "&gtdot;"], [0, { v: "&Ll;", n: 824, o: "&nLl;" }], [0, { v: "&Gg;", n: 824, o: "&nGg;" }], [0, { v: "&leg;", n: 65024, o: "&lesg;" }], [0, { v: "&gel;", n: 65024, o: "&gesl;" }], [2, "&cuepr;"], [0, "&cuesc;"], [0, "&NotPrecedesSlantEqual;"], [0, "&NotSucceedsSlantEqual;"], [0, "&NotSquareSubsetEqual;"], [0, "&NotSquareSupersetEqual;"], [2, "&lnsim;"], [0, "&gnsim;"], [0, "&precnsim;"], [0, "&scnsim;"], [0, "&nltri;"], [0, "&NotRightTriangle;"], [0, "&nltrie;"], [0, "&NotRightTriangleEqual;"], [0, "&vellip;"], [0, "&ctdot;"], [0, "&utdot;"], [0, "&dtdot;"], [0, "&disin;"], [0, "&isinsv;"], [0, "&isins;"], [0, { v: "&isindot;", n: 824, o: "&notindot;" }], [0, "&notinvc;"], [0, "&notinvb;"], [1, { v: "&isinE;", n: 824, o: "&notinE;" }], [0, "&nisd;"], [0, "&xnis;"], [0, "&nis;"], [0, "&notnivc;"], [0, "&notnivb;"], [6, "&barwed;"], [0, "&Barwed;"], [1, "&lceil;"], [0, "&rceil;"], [0, "&LeftFloor;"], [0, "&rfloor;"], [0, "&drcrop;"], [0, "&dlcrop;"], [0, "&urcrop;"], [0, "&ulcrop;"], [0, "&bnot;"], [1, "&profline;"], [0, "&profsurf;"], [1, "&telrec;"], [0, "&target;"], [5, "&ulcorn;"], [0, "&urcorn;"], [0, "&dlcorn;"], [0, "&drcorn;"], [2, "&frown;"], [0, "&smile;"], [9, "&cylcty;"], [0, "&profalar;"], [7, "&topbot;"], [6, "&ovbar;"], [1, "&solbar;"], [60, "&angzarr;"], [51, "&lmoustache;"], [0, "&rmoustache;"], [2, "&OverBracket;"], [0, "&bbrk;"], [0, "&bbrktbrk;"], [37, "&OverParenthesis;"], [0, "&UnderParenthesis;"], [0, "&OverBrace;"], [0, "&UnderBrace;"], [2, "&trpezium;"], [4, "&elinters;"], [59, "&blank;"], [164, "&circledS;"], [55, "&boxh;"], [1, "&boxv;"], [9, "&boxdr;"], [3, "&boxdl;"], [3, "&boxur;"], [3, "&boxul;"], [3, "&boxvr;"], [7, "&boxvl;"], [7, "&boxhd;"], [7, "&boxhu;"], [7, "&boxvh;"], [19, "&boxH;"], [0, "&boxV;"], [0, "&boxdR;"], [0, "&boxDr;"], [0, "&boxDR;"], [0, "&boxdL;"], [0, "&boxDl;"], [0, "&boxDL;"], [0, "&boxuR;"], [0, "&boxUr;"], [0, "&boxUR;"], [0, "&boxuL;"], [0, "&boxUl;"], [0, "&boxUL;"], [0, "&boxvR;"], [0, "&boxVr;"], [0, "&boxVR;"], [0, "&boxvL;"], [0, "&boxVl;"], [0, "&boxVL;"], [0, "&boxHd;"], [0, "&boxhD;"], [0, "&boxHD;"], [0, "&boxHu;"], [0, "&boxhU;"], [0, "&boxHU;"], [0, "&boxvH;"], [0, "&boxVh;"], [0, "&boxVH;"], [19, "&uhblk;"], [3, "&lhblk;"], [3, "&block;"], [8, "&blk14;"], [0, "&blk12;"], [0, "&blk34;"], [13, "&square;"], [8, "&blacksquare;"], [0, "&EmptyVerySmallSquare;"], [1, "&rect;"], [0, "&marker;"], [2, "&fltns;"], [1, "&bigtriangleup;"], [0, "&blacktriangle;"], [0, "&triangle;"], [2, "&blacktriangleright;"], [0, "&rtri;"], [3, "&bigtriangledown;"], [0, "&blacktriangledown;"], [0, "&dtri;"], [2, "&blacktriangleleft;"], [0, "&ltri;"], [6, "&loz;"], [0, "&cir;"], [32, "&tridot;"], [2, "&bigcirc;"], [8, "&ultri;"], [0, "&urtri;"], [0, "&lltri;"], [0, "&EmptySmallSquare;"], [0, "&FilledSmallSquare;"], [8, "&bigstar;"], [0, "&star;"], [7, "&phone;"], [49, "&female;"], [1, "&male;"], [29, "&spades;"], [2, "&clubs;"], [1, "&hearts;"], [0, "&diamondsuit;"], [3, "&sung;"], [2, "&flat;"], [0, "&natural;"], [0, "&sharp;"], [163, "&check;"], [3, "&cross;"], [8, "&malt;"], [21, "&sext;"], [33, "&VerticalSeparator;"], [25, "&lbbrk;"], [0, "&rbbrk;"], [84, "&bsolhsub;"], [0, "&suphsol;"], [28, "&LeftDoubleBracket;"], [0, "&RightDoubleBracket;"], [0, "&lang;"], [0, "&rang;"], [0, "&Lang;"], [0, "&Rang;"], [0, "&loang;"], [0, "&roang;"], [7, "&longleftarrow;"], [0, "&longrightarrow;"], [0, "&longleftrightarrow;"], [0, "&DoubleLongLeftArrow;"], [0, "&DoubleLongRightArrow;"], [0, "&DoubleLongLeftRightArrow;"], [1, "&longmapsto;"], [2, "&dzigrarr;"], [258, "&nvlArr;"], [0, "&nvrArr;"], [0, "&nvHarr;"], [0, "&Map;"], [6, "&lbarr;"], [0, "&bkarow;"], [0, "&lBarr;"], [0, "&dbkarow;"], [0, "&drbkarow;"], [0, "&DDotrahd;"], [0, "&UpArrowBar;"], [0, "&DownArrowBar;"], [2, "&Rarrtl;"], [2, "&latail;"], [0, "&ratail;"], [0, "&lAtail;"], [0, "&rAtail;"], [0, "&larrfs;"], [0, "&rarrfs;"], [0, "&larrbfs;"], [0, "&rarrbfs;"], [2, "&nwarhk;"], [0, "&nearhk;"], [0, "&hksearow;"], [0, "&hkswarow;"], [0, "&nwnear;"], [0, "&nesear;"], [0, "&seswar;"], [0, "&swnwar;"], [8, { v: "&rarrc;", n: 824, o: "&nrarrc;" }], [1, "&cudarrr;"], [0, "&ldca;"], [0, "&rdca;"], [0, "&cudarrl;"], [0, "&larrpl;"], [2, "&curarrm;"], [0, "&cularrp;"], [7, "&rarrpl;"], [2, "&harrcir;"], [0, "&Uarrocir;"], [0, "&lurdshar;"], [0, "&ldrushar;"], [2, "&LeftRightVector;"], [0, "&RightUpDownVector;"], [0, "&DownLeftRightVector;"], [0, "&LeftUpDownVector;"], [0, "&LeftVectorBar;"], [0, "&RightVectorBar;"], [0, "&RightUpVectorBar;"], [0, "&RightDownVectorBar;"], [0, "&DownLeftVectorBar;"], [0, "&DownRightVectorBar;"], [0, "&LeftUpVectorBar;"], [0, "&LeftDownVectorBar;"], [0, "&LeftTeeVector;"], [0, "&RightTeeVector;"], [0, "&RightUpTeeVector;"], [0, "&RightDownTeeVector;"], [0, "&DownLeftTeeVector;"], [0, "&DownRightTeeVector;"], [0, "&LeftUpTeeVector;"], [0, "&LeftDownTeeVector;"], [0, "&lHar;"], [0, "&uHar;"], [0, "&rHar;"], [0, "&dHar;"], [0, "&luruhar;"], [0, "&ldrdhar;"], [0, "&ruluhar;"], [0, "&rdldhar;"], [0, "&lharul;"], [0, "&llhard;"], [0, "&rharul;"], [0, "&lrhard;"], [0, "&udhar;"], [0, "&duhar;"], [0, "&RoundImplies;"], [0, "&erarr;"], [0, "&simrarr;"], [0, "&larrsim;"], [0, "&rarrsim;"], [0, "&rarrap;"], [0, "&ltlarr;"], [1, "&gtrarr;"], [0, "&subrarr;"], [1, "&suplarr;"], [0, "&lfisht;"], [0, "&rfisht;"], [0, "&ufisht;"], [0, "&dfisht;"], [5, "&lopar;"], [0, "&ropar;"], [4, "&lbrke;"], [0, "&rbrke;"], [0, "&lbrkslu;"], [0, "&rbrksld;"], [0, "&lbrksld;"], [0, "&rbrkslu;"], [0, "&langd;"], [0, "&rangd;"], [0, "&lparlt;"], [0, "&rpargt;"], [0, "&gtlPar;"], [0, "&ltrPar;"], [3, "&vzigzag;"], [1, "&vangrt;"], [0, "&angrtvbd;"], [6, "&ange;"], [0, "&range;"], [0, "&dwangle;"], [0, "&uwangle;"], [0, "&angmsdaa;"], [0, "&angmsdab;"], [0, "&angmsdac;"], [0, "&angmsdad;"], [0, "&angmsdae;"], [0, "&angmsdaf;"], [0, "&angmsdag;"], [0, "&angmsdah;"], [0, "&bemptyv;"], [0, "&demptyv;"], [0, "&cemptyv;"], [0, "&raemptyv;"], [0, "&laemptyv;"], [0, "&ohbar;"], [0, "&omid;"], [0, "&opar;"], [1, "&operp;"], [1, "&olcross;"], [0, "&odsold;"], [1, "&olcir;"], [0, "&ofcir;"], [0, "&olt;"], [0, "&ogt;"], [0, "&cirscir;"], [0, "&cirE;"], [0, "&solb;"], [0, "&bsolb;"], [3, "&boxbox;"], [3, "&trisb;"], [0, "&rtriltri;"], [0, { v: "&LeftTriangleBar;", n: 824, o: "&NotLeftTriangleBar;" }], [0, { v: "&RightTriangleBar;", n: 824, o: "&NotRightTriangleBar;" }], [11, "&iinfin;"], [0, "&infintie;"], [0, "&nvinfin;"], [4, "&eparsl;"], [0, "&smeparsl;"], [0, "&eqvparsl;"], [5, "&blacklozenge;"], [8, "&RuleDelayed;"], [1, "&dsol;"], [9, "&bigodot;"], [0, "&bigoplus;"], [0, "&bigotimes;"], [1, "&biguplus;"], [1, "&bigsqcup;"], [5, "&iiiint;"], [0, "&fpartint;"], [2, "&cirfnint;"], [0, "&awint;"], [0, "&rppolint;"], [0, "&scpolint;"], [0, "&npolint;"], [0, "&pointint;"], [0, "&quatint;"], [0, "&intlarhk;"], [10, "&pluscir;"], [0, "&plusacir;"], [0, "&simplus;"], [0, "&plusdu;"], [0, "&plussim;"], [0, "&plustwo;"], [1, "&mcomma;"], [0, "&minusdu;"], [2, "&loplus;"], [0, "&roplus;"], [0, "&Cross;"], [0, "&timesd;"], [0, "&timesbar;"], [1, "&smashp;"], [0, "&lotimes;"], [0, "&rotimes;"], [0, "&otimesas;"], [0, "&Otimes;"], [0, "&odiv;"], [0, "&triplus;"], [0, "&triminus;"], [0, "&tritime;"], [0, "&intprod;"], [2, "&amalg;"], [0, "&capdot;"], [1, "&ncup;"], [0, "&ncap;"], [0, "&capand;"], [0, "&cupor;"], [0, "&cupcap;"], [0, "&capcup;"], [0, "&cupbrcap;"], [0, "&capbrcup;"], [0, "&cupcup;"], [0, "&capcap;"], [0, "&ccups;"], [0, "&ccaps;"], [2, "&ccupssm;"], [2, "&And;"], [0, "&Or;"], [0, "&andand;"], [0, "&oror;"], [0, "&orslope;"], [0, "&andslope;"], [1, "&andv;"], [0, "&orv;"], [0, "&andd;"], [0, "&ord;"], [1, "&wedbar;"], [6, "&sdote;"], [3, "&simdot;"], [2, { v: "&congdot;", n: 824, o: "&ncongdot;" }], [0, "&easter;"], [0, "&apacir;"], [0, { v: "&apE;", n: 824, o: "&napE;" }], [0, "&eplus;"], [0, "&pluse;"], [0, "&Esim;"], [0, "&Colone;"], [0, "&Equal;"], [1, "&ddotseq;"], [0, "&equivDD;"], [0, "&ltcir;"], [0, "&gtcir;"], [0, "&ltquest;"], [0, "&gtquest;"], [0, { v: "&leqslant;", n: 824, o: "&nleqslant;" }], [0, { v: "&geqslant;", n: 824, o: "&ngeqslant;" }], [0, "&lesdot;"], [0, "&gesdot;"], [0, "&lesdoto;"], [0, "&gesdoto;"], [0, "&lesdotor;"], [0, "&gesdotol;"], [0, "&lap;"], [0, "&gap;"], [0, "&lne;"], [0, "&gne;"], [0, "&lnap;"], [0, "&gnap;"], [0, "&lEg;"], [0, "&gEl;"], [0, "&lsime;"], [0, "&gsime;"], [0, "&lsimg;"], [0, "&gsiml;"], [0, "&lgE;"], [0, "&glE;"], [0, "&lesges;"], [0, "&gesles;"], [0, "&els;"], [0, "&egs;"], [0, "&elsdot;"], [0, "&egsdot;"], [0, "&el;"], [0, "&eg;"], [2, "&siml;"], [0, "&simg;"], [0, "&simlE;"], [0, "&simgE;"], [0, { v: "&LessLess;", n: 824, o: "&NotNestedLessLess;" }], [0, { v: "&GreaterGreater;", n: 824, o: "&NotNestedGreaterGreater;" }], [1, "&glj;"], [0, "&gla;"], [0, "&ltcc;"], [0, "&gtcc;"], [0, "&lescc;"], [0, "&gescc;"], [0, "&smt;"], [0, "&lat;"], [0, { v: "&smte;", n: 65024, o: "&smtes;" }], [0, { v: "&late;", n: 65024, o: "&lates;" }], [0, "&bumpE;"], [0, { v: "&PrecedesEqual;", n: 824, o: "&NotPrecedesEqual;" }], [0, { v: "&sce;", n: 824, o: "&NotSucceedsEqual;" }], [2, "&prE;"], [0, "&scE;"], [0, "&precneqq;"], [0, "&scnE;"], [0, "&prap;"], [0, "&scap;"], [0, "&precnapprox;"], [0, "&scnap;"], [0, "&Pr;"], [0, "&Sc;"], [0, "&subdot;"], [0, "&supdot;"], [0, "&subplus;"], [0, "&supplus;"], [0, "&submult;"], [0, "&supmult;"], [0, "&subedot;"], [0, "&supedot;"], [0, { v: "&subE;", n: 824, o: "&nsubE;" }], [0, { v: "&supE;", n: 824, o: "&nsupE;" }], [0, "&subsim;"], [0, "&supsim;"], [2, { v: "&subnE;", n: 65024, o: "&varsubsetneqq;" }], [0, { v: "&supnE;", n: 65024, o: "&varsupsetneqq;" }], [2, "&csub;"], [0, "&csup;"], [0, "&csube;"], [0, "&csupe;"], [0, "&subsup;"], [0, "&supsub;"], [0, "&subsub;"], [0, "&supsup;"], [0, "&suphsub;"], [0, "&supdsub;"], [0, "&forkv;"], [0, "&topfork;"], [0, "&mlcp;"], [8, "&Dashv;"], [1, "&Vdashl;"], [0, "&Barv;"], [0, "&vBar;"], [0, "&vBarv;"], [1, "&Vbar;"], [0, "&Not;"], [0, "&bNot;"], [0, "&rnmid;"], [0, "&cirmid;"], [0, "&midcir;"], [0, "&topcir;"], [0, "&nhpar;"], [0, "&parsim;"], [9, { v: "&parsl;", n: 8421, o: "&nparsl;" }], [44343, { n: new Map(/* @__PURE__ */ restoreDiff([[56476, "&Ascr;"], [1, "&Cscr;"], [0, "&Dscr;"], [2, "&Gscr;"], [2, "&Jscr;"], [0, "&Kscr;"], [2, "&Nscr;"], [0, "&Oscr;"], [0, "&Pscr;"], [0, "&Qscr;"], [1, "&Sscr;"], [0, "&Tscr;"], [0, "&Uscr;"], [0, "&Vscr;"], [0, "&Wscr;"], [0, "&Xscr;"], [0, "&Yscr;"], [0, "&Zscr;"], [0, "&ascr;"], [0, "&bscr;"], [0, "&cscr;"], [0, "&dscr;"], [1, "&fscr;"], [1, "&hscr;"], [0, "&iscr;"], [0, "&jscr;"], [0, "&kscr;"], [0, "&lscr;"], [0, "&mscr;"], [0, "&nscr;"], [1, "&pscr;"], [0, "&qscr;"], [0, "&rscr;"], [0, "&sscr;"], [0, "&tscr;"], [0, "&uscr;"], [0, "&vscr;"], [0, "&wscr;"], [0, "&xscr;"], [0, "&yscr;"], [0, "&zscr;"], [52, "&Afr;"], [0, "&Bfr;"], [1, "&Dfr;"], [0, "&Efr;"], [0, "&Ffr;"], [0, "&Gfr;"], [2, "&Jfr;"], [0, "&Kfr;"], [0, "&Lfr;"], [0, "&Mfr;"], [0, "&Nfr;"], [0, "&Ofr;"], [0, "&Pfr;"], [0, "&Qfr;"], [1, "&Sfr;"], [0, "&Tfr;"], [0, "&Ufr;"], [0, "&Vfr;"], [0, "&Wfr;"], [0, "&Xfr;"], [0, "&Yfr;"], [1, "&afr;"], [0, "&bfr;"], [0, "&cfr;"], [0, "&dfr;"], [0, "&efr;"], [0, "&ffr;"], [0, "&gfr;"], [0, "&hfr;"], [0, "&ifr;"], [0, "&jfr;"], [0, "&kfr;"], [0, "&lfr;"], [0, "&mfr;"], [0, "&nfr;"], [0, "&ofr;"], [0, "&pfr;"], [0, "&qfr;"], [0, "&rfr;"], [0, "&sfr;"], [0, "&tfr;"], [0, "&ufr;"], [0, "&vfr;"], [0, "&wfr;"], [0, "&xfr;"], [0, "&yfr;"], [0, "&zfr;"], [0, "&Aopf;"], [0, "&Bopf;"], [1, "&Dopf;"], [0, "&Eopf;"], [0, "&Fopf;"], [0, "&Gopf;"], [1, "&Iopf;"], [0, "&Jopf;"], [0, "&Kopf;"], [0, "&Lopf;"], [0, "&Mopf;"], [1, "&Oopf;"], [3, "&Sopf;"], [0, "&Topf;"], [0, "&Uopf;"], [0, "&Vopf;"], [0, "&Wopf;"], [0, "&Xopf;"], [0, "&Yopf;"], [1, "&aopf;"], [0, "&bopf;"], [0, "&copf;"], [0, "&dopf;"], [0, "&eopf;"], [0, "&fopf;"], [0, "&gopf;"], [0, "&hopf;"], [0, "&iopf;"], [0, "&jopf;"], [0, "&kopf;"], [0, "&lopf;"], [0, "&mopf;"], [0, "&nopf;"], [0, "&oopf;"], [0, "&popf;"], [0, "&qopf;"], [0, "&ropf;"], [0, "&sopf;"], [0, "&topf;"], [0, "&uopf;"], [0, "&vopf;"], [0, "&wopf;"], [0, "&xopf;"], [0, "&yopf;"], [0, "&zopf;"]])) }], [8906, "&fflig;"], [0, "&filig;"], [0, "&fllig;"], [0, "&ffilig;"], [0, "&ffllig;"]]));
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/escape.js
var require_escape = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/escape.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.escapeText = exports.escapeAttribute = exports.escapeUTF8 = exports.escape = exports.encodeXML = exports.getCodePoint = exports.xmlReplacer = void 0;
    exports.xmlReplacer = /["&'<>$\x80-\uFFFF]/g;
    var xmlCodeMap = /* @__PURE__ */ new Map([
      [34, "&quot;"],
      [38, "&amp;"],
      [39, "&apos;"],
      [60, "&lt;"],
      [62, "&gt;"]
    ]);
    exports.getCodePoint = // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    String.prototype.codePointAt != null ? function(str, index) {
      return str.codePointAt(index);
    } : (
      // http://mathiasbynens.be/notes/javascript-encoding#surrogate-formulae
      function(c, index) {
        return (c.charCodeAt(index) & 64512) === 55296 ? (c.charCodeAt(index) - 55296) * 1024 + c.charCodeAt(index + 1) - 56320 + 65536 : c.charCodeAt(index);
      }
    );
    function encodeXML(str) {
      var ret = "";
      var lastIdx = 0;
      var match;
      while ((match = exports.xmlReplacer.exec(str)) !== null) {
        var i = match.index;
        var char = str.charCodeAt(i);
        var next = xmlCodeMap.get(char);
        if (next !== void 0) {
          ret += str.substring(lastIdx, i) + next;
          lastIdx = i + 1;
        } else {
          ret += "".concat(str.substring(lastIdx, i), "&#x").concat((0, exports.getCodePoint)(str, i).toString(16), ";");
          lastIdx = exports.xmlReplacer.lastIndex += Number((char & 64512) === 55296);
        }
      }
      return ret + str.substr(lastIdx);
    }
    exports.encodeXML = encodeXML;
    exports.escape = encodeXML;
    function getEscaper(regex, map2) {
      return function escape(data) {
        var match;
        var lastIdx = 0;
        var result = "";
        while (match = regex.exec(data)) {
          if (lastIdx !== match.index) {
            result += data.substring(lastIdx, match.index);
          }
          result += map2.get(match[0].charCodeAt(0));
          lastIdx = match.index + 1;
        }
        return result + data.substring(lastIdx);
      };
    }
    exports.escapeUTF8 = getEscaper(/[&<>'"]/g, xmlCodeMap);
    exports.escapeAttribute = getEscaper(/["&\u00A0]/g, /* @__PURE__ */ new Map([
      [34, "&quot;"],
      [38, "&amp;"],
      [160, "&nbsp;"]
    ]));
    exports.escapeText = getEscaper(/[&<>\u00A0]/g, /* @__PURE__ */ new Map([
      [38, "&amp;"],
      [60, "&lt;"],
      [62, "&gt;"],
      [160, "&nbsp;"]
    ]));
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/encode.js
var require_encode = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/encode.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.encodeNonAsciiHTML = exports.encodeHTML = void 0;
    var encode_html_js_1 = __importDefault(require_encode_html());
    var escape_js_1 = require_escape();
    var htmlReplacer = /[\t\n!-,./:-@[-`\f{-}$\x80-\uFFFF]/g;
    function encodeHTML(data) {
      return encodeHTMLTrieRe(htmlReplacer, data);
    }
    exports.encodeHTML = encodeHTML;
    function encodeNonAsciiHTML(data) {
      return encodeHTMLTrieRe(escape_js_1.xmlReplacer, data);
    }
    exports.encodeNonAsciiHTML = encodeNonAsciiHTML;
    function encodeHTMLTrieRe(regExp, str) {
      var ret = "";
      var lastIdx = 0;
      var match;
      while ((match = regExp.exec(str)) !== null) {
        var i = match.index;
        ret += str.substring(lastIdx, i);
        var char = str.charCodeAt(i);
        var next = encode_html_js_1.default.get(char);
        if (typeof next === "object") {
          if (i + 1 < str.length) {
            var nextChar = str.charCodeAt(i + 1);
            var value = typeof next.n === "number" ? next.n === nextChar ? next.o : void 0 : next.n.get(nextChar);
            if (value !== void 0) {
              ret += value;
              lastIdx = regExp.lastIndex += 1;
              continue;
            }
          }
          next = next.v;
        }
        if (next !== void 0) {
          ret += next;
          lastIdx = i + 1;
        } else {
          var cp = (0, escape_js_1.getCodePoint)(str, i);
          ret += "&#x".concat(cp.toString(16), ";");
          lastIdx = regExp.lastIndex += Number(cp !== char);
        }
      }
      return ret + str.substr(lastIdx);
    }
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/index.js
var require_lib3 = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/node_modules/entities/lib/index.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.decodeXMLStrict = exports.decodeHTML5Strict = exports.decodeHTML4Strict = exports.decodeHTML5 = exports.decodeHTML4 = exports.decodeHTMLAttribute = exports.decodeHTMLStrict = exports.decodeHTML = exports.decodeXML = exports.DecodingMode = exports.EntityDecoder = exports.encodeHTML5 = exports.encodeHTML4 = exports.encodeNonAsciiHTML = exports.encodeHTML = exports.escapeText = exports.escapeAttribute = exports.escapeUTF8 = exports.escape = exports.encodeXML = exports.encode = exports.decodeStrict = exports.decode = exports.EncodingMode = exports.EntityLevel = void 0;
    var decode_js_1 = require_decode2();
    var encode_js_1 = require_encode();
    var escape_js_1 = require_escape();
    var EntityLevel;
    (function(EntityLevel2) {
      EntityLevel2[EntityLevel2["XML"] = 0] = "XML";
      EntityLevel2[EntityLevel2["HTML"] = 1] = "HTML";
    })(EntityLevel = exports.EntityLevel || (exports.EntityLevel = {}));
    var EncodingMode;
    (function(EncodingMode2) {
      EncodingMode2[EncodingMode2["UTF8"] = 0] = "UTF8";
      EncodingMode2[EncodingMode2["ASCII"] = 1] = "ASCII";
      EncodingMode2[EncodingMode2["Extensive"] = 2] = "Extensive";
      EncodingMode2[EncodingMode2["Attribute"] = 3] = "Attribute";
      EncodingMode2[EncodingMode2["Text"] = 4] = "Text";
    })(EncodingMode = exports.EncodingMode || (exports.EncodingMode = {}));
    function decode2(data, options) {
      if (options === void 0) {
        options = EntityLevel.XML;
      }
      var level = typeof options === "number" ? options : options.level;
      if (level === EntityLevel.HTML) {
        var mode = typeof options === "object" ? options.mode : void 0;
        return (0, decode_js_1.decodeHTML)(data, mode);
      }
      return (0, decode_js_1.decodeXML)(data);
    }
    exports.decode = decode2;
    function decodeStrict(data, options) {
      var _a;
      if (options === void 0) {
        options = EntityLevel.XML;
      }
      var opts = typeof options === "number" ? { level: options } : options;
      (_a = opts.mode) !== null && _a !== void 0 ? _a : opts.mode = decode_js_1.DecodingMode.Strict;
      return decode2(data, opts);
    }
    exports.decodeStrict = decodeStrict;
    function encode(data, options) {
      if (options === void 0) {
        options = EntityLevel.XML;
      }
      var opts = typeof options === "number" ? { level: options } : options;
      if (opts.mode === EncodingMode.UTF8)
        return (0, escape_js_1.escapeUTF8)(data);
      if (opts.mode === EncodingMode.Attribute)
        return (0, escape_js_1.escapeAttribute)(data);
      if (opts.mode === EncodingMode.Text)
        return (0, escape_js_1.escapeText)(data);
      if (opts.level === EntityLevel.HTML) {
        if (opts.mode === EncodingMode.ASCII) {
          return (0, encode_js_1.encodeNonAsciiHTML)(data);
        }
        return (0, encode_js_1.encodeHTML)(data);
      }
      return (0, escape_js_1.encodeXML)(data);
    }
    exports.encode = encode;
    var escape_js_2 = require_escape();
    Object.defineProperty(exports, "encodeXML", { enumerable: true, get: function() {
      return escape_js_2.encodeXML;
    } });
    Object.defineProperty(exports, "escape", { enumerable: true, get: function() {
      return escape_js_2.escape;
    } });
    Object.defineProperty(exports, "escapeUTF8", { enumerable: true, get: function() {
      return escape_js_2.escapeUTF8;
    } });
    Object.defineProperty(exports, "escapeAttribute", { enumerable: true, get: function() {
      return escape_js_2.escapeAttribute;
    } });
    Object.defineProperty(exports, "escapeText", { enumerable: true, get: function() {
      return escape_js_2.escapeText;
    } });
    var encode_js_2 = require_encode();
    Object.defineProperty(exports, "encodeHTML", { enumerable: true, get: function() {
      return encode_js_2.encodeHTML;
    } });
    Object.defineProperty(exports, "encodeNonAsciiHTML", { enumerable: true, get: function() {
      return encode_js_2.encodeNonAsciiHTML;
    } });
    Object.defineProperty(exports, "encodeHTML4", { enumerable: true, get: function() {
      return encode_js_2.encodeHTML;
    } });
    Object.defineProperty(exports, "encodeHTML5", { enumerable: true, get: function() {
      return encode_js_2.encodeHTML;
    } });
    var decode_js_2 = require_decode2();
    Object.defineProperty(exports, "EntityDecoder", { enumerable: true, get: function() {
      return decode_js_2.EntityDecoder;
    } });
    Object.defineProperty(exports, "DecodingMode", { enumerable: true, get: function() {
      return decode_js_2.DecodingMode;
    } });
    Object.defineProperty(exports, "decodeXML", { enumerable: true, get: function() {
      return decode_js_2.decodeXML;
    } });
    Object.defineProperty(exports, "decodeHTML", { enumerable: true, get: function() {
      return decode_js_2.decodeHTML;
    } });
    Object.defineProperty(exports, "decodeHTMLStrict", { enumerable: true, get: function() {
      return decode_js_2.decodeHTMLStrict;
    } });
    Object.defineProperty(exports, "decodeHTMLAttribute", { enumerable: true, get: function() {
      return decode_js_2.decodeHTMLAttribute;
    } });
    Object.defineProperty(exports, "decodeHTML4", { enumerable: true, get: function() {
      return decode_js_2.decodeHTML;
    } });
    Object.defineProperty(exports, "decodeHTML5", { enumerable: true, get: function() {
      return decode_js_2.decodeHTML;
    } });
    Object.defineProperty(exports, "decodeHTML4Strict", { enumerable: true, get: function() {
      return decode_js_2.decodeHTMLStrict;
    } });
    Object.defineProperty(exports, "decodeHTML5Strict", { enumerable: true, get: function() {
      return decode_js_2.decodeHTMLStrict;
    } });
    Object.defineProperty(exports, "decodeXMLStrict", { enumerable: true, get: function() {
      return decode_js_2.decodeXML;
    } });
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/lib/foreignNames.js
var require_foreignNames = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/lib/foreignNames.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.attributeNames = exports.elementNames = void 0;
    exports.elementNames = new Map([
      "altGlyph",
      "altGlyphDef",
      "altGlyphItem",
      "animateColor",
      "animateMotion",
      "animateTransform",
      "clipPath",
      "feBlend",
      "feColorMatrix",
      "feComponentTransfer",
      "feComposite",
      "feConvolveMatrix",
      "feDiffuseLighting",
      "feDisplacementMap",
      "feDistantLight",
      "feDropShadow",
      "feFlood",
      "feFuncA",
      "feFuncB",
      "feFuncG",
      "feFuncR",
      "feGaussianBlur",
      "feImage",
      "feMerge",
      "feMergeNode",
      "feMorphology",
      "feOffset",
      "fePointLight",
      "feSpecularLighting",
      "feSpotLight",
      "feTile",
      "feTurbulence",
      "foreignObject",
      "glyphRef",
      "linearGradient",
      "radialGradient",
      "textPath"
    ].map(function(val) {
      return [val.toLowerCase(), val];
    }));
    exports.attributeNames = new Map([
      "definitionURL",
      "attributeName",
      "attributeType",
      "baseFrequency",
      "baseProfile",
      "calcMode",
      "clipPathUnits",
      "diffuseConstant",
      "edgeMode",
      "filterUnits",
      "glyphRef",
      "gradientTransform",
      "gradientUnits",
      "kernelMatrix",
      "kernelUnitLength",
      "keyPoints",
      "keySplines",
      "keyTimes",
      "lengthAdjust",
      "limitingConeAngle",
      "markerHeight",
      "markerUnits",
      "markerWidth",
      "maskContentUnits",
      "maskUnits",
      "numOctaves",
      "pathLength",
      "patternContentUnits",
      "patternTransform",
      "patternUnits",
      "pointsAtX",
      "pointsAtY",
      "pointsAtZ",
      "preserveAlpha",
      "preserveAspectRatio",
      "primitiveUnits",
      "refX",
      "refY",
      "repeatCount",
      "repeatDur",
      "requiredExtensions",
      "requiredFeatures",
      "specularConstant",
      "specularExponent",
      "spreadMethod",
      "startOffset",
      "stdDeviation",
      "stitchTiles",
      "surfaceScale",
      "systemLanguage",
      "tableValues",
      "targetX",
      "targetY",
      "textLength",
      "viewBox",
      "viewTarget",
      "xChannelSelector",
      "yChannelSelector",
      "zoomAndPan"
    ].map(function(val) {
      return [val.toLowerCase(), val];
    }));
  }
});

// node_modules/sanitize-html/node_modules/dom-serializer/lib/index.js
var require_lib4 = __commonJS({
  "node_modules/sanitize-html/node_modules/dom-serializer/lib/index.js"(exports) {
    "use strict";
    var __assign = exports && exports.__assign || function() {
      __assign = Object.assign || function(t) {
        for (var s, i = 1, n = arguments.length; i < n; i++) {
          s = arguments[i];
          for (var p in s) if (Object.prototype.hasOwnProperty.call(s, p))
            t[p] = s[p];
        }
        return t;
      };
      return __assign.apply(this, arguments);
    };
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v2) {
      Object.defineProperty(o, "default", { enumerable: true, value: v2 });
    }) : function(o, v2) {
      o["default"] = v2;
    });
    var __importStar = exports && exports.__importStar || function(mod) {
      if (mod && mod.__esModule) return mod;
      var result = {};
      if (mod != null) {
        for (var k in mod) if (k !== "default" && Object.prototype.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
      }
      __setModuleDefault(result, mod);
      return result;
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.render = void 0;
    var ElementType = __importStar(require_lib());
    var entities_1 = require_lib3();
    var foreignNames_js_1 = require_foreignNames();
    var unencodedElements = /* @__PURE__ */ new Set([
      "style",
      "script",
      "xmp",
      "iframe",
      "noembed",
      "noframes",
      "plaintext",
      "noscript"
    ]);
    function replaceQuotes(value) {
      return value.replace(/"/g, "&quot;");
    }
    function formatAttributes(attributes, opts) {
      var _a;
      if (!attributes)
        return;
      var encode = ((_a = opts.encodeEntities) !== null && _a !== void 0 ? _a : opts.decodeEntities) === false ? replaceQuotes : opts.xmlMode || opts.encodeEntities !== "utf8" ? entities_1.encodeXML : entities_1.escapeAttribute;
      return Object.keys(attributes).map(function(key) {
        var _a2, _b;
        var value = (_a2 = attributes[key]) !== null && _a2 !== void 0 ? _a2 : "";
        if (opts.xmlMode === "foreign") {
          key = (_b = foreignNames_js_1.attributeNames.get(key)) !== null && _b !== void 0 ? _b : key;
        }
        if (!opts.emptyAttrs && !opts.xmlMode && value === "") {
          return key;
        }
        return "".concat(key, '="').concat(encode(value), '"');
      }).join(" ");
    }
    var singleTag = /* @__PURE__ */ new Set([
      "area",
      "base",
      "basefont",
      "br",
      "col",
      "command",
      "embed",
      "frame",
      "hr",
      "img",
      "input",
      "isindex",
      "keygen",
      "link",
      "meta",
      "param",
      "source",
      "track",
      "wbr"
    ]);
    function render(node, options) {
      if (options === void 0) {
        options = {};
      }
      var nodes = "length" in node ? node : [node];
      var output = "";
      for (var i = 0; i < nodes.length; i++) {
        output += renderNode(nodes[i], options);
      }
      return output;
    }
    exports.render = render;
    exports.default = render;
    function renderNode(node, options) {
      switch (node.type) {
        case ElementType.Root:
          return render(node.children, options);
        // @ts-expect-error We don't use `Doctype` yet
        case ElementType.Doctype:
        case ElementType.Directive:
          return renderDirective(node);
        case ElementType.Comment:
          return renderComment2(node);
        case ElementType.CDATA:
          return renderCdata(node);
        case ElementType.Script:
        case ElementType.Style:
        case ElementType.Tag:
          return renderTag(node, options);
        case ElementType.Text:
          return renderText(node, options);
      }
    }
    var foreignModeIntegrationPoints = /* @__PURE__ */ new Set([
      "mi",
      "mo",
      "mn",
      "ms",
      "mtext",
      "annotation-xml",
      "foreignObject",
      "desc",
      "title"
    ]);
    var foreignElements = /* @__PURE__ */ new Set(["svg", "math"]);
    function renderTag(elem, opts) {
      var _a;
      if (opts.xmlMode === "foreign") {
        elem.name = (_a = foreignNames_js_1.elementNames.get(elem.name)) !== null && _a !== void 0 ? _a : elem.name;
        if (elem.parent && foreignModeIntegrationPoints.has(elem.parent.name)) {
          opts = __assign(__assign({}, opts), { xmlMode: false });
        }
      }
      if (!opts.xmlMode && foreignElements.has(elem.name)) {
        opts = __assign(__assign({}, opts), { xmlMode: "foreign" });
      }
      var tag = "<".concat(elem.name);
      var attribs = formatAttributes(elem.attribs, opts);
      if (attribs) {
        tag += " ".concat(attribs);
      }
      if (elem.children.length === 0 && (opts.xmlMode ? (
        // In XML mode or foreign mode, and user hasn't explicitly turned off self-closing tags
        opts.selfClosingTags !== false
      ) : (
        // User explicitly asked for self-closing tags, even in HTML mode
        opts.selfClosingTags && singleTag.has(elem.name)
      ))) {
        if (!opts.xmlMode)
          tag += " ";
        tag += "/>";
      } else {
        tag += ">";
        if (elem.children.length > 0) {
          tag += render(elem.children, opts);
        }
        if (opts.xmlMode || !singleTag.has(elem.name)) {
          tag += "</".concat(elem.name, ">");
        }
      }
      return tag;
    }
    function renderDirective(elem) {
      return "<".concat(elem.data, ">");
    }
    function renderText(elem, opts) {
      var _a;
      var data = elem.data || "";
      if (((_a = opts.encodeEntities) !== null && _a !== void 0 ? _a : opts.decodeEntities) !== false && !(!opts.xmlMode && elem.parent && unencodedElements.has(elem.parent.name))) {
        data = opts.xmlMode || opts.encodeEntities !== "utf8" ? (0, entities_1.encodeXML)(data) : (0, entities_1.escapeText)(data);
      }
      return data;
    }
    function renderCdata(elem) {
      return "<![CDATA[".concat(elem.children[0].data, "]]>");
    }
    function renderComment2(elem) {
      return "<!--".concat(elem.data, "-->");
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/stringify.js
var require_stringify = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/stringify.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getOuterHTML = getOuterHTML;
    exports.getInnerHTML = getInnerHTML;
    exports.getText = getText;
    exports.textContent = textContent;
    exports.innerText = innerText;
    var domhandler_1 = require_lib2();
    var dom_serializer_1 = __importDefault(require_lib4());
    var domelementtype_1 = require_lib();
    function getOuterHTML(node, options) {
      return (0, dom_serializer_1.default)(node, options);
    }
    function getInnerHTML(node, options) {
      return (0, domhandler_1.hasChildren)(node) ? node.children.map(function(node2) {
        return getOuterHTML(node2, options);
      }).join("") : "";
    }
    function getText(node) {
      if (Array.isArray(node))
        return node.map(getText).join("");
      if ((0, domhandler_1.isTag)(node))
        return node.name === "br" ? "\n" : getText(node.children);
      if ((0, domhandler_1.isCDATA)(node))
        return getText(node.children);
      if ((0, domhandler_1.isText)(node))
        return node.data;
      return "";
    }
    function textContent(node) {
      if (Array.isArray(node))
        return node.map(textContent).join("");
      if ((0, domhandler_1.hasChildren)(node) && !(0, domhandler_1.isComment)(node)) {
        return textContent(node.children);
      }
      if ((0, domhandler_1.isText)(node))
        return node.data;
      return "";
    }
    function innerText(node) {
      if (Array.isArray(node))
        return node.map(innerText).join("");
      if ((0, domhandler_1.hasChildren)(node) && (node.type === domelementtype_1.ElementType.Tag || (0, domhandler_1.isCDATA)(node))) {
        return innerText(node.children);
      }
      if ((0, domhandler_1.isText)(node))
        return node.data;
      return "";
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/traversal.js
var require_traversal = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/traversal.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getChildren = getChildren;
    exports.getParent = getParent;
    exports.getSiblings = getSiblings;
    exports.getAttributeValue = getAttributeValue;
    exports.hasAttrib = hasAttrib;
    exports.getName = getName;
    exports.nextElementSibling = nextElementSibling;
    exports.prevElementSibling = prevElementSibling;
    var domhandler_1 = require_lib2();
    function getChildren(elem) {
      return (0, domhandler_1.hasChildren)(elem) ? elem.children : [];
    }
    function getParent(elem) {
      return elem.parent || null;
    }
    function getSiblings(elem) {
      var _a, _b;
      var parent = getParent(elem);
      if (parent != null)
        return getChildren(parent);
      var siblings = [elem];
      var prev = elem.prev, next = elem.next;
      while (prev != null) {
        siblings.unshift(prev);
        _a = prev, prev = _a.prev;
      }
      while (next != null) {
        siblings.push(next);
        _b = next, next = _b.next;
      }
      return siblings;
    }
    function getAttributeValue(elem, name) {
      var _a;
      return (_a = elem.attribs) === null || _a === void 0 ? void 0 : _a[name];
    }
    function hasAttrib(elem, name) {
      return elem.attribs != null && Object.prototype.hasOwnProperty.call(elem.attribs, name) && elem.attribs[name] != null;
    }
    function getName(elem) {
      return elem.name;
    }
    function nextElementSibling(elem) {
      var _a;
      var next = elem.next;
      while (next !== null && !(0, domhandler_1.isTag)(next))
        _a = next, next = _a.next;
      return next;
    }
    function prevElementSibling(elem) {
      var _a;
      var prev = elem.prev;
      while (prev !== null && !(0, domhandler_1.isTag)(prev))
        _a = prev, prev = _a.prev;
      return prev;
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/manipulation.js
var require_manipulation = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/manipulation.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.removeElement = removeElement;
    exports.replaceElement = replaceElement;
    exports.appendChild = appendChild;
    exports.append = append;
    exports.prependChild = prependChild;
    exports.prepend = prepend;
    function removeElement(elem) {
      if (elem.prev)
        elem.prev.next = elem.next;
      if (elem.next)
        elem.next.prev = elem.prev;
      if (elem.parent) {
        var childs = elem.parent.children;
        var childsIndex = childs.lastIndexOf(elem);
        if (childsIndex >= 0) {
          childs.splice(childsIndex, 1);
        }
      }
      elem.next = null;
      elem.prev = null;
      elem.parent = null;
    }
    function replaceElement(elem, replacement) {
      var prev = replacement.prev = elem.prev;
      if (prev) {
        prev.next = replacement;
      }
      var next = replacement.next = elem.next;
      if (next) {
        next.prev = replacement;
      }
      var parent = replacement.parent = elem.parent;
      if (parent) {
        var childs = parent.children;
        childs[childs.lastIndexOf(elem)] = replacement;
        elem.parent = null;
      }
    }
    function appendChild(parent, child) {
      removeElement(child);
      child.next = null;
      child.parent = parent;
      if (parent.children.push(child) > 1) {
        var sibling = parent.children[parent.children.length - 2];
        sibling.next = child;
        child.prev = sibling;
      } else {
        child.prev = null;
      }
    }
    function append(elem, next) {
      removeElement(next);
      var parent = elem.parent;
      var currNext = elem.next;
      next.next = currNext;
      next.prev = elem;
      elem.next = next;
      next.parent = parent;
      if (currNext) {
        currNext.prev = next;
        if (parent) {
          var childs = parent.children;
          childs.splice(childs.lastIndexOf(currNext), 0, next);
        }
      } else if (parent) {
        parent.children.push(next);
      }
    }
    function prependChild(parent, child) {
      removeElement(child);
      child.parent = parent;
      child.prev = null;
      if (parent.children.unshift(child) !== 1) {
        var sibling = parent.children[1];
        sibling.prev = child;
        child.next = sibling;
      } else {
        child.next = null;
      }
    }
    function prepend(elem, prev) {
      removeElement(prev);
      var parent = elem.parent;
      if (parent) {
        var childs = parent.children;
        childs.splice(childs.indexOf(elem), 0, prev);
      }
      if (elem.prev) {
        elem.prev.next = prev;
      }
      prev.parent = parent;
      prev.prev = elem.prev;
      prev.next = elem;
      elem.prev = prev;
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/querying.js
var require_querying = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/querying.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.filter = filter;
    exports.find = find;
    exports.findOneChild = findOneChild;
    exports.findOne = findOne;
    exports.existsOne = existsOne;
    exports.findAll = findAll;
    var domhandler_1 = require_lib2();
    function filter(test, node, recurse, limit) {
      if (recurse === void 0) {
        recurse = true;
      }
      if (limit === void 0) {
        limit = Infinity;
      }
      return find(test, Array.isArray(node) ? node : [node], recurse, limit);
    }
    function find(test, nodes, recurse, limit) {
      var result = [];
      var nodeStack = [Array.isArray(nodes) ? nodes : [nodes]];
      var indexStack = [0];
      for (; ; ) {
        if (indexStack[0] >= nodeStack[0].length) {
          if (indexStack.length === 1) {
            return result;
          }
          nodeStack.shift();
          indexStack.shift();
          continue;
        }
        var elem = nodeStack[0][indexStack[0]++];
        if (test(elem)) {
          result.push(elem);
          if (--limit <= 0)
            return result;
        }
        if (recurse && (0, domhandler_1.hasChildren)(elem) && elem.children.length > 0) {
          indexStack.unshift(0);
          nodeStack.unshift(elem.children);
        }
      }
    }
    function findOneChild(test, nodes) {
      return nodes.find(test);
    }
    function findOne(test, nodes, recurse) {
      if (recurse === void 0) {
        recurse = true;
      }
      var searchedNodes = Array.isArray(nodes) ? nodes : [nodes];
      for (var i = 0; i < searchedNodes.length; i++) {
        var node = searchedNodes[i];
        if ((0, domhandler_1.isTag)(node) && test(node)) {
          return node;
        }
        if (recurse && (0, domhandler_1.hasChildren)(node) && node.children.length > 0) {
          var found = findOne(test, node.children, true);
          if (found)
            return found;
        }
      }
      return null;
    }
    function existsOne(test, nodes) {
      return (Array.isArray(nodes) ? nodes : [nodes]).some(function(node) {
        return (0, domhandler_1.isTag)(node) && test(node) || (0, domhandler_1.hasChildren)(node) && existsOne(test, node.children);
      });
    }
    function findAll(test, nodes) {
      var result = [];
      var nodeStack = [Array.isArray(nodes) ? nodes : [nodes]];
      var indexStack = [0];
      for (; ; ) {
        if (indexStack[0] >= nodeStack[0].length) {
          if (nodeStack.length === 1) {
            return result;
          }
          nodeStack.shift();
          indexStack.shift();
          continue;
        }
        var elem = nodeStack[0][indexStack[0]++];
        if ((0, domhandler_1.isTag)(elem) && test(elem))
          result.push(elem);
        if ((0, domhandler_1.hasChildren)(elem) && elem.children.length > 0) {
          indexStack.unshift(0);
          nodeStack.unshift(elem.children);
        }
      }
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/legacy.js
var require_legacy = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/legacy.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.testElement = testElement;
    exports.getElements = getElements;
    exports.getElementById = getElementById;
    exports.getElementsByTagName = getElementsByTagName;
    exports.getElementsByClassName = getElementsByClassName;
    exports.getElementsByTagType = getElementsByTagType;
    var domhandler_1 = require_lib2();
    var querying_js_1 = require_querying();
    var Checks = {
      tag_name: function(name) {
        if (typeof name === "function") {
          return function(elem) {
            return (0, domhandler_1.isTag)(elem) && name(elem.name);
          };
        } else if (name === "*") {
          return domhandler_1.isTag;
        }
        return function(elem) {
          return (0, domhandler_1.isTag)(elem) && elem.name === name;
        };
      },
      tag_type: function(type) {
        if (typeof type === "function") {
          return function(elem) {
            return type(elem.type);
          };
        }
        return function(elem) {
          return elem.type === type;
        };
      },
      tag_contains: function(data) {
        if (typeof data === "function") {
          return function(elem) {
            return (0, domhandler_1.isText)(elem) && data(elem.data);
          };
        }
        return function(elem) {
          return (0, domhandler_1.isText)(elem) && elem.data === data;
        };
      }
    };
    function getAttribCheck(attrib, value) {
      if (typeof value === "function") {
        return function(elem) {
          return (0, domhandler_1.isTag)(elem) && value(elem.attribs[attrib]);
        };
      }
      return function(elem) {
        return (0, domhandler_1.isTag)(elem) && elem.attribs[attrib] === value;
      };
    }
    function combineFuncs(a, b) {
      return function(elem) {
        return a(elem) || b(elem);
      };
    }
    function compileTest(options) {
      var funcs = Object.keys(options).map(function(key) {
        var value = options[key];
        return Object.prototype.hasOwnProperty.call(Checks, key) ? Checks[key](value) : getAttribCheck(key, value);
      });
      return funcs.length === 0 ? null : funcs.reduce(combineFuncs);
    }
    function testElement(options, node) {
      var test = compileTest(options);
      return test ? test(node) : true;
    }
    function getElements(options, nodes, recurse, limit) {
      if (limit === void 0) {
        limit = Infinity;
      }
      var test = compileTest(options);
      return test ? (0, querying_js_1.filter)(test, nodes, recurse, limit) : [];
    }
    function getElementById(id, nodes, recurse) {
      if (recurse === void 0) {
        recurse = true;
      }
      if (!Array.isArray(nodes))
        nodes = [nodes];
      return (0, querying_js_1.findOne)(getAttribCheck("id", id), nodes, recurse);
    }
    function getElementsByTagName(tagName, nodes, recurse, limit) {
      if (recurse === void 0) {
        recurse = true;
      }
      if (limit === void 0) {
        limit = Infinity;
      }
      return (0, querying_js_1.filter)(Checks["tag_name"](tagName), nodes, recurse, limit);
    }
    function getElementsByClassName(className, nodes, recurse, limit) {
      if (recurse === void 0) {
        recurse = true;
      }
      if (limit === void 0) {
        limit = Infinity;
      }
      return (0, querying_js_1.filter)(getAttribCheck("class", className), nodes, recurse, limit);
    }
    function getElementsByTagType(type, nodes, recurse, limit) {
      if (recurse === void 0) {
        recurse = true;
      }
      if (limit === void 0) {
        limit = Infinity;
      }
      return (0, querying_js_1.filter)(Checks["tag_type"](type), nodes, recurse, limit);
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/helpers.js
var require_helpers = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/helpers.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DocumentPosition = void 0;
    exports.removeSubsets = removeSubsets;
    exports.compareDocumentPosition = compareDocumentPosition;
    exports.uniqueSort = uniqueSort;
    var domhandler_1 = require_lib2();
    function removeSubsets(nodes) {
      var idx = nodes.length;
      while (--idx >= 0) {
        var node = nodes[idx];
        if (idx > 0 && nodes.lastIndexOf(node, idx - 1) >= 0) {
          nodes.splice(idx, 1);
          continue;
        }
        for (var ancestor = node.parent; ancestor; ancestor = ancestor.parent) {
          if (nodes.includes(ancestor)) {
            nodes.splice(idx, 1);
            break;
          }
        }
      }
      return nodes;
    }
    var DocumentPosition;
    (function(DocumentPosition2) {
      DocumentPosition2[DocumentPosition2["DISCONNECTED"] = 1] = "DISCONNECTED";
      DocumentPosition2[DocumentPosition2["PRECEDING"] = 2] = "PRECEDING";
      DocumentPosition2[DocumentPosition2["FOLLOWING"] = 4] = "FOLLOWING";
      DocumentPosition2[DocumentPosition2["CONTAINS"] = 8] = "CONTAINS";
      DocumentPosition2[DocumentPosition2["CONTAINED_BY"] = 16] = "CONTAINED_BY";
    })(DocumentPosition || (exports.DocumentPosition = DocumentPosition = {}));
    function compareDocumentPosition(nodeA, nodeB) {
      var aParents = [];
      var bParents = [];
      if (nodeA === nodeB) {
        return 0;
      }
      var current = (0, domhandler_1.hasChildren)(nodeA) ? nodeA : nodeA.parent;
      while (current) {
        aParents.unshift(current);
        current = current.parent;
      }
      current = (0, domhandler_1.hasChildren)(nodeB) ? nodeB : nodeB.parent;
      while (current) {
        bParents.unshift(current);
        current = current.parent;
      }
      var maxIdx = Math.min(aParents.length, bParents.length);
      var idx = 0;
      while (idx < maxIdx && aParents[idx] === bParents[idx]) {
        idx++;
      }
      if (idx === 0) {
        return DocumentPosition.DISCONNECTED;
      }
      var sharedParent = aParents[idx - 1];
      var siblings = sharedParent.children;
      var aSibling = aParents[idx];
      var bSibling = bParents[idx];
      if (siblings.indexOf(aSibling) > siblings.indexOf(bSibling)) {
        if (sharedParent === nodeB) {
          return DocumentPosition.FOLLOWING | DocumentPosition.CONTAINED_BY;
        }
        return DocumentPosition.FOLLOWING;
      }
      if (sharedParent === nodeA) {
        return DocumentPosition.PRECEDING | DocumentPosition.CONTAINS;
      }
      return DocumentPosition.PRECEDING;
    }
    function uniqueSort(nodes) {
      nodes = nodes.filter(function(node, i, arr) {
        return !arr.includes(node, i + 1);
      });
      nodes.sort(function(a, b) {
        var relative = compareDocumentPosition(a, b);
        if (relative & DocumentPosition.PRECEDING) {
          return -1;
        } else if (relative & DocumentPosition.FOLLOWING) {
          return 1;
        }
        return 0;
      });
      return nodes;
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/feeds.js
var require_feeds = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/feeds.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.getFeed = getFeed;
    var stringify_js_1 = require_stringify();
    var legacy_js_1 = require_legacy();
    function getFeed(doc) {
      var feedRoot = getOneElement(isValidFeed, doc);
      return !feedRoot ? null : feedRoot.name === "feed" ? getAtomFeed(feedRoot) : getRssFeed(feedRoot);
    }
    function getAtomFeed(feedRoot) {
      var _a;
      var childs = feedRoot.children;
      var feed = {
        type: "atom",
        items: (0, legacy_js_1.getElementsByTagName)("entry", childs).map(function(item) {
          var _a2;
          var children = item.children;
          var entry = { media: getMediaElements(children) };
          addConditionally(entry, "id", "id", children);
          addConditionally(entry, "title", "title", children);
          var href2 = (_a2 = getOneElement("link", children)) === null || _a2 === void 0 ? void 0 : _a2.attribs["href"];
          if (href2) {
            entry.link = href2;
          }
          var description = fetch("summary", children) || fetch("content", children);
          if (description) {
            entry.description = description;
          }
          var pubDate = fetch("updated", children);
          if (pubDate) {
            entry.pubDate = new Date(pubDate);
          }
          return entry;
        })
      };
      addConditionally(feed, "id", "id", childs);
      addConditionally(feed, "title", "title", childs);
      var href = (_a = getOneElement("link", childs)) === null || _a === void 0 ? void 0 : _a.attribs["href"];
      if (href) {
        feed.link = href;
      }
      addConditionally(feed, "description", "subtitle", childs);
      var updated = fetch("updated", childs);
      if (updated) {
        feed.updated = new Date(updated);
      }
      addConditionally(feed, "author", "email", childs, true);
      return feed;
    }
    function getRssFeed(feedRoot) {
      var _a, _b;
      var childs = (_b = (_a = getOneElement("channel", feedRoot.children)) === null || _a === void 0 ? void 0 : _a.children) !== null && _b !== void 0 ? _b : [];
      var feed = {
        type: feedRoot.name.substr(0, 3),
        id: "",
        items: (0, legacy_js_1.getElementsByTagName)("item", feedRoot.children).map(function(item) {
          var children = item.children;
          var entry = { media: getMediaElements(children) };
          addConditionally(entry, "id", "guid", children);
          addConditionally(entry, "title", "title", children);
          addConditionally(entry, "link", "link", children);
          addConditionally(entry, "description", "description", children);
          var pubDate = fetch("pubDate", children) || fetch("dc:date", children);
          if (pubDate)
            entry.pubDate = new Date(pubDate);
          return entry;
        })
      };
      addConditionally(feed, "title", "title", childs);
      addConditionally(feed, "link", "link", childs);
      addConditionally(feed, "description", "description", childs);
      var updated = fetch("lastBuildDate", childs);
      if (updated) {
        feed.updated = new Date(updated);
      }
      addConditionally(feed, "author", "managingEditor", childs, true);
      return feed;
    }
    var MEDIA_KEYS_STRING = ["url", "type", "lang"];
    var MEDIA_KEYS_INT = [
      "fileSize",
      "bitrate",
      "framerate",
      "samplingrate",
      "channels",
      "duration",
      "height",
      "width"
    ];
    function getMediaElements(where) {
      return (0, legacy_js_1.getElementsByTagName)("media:content", where).map(function(elem) {
        var attribs = elem.attribs;
        var media = {
          medium: attribs["medium"],
          isDefault: !!attribs["isDefault"]
        };
        for (var _i = 0, MEDIA_KEYS_STRING_1 = MEDIA_KEYS_STRING; _i < MEDIA_KEYS_STRING_1.length; _i++) {
          var attrib = MEDIA_KEYS_STRING_1[_i];
          if (attribs[attrib]) {
            media[attrib] = attribs[attrib];
          }
        }
        for (var _a = 0, MEDIA_KEYS_INT_1 = MEDIA_KEYS_INT; _a < MEDIA_KEYS_INT_1.length; _a++) {
          var attrib = MEDIA_KEYS_INT_1[_a];
          if (attribs[attrib]) {
            media[attrib] = parseInt(attribs[attrib], 10);
          }
        }
        if (attribs["expression"]) {
          media.expression = attribs["expression"];
        }
        return media;
      });
    }
    function getOneElement(tagName, node) {
      return (0, legacy_js_1.getElementsByTagName)(tagName, node, true, 1)[0];
    }
    function fetch(tagName, where, recurse) {
      if (recurse === void 0) {
        recurse = false;
      }
      return (0, stringify_js_1.textContent)((0, legacy_js_1.getElementsByTagName)(tagName, where, recurse, 1)).trim();
    }
    function addConditionally(obj, prop, tagName, where, recurse) {
      if (recurse === void 0) {
        recurse = false;
      }
      var val = fetch(tagName, where, recurse);
      if (val)
        obj[prop] = val;
    }
    function isValidFeed(value) {
      return value === "rss" || value === "feed" || value === "rdf:RDF";
    }
  }
});

// node_modules/sanitize-html/node_modules/domutils/lib/index.js
var require_lib5 = __commonJS({
  "node_modules/sanitize-html/node_modules/domutils/lib/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.hasChildren = exports.isDocument = exports.isComment = exports.isText = exports.isCDATA = exports.isTag = void 0;
    __exportStar(require_stringify(), exports);
    __exportStar(require_traversal(), exports);
    __exportStar(require_manipulation(), exports);
    __exportStar(require_querying(), exports);
    __exportStar(require_legacy(), exports);
    __exportStar(require_helpers(), exports);
    __exportStar(require_feeds(), exports);
    var domhandler_1 = require_lib2();
    Object.defineProperty(exports, "isTag", { enumerable: true, get: function() {
      return domhandler_1.isTag;
    } });
    Object.defineProperty(exports, "isCDATA", { enumerable: true, get: function() {
      return domhandler_1.isCDATA;
    } });
    Object.defineProperty(exports, "isText", { enumerable: true, get: function() {
      return domhandler_1.isText;
    } });
    Object.defineProperty(exports, "isComment", { enumerable: true, get: function() {
      return domhandler_1.isComment;
    } });
    Object.defineProperty(exports, "isDocument", { enumerable: true, get: function() {
      return domhandler_1.isDocument;
    } });
    Object.defineProperty(exports, "hasChildren", { enumerable: true, get: function() {
      return domhandler_1.hasChildren;
    } });
  }
});

// node_modules/sanitize-html/node_modules/htmlparser2/dist/commonjs/index.js
var require_commonjs = __commonJS({
  "node_modules/sanitize-html/node_modules/htmlparser2/dist/commonjs/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v2) {
      Object.defineProperty(o, "default", { enumerable: true, value: v2 });
    }) : function(o, v2) {
      o["default"] = v2;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.DomUtils = exports.getFeed = exports.ElementType = exports.QuoteType = exports.Tokenizer = exports.DefaultHandler = exports.DomHandler = exports.Parser = void 0;
    exports.parseDocument = parseDocument;
    exports.parseDOM = parseDOM;
    exports.createDocumentStream = createDocumentStream;
    exports.createDomStream = createDomStream;
    exports.parseFeed = parseFeed;
    var Parser_js_1 = require_Parser();
    var Parser_js_2 = require_Parser();
    Object.defineProperty(exports, "Parser", { enumerable: true, get: function() {
      return Parser_js_2.Parser;
    } });
    var domhandler_1 = require_lib2();
    var domhandler_2 = require_lib2();
    Object.defineProperty(exports, "DomHandler", { enumerable: true, get: function() {
      return domhandler_2.DomHandler;
    } });
    Object.defineProperty(exports, "DefaultHandler", { enumerable: true, get: function() {
      return domhandler_2.DomHandler;
    } });
    function parseDocument(data, options) {
      const handler = new domhandler_1.DomHandler(void 0, options);
      new Parser_js_1.Parser(handler, options).end(data);
      return handler.root;
    }
    function parseDOM(data, options) {
      return parseDocument(data, options).children;
    }
    function createDocumentStream(callback, options, elementCallback) {
      const handler = new domhandler_1.DomHandler((error) => callback(error, handler.root), options, elementCallback);
      return new Parser_js_1.Parser(handler, options);
    }
    function createDomStream(callback, options, elementCallback) {
      const handler = new domhandler_1.DomHandler(callback, options, elementCallback);
      return new Parser_js_1.Parser(handler, options);
    }
    var Tokenizer_js_1 = require_Tokenizer();
    Object.defineProperty(exports, "Tokenizer", { enumerable: true, get: function() {
      return __importDefault(Tokenizer_js_1).default;
    } });
    Object.defineProperty(exports, "QuoteType", { enumerable: true, get: function() {
      return Tokenizer_js_1.QuoteType;
    } });
    exports.ElementType = __importStar(require_lib());
    var domutils_1 = require_lib5();
    var domutils_2 = require_lib5();
    Object.defineProperty(exports, "getFeed", { enumerable: true, get: function() {
      return domutils_2.getFeed;
    } });
    var parseFeedDefaultOptions = { xmlMode: true };
    function parseFeed(feed, options = parseFeedDefaultOptions) {
      return (0, domutils_1.getFeed)(parseDOM(feed, options));
    }
    exports.DomUtils = __importStar(require_lib5());
  }
});

// node_modules/escape-string-regexp/index.js
var require_escape_string_regexp = __commonJS({
  "node_modules/escape-string-regexp/index.js"(exports, module) {
    "use strict";
    module.exports = (string) => {
      if (typeof string !== "string") {
        throw new TypeError("Expected a string");
      }
      return string.replace(/[|\\{}()[\]^$+*?.]/g, "\\$&").replace(/-/g, "\\x2d");
    };
  }
});

// node_modules/is-plain-object/dist/is-plain-object.js
var require_is_plain_object = __commonJS({
  "node_modules/is-plain-object/dist/is-plain-object.js"(exports) {
    "use strict";
    function isObject3(o) {
      return Object.prototype.toString.call(o) === "[object Object]";
    }
    function isPlainObject(o) {
      var ctor, prot;
      if (isObject3(o) === false) return false;
      ctor = o.constructor;
      if (ctor === void 0) return true;
      prot = ctor.prototype;
      if (isObject3(prot) === false) return false;
      if (prot.hasOwnProperty("isPrototypeOf") === false) {
        return false;
      }
      return true;
    }
    exports.isPlainObject = isPlainObject;
  }
});

// node_modules/deepmerge/dist/cjs.js
var require_cjs = __commonJS({
  "node_modules/deepmerge/dist/cjs.js"(exports, module) {
    "use strict";
    var isMergeableObject = function isMergeableObject2(value) {
      return isNonNullObject(value) && !isSpecial(value);
    };
    function isNonNullObject(value) {
      return !!value && typeof value === "object";
    }
    function isSpecial(value) {
      var stringValue = Object.prototype.toString.call(value);
      return stringValue === "[object RegExp]" || stringValue === "[object Date]" || isReactElement(value);
    }
    var canUseSymbol = typeof Symbol === "function" && Symbol.for;
    var REACT_ELEMENT_TYPE = canUseSymbol ? /* @__PURE__ */ Symbol.for("react.element") : 60103;
    function isReactElement(value) {
      return value.$$typeof === REACT_ELEMENT_TYPE;
    }
    function emptyTarget(val) {
      return Array.isArray(val) ? [] : {};
    }
    function cloneUnlessOtherwiseSpecified(value, options) {
      return options.clone !== false && options.isMergeableObject(value) ? deepmerge(emptyTarget(value), value, options) : value;
    }
    function defaultArrayMerge(target, source, options) {
      return target.concat(source).map(function(element2) {
        return cloneUnlessOtherwiseSpecified(element2, options);
      });
    }
    function getMergeFunction(key, options) {
      if (!options.customMerge) {
        return deepmerge;
      }
      var customMerge = options.customMerge(key);
      return typeof customMerge === "function" ? customMerge : deepmerge;
    }
    function getEnumerableOwnPropertySymbols(target) {
      return Object.getOwnPropertySymbols ? Object.getOwnPropertySymbols(target).filter(function(symbol) {
        return Object.propertyIsEnumerable.call(target, symbol);
      }) : [];
    }
    function getKeys(target) {
      return Object.keys(target).concat(getEnumerableOwnPropertySymbols(target));
    }
    function propertyIsOnObject(object2, property) {
      try {
        return property in object2;
      } catch (_2) {
        return false;
      }
    }
    function propertyIsUnsafe(target, key) {
      return propertyIsOnObject(target, key) && !(Object.hasOwnProperty.call(target, key) && Object.propertyIsEnumerable.call(target, key));
    }
    function mergeObject(target, source, options) {
      var destination = {};
      if (options.isMergeableObject(target)) {
        getKeys(target).forEach(function(key) {
          destination[key] = cloneUnlessOtherwiseSpecified(target[key], options);
        });
      }
      getKeys(source).forEach(function(key) {
        if (propertyIsUnsafe(target, key)) {
          return;
        }
        if (propertyIsOnObject(target, key) && options.isMergeableObject(source[key])) {
          destination[key] = getMergeFunction(key, options)(target[key], source[key], options);
        } else {
          destination[key] = cloneUnlessOtherwiseSpecified(source[key], options);
        }
      });
      return destination;
    }
    function deepmerge(target, source, options) {
      options = options || {};
      options.arrayMerge = options.arrayMerge || defaultArrayMerge;
      options.isMergeableObject = options.isMergeableObject || isMergeableObject;
      options.cloneUnlessOtherwiseSpecified = cloneUnlessOtherwiseSpecified;
      var sourceIsArray = Array.isArray(source);
      var targetIsArray = Array.isArray(target);
      var sourceAndTargetTypesMatch = sourceIsArray === targetIsArray;
      if (!sourceAndTargetTypesMatch) {
        return cloneUnlessOtherwiseSpecified(source, options);
      } else if (sourceIsArray) {
        return options.arrayMerge(target, source, options);
      } else {
        return mergeObject(target, source, options);
      }
    }
    deepmerge.all = function deepmergeAll(array, options) {
      if (!Array.isArray(array)) {
        throw new Error("first argument should be an array");
      }
      return array.reduce(function(prev, next) {
        return deepmerge(prev, next, options);
      }, {});
    };
    var deepmerge_1 = deepmerge;
    module.exports = deepmerge_1;
  }
});

// node_modules/parse-srcset/src/parse-srcset.js
var require_parse_srcset = __commonJS({
  "node_modules/parse-srcset/src/parse-srcset.js"(exports, module) {
    (function(root, factory) {
      if (typeof define === "function" && define.amd) {
        define([], factory);
      } else if (typeof module === "object" && module.exports) {
        module.exports = factory();
      } else {
        root.parseSrcset = factory();
      }
    })(exports, function() {
      return function(input) {
        function isSpace(c2) {
          return c2 === " " || // space
          c2 === "	" || // horizontal tab
          c2 === "\n" || // new line
          c2 === "\f" || // form feed
          c2 === "\r";
        }
        function collectCharacters(regEx) {
          var chars, match = regEx.exec(input.substring(pos));
          if (match) {
            chars = match[0];
            pos += chars.length;
            return chars;
          }
        }
        var inputLength = input.length, regexLeadingSpaces = /^[ \t\n\r\u000c]+/, regexLeadingCommasOrSpaces = /^[, \t\n\r\u000c]+/, regexLeadingNotSpaces = /^[^ \t\n\r\u000c]+/, regexTrailingCommas = /[,]+$/, regexNonNegativeInteger = /^\d+$/, regexFloatingPoint = /^-?(?:[0-9]+|[0-9]*\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/, url, descriptors, currentDescriptor, state, c, pos = 0, candidates = [];
        while (true) {
          collectCharacters(regexLeadingCommasOrSpaces);
          if (pos >= inputLength) {
            return candidates;
          }
          url = collectCharacters(regexLeadingNotSpaces);
          descriptors = [];
          if (url.slice(-1) === ",") {
            url = url.replace(regexTrailingCommas, "");
            parseDescriptors();
          } else {
            tokenize3();
          }
        }
        function tokenize3() {
          collectCharacters(regexLeadingSpaces);
          currentDescriptor = "";
          state = "in descriptor";
          while (true) {
            c = input.charAt(pos);
            if (state === "in descriptor") {
              if (isSpace(c)) {
                if (currentDescriptor) {
                  descriptors.push(currentDescriptor);
                  currentDescriptor = "";
                  state = "after descriptor";
                }
              } else if (c === ",") {
                pos += 1;
                if (currentDescriptor) {
                  descriptors.push(currentDescriptor);
                }
                parseDescriptors();
                return;
              } else if (c === "(") {
                currentDescriptor = currentDescriptor + c;
                state = "in parens";
              } else if (c === "") {
                if (currentDescriptor) {
                  descriptors.push(currentDescriptor);
                }
                parseDescriptors();
                return;
              } else {
                currentDescriptor = currentDescriptor + c;
              }
            } else if (state === "in parens") {
              if (c === ")") {
                currentDescriptor = currentDescriptor + c;
                state = "in descriptor";
              } else if (c === "") {
                descriptors.push(currentDescriptor);
                parseDescriptors();
                return;
              } else {
                currentDescriptor = currentDescriptor + c;
              }
            } else if (state === "after descriptor") {
              if (isSpace(c)) {
              } else if (c === "") {
                parseDescriptors();
                return;
              } else {
                state = "in descriptor";
                pos -= 1;
              }
            }
            pos += 1;
          }
        }
        function parseDescriptors() {
          var pError = false, w2, d, h, i, candidate = {}, desc, lastChar, value, intVal, floatVal;
          for (i = 0; i < descriptors.length; i++) {
            desc = descriptors[i];
            lastChar = desc[desc.length - 1];
            value = desc.substring(0, desc.length - 1);
            intVal = parseInt(value, 10);
            floatVal = parseFloat(value);
            if (regexNonNegativeInteger.test(value) && lastChar === "w") {
              if (w2 || d) {
                pError = true;
              }
              if (intVal === 0) {
                pError = true;
              } else {
                w2 = intVal;
              }
            } else if (regexFloatingPoint.test(value) && lastChar === "x") {
              if (w2 || d || h) {
                pError = true;
              }
              if (floatVal < 0) {
                pError = true;
              } else {
                d = floatVal;
              }
            } else if (regexNonNegativeInteger.test(value) && lastChar === "h") {
              if (h || d) {
                pError = true;
              }
              if (intVal === 0) {
                pError = true;
              } else {
                h = intVal;
              }
            } else {
              pError = true;
            }
          }
          if (!pError) {
            candidate.url = url;
            if (w2) {
              candidate.w = w2;
            }
            if (d) {
              candidate.d = d;
            }
            if (h) {
              candidate.h = h;
            }
            candidates.push(candidate);
          } else if (console && console.log) {
            console.log("Invalid srcset descriptor found in '" + input + "' at '" + desc + "'.");
          }
        }
      };
    });
  }
});

// node_modules/picocolors/picocolors.js
var require_picocolors = __commonJS({
  "node_modules/picocolors/picocolors.js"(exports, module) {
    var p = process || {};
    var argv = p.argv || [];
    var env = p.env || {};
    var isColorSupported = !(!!env.NO_COLOR || argv.includes("--no-color")) && (!!env.FORCE_COLOR || argv.includes("--color") || p.platform === "win32" || (p.stdout || {}).isTTY && env.TERM !== "dumb" || !!env.CI);
    var formatter = (open, close, replace = open) => (input) => {
      let string = "" + input, index = string.indexOf(close, open.length);
      return ~index ? open + replaceClose(string, close, replace, index) + close : open + string + close;
    };
    var replaceClose = (string, close, replace, index) => {
      let result = "", cursor = 0;
      do {
        result += string.substring(cursor, index) + replace;
        cursor = index + close.length;
        index = string.indexOf(close, cursor);
      } while (~index);
      return result + string.substring(cursor);
    };
    var createColors = (enabled = isColorSupported) => {
      let f = enabled ? formatter : () => String;
      return {
        isColorSupported: enabled,
        reset: f("\x1B[0m", "\x1B[0m"),
        bold: f("\x1B[1m", "\x1B[22m", "\x1B[22m\x1B[1m"),
        dim: f("\x1B[2m", "\x1B[22m", "\x1B[22m\x1B[2m"),
        italic: f("\x1B[3m", "\x1B[23m"),
        underline: f("\x1B[4m", "\x1B[24m"),
        inverse: f("\x1B[7m", "\x1B[27m"),
        hidden: f("\x1B[8m", "\x1B[28m"),
        strikethrough: f("\x1B[9m", "\x1B[29m"),
        black: f("\x1B[30m", "\x1B[39m"),
        red: f("\x1B[31m", "\x1B[39m"),
        green: f("\x1B[32m", "\x1B[39m"),
        yellow: f("\x1B[33m", "\x1B[39m"),
        blue: f("\x1B[34m", "\x1B[39m"),
        magenta: f("\x1B[35m", "\x1B[39m"),
        cyan: f("\x1B[36m", "\x1B[39m"),
        white: f("\x1B[37m", "\x1B[39m"),
        gray: f("\x1B[90m", "\x1B[39m"),
        bgBlack: f("\x1B[40m", "\x1B[49m"),
        bgRed: f("\x1B[41m", "\x1B[49m"),
        bgGreen: f("\x1B[42m", "\x1B[49m"),
        bgYellow: f("\x1B[43m", "\x1B[49m"),
        bgBlue: f("\x1B[44m", "\x1B[49m"),
        bgMagenta: f("\x1B[45m", "\x1B[49m"),
        bgCyan: f("\x1B[46m", "\x1B[49m"),
        bgWhite: f("\x1B[47m", "\x1B[49m"),
        blackBright: f("\x1B[90m", "\x1B[39m"),
        redBright: f("\x1B[91m", "\x1B[39m"),
        greenBright: f("\x1B[92m", "\x1B[39m"),
        yellowBright: f("\x1B[93m", "\x1B[39m"),
        blueBright: f("\x1B[94m", "\x1B[39m"),
        magentaBright: f("\x1B[95m", "\x1B[39m"),
        cyanBright: f("\x1B[96m", "\x1B[39m"),
        whiteBright: f("\x1B[97m", "\x1B[39m"),
        bgBlackBright: f("\x1B[100m", "\x1B[49m"),
        bgRedBright: f("\x1B[101m", "\x1B[49m"),
        bgGreenBright: f("\x1B[102m", "\x1B[49m"),
        bgYellowBright: f("\x1B[103m", "\x1B[49m"),
        bgBlueBright: f("\x1B[104m", "\x1B[49m"),
        bgMagentaBright: f("\x1B[105m", "\x1B[49m"),
        bgCyanBright: f("\x1B[106m", "\x1B[49m"),
        bgWhiteBright: f("\x1B[107m", "\x1B[49m")
      };
    };
    module.exports = createColors();
    module.exports.createColors = createColors;
  }
});

// node_modules/postcss/lib/tokenize.js
var require_tokenize = __commonJS({
  "node_modules/postcss/lib/tokenize.js"(exports, module) {
    "use strict";
    var SINGLE_QUOTE = "'".charCodeAt(0);
    var DOUBLE_QUOTE = '"'.charCodeAt(0);
    var BACKSLASH = "\\".charCodeAt(0);
    var SLASH = "/".charCodeAt(0);
    var NEWLINE = "\n".charCodeAt(0);
    var SPACE = " ".charCodeAt(0);
    var FEED = "\f".charCodeAt(0);
    var TAB = "	".charCodeAt(0);
    var CR = "\r".charCodeAt(0);
    var OPEN_SQUARE = "[".charCodeAt(0);
    var CLOSE_SQUARE = "]".charCodeAt(0);
    var OPEN_PARENTHESES = "(".charCodeAt(0);
    var CLOSE_PARENTHESES = ")".charCodeAt(0);
    var OPEN_CURLY = "{".charCodeAt(0);
    var CLOSE_CURLY = "}".charCodeAt(0);
    var SEMICOLON = ";".charCodeAt(0);
    var ASTERISK = "*".charCodeAt(0);
    var COLON = ":".charCodeAt(0);
    var AT = "@".charCodeAt(0);
    var RE_AT_END = /[\t\n\f\r "#'()/;[\\\]{}]/g;
    var RE_WORD_END = /[\t\n\f\r !"#'():;@[\\\]{}]|\/(?=\*)/g;
    var RE_BAD_BRACKET = /.[\r\n"'(/\\]/;
    var RE_HEX_ESCAPE = /[\da-f]/i;
    var RE_URL_NAME = /(^|[\t\n\f\r "'(),/:;[\]{}])url$/i;
    var RE_QUOTED = /[\t\n\f\r ]*["']/y;
    module.exports = function tokenizer(input, options = {}) {
      let css = input.css.valueOf();
      let ignore = options.ignoreErrors;
      let code, content, escape, next, quote;
      let currentToken, escaped, escapePos;
      let length = css.length;
      let pos = 0;
      let returned = [];
      let lastBadParen = -1;
      function position() {
        return pos;
      }
      function unclosed(what) {
        throw input.error("Unclosed " + what, pos);
      }
      function endOfFile() {
        return returned.length === 0 && pos >= length;
      }
      function nextToken(opts) {
        if (returned.length) return returned.pop();
        if (pos >= length) return;
        let ignoreUnclosed = opts ? opts.ignoreUnclosed : false;
        code = css.charCodeAt(pos);
        switch (code) {
          case NEWLINE:
          case SPACE:
          case TAB:
          case CR:
          case FEED: {
            next = pos;
            do {
              next += 1;
              code = css.charCodeAt(next);
            } while (code === SPACE || code === NEWLINE || code === TAB || code === CR || code === FEED);
            currentToken = ["space", css.slice(pos, next)];
            pos = next - 1;
            break;
          }
          case OPEN_SQUARE:
          case CLOSE_SQUARE:
          case OPEN_CURLY:
          case CLOSE_CURLY:
          case COLON:
          case SEMICOLON:
          case CLOSE_PARENTHESES: {
            let controlChar = String.fromCharCode(code);
            currentToken = [controlChar, controlChar, pos];
            break;
          }
          case OPEN_PARENTHESES: {
            RE_QUOTED.lastIndex = pos + 1;
            if (RE_URL_NAME.test(css.substring(pos - 4, pos)) && !RE_QUOTED.test(css)) {
              next = pos;
              do {
                escaped = false;
                next = css.indexOf(")", next + 1);
                if (next === -1) {
                  if (ignore || ignoreUnclosed) {
                    next = pos;
                    break;
                  } else {
                    unclosed("bracket");
                  }
                }
                escapePos = next;
                while (css.charCodeAt(escapePos - 1) === BACKSLASH) {
                  escapePos -= 1;
                  escaped = !escaped;
                }
              } while (escaped);
              currentToken = ["brackets", css.slice(pos, next + 1), pos, next];
              pos = next;
            } else if (pos <= lastBadParen) {
              currentToken = ["(", "(", pos];
            } else {
              next = css.indexOf(")", pos + 1);
              content = css.slice(pos, next + 1);
              if (next === -1 || RE_BAD_BRACKET.test(content)) {
                lastBadParen = next === -1 ? length : next;
                currentToken = ["(", "(", pos];
              } else {
                currentToken = ["brackets", content, pos, next];
                pos = next;
              }
            }
            break;
          }
          case SINGLE_QUOTE:
          case DOUBLE_QUOTE: {
            quote = code === SINGLE_QUOTE ? "'" : '"';
            next = pos;
            do {
              escaped = false;
              next = css.indexOf(quote, next + 1);
              if (next === -1) {
                if (ignore || ignoreUnclosed) {
                  next = pos + 1;
                  break;
                } else {
                  unclosed("string");
                }
              }
              escapePos = next;
              while (css.charCodeAt(escapePos - 1) === BACKSLASH) {
                escapePos -= 1;
                escaped = !escaped;
              }
            } while (escaped);
            currentToken = ["string", css.slice(pos, next + 1), pos, next];
            pos = next;
            break;
          }
          case AT: {
            RE_AT_END.lastIndex = pos + 1;
            RE_AT_END.test(css);
            if (RE_AT_END.lastIndex === 0) {
              next = css.length - 1;
            } else {
              next = RE_AT_END.lastIndex - 2;
            }
            currentToken = ["at-word", css.slice(pos, next + 1), pos, next];
            pos = next;
            break;
          }
          case BACKSLASH: {
            next = pos;
            escape = true;
            while (css.charCodeAt(next + 1) === BACKSLASH) {
              next += 1;
              escape = !escape;
            }
            code = css.charCodeAt(next + 1);
            if (escape && code !== SLASH && code !== SPACE && code !== NEWLINE && code !== TAB && code !== CR && code !== FEED) {
              next += 1;
              if (RE_HEX_ESCAPE.test(css.charAt(next))) {
                while (RE_HEX_ESCAPE.test(css.charAt(next + 1))) {
                  next += 1;
                }
                if (css.charCodeAt(next + 1) === SPACE) {
                  next += 1;
                }
              }
            }
            currentToken = ["word", css.slice(pos, next + 1), pos, next];
            pos = next;
            break;
          }
          default: {
            if (code === SLASH && css.charCodeAt(pos + 1) === ASTERISK) {
              next = css.indexOf("*/", pos + 2) + 1;
              if (next === 0) {
                if (ignore || ignoreUnclosed) {
                  next = css.length;
                } else {
                  unclosed("comment");
                }
              }
              currentToken = ["comment", css.slice(pos, next + 1), pos, next];
              pos = next;
            } else {
              RE_WORD_END.lastIndex = pos + 1;
              RE_WORD_END.test(css);
              if (RE_WORD_END.lastIndex === 0) {
                next = css.length - 1;
              } else {
                next = RE_WORD_END.lastIndex - 2;
              }
              currentToken = ["word", css.slice(pos, next + 1), pos, next];
              pos = next;
            }
            break;
          }
        }
        pos++;
        return currentToken;
      }
      function back(token) {
        returned.push(token);
      }
      return {
        back,
        endOfFile,
        nextToken,
        position
      };
    };
  }
});

// node_modules/postcss/lib/terminal-highlight.js
var require_terminal_highlight = __commonJS({
  "node_modules/postcss/lib/terminal-highlight.js"(exports, module) {
    "use strict";
    var pico = require_picocolors();
    var tokenizer = require_tokenize();
    var Input;
    function registerInput(dependant) {
      Input = dependant;
    }
    var HIGHLIGHT_THEME = {
      ";": pico.yellow,
      ":": pico.yellow,
      "(": pico.cyan,
      ")": pico.cyan,
      "[": pico.yellow,
      "]": pico.yellow,
      "{": pico.yellow,
      "}": pico.yellow,
      "at-word": pico.cyan,
      "brackets": pico.cyan,
      "call": pico.cyan,
      "class": pico.yellow,
      "comment": pico.gray,
      "hash": pico.magenta,
      "string": pico.green
    };
    function getTokenType([type, value], processor) {
      if (type === "word") {
        if (value[0] === ".") {
          return "class";
        }
        if (value[0] === "#") {
          return "hash";
        }
      }
      if (!processor.endOfFile()) {
        let next = processor.nextToken();
        processor.back(next);
        if (next[0] === "brackets" || next[0] === "(") return "call";
      }
      return type;
    }
    function terminalHighlight(css) {
      let processor = tokenizer(new Input(css), { ignoreErrors: true });
      let result = "";
      while (!processor.endOfFile()) {
        let token = processor.nextToken();
        let color = HIGHLIGHT_THEME[getTokenType(token, processor)];
        if (color) {
          result += token[1].split(/\r?\n/).map((i) => color(i)).join("\n");
        } else {
          result += token[1];
        }
      }
      return result;
    }
    terminalHighlight.registerInput = registerInput;
    module.exports = terminalHighlight;
  }
});

// node_modules/postcss/lib/css-syntax-error.js
var require_css_syntax_error = __commonJS({
  "node_modules/postcss/lib/css-syntax-error.js"(exports, module) {
    "use strict";
    var pico = require_picocolors();
    var terminalHighlight = require_terminal_highlight();
    var CssSyntaxError = class _CssSyntaxError extends Error {
      constructor(message, line, column, source, file, plugin) {
        super(message);
        this.name = "CssSyntaxError";
        this.reason = message;
        if (file) {
          this.file = file;
        }
        if (source) {
          this.source = source;
        }
        if (plugin) {
          this.plugin = plugin;
        }
        if (typeof line !== "undefined" && typeof column !== "undefined") {
          if (typeof line === "number") {
            this.line = line;
            this.column = column;
          } else {
            this.line = line.line;
            this.column = line.column;
            this.endLine = column.line;
            this.endColumn = column.column;
          }
        }
        this.setMessage();
        if (Error.captureStackTrace) {
          Error.captureStackTrace(this, _CssSyntaxError);
        }
      }
      setMessage() {
        this.message = this.plugin ? this.plugin + ": " : "";
        this.message += this.file ? this.file : "<css input>";
        if (typeof this.line !== "undefined") {
          this.message += ":" + this.line + ":" + this.column;
        }
        this.message += ": " + this.reason;
      }
      showSourceCode(color) {
        if (!this.source) return "";
        let css = this.source;
        if (color == null) color = pico.isColorSupported;
        let aside = (text) => text;
        let mark2 = (text) => text;
        let highlight = (text) => text;
        if (color) {
          let { bold, gray, red } = pico.createColors(true);
          mark2 = (text) => bold(red(text));
          aside = (text) => gray(text);
          if (terminalHighlight) {
            highlight = (text) => terminalHighlight(text);
          }
        }
        let lines = css.split(/\r?\n/);
        let start = Math.max(this.line - 3, 0);
        let end = Math.min(this.line + 2, lines.length);
        let maxWidth = String(end).length;
        return lines.slice(start, end).map((line, index) => {
          let number = start + 1 + index;
          let gutter = " " + (" " + number).slice(-maxWidth) + " | ";
          if (number === this.line) {
            if (line.length > 160) {
              let padding = 20;
              let endColumn = typeof this.endColumn === "number" ? this.endColumn : this.column;
              let subLineStart = Math.max(0, this.column - padding);
              let subLineEnd = Math.max(this.column + padding, endColumn + padding);
              let subLine = line.slice(subLineStart, subLineEnd);
              let spacing2 = aside(gutter.replace(/\d/g, " ")) + line.slice(0, Math.min(this.column - 1, padding - 1)).replace(/[^\t]/g, " ");
              return mark2(">") + aside(gutter) + highlight(subLine) + "\n " + spacing2 + mark2("^");
            }
            let spacing = aside(gutter.replace(/\d/g, " ")) + line.slice(0, this.column - 1).replace(/[^\t]/g, " ");
            return mark2(">") + aside(gutter) + highlight(line) + "\n " + spacing + mark2("^");
          }
          return " " + aside(gutter) + highlight(line);
        }).join("\n");
      }
      toString() {
        let code = this.showSourceCode();
        if (code) {
          code = "\n\n" + code + "\n";
        }
        return this.name + ": " + this.message + code;
      }
    };
    module.exports = CssSyntaxError;
    CssSyntaxError.default = CssSyntaxError;
  }
});

// node_modules/postcss/lib/stringifier.js
var require_stringifier = __commonJS({
  "node_modules/postcss/lib/stringifier.js"(exports, module) {
    "use strict";
    var AT_NAME_END = /[\t\n\f\r "#'()/;[\\\]{}]/;
    var DEFAULT_RAW = {
      after: "\n",
      beforeClose: "\n",
      beforeComment: "\n",
      beforeDecl: "\n",
      beforeOpen: " ",
      beforeRule: "\n",
      colon: ": ",
      commentLeft: " ",
      commentRight: " ",
      emptyBody: "",
      indent: "    ",
      semicolon: false
    };
    function capitalize(str) {
      return str[0].toUpperCase() + str.slice(1);
    }
    function atruleStart(str, node) {
      let name = "@" + node.name;
      let params = node.params ? str.rawValue(node, "params") : "";
      let afterName = node.raws.afterName;
      if (typeof afterName === "undefined") {
        afterName = params ? " " : "";
      } else if (afterName === "" && params && !AT_NAME_END.test(params[0])) {
        afterName = " ";
      }
      return name + afterName + params;
    }
    function isCustomProperty(node) {
      if (!node.prop.startsWith("--")) return false;
      let before = node.raws.before;
      return typeof before === "undefined" || !/[^\s;]$/.test(before);
    }
    function pushBody(str, stack, node) {
      let nodes = node.nodes;
      let last = nodes.length - 1;
      while (last > 0) {
        if (nodes[last].type !== "comment") break;
        last -= 1;
      }
      let semicolon = str.raw(node, "semicolon");
      let isDocument = node.type === "document";
      for (let i = nodes.length - 1; i >= 0; i--) {
        let child = nodes[i];
        let childSemicolon = last !== i || semicolon;
        if (!childSemicolon && i < nodes.length - 1 && (child.type === "atrule" && !child.nodes || child.type === "decl" && isCustomProperty(child))) {
          childSemicolon = true;
        }
        stack.push({
          document: isDocument,
          node: child,
          semicolon: childSemicolon
        });
      }
    }
    function pushBlock(str, stack, node, start) {
      let between = str.raw(node, "between", "beforeOpen");
      str.builder(start + between + "{", node, "start");
      let hasNodes = node.nodes && node.nodes.length;
      let close = () => {
        let after = hasNodes ? str.raw(node, "after") : str.raw(node, "after", "emptyBody");
        if (after) str.builder(after);
        str.builder("}", node, "end");
        if (node.type === "rule" && node.raws.ownSemicolon) {
          str.builder(node.raws.ownSemicolon, node, "end");
        }
      };
      if (hasNodes) {
        stack.push(close);
        pushBody(str, stack, node);
      } else {
        close();
      }
    }
    var Stringifier = class _Stringifier {
      constructor(builder) {
        this.builder = builder;
      }
      atrule(node, semicolon) {
        let start = atruleStart(this, node);
        if (node.nodes) {
          this.block(node, start);
        } else {
          let end = (node.raws.between || "") + (semicolon ? ";" : "");
          this.builder(start + end, node);
        }
      }
      beforeAfter(node, detect) {
        let value;
        if (node.type === "decl") {
          value = this.raw(node, null, "beforeDecl");
        } else if (node.type === "comment") {
          value = this.raw(node, null, "beforeComment");
        } else if (detect === "before") {
          value = this.raw(node, null, "beforeRule");
        } else {
          value = this.raw(node, null, "beforeClose");
        }
        let buf = node.parent;
        let depth = 0;
        while (buf && buf.type !== "root") {
          depth += 1;
          buf = buf.parent;
        }
        if (value.includes("\n")) {
          let indent = this.raw(node, null, "indent");
          if (indent.length) {
            for (let step = 0; step < depth; step++) value += indent;
          }
        }
        return value;
      }
      block(node, start) {
        let between = this.raw(node, "between", "beforeOpen");
        this.builder(start + between + "{", node, "start");
        let after;
        if (node.nodes && node.nodes.length) {
          this.body(node);
          after = this.raw(node, "after");
        } else {
          after = this.raw(node, "after", "emptyBody");
        }
        if (after) this.builder(after);
        this.builder("}", node, "end");
      }
      body(node) {
        let proto = _Stringifier.prototype;
        let expandable = ["atrule", "block", "body", "rule", "stringify"].every(
          (method) => this[method] === proto[method]
        );
        let stack = [];
        pushBody(this, stack, node);
        while (stack.length > 0) {
          let entry = stack.pop();
          if (typeof entry === "function") {
            entry();
            continue;
          }
          let child = entry.node;
          let before = this.raw(child, "before");
          if (before) {
            this.builder(before);
          }
          if (expandable && child.type === "rule") {
            pushBlock(this, stack, child, this.rawValue(child, "selector"));
          } else if (expandable && child.type === "atrule" && child.nodes) {
            pushBlock(this, stack, child, atruleStart(this, child));
          } else {
            this.stringify(child, entry.semicolon);
          }
        }
      }
      comment(node) {
        let left = this.raw(node, "left", "commentLeft");
        let right = this.raw(node, "right", "commentRight");
        this.builder("/*" + left + node.text + right + "*/", node);
      }
      decl(node, semicolon) {
        let raws = node.raws;
        let between = this.raw(node, "between", "colon");
        let string = node.prop + between + this.rawValue(node, "value");
        if (node.important) {
          string += raws.important || " !important";
        }
        if (semicolon) string += ";";
        this.builder(string, node);
      }
      document(node) {
        this.body(node);
      }
      raw(node, own, detect) {
        let value;
        if (!detect) detect = own;
        if (own) {
          value = node.raws[own];
          if (typeof value !== "undefined") return value;
        }
        let parent = node.parent;
        if (detect === "before") {
          if (!parent || parent.type === "root" && parent.first === node) {
            return "";
          }
          if (parent && parent.type === "document") {
            return "";
          }
        }
        if (!parent) return DEFAULT_RAW[detect];
        let root = node.root();
        let cache2 = root.rawCache || (root.rawCache = {});
        if (typeof cache2[detect] !== "undefined") {
          return cache2[detect];
        }
        if (detect === "before" || detect === "after") {
          return this.beforeAfter(node, detect);
        } else {
          let method = "raw" + capitalize(detect);
          if (this[method]) {
            value = this[method](root, node);
          } else {
            root.walk((i) => {
              value = i.raws[own];
              if (typeof value !== "undefined") return false;
            });
          }
        }
        if (typeof value === "undefined") value = DEFAULT_RAW[detect];
        cache2[detect] = value;
        return value;
      }
      rawBeforeClose(root) {
        let value;
        root.walk((i) => {
          if (i.nodes && i.nodes.length > 0) {
            if (typeof i.raws.after !== "undefined") {
              value = i.raws.after;
              if (value.includes("\n")) {
                value = value.replace(/[^\n]+$/, "");
              }
              return false;
            }
          }
        });
        if (value) value = value.replace(/\S/g, "");
        return value;
      }
      rawBeforeComment(root, node) {
        let value;
        root.walkComments((i) => {
          if (typeof i.raws.before !== "undefined") {
            value = i.raws.before;
            if (value.includes("\n")) {
              value = value.replace(/[^\n]+$/, "");
            }
            return false;
          }
        });
        if (typeof value === "undefined") {
          value = this.raw(node, null, "beforeDecl");
        } else if (value) {
          value = value.replace(/\S/g, "");
        }
        return value;
      }
      rawBeforeDecl(root, node) {
        let value;
        root.walkDecls((i) => {
          if (typeof i.raws.before !== "undefined") {
            value = i.raws.before;
            if (value.includes("\n")) {
              value = value.replace(/[^\n]+$/, "");
            }
            return false;
          }
        });
        if (typeof value === "undefined") {
          value = this.raw(node, null, "beforeRule");
        } else if (value) {
          value = value.replace(/\S/g, "");
        }
        return value;
      }
      rawBeforeOpen(root) {
        let value;
        root.walk((i) => {
          if (i.type !== "decl") {
            value = i.raws.between;
            if (typeof value !== "undefined") return false;
          }
        });
        return value;
      }
      rawBeforeRule(root) {
        let value;
        root.walk((i) => {
          if (i.nodes && (i.parent !== root || root.first !== i)) {
            if (typeof i.raws.before !== "undefined") {
              value = i.raws.before;
              if (value.includes("\n")) {
                value = value.replace(/[^\n]+$/, "");
              }
              return false;
            }
          }
        });
        if (value) value = value.replace(/\S/g, "");
        return value;
      }
      rawColon(root) {
        let value;
        root.walkDecls((i) => {
          if (typeof i.raws.between !== "undefined") {
            value = i.raws.between.replace(/[^\s:]/g, "");
            return false;
          }
        });
        return value;
      }
      rawEmptyBody(root) {
        let value;
        root.walk((i) => {
          if (i.nodes && i.nodes.length === 0) {
            value = i.raws.after;
            if (typeof value !== "undefined") return false;
          }
        });
        return value;
      }
      rawIndent(root) {
        if (root.raws.indent) return root.raws.indent;
        let value;
        root.walk((i) => {
          let p = i.parent;
          if (p && p !== root && p.parent && p.parent === root) {
            if (typeof i.raws.before !== "undefined") {
              let parts = i.raws.before.split("\n");
              value = parts[parts.length - 1];
              value = value.replace(/\S/g, "");
              return false;
            }
          }
        });
        return value;
      }
      rawSemicolon(root) {
        let value;
        root.walk((i) => {
          if (i.nodes && i.nodes.length && i.last.type === "decl") {
            value = i.raws.semicolon;
            if (typeof value !== "undefined") return false;
          }
        });
        return value;
      }
      rawValue(node, prop) {
        let value = node[prop];
        let raw = node.raws[prop];
        if (raw && raw.value === value) {
          return raw.raw;
        }
        return value;
      }
      root(node) {
        let inDocument = node.parent && node.parent.type === "document";
        if (!inDocument && node.source && node.source.input.hasBOM) {
          this.builder("\uFEFF", node, "start");
        }
        this.body(node);
        if (node.raws.after) {
          this.builder(node.raws.after);
        }
      }
      rule(node) {
        this.block(node, this.rawValue(node, "selector"));
        if (node.raws.ownSemicolon) {
          this.builder(node.raws.ownSemicolon, node, "end");
        }
      }
      stringify(node, semicolon) {
        if (!this[node.type]) {
          throw new Error(
            "Unknown AST node type " + node.type + ". Maybe you need to change PostCSS stringifier."
          );
        }
        this[node.type](node, semicolon);
      }
    };
    module.exports = Stringifier;
    Stringifier.default = Stringifier;
  }
});

// node_modules/postcss/lib/stringify.js
var require_stringify2 = __commonJS({
  "node_modules/postcss/lib/stringify.js"(exports, module) {
    "use strict";
    var Stringifier = require_stringifier();
    var STYLE_TAG = /(<)(\/?style\b)/gi;
    var COMMENT_OPEN = /(<)(!--)/g;
    function escapeHTMLInCSS(str) {
      if (!str.includes("<")) return str;
      return str.replace(STYLE_TAG, "\\3c $2").replace(COMMENT_OPEN, "\\3c $2");
    }
    function cutEscaped(chunks, css, escaped) {
      let parts = [];
      let at2 = 0;
      let into = 0;
      for (let i = 0; i < chunks.length; i += 3) {
        let from = into;
        let end = at2 + chunks[i].length;
        while (at2 < end) {
          if (css[at2] === escaped[into]) {
            at2 += 1;
            into += 1;
          } else {
            at2 += 1;
            into += 4;
          }
        }
        parts.push(escaped.slice(from, into));
      }
      return parts;
    }
    var SafeStringifier = class extends Stringifier {
      escapeHTML(print) {
        let builder = this.builder;
        let chunks, css;
        this.builder = (str, child, type) => {
          if (chunks) {
            css += str;
            chunks.push(str, child, type);
          } else if (str.includes("<")) {
            css = str;
            chunks = [str, child, type];
          } else {
            builder(str, child, type);
          }
        };
        print();
        this.builder = builder;
        if (!chunks) return;
        let escaped = escapeHTMLInCSS(css);
        if (escaped === css) {
          for (let i = 0; i < chunks.length; i += 3) {
            builder(chunks[i], chunks[i + 1], chunks[i + 2]);
          }
        } else {
          let parts = cutEscaped(chunks, css, escaped);
          for (let i = 0; i < chunks.length; i += 3) {
            builder(parts[i / 3], chunks[i + 1], chunks[i + 2]);
          }
        }
      }
      root(node) {
        if (node.parent && node.parent.type === "document") {
          this.escapeHTML(() => this.body(node));
          if (node.raws.after) this.builder(node.raws.after);
        } else {
          this.escapeHTML(() => super.root(node));
        }
      }
    };
    function stringify(node, builder) {
      let str = new SafeStringifier(builder);
      if (node.type === "root" || node.type === "document") {
        str.stringify(node);
      } else {
        str.escapeHTML(() => str.stringify(node));
      }
    }
    module.exports = stringify;
    stringify.default = stringify;
  }
});

// node_modules/postcss/lib/symbols.js
var require_symbols = __commonJS({
  "node_modules/postcss/lib/symbols.js"(exports, module) {
    "use strict";
    module.exports.isClean = /* @__PURE__ */ Symbol("isClean");
    module.exports.my = /* @__PURE__ */ Symbol("my");
  }
});

// node_modules/postcss/lib/node.js
var require_node2 = __commonJS({
  "node_modules/postcss/lib/node.js"(exports, module) {
    "use strict";
    var CssSyntaxError = require_css_syntax_error();
    var Stringifier = require_stringifier();
    var stringify = require_stringify2();
    var { isClean, my } = require_symbols();
    function cloneNode(obj, parent) {
      let cloned = new obj.constructor();
      let stack = [[obj, cloned, parent]];
      while (stack.length > 0) {
        let [source, target, targetParent] = stack.pop();
        for (let i in source) {
          if (!Object.prototype.hasOwnProperty.call(source, i)) {
            continue;
          }
          if (i === "proxyCache") continue;
          let value = source[i];
          let type = typeof value;
          if (i === "parent" && type === "object") {
            if (targetParent) target[i] = targetParent;
          } else if (i === "source") {
            target[i] = value;
          } else if (Array.isArray(value)) {
            let children = [];
            target[i] = children;
            for (let j of value) {
              let childClone = new j.constructor();
              children.push(childClone);
              stack.push([j, childClone, target]);
            }
          } else {
            if (type === "object" && value !== null) {
              let valueClone = new value.constructor();
              stack.push([value, valueClone, void 0]);
              value = valueClone;
            }
            target[i] = value;
          }
        }
      }
      return cloned;
    }
    function sourceOffset(inputCSS, position) {
      if (position && typeof position.offset !== "undefined") {
        return position.offset;
      }
      let column = 1;
      let line = 1;
      let offset = 0;
      for (let i = 0; i < inputCSS.length; i++) {
        if (line === position.line && column === position.column) {
          offset = i;
          break;
        }
        if (inputCSS[i] === "\n") {
          column = 1;
          line += 1;
        } else {
          column += 1;
        }
      }
      return offset;
    }
    var Node = class _Node {
      get proxyOf() {
        return this;
      }
      constructor(defaults = {}) {
        this.raws = {};
        this[isClean] = false;
        this[my] = true;
        for (let name of Object.keys(defaults)) {
          if (name === "__proto__") continue;
          if (name === "nodes") {
            this.nodes = [];
            for (let node of defaults[name]) {
              if (typeof node.clone === "function" && node.parent) {
                this.append(node.clone());
              } else {
                this.append(node);
              }
            }
          } else {
            this[name] = defaults[name];
          }
        }
      }
      addToError(error) {
        error.postcssNode = this;
        if (error.stack && this.source && /\n\s{4}at /.test(error.stack)) {
          let s = this.source;
          error.stack = error.stack.replace(
            /\n\s{4}at /,
            `$&${s.input.from}:${s.start.line}:${s.start.column}$&`
          );
        }
        return error;
      }
      after(add) {
        this.parent.insertAfter(this, add);
        return this;
      }
      assign(overrides = {}) {
        for (let name in overrides) {
          this[name] = overrides[name];
        }
        return this;
      }
      before(add) {
        this.parent.insertBefore(this, add);
        return this;
      }
      cleanRaws(keepBetween) {
        delete this.raws.before;
        delete this.raws.after;
        if (!keepBetween) delete this.raws.between;
      }
      clone(overrides = {}) {
        let cloned = cloneNode(this);
        for (let name in overrides) {
          cloned[name] = overrides[name];
        }
        return cloned;
      }
      cloneAfter(overrides = {}) {
        let cloned = this.clone(overrides);
        this.parent.insertAfter(this, cloned);
        return cloned;
      }
      cloneBefore(overrides = {}) {
        let cloned = this.clone(overrides);
        this.parent.insertBefore(this, cloned);
        return cloned;
      }
      error(message, opts = {}) {
        if (this.source) {
          let { end, start } = this.rangeBy(opts);
          return this.source.input.error(
            message,
            { column: start.column, line: start.line },
            { column: end.column, line: end.line },
            opts
          );
        }
        return new CssSyntaxError(message);
      }
      getProxyProcessor() {
        return {
          get(node, prop) {
            if (prop === "proxyOf") {
              return node;
            } else if (prop === "root") {
              return () => node.root().toProxy();
            } else {
              return node[prop];
            }
          },
          set(node, prop, value) {
            if (node[prop] === value) return true;
            node[prop] = value;
            if (prop === "prop" || prop === "value" || prop === "name" || prop === "params" || prop === "important" || /* c8 ignore next */
            prop === "text") {
              node.markDirty();
            }
            return true;
          }
        };
      }
      /* c8 ignore next 3 */
      markClean() {
        this[isClean] = true;
      }
      markDirty() {
        if (this[isClean]) {
          this[isClean] = false;
          let next = this;
          while (next = next.parent) {
            next[isClean] = false;
          }
        }
      }
      next() {
        if (!this.parent) return void 0;
        let index = this.parent.index(this);
        return this.parent.nodes[index + 1];
      }
      positionBy(opts = {}) {
        let inputString = "document" in this.source.input ? this.source.input.document : this.source.input.css;
        let pos = {
          column: this.source.start.column,
          line: this.source.start.line,
          offset: sourceOffset(inputString, this.source.start)
        };
        if (opts.index) {
          pos = this.positionInside(opts.index);
        } else if (opts.word) {
          let stringRepresentation = inputString.slice(
            sourceOffset(inputString, this.source.start),
            this.rangeBy().end.offset
          );
          let index = stringRepresentation.indexOf(opts.word);
          if (index !== -1) pos = this.positionInside(index);
        }
        return pos;
      }
      positionInside(index) {
        let column = this.source.start.column;
        let line = this.source.start.line;
        let inputString = "document" in this.source.input ? this.source.input.document : this.source.input.css;
        let offset = sourceOffset(inputString, this.source.start);
        let end = offset + index;
        for (let i = offset; i < end; i++) {
          if (inputString[i] === "\n") {
            column = 1;
            line += 1;
          } else {
            column += 1;
          }
        }
        return { column, line, offset: end };
      }
      prev() {
        if (!this.parent) return void 0;
        let index = this.parent.index(this);
        return this.parent.nodes[index - 1];
      }
      rangeBy(opts = {}) {
        let inputString = "document" in this.source.input ? this.source.input.document : this.source.input.css;
        let start = {
          column: this.source.start.column,
          line: this.source.start.line,
          offset: sourceOffset(inputString, this.source.start)
        };
        let end = this.source.end ? {
          column: this.source.end.column + 1,
          line: this.source.end.line,
          offset: typeof this.source.end.offset === "number" ? (
            // `source.end.offset` is exclusive, so we don't need to add 1
            this.source.end.offset
          ) : (
            // Since line/column in this.source.end is inclusive,
            // the `sourceOffset(... , this.source.end)` returns an inclusive offset.
            // So, we add 1 to convert it to exclusive.
            sourceOffset(inputString, this.source.end) + 1
          )
        } : {
          column: start.column + 1,
          line: start.line,
          offset: start.offset + 1
        };
        if (opts.word) {
          let stringRepresentation = inputString.slice(
            sourceOffset(inputString, this.source.start),
            end.offset
          );
          let index = stringRepresentation.indexOf(opts.word);
          if (index !== -1) {
            start = this.positionInside(index);
            end = this.positionInside(index + opts.word.length);
          }
        } else {
          if (opts.start) {
            start = {
              column: opts.start.column,
              line: opts.start.line,
              offset: sourceOffset(inputString, opts.start)
            };
          } else if (typeof opts.index === "number") {
            start = this.positionInside(opts.index);
          }
          if (opts.end) {
            end = {
              column: opts.end.column,
              line: opts.end.line,
              offset: sourceOffset(inputString, opts.end)
            };
          } else if (typeof opts.endIndex === "number") {
            end = this.positionInside(opts.endIndex);
          } else if (typeof opts.index === "number") {
            end = this.positionInside(opts.index + 1);
          }
        }
        if (end.line < start.line || end.line === start.line && end.column <= start.column) {
          end = {
            column: start.column + 1,
            line: start.line,
            offset: start.offset + 1
          };
        }
        return { end, start };
      }
      raw(prop, defaultType) {
        let str = new Stringifier();
        return str.raw(this, prop, defaultType);
      }
      remove() {
        if (this.parent) {
          this.parent.removeChild(this);
        }
        this.parent = void 0;
        return this;
      }
      replaceWith(...nodes) {
        if (this.parent) {
          let bookmark = this;
          let foundSelf = false;
          for (let node of nodes) {
            if (node === this) {
              foundSelf = true;
            } else if (foundSelf) {
              this.parent.insertAfter(bookmark, node);
              bookmark = node;
            } else {
              this.parent.insertBefore(bookmark, node);
            }
          }
          if (!foundSelf) {
            this.remove();
          }
        }
        return this;
      }
      root() {
        let result = this;
        while (result.parent && result.parent.type !== "document") {
          result = result.parent;
        }
        return result;
      }
      toJSON(_2, inputs) {
        let emitInputs = inputs == null;
        inputs = inputs || /* @__PURE__ */ new Map();
        let holderOfRoot = [];
        let queue = [[this, holderOfRoot, 0]];
        for (let step = 0; step < queue.length; step++) {
          let [node, holder, key] = queue[step];
          let fixed2 = {};
          holder[key] = fixed2;
          for (let name in node) {
            if (!Object.prototype.hasOwnProperty.call(node, name)) {
              continue;
            }
            if (name === "parent" || name === "proxyCache") continue;
            let value = node[name];
            if (Array.isArray(value)) {
              let fixedArray = [];
              fixed2[name] = fixedArray;
              for (let i = 0; i < value.length; i++) {
                let item = value[i];
                if (typeof item === "object" && item.toJSON) {
                  if (item.toJSON === _Node.prototype.toJSON) {
                    queue.push([item, fixedArray, i]);
                  } else {
                    fixedArray[i] = item.toJSON(null, inputs);
                  }
                } else {
                  fixedArray[i] = item;
                }
              }
            } else if (typeof value === "object" && value.toJSON) {
              if (value.toJSON === _Node.prototype.toJSON) {
                queue.push([value, fixed2, name]);
              } else {
                fixed2[name] = value.toJSON(null, inputs);
              }
            } else if (name === "source") {
              if (value == null) continue;
              let inputId = inputs.get(value.input);
              if (inputId == null) {
                inputId = inputs.size;
                inputs.set(value.input, inputId);
              }
              fixed2[name] = {
                end: value.end,
                inputId,
                start: value.start
              };
            } else {
              fixed2[name] = value;
            }
          }
        }
        let fixed = holderOfRoot[0];
        if (emitInputs) {
          fixed.inputs = [...inputs.keys()].map((input) => input.toJSON());
        }
        return fixed;
      }
      toProxy() {
        if (!this.proxyCache) {
          this.proxyCache = new Proxy(this, this.getProxyProcessor());
        }
        return this.proxyCache;
      }
      toString(stringifier = stringify) {
        if (stringifier.stringify) stringifier = stringifier.stringify;
        let result = "";
        stringifier(this, (i) => {
          result += i;
        });
        return result;
      }
      warn(result, text, opts = {}) {
        let data = { node: this };
        for (let i in opts) data[i] = opts[i];
        return result.warn(text, data);
      }
    };
    module.exports = Node;
    Node.default = Node;
  }
});

// node_modules/postcss/lib/comment.js
var require_comment = __commonJS({
  "node_modules/postcss/lib/comment.js"(exports, module) {
    "use strict";
    var Node = require_node2();
    var Comment = class extends Node {
      constructor(defaults) {
        super(defaults);
        this.type = "comment";
      }
    };
    module.exports = Comment;
    Comment.default = Comment;
  }
});

// node_modules/postcss/lib/declaration.js
var require_declaration = __commonJS({
  "node_modules/postcss/lib/declaration.js"(exports, module) {
    "use strict";
    var Node = require_node2();
    var Declaration = class extends Node {
      get variable() {
        return this.prop.startsWith("--") || this.prop[0] === "$";
      }
      constructor(defaults) {
        if (defaults && typeof defaults.value !== "undefined" && typeof defaults.value !== "string") {
          defaults = { ...defaults, value: String(defaults.value) };
        }
        super(defaults);
        this.type = "decl";
      }
    };
    module.exports = Declaration;
    Declaration.default = Declaration;
  }
});

// node_modules/postcss/lib/container.js
var require_container = __commonJS({
  "node_modules/postcss/lib/container.js"(exports, module) {
    "use strict";
    var Comment = require_comment();
    var Declaration = require_declaration();
    var Node = require_node2();
    var { isClean, my } = require_symbols();
    var AtRule;
    var parse;
    var Root;
    var Rule;
    function cleanSource(nodes) {
      let stack = nodes.slice();
      while (stack.length > 0) {
        let node = stack.pop();
        delete node.source;
        if (node.nodes) {
          node.nodes = node.nodes.slice();
          for (let i of node.nodes) stack.push(i);
        }
      }
      return nodes.slice();
    }
    function markTreeDirty(node) {
      let stack = [node];
      while (stack.length > 0) {
        let next = stack.pop();
        next[isClean] = false;
        if (next.proxyOf.nodes) {
          for (let i of next.proxyOf.nodes) stack.push(i);
        }
      }
    }
    var Container = class _Container extends Node {
      get first() {
        if (!this.proxyOf.nodes) return void 0;
        return this.proxyOf.nodes[0];
      }
      get last() {
        if (!this.proxyOf.nodes) return void 0;
        return this.proxyOf.nodes[this.proxyOf.nodes.length - 1];
      }
      append(...children) {
        for (let child of children) {
          let nodes = this.normalize(child, this.last);
          for (let node of nodes) this.proxyOf.nodes.push(node);
        }
        this.markDirty();
        return this;
      }
      cleanRaws(keepBetween) {
        let stack = [this];
        while (stack.length > 0) {
          let node = stack.pop();
          if (node !== this && node.cleanRaws !== _Container.prototype.cleanRaws) {
            node.cleanRaws(keepBetween);
            continue;
          }
          Node.prototype.cleanRaws.call(node, keepBetween);
          if (node.nodes) {
            for (let child of node.nodes) stack.push(child);
          }
        }
      }
      each(callback) {
        if (!this.proxyOf.nodes) return void 0;
        let iterator = this.getIterator();
        let index, result;
        while (this.indexes[iterator] < this.proxyOf.nodes.length) {
          index = this.indexes[iterator];
          result = callback(this.proxyOf.nodes[index], index);
          if (result === false) break;
          this.indexes[iterator] += 1;
        }
        delete this.indexes[iterator];
        return result;
      }
      every(condition) {
        return this.nodes.every(condition);
      }
      getIterator() {
        if (!this.lastEach) this.lastEach = 0;
        if (!this.indexes) this.indexes = {};
        this.lastEach += 1;
        let iterator = this.lastEach;
        this.indexes[iterator] = 0;
        return iterator;
      }
      getProxyProcessor() {
        return {
          get(node, prop) {
            if (prop === "proxyOf") {
              return node;
            } else if (!node[prop]) {
              return node[prop];
            } else if (prop === "each" || typeof prop === "string" && prop.startsWith("walk")) {
              return (...args) => {
                return node[prop](
                  ...args.map((i) => {
                    if (typeof i === "function") {
                      return (child, index) => i(child.toProxy(), index);
                    } else {
                      return i;
                    }
                  })
                );
              };
            } else if (prop === "every" || prop === "some") {
              return (cb) => {
                return node[prop](
                  (child, ...other) => cb(child.toProxy(), ...other)
                );
              };
            } else if (prop === "root") {
              return () => node.root().toProxy();
            } else if (prop === "nodes") {
              return node.nodes.map((i) => i.toProxy());
            } else if (prop === "first" || prop === "last") {
              return node[prop].toProxy();
            } else {
              return node[prop];
            }
          },
          set(node, prop, value) {
            if (node[prop] === value) return true;
            node[prop] = value;
            if (prop === "name" || prop === "params" || prop === "selector") {
              node.markDirty();
            }
            return true;
          }
        };
      }
      index(child) {
        if (typeof child === "number") return child;
        if (child.proxyOf) child = child.proxyOf;
        return this.proxyOf.nodes.indexOf(child);
      }
      insertAfter(exist, add) {
        let existIndex = this.index(exist);
        let nodes = this.normalize(add, this.proxyOf.nodes[existIndex]).reverse();
        existIndex = this.index(exist);
        for (let node of nodes) this.proxyOf.nodes.splice(existIndex + 1, 0, node);
        let index;
        for (let id in this.indexes) {
          index = this.indexes[id];
          if (existIndex < index) {
            this.indexes[id] = index + nodes.length;
          }
        }
        this.markDirty();
        return this;
      }
      insertBefore(exist, add) {
        let existIndex = this.index(exist);
        let type = existIndex === 0 ? "prepend" : false;
        let nodes = this.normalize(
          add,
          this.proxyOf.nodes[existIndex],
          type
        ).reverse();
        existIndex = this.index(exist);
        for (let node of nodes) this.proxyOf.nodes.splice(existIndex, 0, node);
        let index;
        for (let id in this.indexes) {
          index = this.indexes[id];
          if (existIndex <= index) {
            this.indexes[id] = index + nodes.length;
          }
        }
        this.markDirty();
        return this;
      }
      normalize(nodes, sample) {
        if (typeof nodes === "string") {
          nodes = cleanSource(parse(nodes).nodes);
        } else if (typeof nodes === "undefined") {
          nodes = [];
        } else if (Array.isArray(nodes)) {
          nodes = nodes.slice(0);
          for (let i of nodes) {
            if (i.parent) i.parent.removeChild(i, "ignore");
          }
        } else if (nodes.type === "root" && this.type !== "document") {
          nodes = nodes.nodes.slice(0);
          for (let i of nodes) {
            if (i.parent) i.parent.removeChild(i, "ignore");
          }
        } else if (nodes.type) {
          nodes = [nodes];
        } else if (nodes.prop) {
          if (typeof nodes.value === "undefined") {
            throw new Error("Value field is missed in node creation");
          } else if (typeof nodes.value !== "string") {
            nodes.value = String(nodes.value);
          }
          nodes = [new Declaration(nodes)];
        } else if (nodes.selector || nodes.selectors) {
          nodes = [new Rule(nodes)];
        } else if (nodes.name) {
          nodes = [new AtRule(nodes)];
        } else if (nodes.text) {
          nodes = [new Comment(nodes)];
        } else {
          throw new Error("Unknown node type in node creation");
        }
        let processed = nodes.map((i) => {
          if (!i[my]) _Container.rebuild(i);
          i = i.proxyOf;
          if (i.parent) i.parent.removeChild(i);
          if (i[isClean]) markTreeDirty(i);
          if (!i.raws) i.raws = {};
          if (typeof i.raws.before === "undefined") {
            if (sample && typeof sample.raws.before !== "undefined") {
              i.raws.before = sample.raws.before.replace(/\S/g, "");
            }
          }
          i.parent = this.proxyOf;
          return i;
        });
        return processed;
      }
      prepend(...children) {
        children = children.reverse();
        for (let child of children) {
          let nodes = this.normalize(child, this.first, "prepend").reverse();
          for (let node of nodes) this.proxyOf.nodes.unshift(node);
          for (let id in this.indexes) {
            this.indexes[id] = this.indexes[id] + nodes.length;
          }
        }
        this.markDirty();
        return this;
      }
      push(child) {
        child.parent = this;
        this.proxyOf.nodes.push(child);
        return this;
      }
      removeAll() {
        for (let node of this.proxyOf.nodes) node.parent = void 0;
        this.proxyOf.nodes = [];
        this.markDirty();
        return this;
      }
      removeChild(child) {
        child = this.index(child);
        this.proxyOf.nodes[child].parent = void 0;
        this.proxyOf.nodes.splice(child, 1);
        let index;
        for (let id in this.indexes) {
          index = this.indexes[id];
          if (index >= child) {
            this.indexes[id] = index - 1;
          }
        }
        this.markDirty();
        return this;
      }
      replaceValues(pattern, opts, callback) {
        if (!callback) {
          callback = opts;
          opts = {};
        }
        this.walkDecls((decl) => {
          if (opts.props && !opts.props.includes(decl.prop)) return;
          if (opts.fast && !decl.value.includes(opts.fast)) return;
          decl.value = decl.value.replace(pattern, callback);
        });
        this.markDirty();
        return this;
      }
      some(condition) {
        return this.nodes.some(condition);
      }
      walk(callback) {
        if (!this.proxyOf.nodes) return void 0;
        let stack = [{ iterator: this.getIterator(), node: this.proxyOf }];
        while (stack.length > 0) {
          let { iterator, node } = stack[stack.length - 1];
          let index = node.indexes[iterator];
          if (index >= node.proxyOf.nodes.length) {
            delete node.indexes[iterator];
            stack.pop();
            let parent = stack[stack.length - 1];
            if (parent) parent.node.indexes[parent.iterator] += 1;
            continue;
          }
          let child = node.proxyOf.nodes[index];
          let result;
          try {
            result = callback(child, index);
          } catch (e) {
            throw child.addToError(e);
          }
          if (result === false) {
            for (let opened of stack) {
              delete opened.node.indexes[opened.iterator];
            }
            return false;
          }
          if (child.walk && child.proxyOf.nodes) {
            stack.push({ iterator: child.getIterator(), node: child });
          } else {
            node.indexes[iterator] += 1;
          }
        }
        return void 0;
      }
      walkAtRules(name, callback) {
        if (!callback) {
          callback = name;
          return this.walk((child, i) => {
            if (child.type === "atrule") {
              return callback(child, i);
            }
          });
        }
        if (name instanceof RegExp) {
          return this.walk((child, i) => {
            if (child.type === "atrule" && name.test(child.name)) {
              return callback(child, i);
            }
          });
        }
        return this.walk((child, i) => {
          if (child.type === "atrule" && child.name === name) {
            return callback(child, i);
          }
        });
      }
      walkComments(callback) {
        return this.walk((child, i) => {
          if (child.type === "comment") {
            return callback(child, i);
          }
        });
      }
      walkDecls(prop, callback) {
        if (!callback) {
          callback = prop;
          return this.walk((child, i) => {
            if (child.type === "decl") {
              return callback(child, i);
            }
          });
        }
        if (prop instanceof RegExp) {
          return this.walk((child, i) => {
            if (child.type === "decl" && prop.test(child.prop)) {
              return callback(child, i);
            }
          });
        }
        return this.walk((child, i) => {
          if (child.type === "decl" && child.prop === prop) {
            return callback(child, i);
          }
        });
      }
      walkRules(selector, callback) {
        if (!callback) {
          callback = selector;
          return this.walk((child, i) => {
            if (child.type === "rule") {
              return callback(child, i);
            }
          });
        }
        if (selector instanceof RegExp) {
          return this.walk((child, i) => {
            if (child.type === "rule" && selector.test(child.selector)) {
              return callback(child, i);
            }
          });
        }
        return this.walk((child, i) => {
          if (child.type === "rule" && child.selector === selector) {
            return callback(child, i);
          }
        });
      }
    };
    Container.registerParse = (dependant) => {
      parse = dependant;
    };
    Container.registerRule = (dependant) => {
      Rule = dependant;
    };
    Container.registerAtRule = (dependant) => {
      AtRule = dependant;
    };
    Container.registerRoot = (dependant) => {
      Root = dependant;
    };
    module.exports = Container;
    Container.default = Container;
    Container.rebuild = (node) => {
      let stack = [node];
      while (stack.length > 0) {
        let next = stack.pop();
        if (next.type === "atrule") {
          Object.setPrototypeOf(next, AtRule.prototype);
        } else if (next.type === "rule") {
          Object.setPrototypeOf(next, Rule.prototype);
        } else if (next.type === "decl") {
          Object.setPrototypeOf(next, Declaration.prototype);
        } else if (next.type === "comment") {
          Object.setPrototypeOf(next, Comment.prototype);
        } else if (next.type === "root") {
          Object.setPrototypeOf(next, Root.prototype);
        }
        next[my] = true;
        if (next.nodes) {
          for (let child of next.nodes) stack.push(child);
        }
      }
    };
  }
});

// node_modules/postcss/lib/at-rule.js
var require_at_rule = __commonJS({
  "node_modules/postcss/lib/at-rule.js"(exports, module) {
    "use strict";
    var Container = require_container();
    var AtRule = class extends Container {
      constructor(defaults) {
        super(defaults);
        this.type = "atrule";
      }
      append(...children) {
        if (!this.proxyOf.nodes) this.nodes = [];
        return super.append(...children);
      }
      prepend(...children) {
        if (!this.proxyOf.nodes) this.nodes = [];
        return super.prepend(...children);
      }
    };
    module.exports = AtRule;
    AtRule.default = AtRule;
    Container.registerAtRule(AtRule);
  }
});

// node_modules/postcss/lib/document.js
var require_document = __commonJS({
  "node_modules/postcss/lib/document.js"(exports, module) {
    "use strict";
    var Container = require_container();
    var LazyResult;
    var Processor;
    var Document = class extends Container {
      constructor(defaults) {
        super({ type: "document", ...defaults });
        if (!this.nodes) {
          this.nodes = [];
        }
      }
      toResult(opts = {}) {
        let lazy = new LazyResult(new Processor(), this, opts);
        return lazy.stringify();
      }
    };
    Document.registerLazyResult = (dependant) => {
      LazyResult = dependant;
    };
    Document.registerProcessor = (dependant) => {
      Processor = dependant;
    };
    module.exports = Document;
    Document.default = Document;
  }
});

// node_modules/nanoid/non-secure/index.cjs
var require_non_secure = __commonJS({
  "node_modules/nanoid/non-secure/index.cjs"(exports, module) {
    var urlAlphabet = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";
    var customAlphabet = (alphabet, defaultSize = 21) => {
      return (size = defaultSize) => {
        let id = "";
        let i = size | 0;
        while (i-- > 0) {
          id += alphabet[Math.random() * alphabet.length | 0];
        }
        return id;
      };
    };
    var nanoid = (size = 21) => {
      let id = "";
      let i = size | 0;
      while (i-- > 0) {
        id += urlAlphabet[Math.random() * 64 | 0];
      }
      return id;
    };
    module.exports = { nanoid, customAlphabet };
  }
});

// node_modules/source-map-js/lib/base64.js
var require_base64 = __commonJS({
  "node_modules/source-map-js/lib/base64.js"(exports) {
    var intToCharMap = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("");
    exports.encode = function(number) {
      if (0 <= number && number < intToCharMap.length) {
        return intToCharMap[number];
      }
      throw new TypeError("Must be between 0 and 63: " + number);
    };
    exports.decode = function(charCode) {
      var bigA = 65;
      var bigZ = 90;
      var littleA = 97;
      var littleZ = 122;
      var zero = 48;
      var nine = 57;
      var plus = 43;
      var slash = 47;
      var littleOffset = 26;
      var numberOffset = 52;
      if (bigA <= charCode && charCode <= bigZ) {
        return charCode - bigA;
      }
      if (littleA <= charCode && charCode <= littleZ) {
        return charCode - littleA + littleOffset;
      }
      if (zero <= charCode && charCode <= nine) {
        return charCode - zero + numberOffset;
      }
      if (charCode == plus) {
        return 62;
      }
      if (charCode == slash) {
        return 63;
      }
      return -1;
    };
  }
});

// node_modules/source-map-js/lib/base64-vlq.js
var require_base64_vlq = __commonJS({
  "node_modules/source-map-js/lib/base64-vlq.js"(exports) {
    var base64 = require_base64();
    var VLQ_BASE_SHIFT = 5;
    var VLQ_BASE = 1 << VLQ_BASE_SHIFT;
    var VLQ_BASE_MASK = VLQ_BASE - 1;
    var VLQ_CONTINUATION_BIT = VLQ_BASE;
    function toVLQSigned(aValue) {
      return aValue < 0 ? (-aValue << 1) + 1 : (aValue << 1) + 0;
    }
    function fromVLQSigned(aValue) {
      var isNegative = (aValue & 1) === 1;
      var shifted = aValue >> 1;
      return isNegative ? -shifted : shifted;
    }
    exports.encode = function base64VLQ_encode(aValue) {
      var encoded = "";
      var digit;
      var vlq = toVLQSigned(aValue);
      do {
        digit = vlq & VLQ_BASE_MASK;
        vlq >>>= VLQ_BASE_SHIFT;
        if (vlq > 0) {
          digit |= VLQ_CONTINUATION_BIT;
        }
        encoded += base64.encode(digit);
      } while (vlq > 0);
      return encoded;
    };
    exports.decode = function base64VLQ_decode(aStr, aIndex, aOutParam) {
      var strLen = aStr.length;
      var result = 0;
      var shift = 0;
      var continuation, digit;
      do {
        if (aIndex >= strLen) {
          throw new Error("Expected more digits in base 64 VLQ value.");
        }
        digit = base64.decode(aStr.charCodeAt(aIndex++));
        if (digit === -1) {
          throw new Error("Invalid base64 digit: " + aStr.charAt(aIndex - 1));
        }
        continuation = !!(digit & VLQ_CONTINUATION_BIT);
        digit &= VLQ_BASE_MASK;
        result = result + (digit << shift);
        shift += VLQ_BASE_SHIFT;
      } while (continuation);
      aOutParam.value = fromVLQSigned(result);
      aOutParam.rest = aIndex;
    };
  }
});

// node_modules/source-map-js/lib/util.js
var require_util = __commonJS({
  "node_modules/source-map-js/lib/util.js"(exports) {
    function getArg(aArgs, aName, aDefaultValue) {
      if (aName in aArgs) {
        return aArgs[aName];
      } else if (arguments.length === 3) {
        return aDefaultValue;
      } else {
        throw new Error('"' + aName + '" is a required argument.');
      }
    }
    exports.getArg = getArg;
    var urlRegexp = /^(?:([\w+\-.]+):)?\/\/(?:(\w+:\w+)@)?([\w.-]*)(?::(\d+))?(.*)$/;
    var dataUrlRegexp = /^data:.+\,.+$/;
    function urlParse(aUrl) {
      var match = aUrl.match(urlRegexp);
      if (!match) {
        return null;
      }
      return {
        scheme: match[1],
        auth: match[2],
        host: match[3],
        port: match[4],
        path: match[5]
      };
    }
    exports.urlParse = urlParse;
    function urlGenerate(aParsedUrl) {
      var url = "";
      if (aParsedUrl.scheme) {
        url += aParsedUrl.scheme + ":";
      }
      url += "//";
      if (aParsedUrl.auth) {
        url += aParsedUrl.auth + "@";
      }
      if (aParsedUrl.host) {
        url += aParsedUrl.host;
      }
      if (aParsedUrl.port) {
        url += ":" + aParsedUrl.port;
      }
      if (aParsedUrl.path) {
        url += aParsedUrl.path;
      }
      return url;
    }
    exports.urlGenerate = urlGenerate;
    var MAX_CACHED_INPUTS = 32;
    function lruMemoize(f) {
      var cache2 = [];
      return function(input) {
        for (var i = 0; i < cache2.length; i++) {
          if (cache2[i].input === input) {
            var temp = cache2[0];
            cache2[0] = cache2[i];
            cache2[i] = temp;
            return cache2[0].result;
          }
        }
        var result = f(input);
        cache2.unshift({
          input,
          result
        });
        if (cache2.length > MAX_CACHED_INPUTS) {
          cache2.pop();
        }
        return result;
      };
    }
    var normalize = lruMemoize(function normalize2(aPath) {
      var path = aPath;
      var url = urlParse(aPath);
      if (url) {
        if (!url.path) {
          return aPath;
        }
        path = url.path;
      }
      var isAbsolute = exports.isAbsolute(path);
      var parts = [];
      var start = 0;
      var i = 0;
      while (true) {
        start = i;
        i = path.indexOf("/", start);
        if (i === -1) {
          parts.push(path.slice(start));
          break;
        } else {
          parts.push(path.slice(start, i));
          while (i < path.length && path[i] === "/") {
            i++;
          }
        }
      }
      for (var part, up = 0, i = parts.length - 1; i >= 0; i--) {
        part = parts[i];
        if (part === ".") {
          parts.splice(i, 1);
        } else if (part === "..") {
          up++;
        } else if (up > 0) {
          if (part === "") {
            parts.splice(i + 1, up);
            up = 0;
          } else {
            parts.splice(i, 2);
            up--;
          }
        }
      }
      path = parts.join("/");
      if (path === "") {
        path = isAbsolute ? "/" : ".";
      }
      if (url) {
        url.path = path;
        return urlGenerate(url);
      }
      return path;
    });
    exports.normalize = normalize;
    function join6(aRoot, aPath) {
      if (aRoot === "") {
        aRoot = ".";
      }
      if (aPath === "") {
        aPath = ".";
      }
      var aPathUrl = urlParse(aPath);
      var aRootUrl = urlParse(aRoot);
      if (aRootUrl) {
        aRoot = aRootUrl.path || "/";
      }
      if (aPathUrl && !aPathUrl.scheme) {
        if (aRootUrl) {
          aPathUrl.scheme = aRootUrl.scheme;
        }
        return urlGenerate(aPathUrl);
      }
      if (aPathUrl || aPath.match(dataUrlRegexp)) {
        return aPath;
      }
      if (aRootUrl && !aRootUrl.host && !aRootUrl.path) {
        aRootUrl.host = aPath;
        return urlGenerate(aRootUrl);
      }
      var joined = aPath.charAt(0) === "/" ? aPath : normalize(aRoot.replace(/\/+$/, "") + "/" + aPath);
      if (aRootUrl) {
        aRootUrl.path = joined;
        return urlGenerate(aRootUrl);
      }
      return joined;
    }
    exports.join = join6;
    exports.isAbsolute = function(aPath) {
      return aPath.charAt(0) === "/" || urlRegexp.test(aPath);
    };
    function relative(aRoot, aPath) {
      if (aRoot === "") {
        aRoot = ".";
      }
      aRoot = aRoot.replace(/\/$/, "");
      var level = 0;
      while (aPath.indexOf(aRoot + "/") !== 0) {
        var index = aRoot.lastIndexOf("/");
        if (index < 0) {
          return aPath;
        }
        aRoot = aRoot.slice(0, index);
        if (aRoot.match(/^([^\/]+:\/)?\/*$/)) {
          return aPath;
        }
        ++level;
      }
      return Array(level + 1).join("../") + aPath.substr(aRoot.length + 1);
    }
    exports.relative = relative;
    var supportsNullProto = (function() {
      var obj = /* @__PURE__ */ Object.create(null);
      return !("__proto__" in obj);
    })();
    function identity(s) {
      return s;
    }
    function toSetString(aStr) {
      if (isProtoString(aStr)) {
        return "$" + aStr;
      }
      return aStr;
    }
    exports.toSetString = supportsNullProto ? identity : toSetString;
    function fromSetString(aStr) {
      if (isProtoString(aStr)) {
        return aStr.slice(1);
      }
      return aStr;
    }
    exports.fromSetString = supportsNullProto ? identity : fromSetString;
    function isProtoString(s) {
      if (!s) {
        return false;
      }
      var length = s.length;
      if (length < 9) {
        return false;
      }
      if (s.charCodeAt(length - 1) !== 95 || s.charCodeAt(length - 2) !== 95 || s.charCodeAt(length - 3) !== 111 || s.charCodeAt(length - 4) !== 116 || s.charCodeAt(length - 5) !== 111 || s.charCodeAt(length - 6) !== 114 || s.charCodeAt(length - 7) !== 112 || s.charCodeAt(length - 8) !== 95 || s.charCodeAt(length - 9) !== 95) {
        return false;
      }
      for (var i = length - 10; i >= 0; i--) {
        if (s.charCodeAt(i) !== 36) {
          return false;
        }
      }
      return true;
    }
    function compareByOriginalPositions(mappingA, mappingB, onlyCompareOriginal) {
      var cmp = strcmp(mappingA.source, mappingB.source);
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalLine - mappingB.originalLine;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalColumn - mappingB.originalColumn;
      if (cmp !== 0 || onlyCompareOriginal) {
        return cmp;
      }
      cmp = mappingA.generatedColumn - mappingB.generatedColumn;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.generatedLine - mappingB.generatedLine;
      if (cmp !== 0) {
        return cmp;
      }
      return strcmp(mappingA.name, mappingB.name);
    }
    exports.compareByOriginalPositions = compareByOriginalPositions;
    function compareByOriginalPositionsNoSource(mappingA, mappingB, onlyCompareOriginal) {
      var cmp;
      cmp = mappingA.originalLine - mappingB.originalLine;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalColumn - mappingB.originalColumn;
      if (cmp !== 0 || onlyCompareOriginal) {
        return cmp;
      }
      cmp = mappingA.generatedColumn - mappingB.generatedColumn;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.generatedLine - mappingB.generatedLine;
      if (cmp !== 0) {
        return cmp;
      }
      return strcmp(mappingA.name, mappingB.name);
    }
    exports.compareByOriginalPositionsNoSource = compareByOriginalPositionsNoSource;
    function compareByGeneratedPositionsDeflated(mappingA, mappingB, onlyCompareGenerated) {
      var cmp = mappingA.generatedLine - mappingB.generatedLine;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.generatedColumn - mappingB.generatedColumn;
      if (cmp !== 0 || onlyCompareGenerated) {
        return cmp;
      }
      cmp = strcmp(mappingA.source, mappingB.source);
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalLine - mappingB.originalLine;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalColumn - mappingB.originalColumn;
      if (cmp !== 0) {
        return cmp;
      }
      return strcmp(mappingA.name, mappingB.name);
    }
    exports.compareByGeneratedPositionsDeflated = compareByGeneratedPositionsDeflated;
    function compareByGeneratedPositionsDeflatedNoLine(mappingA, mappingB, onlyCompareGenerated) {
      var cmp = mappingA.generatedColumn - mappingB.generatedColumn;
      if (cmp !== 0 || onlyCompareGenerated) {
        return cmp;
      }
      cmp = strcmp(mappingA.source, mappingB.source);
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalLine - mappingB.originalLine;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalColumn - mappingB.originalColumn;
      if (cmp !== 0) {
        return cmp;
      }
      return strcmp(mappingA.name, mappingB.name);
    }
    exports.compareByGeneratedPositionsDeflatedNoLine = compareByGeneratedPositionsDeflatedNoLine;
    function strcmp(aStr1, aStr2) {
      if (aStr1 === aStr2) {
        return 0;
      }
      if (aStr1 === null) {
        return 1;
      }
      if (aStr2 === null) {
        return -1;
      }
      if (aStr1 > aStr2) {
        return 1;
      }
      return -1;
    }
    function compareByGeneratedPositionsInflated(mappingA, mappingB) {
      var cmp = mappingA.generatedLine - mappingB.generatedLine;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.generatedColumn - mappingB.generatedColumn;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = strcmp(mappingA.source, mappingB.source);
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalLine - mappingB.originalLine;
      if (cmp !== 0) {
        return cmp;
      }
      cmp = mappingA.originalColumn - mappingB.originalColumn;
      if (cmp !== 0) {
        return cmp;
      }
      return strcmp(mappingA.name, mappingB.name);
    }
    exports.compareByGeneratedPositionsInflated = compareByGeneratedPositionsInflated;
    function parseSourceMapInput(str) {
      return JSON.parse(str.replace(/^\)]}'[^\n]*\n/, ""));
    }
    exports.parseSourceMapInput = parseSourceMapInput;
    function computeSourceURL(sourceRoot, sourceURL, sourceMapURL) {
      sourceURL = sourceURL || "";
      if (sourceRoot) {
        if (sourceRoot[sourceRoot.length - 1] !== "/" && sourceURL[0] !== "/") {
          sourceRoot += "/";
        }
        sourceURL = sourceRoot + sourceURL;
      }
      if (sourceMapURL) {
        var parsed = urlParse(sourceMapURL);
        if (!parsed) {
          throw new Error("sourceMapURL could not be parsed");
        }
        if (parsed.path) {
          var index = parsed.path.lastIndexOf("/");
          if (index >= 0) {
            parsed.path = parsed.path.substring(0, index + 1);
          }
        }
        sourceURL = join6(urlGenerate(parsed), sourceURL);
      }
      return normalize(sourceURL);
    }
    exports.computeSourceURL = computeSourceURL;
  }
});

// node_modules/source-map-js/lib/array-set.js
var require_array_set = __commonJS({
  "node_modules/source-map-js/lib/array-set.js"(exports) {
    var util = require_util();
    var has = Object.prototype.hasOwnProperty;
    var hasNativeMap = typeof Map !== "undefined";
    function ArraySet() {
      this._array = [];
      this._set = hasNativeMap ? /* @__PURE__ */ new Map() : /* @__PURE__ */ Object.create(null);
    }
    ArraySet.fromArray = function ArraySet_fromArray(aArray, aAllowDuplicates) {
      var set = new ArraySet();
      for (var i = 0, len = aArray.length; i < len; i++) {
        set.add(aArray[i], aAllowDuplicates);
      }
      return set;
    };
    ArraySet.prototype.size = function ArraySet_size() {
      return hasNativeMap ? this._set.size : Object.getOwnPropertyNames(this._set).length;
    };
    ArraySet.prototype.add = function ArraySet_add(aStr, aAllowDuplicates) {
      var sStr = hasNativeMap ? aStr : util.toSetString(aStr);
      var isDuplicate = hasNativeMap ? this.has(aStr) : has.call(this._set, sStr);
      var idx = this._array.length;
      if (!isDuplicate || aAllowDuplicates) {
        this._array.push(aStr);
      }
      if (!isDuplicate) {
        if (hasNativeMap) {
          this._set.set(aStr, idx);
        } else {
          this._set[sStr] = idx;
        }
      }
    };
    ArraySet.prototype.has = function ArraySet_has(aStr) {
      if (hasNativeMap) {
        return this._set.has(aStr);
      } else {
        var sStr = util.toSetString(aStr);
        return has.call(this._set, sStr);
      }
    };
    ArraySet.prototype.indexOf = function ArraySet_indexOf(aStr) {
      if (hasNativeMap) {
        var idx = this._set.get(aStr);
        if (idx >= 0) {
          return idx;
        }
      } else {
        var sStr = util.toSetString(aStr);
        if (has.call(this._set, sStr)) {
          return this._set[sStr];
        }
      }
      throw new Error('"' + aStr + '" is not in the set.');
    };
    ArraySet.prototype.at = function ArraySet_at(aIdx) {
      if (aIdx >= 0 && aIdx < this._array.length) {
        return this._array[aIdx];
      }
      throw new Error("No element indexed by " + aIdx);
    };
    ArraySet.prototype.toArray = function ArraySet_toArray() {
      return this._array.slice();
    };
    exports.ArraySet = ArraySet;
  }
});

// node_modules/source-map-js/lib/mapping-list.js
var require_mapping_list = __commonJS({
  "node_modules/source-map-js/lib/mapping-list.js"(exports) {
    var util = require_util();
    function generatedPositionAfter(mappingA, mappingB) {
      var lineA = mappingA.generatedLine;
      var lineB = mappingB.generatedLine;
      var columnA = mappingA.generatedColumn;
      var columnB = mappingB.generatedColumn;
      return lineB > lineA || lineB == lineA && columnB >= columnA || util.compareByGeneratedPositionsInflated(mappingA, mappingB) <= 0;
    }
    function MappingList() {
      this._array = [];
      this._sorted = true;
      this._last = { generatedLine: -1, generatedColumn: 0 };
    }
    MappingList.prototype.unsortedForEach = function MappingList_forEach(aCallback, aThisArg) {
      this._array.forEach(aCallback, aThisArg);
    };
    MappingList.prototype.add = function MappingList_add(aMapping) {
      if (generatedPositionAfter(this._last, aMapping)) {
        this._last = aMapping;
        this._array.push(aMapping);
      } else {
        this._sorted = false;
        this._array.push(aMapping);
      }
    };
    MappingList.prototype.toArray = function MappingList_toArray() {
      if (!this._sorted) {
        this._array.sort(util.compareByGeneratedPositionsInflated);
        this._sorted = true;
      }
      return this._array;
    };
    exports.MappingList = MappingList;
  }
});

// node_modules/source-map-js/lib/source-map-generator.js
var require_source_map_generator = __commonJS({
  "node_modules/source-map-js/lib/source-map-generator.js"(exports) {
    var base64VLQ = require_base64_vlq();
    var util = require_util();
    var ArraySet = require_array_set().ArraySet;
    var MappingList = require_mapping_list().MappingList;
    function SourceMapGenerator(aArgs) {
      if (!aArgs) {
        aArgs = {};
      }
      this._file = util.getArg(aArgs, "file", null);
      this._sourceRoot = util.getArg(aArgs, "sourceRoot", null);
      this._skipValidation = util.getArg(aArgs, "skipValidation", false);
      this._ignoreInvalidMapping = util.getArg(
        aArgs,
        "ignoreInvalidMapping",
        false
      );
      this._sources = new ArraySet();
      this._names = new ArraySet();
      this._mappings = new MappingList();
      this._sourcesContents = null;
    }
    SourceMapGenerator.prototype._version = 3;
    SourceMapGenerator.fromSourceMap = function SourceMapGenerator_fromSourceMap(aSourceMapConsumer, generatorOps) {
      var sourceRoot = aSourceMapConsumer.sourceRoot;
      var generator = new SourceMapGenerator(
        Object.assign(generatorOps || {}, {
          file: aSourceMapConsumer.file,
          sourceRoot
        })
      );
      aSourceMapConsumer.eachMapping(function(mapping) {
        var newMapping = {
          generated: {
            line: mapping.generatedLine,
            column: mapping.generatedColumn
          }
        };
        if (mapping.source != null) {
          newMapping.source = mapping.source;
          if (sourceRoot != null) {
            newMapping.source = util.relative(sourceRoot, newMapping.source);
          }
          newMapping.original = {
            line: mapping.originalLine,
            column: mapping.originalColumn
          };
          if (mapping.name != null) {
            newMapping.name = mapping.name;
          }
        }
        generator.addMapping(newMapping);
      });
      aSourceMapConsumer.sources.forEach(function(sourceFile) {
        var sourceRelative = sourceFile;
        if (sourceRoot !== null) {
          sourceRelative = util.relative(sourceRoot, sourceFile);
        }
        if (!generator._sources.has(sourceRelative)) {
          generator._sources.add(sourceRelative);
        }
        var content = aSourceMapConsumer.sourceContentFor(sourceFile);
        if (content != null) {
          generator.setSourceContent(sourceFile, content);
        }
      });
      return generator;
    };
    SourceMapGenerator.prototype.addMapping = function SourceMapGenerator_addMapping(aArgs) {
      var generated = util.getArg(aArgs, "generated");
      var original = util.getArg(aArgs, "original", null);
      var source = util.getArg(aArgs, "source", null);
      var name = util.getArg(aArgs, "name", null);
      if (!this._skipValidation) {
        if (this._validateMapping(generated, original, source, name) === false) {
          return;
        }
      }
      if (source != null) {
        source = String(source);
        if (!this._sources.has(source)) {
          this._sources.add(source);
        }
      }
      if (name != null) {
        name = String(name);
        if (!this._names.has(name)) {
          this._names.add(name);
        }
      }
      this._mappings.add({
        generatedLine: generated.line,
        generatedColumn: generated.column,
        originalLine: original != null && original.line,
        originalColumn: original != null && original.column,
        source,
        name
      });
    };
    SourceMapGenerator.prototype.setSourceContent = function SourceMapGenerator_setSourceContent(aSourceFile, aSourceContent) {
      var source = aSourceFile;
      if (this._sourceRoot != null) {
        source = util.relative(this._sourceRoot, source);
      }
      if (aSourceContent != null) {
        if (!this._sourcesContents) {
          this._sourcesContents = /* @__PURE__ */ Object.create(null);
        }
        this._sourcesContents[util.toSetString(source)] = aSourceContent;
      } else if (this._sourcesContents) {
        delete this._sourcesContents[util.toSetString(source)];
        if (Object.keys(this._sourcesContents).length === 0) {
          this._sourcesContents = null;
        }
      }
    };
    SourceMapGenerator.prototype.applySourceMap = function SourceMapGenerator_applySourceMap(aSourceMapConsumer, aSourceFile, aSourceMapPath) {
      var sourceFile = aSourceFile;
      if (aSourceFile == null) {
        if (aSourceMapConsumer.file == null) {
          throw new Error(
            `SourceMapGenerator.prototype.applySourceMap requires either an explicit source file, or the source map's "file" property. Both were omitted.`
          );
        }
        sourceFile = aSourceMapConsumer.file;
      }
      var sourceRoot = this._sourceRoot;
      if (sourceRoot != null) {
        sourceFile = util.relative(sourceRoot, sourceFile);
      }
      var newSources = new ArraySet();
      var newNames = new ArraySet();
      this._mappings.unsortedForEach(function(mapping) {
        if (mapping.source === sourceFile && mapping.originalLine != null) {
          var original = aSourceMapConsumer.originalPositionFor({
            line: mapping.originalLine,
            column: mapping.originalColumn
          });
          if (original.source != null) {
            mapping.source = original.source;
            if (aSourceMapPath != null) {
              mapping.source = util.join(aSourceMapPath, mapping.source);
            }
            if (sourceRoot != null) {
              mapping.source = util.relative(sourceRoot, mapping.source);
            }
            mapping.originalLine = original.line;
            mapping.originalColumn = original.column;
            if (original.name != null) {
              mapping.name = original.name;
            }
          }
        }
        var source = mapping.source;
        if (source != null && !newSources.has(source)) {
          newSources.add(source);
        }
        var name = mapping.name;
        if (name != null && !newNames.has(name)) {
          newNames.add(name);
        }
      }, this);
      this._sources = newSources;
      this._names = newNames;
      aSourceMapConsumer.sources.forEach(function(sourceFile2) {
        var content = aSourceMapConsumer.sourceContentFor(sourceFile2);
        if (content != null) {
          if (aSourceMapPath != null) {
            sourceFile2 = util.join(aSourceMapPath, sourceFile2);
          }
          if (sourceRoot != null) {
            sourceFile2 = util.relative(sourceRoot, sourceFile2);
          }
          this.setSourceContent(sourceFile2, content);
        }
      }, this);
    };
    SourceMapGenerator.prototype._validateMapping = function SourceMapGenerator_validateMapping(aGenerated, aOriginal, aSource, aName) {
      if (aOriginal && typeof aOriginal.line !== "number" && typeof aOriginal.column !== "number") {
        var message = "original.line and original.column are not numbers -- you probably meant to omit the original mapping entirely and only map the generated position. If so, pass null for the original mapping instead of an object with empty or null values.";
        if (this._ignoreInvalidMapping) {
          if (typeof console !== "undefined" && console.warn) {
            console.warn(message);
          }
          return false;
        } else {
          throw new Error(message);
        }
      }
      if (aGenerated && "line" in aGenerated && "column" in aGenerated && aGenerated.line > 0 && aGenerated.column >= 0 && !aOriginal && !aSource && !aName) {
        return;
      } else if (aGenerated && "line" in aGenerated && "column" in aGenerated && aOriginal && "line" in aOriginal && "column" in aOriginal && aGenerated.line > 0 && aGenerated.column >= 0 && aOriginal.line > 0 && aOriginal.column >= 0 && aSource) {
        return;
      } else {
        var message = "Invalid mapping: " + JSON.stringify({
          generated: aGenerated,
          source: aSource,
          original: aOriginal,
          name: aName
        });
        if (this._ignoreInvalidMapping) {
          if (typeof console !== "undefined" && console.warn) {
            console.warn(message);
          }
          return false;
        } else {
          throw new Error(message);
        }
      }
    };
    SourceMapGenerator.prototype._serializeMappings = function SourceMapGenerator_serializeMappings() {
      var previousGeneratedColumn = 0;
      var previousGeneratedLine = 1;
      var previousOriginalColumn = 0;
      var previousOriginalLine = 0;
      var previousName = 0;
      var previousSource = 0;
      var result = "";
      var next;
      var mapping;
      var nameIdx;
      var sourceIdx;
      var mappings = this._mappings.toArray();
      for (var i = 0, len = mappings.length; i < len; i++) {
        mapping = mappings[i];
        next = "";
        if (mapping.generatedLine !== previousGeneratedLine) {
          previousGeneratedColumn = 0;
          var lineDelta = mapping.generatedLine - previousGeneratedLine;
          next += lineDelta === 1 ? ";" : ";".repeat(lineDelta);
          previousGeneratedLine = mapping.generatedLine;
        } else {
          if (i > 0) {
            if (!util.compareByGeneratedPositionsInflated(mapping, mappings[i - 1])) {
              continue;
            }
            next += ",";
          }
        }
        next += base64VLQ.encode(
          mapping.generatedColumn - previousGeneratedColumn
        );
        previousGeneratedColumn = mapping.generatedColumn;
        if (mapping.source != null) {
          sourceIdx = this._sources.indexOf(mapping.source);
          next += base64VLQ.encode(sourceIdx - previousSource);
          previousSource = sourceIdx;
          next += base64VLQ.encode(
            mapping.originalLine - 1 - previousOriginalLine
          );
          previousOriginalLine = mapping.originalLine - 1;
          next += base64VLQ.encode(
            mapping.originalColumn - previousOriginalColumn
          );
          previousOriginalColumn = mapping.originalColumn;
          if (mapping.name != null) {
            nameIdx = this._names.indexOf(mapping.name);
            next += base64VLQ.encode(nameIdx - previousName);
            previousName = nameIdx;
          }
        }
        result += next;
      }
      return result;
    };
    SourceMapGenerator.prototype._generateSourcesContent = function SourceMapGenerator_generateSourcesContent(aSources, aSourceRoot) {
      return aSources.map(function(source) {
        if (!this._sourcesContents) {
          return null;
        }
        if (aSourceRoot != null) {
          source = util.relative(aSourceRoot, source);
        }
        var key = util.toSetString(source);
        return Object.prototype.hasOwnProperty.call(this._sourcesContents, key) ? this._sourcesContents[key] : null;
      }, this);
    };
    SourceMapGenerator.prototype.toJSON = function SourceMapGenerator_toJSON() {
      var map2 = {
        version: this._version,
        sources: this._sources.toArray(),
        names: this._names.toArray(),
        mappings: this._serializeMappings()
      };
      if (this._file != null) {
        map2.file = this._file;
      }
      if (this._sourceRoot != null) {
        map2.sourceRoot = this._sourceRoot;
      }
      if (this._sourcesContents) {
        map2.sourcesContent = this._generateSourcesContent(
          map2.sources,
          map2.sourceRoot
        );
      }
      return map2;
    };
    SourceMapGenerator.prototype.toString = function SourceMapGenerator_toString() {
      return JSON.stringify(this.toJSON());
    };
    exports.SourceMapGenerator = SourceMapGenerator;
  }
});

// node_modules/source-map-js/lib/binary-search.js
var require_binary_search = __commonJS({
  "node_modules/source-map-js/lib/binary-search.js"(exports) {
    exports.GREATEST_LOWER_BOUND = 1;
    exports.LEAST_UPPER_BOUND = 2;
    function recursiveSearch(aLow, aHigh, aNeedle, aHaystack, aCompare, aBias) {
      var mid = Math.floor((aHigh - aLow) / 2) + aLow;
      var cmp = aCompare(aNeedle, aHaystack[mid], true);
      if (cmp === 0) {
        return mid;
      } else if (cmp > 0) {
        if (aHigh - mid > 1) {
          return recursiveSearch(mid, aHigh, aNeedle, aHaystack, aCompare, aBias);
        }
        if (aBias == exports.LEAST_UPPER_BOUND) {
          return aHigh < aHaystack.length ? aHigh : -1;
        } else {
          return mid;
        }
      } else {
        if (mid - aLow > 1) {
          return recursiveSearch(aLow, mid, aNeedle, aHaystack, aCompare, aBias);
        }
        if (aBias == exports.LEAST_UPPER_BOUND) {
          return mid;
        } else {
          return aLow < 0 ? -1 : aLow;
        }
      }
    }
    exports.search = function search(aNeedle, aHaystack, aCompare, aBias) {
      if (aHaystack.length === 0) {
        return -1;
      }
      var index = recursiveSearch(
        -1,
        aHaystack.length,
        aNeedle,
        aHaystack,
        aCompare,
        aBias || exports.GREATEST_LOWER_BOUND
      );
      if (index < 0) {
        return -1;
      }
      while (index - 1 >= 0) {
        if (aCompare(aHaystack[index], aHaystack[index - 1], true) !== 0) {
          break;
        }
        --index;
      }
      return index;
    };
  }
});

// node_modules/source-map-js/lib/quick-sort.js
var require_quick_sort = __commonJS({
  "node_modules/source-map-js/lib/quick-sort.js"(exports) {
    function swap(ary, x2, y2) {
      var temp = ary[x2];
      ary[x2] = ary[y2];
      ary[y2] = temp;
    }
    function randomIntInRange(low, high) {
      return Math.round(low + Math.random() * (high - low));
    }
    function doQuickSort0(ary, comparator, p, r) {
      if (p < r) {
        var pivotIndex = randomIntInRange(p, r);
        var i = p - 1;
        swap(ary, pivotIndex, r);
        var pivot = ary[r];
        for (var j = p; j < r; j++) {
          if (comparator(ary[j], pivot, false) <= 0) {
            i += 1;
            swap(ary, i, j);
          }
        }
        swap(ary, i + 1, j);
        var q2 = i + 1;
        doQuickSort0(ary, comparator, p, q2 - 1);
        doQuickSort0(ary, comparator, q2 + 1, r);
      }
    }
    function doQuickSort1(ary, comparator, p, r) {
      if (p < r) {
        var pivotIndex = randomIntInRange(p, r);
        var i = p - 1;
        swap(ary, pivotIndex, r);
        var pivot = ary[r];
        for (var j = p; j < r; j++) {
          if (comparator(ary[j], pivot, false) <= 0) {
            i += 1;
            swap(ary, i, j);
          }
        }
        swap(ary, i + 1, j);
        var q2 = i + 1;
        doQuickSort1(ary, comparator, p, q2 - 1);
        doQuickSort1(ary, comparator, q2 + 1, r);
      }
    }
    function doQuickSort2(ary, comparator, p, r) {
      if (p < r) {
        var pivotIndex = randomIntInRange(p, r);
        var i = p - 1;
        swap(ary, pivotIndex, r);
        var pivot = ary[r];
        for (var j = p; j < r; j++) {
          if (comparator(ary[j], pivot, false) <= 0) {
            i += 1;
            swap(ary, i, j);
          }
        }
        swap(ary, i + 1, j);
        var q2 = i + 1;
        doQuickSort2(ary, comparator, p, q2 - 1);
        doQuickSort2(ary, comparator, q2 + 1, r);
      }
    }
    function doQuickSort3(ary, comparator, p, r) {
      if (p < r) {
        var pivotIndex = randomIntInRange(p, r);
        var i = p - 1;
        swap(ary, pivotIndex, r);
        var pivot = ary[r];
        for (var j = p; j < r; j++) {
          if (comparator(ary[j], pivot, false) <= 0) {
            i += 1;
            swap(ary, i, j);
          }
        }
        swap(ary, i + 1, j);
        var q2 = i + 1;
        doQuickSort3(ary, comparator, p, q2 - 1);
        doQuickSort3(ary, comparator, q2 + 1, r);
      }
    }
    var sortCopies = [doQuickSort0, doQuickSort1, doQuickSort2, doQuickSort3];
    var nextSortCopy = 0;
    var sortCache = /* @__PURE__ */ new WeakMap();
    exports.quickSort = function(ary, comparator, start = 0) {
      var doQuickSort = sortCache.get(comparator);
      if (doQuickSort === void 0) {
        doQuickSort = sortCopies[Math.min(nextSortCopy++, sortCopies.length - 1)];
        sortCache.set(comparator, doQuickSort);
      }
      doQuickSort(ary, comparator, start, ary.length - 1);
    };
  }
});

// node_modules/source-map-js/lib/source-map-consumer.js
var require_source_map_consumer = __commonJS({
  "node_modules/source-map-js/lib/source-map-consumer.js"(exports) {
    var util = require_util();
    var binarySearch = require_binary_search();
    var ArraySet = require_array_set().ArraySet;
    var base64VLQ = require_base64_vlq();
    var quickSort = require_quick_sort().quickSort;
    var MAX_SECTION_OFFSET_LINE = 1e7;
    function SourceMapConsumer(aSourceMap, aSourceMapURL) {
      var sourceMap = aSourceMap;
      if (typeof aSourceMap === "string") {
        sourceMap = util.parseSourceMapInput(aSourceMap);
      }
      return sourceMap.sections != null ? new IndexedSourceMapConsumer(sourceMap, aSourceMapURL) : new BasicSourceMapConsumer(sourceMap, aSourceMapURL);
    }
    SourceMapConsumer.fromSourceMap = function(aSourceMap, aSourceMapURL) {
      return BasicSourceMapConsumer.fromSourceMap(aSourceMap, aSourceMapURL);
    };
    SourceMapConsumer.prototype._version = 3;
    SourceMapConsumer.prototype.__generatedMappings = null;
    Object.defineProperty(SourceMapConsumer.prototype, "_generatedMappings", {
      configurable: true,
      enumerable: true,
      get: function() {
        if (!this.__generatedMappings) {
          this._parseMappings(this._mappings, this.sourceRoot);
        }
        return this.__generatedMappings;
      }
    });
    SourceMapConsumer.prototype.__originalMappings = null;
    Object.defineProperty(SourceMapConsumer.prototype, "_originalMappings", {
      configurable: true,
      enumerable: true,
      get: function() {
        if (!this.__originalMappings) {
          this._parseMappings(this._mappings, this.sourceRoot);
        }
        return this.__originalMappings;
      }
    });
    SourceMapConsumer.prototype._charIsMappingSeparator = function SourceMapConsumer_charIsMappingSeparator(aStr, index) {
      var c = aStr.charAt(index);
      return c === ";" || c === ",";
    };
    SourceMapConsumer.prototype._parseMappings = function SourceMapConsumer_parseMappings(aStr, aSourceRoot) {
      throw new Error("Subclasses must implement _parseMappings");
    };
    SourceMapConsumer.GENERATED_ORDER = 1;
    SourceMapConsumer.ORIGINAL_ORDER = 2;
    SourceMapConsumer.GREATEST_LOWER_BOUND = 1;
    SourceMapConsumer.LEAST_UPPER_BOUND = 2;
    SourceMapConsumer.prototype.eachMapping = function SourceMapConsumer_eachMapping(aCallback, aContext, aOrder) {
      var context = aContext || null;
      var order = aOrder || SourceMapConsumer.GENERATED_ORDER;
      var mappings;
      switch (order) {
        case SourceMapConsumer.GENERATED_ORDER:
          mappings = this._generatedMappings;
          break;
        case SourceMapConsumer.ORIGINAL_ORDER:
          mappings = this._originalMappings;
          break;
        default:
          throw new Error("Unknown order of iteration.");
      }
      var sourceRoot = this.sourceRoot;
      var boundCallback = aCallback.bind(context);
      var names = this._names;
      var sources = this._sources;
      var sourceMapURL = this._sourceMapURL;
      for (var i = 0, n = mappings.length; i < n; i++) {
        var mapping = mappings[i];
        var source = mapping.source === null ? null : sources.at(mapping.source);
        if (source !== null) {
          source = util.computeSourceURL(sourceRoot, source, sourceMapURL);
        }
        boundCallback({
          source,
          generatedLine: mapping.generatedLine,
          generatedColumn: mapping.generatedColumn,
          originalLine: mapping.originalLine,
          originalColumn: mapping.originalColumn,
          name: mapping.name === null ? null : names.at(mapping.name)
        });
      }
    };
    SourceMapConsumer.prototype.allGeneratedPositionsFor = function SourceMapConsumer_allGeneratedPositionsFor(aArgs) {
      var line = util.getArg(aArgs, "line");
      var needle = {
        source: util.getArg(aArgs, "source"),
        originalLine: line,
        originalColumn: util.getArg(aArgs, "column", 0)
      };
      needle.source = this._findSourceIndex(needle.source);
      if (needle.source < 0) {
        return [];
      }
      var mappings = [];
      var index = this._findMapping(
        needle,
        this._originalMappings,
        "originalLine",
        "originalColumn",
        util.compareByOriginalPositions,
        binarySearch.LEAST_UPPER_BOUND
      );
      if (index >= 0) {
        var mapping = this._originalMappings[index];
        if (aArgs.column === void 0) {
          var originalLine = mapping.originalLine;
          while (mapping && mapping.source === needle.source && mapping.originalLine === originalLine) {
            mappings.push({
              line: util.getArg(mapping, "generatedLine", null),
              column: util.getArg(mapping, "generatedColumn", null),
              lastColumn: util.getArg(mapping, "lastGeneratedColumn", null)
            });
            mapping = this._originalMappings[++index];
          }
        } else {
          var originalColumn = mapping.originalColumn;
          while (mapping && mapping.source === needle.source && mapping.originalLine === line && mapping.originalColumn == originalColumn) {
            mappings.push({
              line: util.getArg(mapping, "generatedLine", null),
              column: util.getArg(mapping, "generatedColumn", null),
              lastColumn: util.getArg(mapping, "lastGeneratedColumn", null)
            });
            mapping = this._originalMappings[++index];
          }
        }
      }
      return mappings;
    };
    exports.SourceMapConsumer = SourceMapConsumer;
    function BasicSourceMapConsumer(aSourceMap, aSourceMapURL) {
      var sourceMap = aSourceMap;
      if (typeof aSourceMap === "string") {
        sourceMap = util.parseSourceMapInput(aSourceMap);
      }
      var version = util.getArg(sourceMap, "version");
      var sources = util.getArg(sourceMap, "sources");
      var names = util.getArg(sourceMap, "names", []);
      var sourceRoot = util.getArg(sourceMap, "sourceRoot", null);
      var sourcesContent = util.getArg(sourceMap, "sourcesContent", null);
      var mappings = util.getArg(sourceMap, "mappings");
      var file = util.getArg(sourceMap, "file", null);
      if (version != this._version) {
        throw new Error("Unsupported version: " + version);
      }
      if (sourceRoot) {
        sourceRoot = util.normalize(sourceRoot);
      }
      sources = sources.map(String).map(util.normalize).map(function(source) {
        return sourceRoot && util.isAbsolute(sourceRoot) && util.isAbsolute(source) ? util.relative(sourceRoot, source) : source;
      });
      this._names = ArraySet.fromArray(names.map(String), true);
      this._sources = ArraySet.fromArray(sources, true);
      this._absoluteSources = this._sources.toArray().map(function(s) {
        return util.computeSourceURL(sourceRoot, s, aSourceMapURL);
      });
      this.sourceRoot = sourceRoot;
      this.sourcesContent = sourcesContent;
      this._mappings = mappings;
      this._sourceMapURL = aSourceMapURL;
      this.file = file;
    }
    BasicSourceMapConsumer.prototype = Object.create(SourceMapConsumer.prototype);
    BasicSourceMapConsumer.prototype.consumer = SourceMapConsumer;
    BasicSourceMapConsumer.prototype._findSourceIndex = function(aSource) {
      var relativeSource = aSource;
      if (this.sourceRoot != null) {
        relativeSource = util.relative(this.sourceRoot, relativeSource);
      }
      if (this._sources.has(relativeSource)) {
        return this._sources.indexOf(relativeSource);
      }
      var i;
      for (i = 0; i < this._absoluteSources.length; ++i) {
        if (this._absoluteSources[i] == aSource) {
          return i;
        }
      }
      return -1;
    };
    BasicSourceMapConsumer.fromSourceMap = function SourceMapConsumer_fromSourceMap(aSourceMap, aSourceMapURL) {
      var smc = Object.create(BasicSourceMapConsumer.prototype);
      var names = smc._names = ArraySet.fromArray(
        aSourceMap._names.toArray(),
        true
      );
      var sources = smc._sources = ArraySet.fromArray(
        aSourceMap._sources.toArray(),
        true
      );
      smc.sourceRoot = aSourceMap._sourceRoot;
      smc.sourcesContent = aSourceMap._generateSourcesContent(
        smc._sources.toArray(),
        smc.sourceRoot
      );
      smc.file = aSourceMap._file;
      smc._sourceMapURL = aSourceMapURL;
      smc._absoluteSources = smc._sources.toArray().map(function(s) {
        return util.computeSourceURL(smc.sourceRoot, s, aSourceMapURL);
      });
      var generatedMappings = aSourceMap._mappings.toArray().slice();
      var destGeneratedMappings = smc.__generatedMappings = [];
      var destOriginalMappings = smc.__originalMappings = [];
      for (var i = 0, length = generatedMappings.length; i < length; i++) {
        var srcMapping = generatedMappings[i];
        var destMapping = new Mapping();
        destMapping.generatedLine = srcMapping.generatedLine;
        destMapping.generatedColumn = srcMapping.generatedColumn;
        if (srcMapping.source) {
          destMapping.source = sources.indexOf(srcMapping.source);
          destMapping.originalLine = srcMapping.originalLine;
          destMapping.originalColumn = srcMapping.originalColumn;
          if (srcMapping.name) {
            destMapping.name = names.indexOf(srcMapping.name);
          }
          destOriginalMappings.push(destMapping);
        }
        destGeneratedMappings.push(destMapping);
      }
      quickSort(smc.__originalMappings, util.compareByOriginalPositions);
      return smc;
    };
    BasicSourceMapConsumer.prototype._version = 3;
    Object.defineProperty(BasicSourceMapConsumer.prototype, "sources", {
      get: function() {
        return this._absoluteSources.slice();
      }
    });
    function Mapping() {
      this.generatedLine = 0;
      this.generatedColumn = 0;
      this.source = null;
      this.originalLine = null;
      this.originalColumn = null;
      this.name = null;
    }
    var compareGenerated = util.compareByGeneratedPositionsDeflatedNoLine;
    function sortGenerated(array, start) {
      let l3 = array.length;
      let n = array.length - start;
      if (n <= 1) {
        return;
      } else if (n == 2) {
        let a = array[start];
        let b = array[start + 1];
        if (compareGenerated(a, b) > 0) {
          array[start] = b;
          array[start + 1] = a;
        }
      } else if (n < 20) {
        for (let i = start; i < l3; i++) {
          for (let j = i; j > start; j--) {
            let a = array[j - 1];
            let b = array[j];
            if (compareGenerated(a, b) <= 0) {
              break;
            }
            array[j - 1] = b;
            array[j] = a;
          }
        }
      } else {
        quickSort(array, compareGenerated, start);
      }
    }
    BasicSourceMapConsumer.prototype._parseMappings = function SourceMapConsumer_parseMappings(aStr, aSourceRoot) {
      var generatedLine = 1;
      var previousGeneratedColumn = 0;
      var previousOriginalLine = 0;
      var previousOriginalColumn = 0;
      var previousSource = 0;
      var previousName = 0;
      var length = aStr.length;
      var index = 0;
      var cachedSegments = {};
      var temp = {};
      var originalMappings = [];
      var generatedMappings = [];
      var mapping, str, segment, end, value;
      let subarrayStart = 0;
      while (index < length) {
        if (aStr.charAt(index) === ";") {
          generatedLine++;
          index++;
          previousGeneratedColumn = 0;
          sortGenerated(generatedMappings, subarrayStart);
          subarrayStart = generatedMappings.length;
        } else if (aStr.charAt(index) === ",") {
          index++;
        } else {
          mapping = new Mapping();
          mapping.generatedLine = generatedLine;
          for (end = index; end < length; end++) {
            if (this._charIsMappingSeparator(aStr, end)) {
              break;
            }
          }
          str = aStr.slice(index, end);
          segment = [];
          while (index < end) {
            base64VLQ.decode(aStr, index, temp);
            value = temp.value;
            index = temp.rest;
            segment.push(value);
          }
          if (segment.length === 2) {
            throw new Error("Found a source, but no line and column");
          }
          if (segment.length === 3) {
            throw new Error("Found a source and line, but no column");
          }
          mapping.generatedColumn = previousGeneratedColumn + segment[0];
          previousGeneratedColumn = mapping.generatedColumn;
          if (segment.length > 1) {
            mapping.source = previousSource + segment[1];
            previousSource += segment[1];
            mapping.originalLine = previousOriginalLine + segment[2];
            previousOriginalLine = mapping.originalLine;
            mapping.originalLine += 1;
            mapping.originalColumn = previousOriginalColumn + segment[3];
            previousOriginalColumn = mapping.originalColumn;
            if (segment.length > 4) {
              mapping.name = previousName + segment[4];
              previousName += segment[4];
            }
          }
          generatedMappings.push(mapping);
          if (typeof mapping.originalLine === "number") {
            let currentSource = mapping.source;
            while (originalMappings.length <= currentSource) {
              originalMappings.push(null);
            }
            if (originalMappings[currentSource] === null) {
              originalMappings[currentSource] = [];
            }
            originalMappings[currentSource].push(mapping);
          }
        }
      }
      sortGenerated(generatedMappings, subarrayStart);
      this.__generatedMappings = generatedMappings;
      var sourceBuckets = [];
      for (var i = 0; i < originalMappings.length; i++) {
        if (originalMappings[i] != null) {
          quickSort(originalMappings[i], util.compareByOriginalPositionsNoSource);
          sourceBuckets.push(originalMappings[i]);
        }
      }
      var sortedOriginalMappings = [];
      for (var b = 0; b < sourceBuckets.length; b += 4096) {
        sortedOriginalMappings = sortedOriginalMappings.concat(
          ...sourceBuckets.slice(b, b + 4096)
        );
      }
      this.__originalMappings = sortedOriginalMappings;
    };
    BasicSourceMapConsumer.prototype._findMapping = function SourceMapConsumer_findMapping(aNeedle, aMappings, aLineName, aColumnName, aComparator, aBias) {
      if (aNeedle[aLineName] <= 0) {
        throw new TypeError(
          "Line must be greater than or equal to 1, got " + aNeedle[aLineName]
        );
      }
      if (aNeedle[aColumnName] < 0) {
        throw new TypeError(
          "Column must be greater than or equal to 0, got " + aNeedle[aColumnName]
        );
      }
      return binarySearch.search(aNeedle, aMappings, aComparator, aBias);
    };
    BasicSourceMapConsumer.prototype.computeColumnSpans = function SourceMapConsumer_computeColumnSpans() {
      for (var index = 0; index < this._generatedMappings.length; ++index) {
        var mapping = this._generatedMappings[index];
        if (index + 1 < this._generatedMappings.length) {
          var nextMapping = this._generatedMappings[index + 1];
          if (mapping.generatedLine === nextMapping.generatedLine) {
            mapping.lastGeneratedColumn = nextMapping.generatedColumn - 1;
            continue;
          }
        }
        mapping.lastGeneratedColumn = Infinity;
      }
    };
    BasicSourceMapConsumer.prototype.originalPositionFor = function SourceMapConsumer_originalPositionFor(aArgs) {
      var needle = {
        generatedLine: util.getArg(aArgs, "line"),
        generatedColumn: util.getArg(aArgs, "column")
      };
      var index = this._findMapping(
        needle,
        this._generatedMappings,
        "generatedLine",
        "generatedColumn",
        util.compareByGeneratedPositionsDeflated,
        util.getArg(aArgs, "bias", SourceMapConsumer.GREATEST_LOWER_BOUND)
      );
      if (index >= 0) {
        var mapping = this._generatedMappings[index];
        if (mapping.generatedLine === needle.generatedLine) {
          var source = util.getArg(mapping, "source", null);
          if (source !== null) {
            source = this._sources.at(source);
            source = util.computeSourceURL(
              this.sourceRoot,
              source,
              this._sourceMapURL
            );
          }
          var name = util.getArg(mapping, "name", null);
          if (name !== null) {
            name = this._names.at(name);
          }
          return {
            source,
            line: util.getArg(mapping, "originalLine", null),
            column: util.getArg(mapping, "originalColumn", null),
            name
          };
        }
      }
      return {
        source: null,
        line: null,
        column: null,
        name: null
      };
    };
    BasicSourceMapConsumer.prototype.hasContentsOfAllSources = function BasicSourceMapConsumer_hasContentsOfAllSources() {
      if (!this.sourcesContent) {
        return false;
      }
      return this.sourcesContent.length >= this._sources.size() && !this.sourcesContent.some(function(sc) {
        return sc == null;
      });
    };
    BasicSourceMapConsumer.prototype.sourceContentFor = function SourceMapConsumer_sourceContentFor(aSource, nullOnMissing) {
      if (!this.sourcesContent) {
        return null;
      }
      var index = this._findSourceIndex(aSource);
      if (index >= 0) {
        return this.sourcesContent[index];
      }
      var relativeSource = aSource;
      if (this.sourceRoot != null) {
        relativeSource = util.relative(this.sourceRoot, relativeSource);
      }
      var url;
      if (this.sourceRoot != null && (url = util.urlParse(this.sourceRoot))) {
        var fileUriAbsPath = relativeSource.replace(/^file:\/\//, "");
        if (url.scheme == "file" && this._sources.has(fileUriAbsPath)) {
          return this.sourcesContent[this._sources.indexOf(fileUriAbsPath)];
        }
        if ((!url.path || url.path == "/") && this._sources.has("/" + relativeSource)) {
          return this.sourcesContent[this._sources.indexOf("/" + relativeSource)];
        }
      }
      if (nullOnMissing) {
        return null;
      } else {
        throw new Error('"' + relativeSource + '" is not in the SourceMap.');
      }
    };
    BasicSourceMapConsumer.prototype.generatedPositionFor = function SourceMapConsumer_generatedPositionFor(aArgs) {
      var source = util.getArg(aArgs, "source");
      source = this._findSourceIndex(source);
      if (source < 0) {
        return {
          line: null,
          column: null,
          lastColumn: null
        };
      }
      var needle = {
        source,
        originalLine: util.getArg(aArgs, "line"),
        originalColumn: util.getArg(aArgs, "column")
      };
      var index = this._findMapping(
        needle,
        this._originalMappings,
        "originalLine",
        "originalColumn",
        util.compareByOriginalPositions,
        util.getArg(aArgs, "bias", SourceMapConsumer.GREATEST_LOWER_BOUND)
      );
      if (index >= 0) {
        var mapping = this._originalMappings[index];
        if (mapping.source === needle.source) {
          return {
            line: util.getArg(mapping, "generatedLine", null),
            column: util.getArg(mapping, "generatedColumn", null),
            lastColumn: util.getArg(mapping, "lastGeneratedColumn", null)
          };
        }
      }
      return {
        line: null,
        column: null,
        lastColumn: null
      };
    };
    exports.BasicSourceMapConsumer = BasicSourceMapConsumer;
    function IndexedSourceMapConsumer(aSourceMap, aSourceMapURL) {
      var sourceMap = aSourceMap;
      if (typeof aSourceMap === "string") {
        sourceMap = util.parseSourceMapInput(aSourceMap);
      }
      var version = util.getArg(sourceMap, "version");
      var sections = util.getArg(sourceMap, "sections");
      if (version != this._version) {
        throw new Error("Unsupported version: " + version);
      }
      this._sources = new ArraySet();
      this._names = new ArraySet();
      var lastOffset = {
        line: -1,
        column: 0
      };
      var maxOffsetLine = 0;
      this._sections = sections.map(function(s) {
        if (s.url) {
          throw new Error("Support for url field in sections not implemented.");
        }
        var offset = util.getArg(s, "offset");
        var offsetLine = util.getArg(offset, "line");
        var offsetColumn = util.getArg(offset, "column");
        if (!isValidOffset(offsetLine) || !isValidOffset(offsetColumn)) {
          throw new Error(
            "Section offset line and column must be non-negative integers."
          );
        }
        if (offsetLine > MAX_SECTION_OFFSET_LINE) {
          throw new Error(
            "Section offset line must not exceed " + MAX_SECTION_OFFSET_LINE + "."
          );
        }
        if (offsetLine < lastOffset.line || offsetLine === lastOffset.line && offsetColumn < lastOffset.column) {
          throw new Error("Section offsets must be ordered and non-overlapping.");
        }
        lastOffset = offset;
        var consumer = new SourceMapConsumer(util.getArg(s, "map"), aSourceMapURL);
        var totalOffsetLine = offsetLine + (consumer._maxOffsetLine || 0);
        if (totalOffsetLine > MAX_SECTION_OFFSET_LINE) {
          throw new Error(
            "Section offset line must not exceed " + MAX_SECTION_OFFSET_LINE + ", including offsets of nested sections."
          );
        }
        if (totalOffsetLine > maxOffsetLine) {
          maxOffsetLine = totalOffsetLine;
        }
        return {
          generatedOffset: {
            // The offset fields are 0-based, but we use 1-based indices when
            // encoding/decoding from VLQ.
            generatedLine: offsetLine + 1,
            generatedColumn: offsetColumn + 1
          },
          consumer
        };
      });
      this._maxOffsetLine = maxOffsetLine;
    }
    function isValidOffset(aValue) {
      return typeof aValue === "number" && aValue >= 0 && aValue <= 9007199254740991 && // Number.MAX_SAFE_INTEGER
      Math.floor(aValue) === aValue;
    }
    IndexedSourceMapConsumer.prototype = Object.create(SourceMapConsumer.prototype);
    IndexedSourceMapConsumer.prototype.constructor = SourceMapConsumer;
    IndexedSourceMapConsumer.prototype._version = 3;
    Object.defineProperty(IndexedSourceMapConsumer.prototype, "sources", {
      get: function() {
        var sources = [];
        for (var i = 0; i < this._sections.length; i++) {
          var sectionSources = this._sections[i].consumer.sources;
          for (var j = 0; j < sectionSources.length; j++) {
            sources.push(sectionSources[j]);
          }
        }
        return sources;
      }
    });
    IndexedSourceMapConsumer.prototype.originalPositionFor = function IndexedSourceMapConsumer_originalPositionFor(aArgs) {
      var needle = {
        generatedLine: util.getArg(aArgs, "line"),
        generatedColumn: util.getArg(aArgs, "column")
      };
      var sectionIndex = binarySearch.search(
        needle,
        this._sections,
        function(needle2, section2) {
          var cmp = needle2.generatedLine - section2.generatedOffset.generatedLine;
          if (cmp) {
            return cmp;
          }
          return needle2.generatedColumn - (section2.generatedOffset.generatedColumn - 1);
        }
      );
      var section = this._sections[sectionIndex];
      if (!section) {
        return {
          source: null,
          line: null,
          column: null,
          name: null
        };
      }
      return section.consumer.originalPositionFor({
        line: needle.generatedLine - (section.generatedOffset.generatedLine - 1),
        column: needle.generatedColumn - (section.generatedOffset.generatedLine === needle.generatedLine ? section.generatedOffset.generatedColumn - 1 : 0),
        bias: aArgs.bias
      });
    };
    IndexedSourceMapConsumer.prototype.hasContentsOfAllSources = function IndexedSourceMapConsumer_hasContentsOfAllSources() {
      return this._sections.every(function(s) {
        return s.consumer.hasContentsOfAllSources();
      });
    };
    IndexedSourceMapConsumer.prototype.sourceContentFor = function IndexedSourceMapConsumer_sourceContentFor(aSource, nullOnMissing) {
      for (var i = 0; i < this._sections.length; i++) {
        var section = this._sections[i];
        var content = section.consumer.sourceContentFor(aSource, true);
        if (content || content === "") {
          return content;
        }
      }
      if (nullOnMissing) {
        return null;
      } else {
        throw new Error('"' + aSource + '" is not in the SourceMap.');
      }
    };
    IndexedSourceMapConsumer.prototype._findSourceIndex = function(aSource) {
      this._generatedMappings;
      for (var i = 0; i < this._sections.length; i++) {
        var consumer = this._sections[i].consumer;
        var index = consumer._findSourceIndex(aSource);
        if (index === -1) {
          continue;
        }
        var url = util.computeSourceURL(
          consumer.sourceRoot,
          consumer._sources.at(index),
          this._sourceMapURL
        );
        if (this._sources.has(url)) {
          return this._sources.indexOf(url);
        }
      }
      return -1;
    };
    IndexedSourceMapConsumer.prototype._findMapping = BasicSourceMapConsumer.prototype._findMapping;
    IndexedSourceMapConsumer.prototype.generatedPositionFor = BasicSourceMapConsumer.prototype.generatedPositionFor;
    IndexedSourceMapConsumer.prototype.computeColumnSpans = BasicSourceMapConsumer.prototype.computeColumnSpans;
    IndexedSourceMapConsumer.prototype._parseMappings = function IndexedSourceMapConsumer_parseMappings(aStr, aSourceRoot) {
      this.__generatedMappings = [];
      this.__originalMappings = [];
      for (var i = 0; i < this._sections.length; i++) {
        var section = this._sections[i];
        var sectionMappings = section.consumer._generatedMappings;
        for (var j = 0; j < sectionMappings.length; j++) {
          var mapping = sectionMappings[j];
          var source = section.consumer._sources.at(mapping.source);
          if (source !== null) {
            source = util.computeSourceURL(
              section.consumer.sourceRoot,
              source,
              this._sourceMapURL
            );
          }
          this._sources.add(source);
          source = this._sources.indexOf(source);
          var name = null;
          if (mapping.name) {
            name = section.consumer._names.at(mapping.name);
            this._names.add(name);
            name = this._names.indexOf(name);
          }
          var adjustedMapping = {
            source,
            generatedLine: mapping.generatedLine + (section.generatedOffset.generatedLine - 1),
            generatedColumn: mapping.generatedColumn + (mapping.generatedLine === 1 ? section.generatedOffset.generatedColumn - 1 : 0),
            originalLine: mapping.originalLine,
            originalColumn: mapping.originalColumn,
            name
          };
          this.__generatedMappings.push(adjustedMapping);
          if (typeof adjustedMapping.originalLine === "number") {
            this.__originalMappings.push(adjustedMapping);
          }
        }
      }
      quickSort(
        this.__generatedMappings,
        util.compareByGeneratedPositionsDeflated
      );
      quickSort(this.__originalMappings, util.compareByOriginalPositions);
    };
    exports.IndexedSourceMapConsumer = IndexedSourceMapConsumer;
  }
});

// node_modules/source-map-js/lib/source-node.js
var require_source_node = __commonJS({
  "node_modules/source-map-js/lib/source-node.js"(exports) {
    var SourceMapGenerator = require_source_map_generator().SourceMapGenerator;
    var util = require_util();
    var REGEX_NEWLINE = /(\r?\n)/;
    var NEWLINE_CODE = 10;
    var isSourceNode = "$$$isSourceNode$$$";
    function SourceNode(aLine, aColumn, aSource, aChunks, aName) {
      this.children = [];
      this.sourceContents = {};
      this.line = aLine == null ? null : aLine;
      this.column = aColumn == null ? null : aColumn;
      this.source = aSource == null ? null : aSource;
      this.name = aName == null ? null : aName;
      this[isSourceNode] = true;
      if (aChunks != null) this.add(aChunks);
    }
    SourceNode.fromStringWithSourceMap = function SourceNode_fromStringWithSourceMap(aGeneratedCode, aSourceMapConsumer, aRelativePath) {
      var node = new SourceNode();
      var remainingLines = aGeneratedCode.split(REGEX_NEWLINE);
      var remainingLinesIndex = 0;
      var shiftNextLine = function() {
        var lineContents = getNextLine();
        var newLine = getNextLine() || "";
        return lineContents + newLine;
        function getNextLine() {
          return remainingLinesIndex < remainingLines.length ? remainingLines[remainingLinesIndex++] : void 0;
        }
      };
      var lastGeneratedLine = 1, lastGeneratedColumn = 0;
      var lastMapping = null;
      aSourceMapConsumer.eachMapping(function(mapping) {
        if (lastMapping !== null) {
          if (lastGeneratedLine < mapping.generatedLine) {
            addMappingWithCode(lastMapping, shiftNextLine());
            lastGeneratedLine++;
            lastGeneratedColumn = 0;
          } else {
            var nextLine = remainingLines[remainingLinesIndex] || "";
            var code = nextLine.substr(
              0,
              mapping.generatedColumn - lastGeneratedColumn
            );
            remainingLines[remainingLinesIndex] = nextLine.substr(
              mapping.generatedColumn - lastGeneratedColumn
            );
            lastGeneratedColumn = mapping.generatedColumn;
            addMappingWithCode(lastMapping, code);
            lastMapping = mapping;
            return;
          }
        }
        while (lastGeneratedLine < mapping.generatedLine) {
          if (remainingLinesIndex >= remainingLines.length) {
            lastGeneratedLine = mapping.generatedLine;
            break;
          }
          node.add(shiftNextLine());
          lastGeneratedLine++;
        }
        if (lastGeneratedColumn < mapping.generatedColumn) {
          var nextLine = remainingLines[remainingLinesIndex] || "";
          node.add(nextLine.substr(0, mapping.generatedColumn));
          remainingLines[remainingLinesIndex] = nextLine.substr(
            mapping.generatedColumn
          );
          lastGeneratedColumn = mapping.generatedColumn;
        }
        lastMapping = mapping;
      }, this);
      if (remainingLinesIndex < remainingLines.length) {
        if (lastMapping) {
          addMappingWithCode(lastMapping, shiftNextLine());
        }
        node.add(remainingLines.splice(remainingLinesIndex).join(""));
      }
      aSourceMapConsumer.sources.forEach(function(sourceFile) {
        var content = aSourceMapConsumer.sourceContentFor(sourceFile);
        if (content != null) {
          if (aRelativePath != null) {
            sourceFile = util.join(aRelativePath, sourceFile);
          }
          node.setSourceContent(sourceFile, content);
        }
      });
      return node;
      function addMappingWithCode(mapping, code) {
        if (mapping === null || mapping.source === void 0) {
          node.add(code);
        } else {
          var source = aRelativePath ? util.join(aRelativePath, mapping.source) : mapping.source;
          node.add(
            new SourceNode(
              mapping.originalLine,
              mapping.originalColumn,
              source,
              code,
              mapping.name
            )
          );
        }
      }
    };
    SourceNode.prototype.add = function SourceNode_add(aChunk) {
      if (Array.isArray(aChunk)) {
        aChunk.forEach(function(chunk) {
          this.add(chunk);
        }, this);
      } else if (aChunk[isSourceNode] || typeof aChunk === "string") {
        if (aChunk) {
          this.children.push(aChunk);
        }
      } else {
        throw new TypeError(
          "Expected a SourceNode, string, or an array of SourceNodes and strings. Got " + aChunk
        );
      }
      return this;
    };
    SourceNode.prototype.prepend = function SourceNode_prepend(aChunk) {
      if (Array.isArray(aChunk)) {
        for (var i = aChunk.length - 1; i >= 0; i--) {
          this.prepend(aChunk[i]);
        }
      } else if (aChunk[isSourceNode] || typeof aChunk === "string") {
        this.children.unshift(aChunk);
      } else {
        throw new TypeError(
          "Expected a SourceNode, string, or an array of SourceNodes and strings. Got " + aChunk
        );
      }
      return this;
    };
    SourceNode.prototype.walk = function SourceNode_walk(aFn) {
      var chunk;
      for (var i = 0, len = this.children.length; i < len; i++) {
        chunk = this.children[i];
        if (chunk[isSourceNode]) {
          chunk.walk(aFn);
        } else {
          if (chunk !== "") {
            aFn(chunk, {
              source: this.source,
              line: this.line,
              column: this.column,
              name: this.name
            });
          }
        }
      }
    };
    SourceNode.prototype.join = function SourceNode_join(aSep) {
      var newChildren;
      var i;
      var len = this.children.length;
      if (len > 0) {
        newChildren = [];
        for (i = 0; i < len - 1; i++) {
          newChildren.push(this.children[i]);
          newChildren.push(aSep);
        }
        newChildren.push(this.children[i]);
        this.children = newChildren;
      }
      return this;
    };
    SourceNode.prototype.replaceRight = function SourceNode_replaceRight(aPattern, aReplacement) {
      var lastChild = this.children[this.children.length - 1];
      if (lastChild && lastChild[isSourceNode]) {
        lastChild.replaceRight(aPattern, aReplacement);
      } else if (typeof lastChild === "string") {
        this.children[this.children.length - 1] = lastChild.replace(
          aPattern,
          aReplacement
        );
      } else {
        this.children.push("".replace(aPattern, aReplacement));
      }
      return this;
    };
    SourceNode.prototype.setSourceContent = function SourceNode_setSourceContent(aSourceFile, aSourceContent) {
      this.sourceContents[util.toSetString(aSourceFile)] = aSourceContent;
    };
    SourceNode.prototype.walkSourceContents = function SourceNode_walkSourceContents(aFn) {
      for (var i = 0, len = this.children.length; i < len; i++) {
        if (this.children[i][isSourceNode]) {
          this.children[i].walkSourceContents(aFn);
        }
      }
      var sources = Object.keys(this.sourceContents);
      for (var i = 0, len = sources.length; i < len; i++) {
        aFn(util.fromSetString(sources[i]), this.sourceContents[sources[i]]);
      }
    };
    SourceNode.prototype.toString = function SourceNode_toString() {
      var str = "";
      this.walk(function(chunk) {
        str += chunk;
      });
      return str;
    };
    SourceNode.prototype.toStringWithSourceMap = function SourceNode_toStringWithSourceMap(aArgs) {
      var generated = {
        code: "",
        line: 1,
        column: 0
      };
      var map2 = new SourceMapGenerator(aArgs);
      var sourceMappingActive = false;
      var lastOriginalSource = null;
      var lastOriginalLine = null;
      var lastOriginalColumn = null;
      var lastOriginalName = null;
      this.walk(function(chunk, original) {
        generated.code += chunk;
        if (original.source !== null && original.line !== null && original.column !== null) {
          if (lastOriginalSource !== original.source || lastOriginalLine !== original.line || lastOriginalColumn !== original.column || lastOriginalName !== original.name) {
            map2.addMapping({
              source: original.source,
              original: {
                line: original.line,
                column: original.column
              },
              generated: {
                line: generated.line,
                column: generated.column
              },
              name: original.name
            });
          }
          lastOriginalSource = original.source;
          lastOriginalLine = original.line;
          lastOriginalColumn = original.column;
          lastOriginalName = original.name;
          sourceMappingActive = true;
        } else if (sourceMappingActive) {
          map2.addMapping({
            generated: {
              line: generated.line,
              column: generated.column
            }
          });
          lastOriginalSource = null;
          sourceMappingActive = false;
        }
        for (var idx = 0, length = chunk.length; idx < length; idx++) {
          if (chunk.charCodeAt(idx) === NEWLINE_CODE) {
            generated.line++;
            generated.column = 0;
            if (idx + 1 === length) {
              lastOriginalSource = null;
              sourceMappingActive = false;
            } else if (sourceMappingActive) {
              map2.addMapping({
                source: original.source,
                original: {
                  line: original.line,
                  column: original.column
                },
                generated: {
                  line: generated.line,
                  column: generated.column
                },
                name: original.name
              });
            }
          } else {
            generated.column++;
          }
        }
      });
      this.walkSourceContents(function(sourceFile, sourceContent) {
        map2.setSourceContent(sourceFile, sourceContent);
      });
      return { code: generated.code, map: map2 };
    };
    exports.SourceNode = SourceNode;
  }
});

// node_modules/source-map-js/source-map.js
var require_source_map = __commonJS({
  "node_modules/source-map-js/source-map.js"(exports) {
    exports.SourceMapGenerator = require_source_map_generator().SourceMapGenerator;
    exports.SourceMapConsumer = require_source_map_consumer().SourceMapConsumer;
    exports.SourceNode = require_source_node().SourceNode;
  }
});

// node_modules/postcss/lib/previous-map.js
var require_previous_map = __commonJS({
  "node_modules/postcss/lib/previous-map.js"(exports, module) {
    "use strict";
    var { existsSync: existsSync3, readFileSync: readFileSync6, realpathSync } = __require("fs");
    var { dirname: dirname4, isAbsolute, join: join6, relative, sep } = __require("path");
    var { SourceMapConsumer, SourceMapGenerator } = require_source_map();
    function realPath(path) {
      try {
        return realpathSync(path);
      } catch {
        return path;
      }
    }
    function fromBase64(str) {
      if (Buffer) {
        return Buffer.from(str, "base64").toString();
      } else {
        return window.atob(str);
      }
    }
    var PreviousMap = class {
      constructor(css, opts) {
        if (opts.map === false) return;
        if (opts.unsafeMap) this.unsafeMap = true;
        this.loadAnnotation(css);
        this.inline = this.startWith(this.annotation, "data:");
        let prev = opts.map ? opts.map.prev : void 0;
        let text = this.loadMap(opts.from, prev);
        if (!this.mapFile && opts.from) {
          this.mapFile = opts.from;
        }
        if (this.mapFile) this.root = dirname4(this.mapFile);
        if (text) this.text = text;
      }
      consumer() {
        if (!this.consumerCache) {
          this.consumerCache = new SourceMapConsumer(this.json || this.text);
        }
        return this.consumerCache;
      }
      decodeInline(text) {
        let baseCharsetUri = /^data:application\/json;charset=utf-?8;base64,/;
        let baseUri = /^data:application\/json;base64,/;
        let charsetUri = /^data:application\/json;charset=utf-?8,/;
        let uri = /^data:application\/json,/;
        let uriMatch = text.match(charsetUri) || text.match(uri);
        if (uriMatch) {
          return decodeURIComponent(text.substr(uriMatch[0].length));
        }
        let baseUriMatch = text.match(baseCharsetUri) || text.match(baseUri);
        if (baseUriMatch) {
          return fromBase64(text.substr(baseUriMatch[0].length));
        }
        let encoding = text.slice("data:application/json;".length);
        encoding = encoding.slice(0, encoding.indexOf(","));
        throw new Error("Unsupported source map encoding " + encoding);
      }
      getAnnotationURL(sourceMapString) {
        return sourceMapString.replace(/^\/\*\s*# sourceMappingURL=/, "").trim();
      }
      isMap(map2) {
        if (typeof map2 !== "object") return false;
        return typeof map2.mappings === "string" || typeof map2._mappings === "string" || Array.isArray(map2.sections);
      }
      loadAnnotation(css) {
        let comments = css.match(/\/\*\s*# sourceMappingURL=/g);
        if (!comments) return;
        let start = css.lastIndexOf(comments.pop());
        let end = css.indexOf("*/", start);
        if (start > -1 && end > -1) {
          this.annotation = this.getAnnotationURL(css.substring(start, end));
        }
      }
      loadFile(path, cssFile, trusted) {
        if (!trusted && !this.unsafeMap) {
          if (!/\.map$/i.test(path)) return void 0;
          if (!cssFile) return void 0;
          let rel = relative(realPath(dirname4(cssFile)), realPath(path));
          if (rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel)) {
            return void 0;
          }
        }
        this.root = dirname4(path);
        if (existsSync3(path)) {
          this.mapFile = path;
          return readFileSync6(path, "utf-8").toString().trim();
        }
      }
      loadMap(file, prev) {
        if (prev === false) return false;
        if (prev) {
          if (typeof prev === "string") {
            return prev;
          } else if (typeof prev === "function") {
            let prevPath = prev(file);
            if (prevPath) {
              let map2 = this.loadFile(prevPath, file, true);
              if (!map2) {
                throw new Error(
                  "Unable to load previous source map: " + prevPath.toString()
                );
              }
              return map2;
            }
          } else if (prev instanceof SourceMapConsumer) {
            return SourceMapGenerator.fromSourceMap(prev).toString();
          } else if (prev instanceof SourceMapGenerator) {
            return prev.toString();
          } else if (this.isMap(prev)) {
            return JSON.stringify(prev);
          } else {
            throw new Error(
              "Unsupported previous source map format: " + prev.toString()
            );
          }
        } else if (this.inline) {
          return this.decodeInline(this.annotation);
        } else if (this.annotation) {
          let map2 = this.annotation;
          if (file) map2 = join6(dirname4(file), map2);
          let unknown = this.loadFile(map2, file, false);
          if (unknown) {
            try {
              this.json = JSON.parse(unknown.replace(/^\)]}'[^\n]*\n/, ""));
            } catch {
              return void 0;
            }
          }
          return unknown;
        }
      }
      startWith(string, start) {
        if (!string) return false;
        return string.substr(0, start.length) === start;
      }
      withContent() {
        return !!(this.consumer().sourcesContent && this.consumer().sourcesContent.length > 0);
      }
    };
    module.exports = PreviousMap;
    PreviousMap.default = PreviousMap;
  }
});

// node_modules/postcss/lib/input.js
var require_input = __commonJS({
  "node_modules/postcss/lib/input.js"(exports, module) {
    "use strict";
    var { nanoid } = require_non_secure();
    var { isAbsolute, resolve: resolve2 } = __require("path");
    var { SourceMapConsumer, SourceMapGenerator } = require_source_map();
    var { fileURLToPath, pathToFileURL } = __require("url");
    var CssSyntaxError = require_css_syntax_error();
    var PreviousMap = require_previous_map();
    var terminalHighlight = require_terminal_highlight();
    var lineToIndexCache = /* @__PURE__ */ Symbol("lineToIndexCache");
    var sourceMapAvailable = Boolean(SourceMapConsumer && SourceMapGenerator);
    var pathAvailable = Boolean(resolve2 && isAbsolute);
    function getLineToIndex(input) {
      if (input[lineToIndexCache]) return input[lineToIndexCache];
      let lines = input.css.split("\n");
      let lineToIndex = new Array(lines.length);
      let prevIndex = 0;
      for (let i = 0, l3 = lines.length; i < l3; i++) {
        lineToIndex[i] = prevIndex;
        prevIndex += lines[i].length + 1;
      }
      input[lineToIndexCache] = lineToIndex;
      return lineToIndex;
    }
    var Input = class {
      get from() {
        return this.file || this.id;
      }
      constructor(css, opts = {}) {
        if (css === null || typeof css === "undefined" || typeof css === "object" && !css.toString) {
          throw new Error(`PostCSS received ${css} instead of CSS string`);
        }
        this.css = css.toString();
        if (this.css[0] === "\uFEFF" || this.css[0] === "￾") {
          this.hasBOM = true;
          this.css = this.css.slice(1);
        } else {
          this.hasBOM = false;
        }
        this.document = this.css;
        if (opts.document) this.document = opts.document.toString();
        if (opts.from) {
          if (!pathAvailable || /^\w+:\/\//.test(opts.from) || isAbsolute(opts.from)) {
            this.file = opts.from;
          } else {
            this.file = resolve2(opts.from);
          }
        }
        if (pathAvailable && sourceMapAvailable) {
          let map2 = new PreviousMap(this.css, opts);
          if (map2.text) {
            this.map = map2;
            let file = map2.consumer().file;
            if (!this.file && file) this.file = this.mapResolve(file);
          }
        }
        if (!this.file) {
          this.id = "<input css " + nanoid(6) + ">";
        }
        if (this.map) this.map.file = this.from;
      }
      error(message, line, column, opts = {}) {
        let endColumn, endLine, endOffset, offset, result;
        if (line && typeof line === "object") {
          let start = line;
          let end = column;
          if (typeof start.offset === "number") {
            offset = start.offset;
            let pos = this.fromOffset(offset);
            line = pos.line;
            column = pos.col;
          } else {
            line = start.line;
            column = start.column;
            offset = this.fromLineAndColumn(line, column);
          }
          if (typeof end.offset === "number") {
            endOffset = end.offset;
            let pos = this.fromOffset(endOffset);
            endLine = pos.line;
            endColumn = pos.col;
          } else {
            endLine = end.line;
            endColumn = end.column;
            endOffset = this.fromLineAndColumn(end.line, end.column);
          }
        } else if (!column) {
          offset = line;
          let pos = this.fromOffset(offset);
          line = pos.line;
          column = pos.col;
        } else {
          offset = this.fromLineAndColumn(line, column);
        }
        let origin = this.origin(line, column, endLine, endColumn);
        if (origin) {
          result = new CssSyntaxError(
            message,
            origin.endLine === void 0 ? origin.line : { column: origin.column, line: origin.line },
            origin.endLine === void 0 ? origin.column : { column: origin.endColumn, line: origin.endLine },
            origin.source,
            origin.file,
            opts.plugin
          );
        } else {
          result = new CssSyntaxError(
            message,
            endLine === void 0 ? line : { column, line },
            endLine === void 0 ? column : { column: endColumn, line: endLine },
            this.css,
            this.file,
            opts.plugin
          );
        }
        result.input = {
          column,
          endColumn,
          endLine,
          endOffset,
          line,
          offset,
          source: this.css
        };
        if (this.file) {
          if (pathToFileURL) {
            result.input.url = pathToFileURL(this.file).toString();
          }
          result.input.file = this.file;
        }
        return result;
      }
      fromLineAndColumn(line, column) {
        let lineToIndex = getLineToIndex(this);
        let index = lineToIndex[line - 1];
        return index + column - 1;
      }
      fromOffset(offset) {
        let lineToIndex = getLineToIndex(this);
        let lastLine = lineToIndex[lineToIndex.length - 1];
        let min = 0;
        if (offset >= lastLine) {
          min = lineToIndex.length - 1;
        } else {
          let max = lineToIndex.length - 2;
          let mid;
          while (min < max) {
            mid = min + (max - min >> 1);
            if (offset < lineToIndex[mid]) {
              max = mid - 1;
            } else if (offset >= lineToIndex[mid + 1]) {
              min = mid + 1;
            } else {
              min = mid;
              break;
            }
          }
        }
        return {
          col: offset - lineToIndex[min] + 1,
          line: min + 1
        };
      }
      mapResolve(file) {
        if (/^\w+:\/\//.test(file)) {
          return file;
        }
        return resolve2(this.map.consumer().sourceRoot || this.map.root || ".", file);
      }
      origin(line, column, endLine, endColumn) {
        if (!this.map) return false;
        let consumer = this.map.consumer();
        let from = consumer.originalPositionFor({ column: column - 1, line });
        if (!from.source) return false;
        let to;
        if (typeof endLine === "number") {
          let toPosition = consumer.originalPositionFor({
            column: endColumn - 1,
            line: endLine
          });
          if (toPosition.source) to = toPosition;
        }
        let fromUrl;
        if (isAbsolute(from.source)) {
          fromUrl = pathToFileURL(from.source);
        } else {
          fromUrl = new URL(
            from.source,
            pathToFileURL(this.map.mapFile || resolve2(".") + "/")
          );
        }
        let result = {
          column: from.column + 1,
          endColumn: to && to.column + 1,
          endLine: to && to.line,
          line: from.line,
          url: fromUrl.toString()
        };
        if (fromUrl.protocol === "file:") {
          if (fileURLToPath) {
            result.file = fileURLToPath(fromUrl);
          } else {
            throw new Error(`file: protocol is not available in this PostCSS build`);
          }
        }
        let source = consumer.sourceContentFor(from.source);
        if (source) result.source = source;
        return result;
      }
      toJSON() {
        let json2 = {};
        for (let name of ["hasBOM", "css", "file", "id"]) {
          if (this[name] != null) {
            json2[name] = this[name];
          }
        }
        if (this.map) {
          json2.map = { ...this.map };
          if (json2.map.consumerCache) {
            json2.map.consumerCache = void 0;
          }
        }
        return json2;
      }
    };
    module.exports = Input;
    Input.default = Input;
    if (terminalHighlight && terminalHighlight.registerInput) {
      terminalHighlight.registerInput(Input);
    }
  }
});

// node_modules/postcss/lib/root.js
var require_root = __commonJS({
  "node_modules/postcss/lib/root.js"(exports, module) {
    "use strict";
    var Container = require_container();
    var LazyResult;
    var Processor;
    var Root = class extends Container {
      constructor(defaults) {
        super(defaults);
        this.type = "root";
        if (!this.nodes) this.nodes = [];
      }
      normalize(child, sample, type) {
        let keepBefore = /* @__PURE__ */ new Set();
        for (let node of Array.isArray(child) ? child : [child]) {
          if (node && typeof node === "object" && !node.parent && node.raws && typeof node.raws.before !== "undefined") {
            keepBefore.add(node.raws);
          }
        }
        let nodes = super.normalize(child);
        if (sample) {
          if (type === "prepend") {
            if (this.nodes.length > 1) {
              sample.raws.before = this.nodes[1].raws.before;
            } else {
              delete sample.raws.before;
            }
          } else if (this.first !== sample) {
            for (let node of nodes) {
              if (!keepBefore.has(node.raws)) {
                node.raws.before = sample.raws.before;
              }
            }
          }
        }
        return nodes;
      }
      removeChild(child, ignore) {
        let index = this.index(child);
        if (!ignore && index === 0 && this.nodes.length > 1) {
          this.nodes[1].raws.before = this.nodes[index].raws.before;
        }
        return super.removeChild(child);
      }
      toResult(opts = {}) {
        let lazy = new LazyResult(new Processor(), this, opts);
        return lazy.stringify();
      }
    };
    Root.registerLazyResult = (dependant) => {
      LazyResult = dependant;
    };
    Root.registerProcessor = (dependant) => {
      Processor = dependant;
    };
    module.exports = Root;
    Root.default = Root;
    Container.registerRoot(Root);
  }
});

// node_modules/postcss/lib/list.js
var require_list = __commonJS({
  "node_modules/postcss/lib/list.js"(exports, module) {
    "use strict";
    var list = {
      comma(string) {
        return list.split(string, [","], true);
      },
      space(string) {
        let spaces = [" ", "\n", "	"];
        return list.split(string, spaces);
      },
      split(string, separators, last) {
        if (typeof string !== "string") return [];
        let array = [];
        let current = "";
        let split = false;
        let func = 0;
        let inQuote = false;
        let prevQuote = "";
        let escape = false;
        let inComment = false;
        for (let i = 0; i < string.length; i++) {
          let letter = string[i];
          if (inComment) {
            current += letter;
            if (letter === "*" && string[i + 1] === "/") {
              current += "/";
              i += 1;
              inComment = false;
            }
            continue;
          }
          if (escape) {
            escape = false;
          } else if (letter === "\\") {
            escape = true;
          } else if (inQuote) {
            if (letter === prevQuote) {
              inQuote = false;
            }
          } else if (letter === '"' || letter === "'") {
            inQuote = true;
            prevQuote = letter;
          } else if (letter === "/" && string[i + 1] === "*") {
            current += "/*";
            i += 1;
            inComment = true;
            continue;
          } else if (letter === "(") {
            func += 1;
          } else if (letter === ")") {
            if (func > 0) func -= 1;
          } else if (func === 0) {
            if (separators.includes(letter)) split = true;
          }
          if (split) {
            let value2 = current.trim();
            if (last || value2 !== "") array.push(value2);
            current = "";
            split = false;
          } else {
            current += letter;
          }
        }
        let value = current.trim();
        if (last || value !== "") array.push(value);
        return array;
      }
    };
    module.exports = list;
    list.default = list;
  }
});

// node_modules/postcss/lib/rule.js
var require_rule = __commonJS({
  "node_modules/postcss/lib/rule.js"(exports, module) {
    "use strict";
    var Container = require_container();
    var list = require_list();
    var Rule = class extends Container {
      get selectors() {
        return list.comma(this.selector);
      }
      set selectors(values) {
        let match = this.selector ? this.selector.match(/,\s*/) : null;
        let sep = match ? match[0] : "," + this.raw("between", "beforeOpen");
        this.selector = values.join(sep);
      }
      constructor(defaults) {
        super(defaults);
        this.type = "rule";
        if (!this.nodes) this.nodes = [];
      }
    };
    module.exports = Rule;
    Rule.default = Rule;
    Container.registerRule(Rule);
  }
});

// node_modules/postcss/lib/fromJSON.js
var require_fromJSON = __commonJS({
  "node_modules/postcss/lib/fromJSON.js"(exports, module) {
    "use strict";
    var AtRule = require_at_rule();
    var Comment = require_comment();
    var Declaration = require_declaration();
    var Input = require_input();
    var PreviousMap = require_previous_map();
    var Root = require_root();
    var Rule = require_rule();
    function hydrateInputs(json2, inputs) {
      if (!json2.inputs) return inputs;
      return json2.inputs.map((input) => {
        let inputHydrated = { ...input, __proto__: Input.prototype };
        if (inputHydrated.map) {
          inputHydrated.map = {
            ...inputHydrated.map,
            __proto__: PreviousMap.prototype
          };
        }
        return inputHydrated;
      });
    }
    function constructNode(json2, inputs, children) {
      let defaults = { ...json2 };
      delete defaults.inputs;
      delete defaults.nodes;
      if (defaults.source) {
        let { inputId, ...source } = defaults.source;
        defaults.source = source;
        if (inputId != null) {
          defaults.source.input = inputs[inputId];
        }
      }
      let node;
      if (defaults.type === "root") {
        node = new Root(defaults);
      } else if (defaults.type === "decl") {
        node = new Declaration(defaults);
      } else if (defaults.type === "rule") {
        node = new Rule(defaults);
      } else if (defaults.type === "comment") {
        node = new Comment(defaults);
      } else if (defaults.type === "atrule") {
        node = new AtRule(defaults);
      } else {
        throw new Error("Unknown node type: " + json2.type);
      }
      if (children) {
        node.nodes = children;
        for (let child of children) child.parent = node;
      }
      return node;
    }
    function fromJSON(json2, inputs) {
      if (Array.isArray(json2)) return json2.map((n) => fromJSON(n));
      let result;
      let stack = [
        { childIndex: 0, children: [], inputs: hydrateInputs(json2, inputs), json: json2 }
      ];
      while (stack.length > 0) {
        let frame = stack[stack.length - 1];
        let jsonNodes = frame.json.nodes;
        if (jsonNodes && frame.childIndex < jsonNodes.length) {
          let childJson = jsonNodes[frame.childIndex];
          frame.childIndex += 1;
          stack.push({
            childIndex: 0,
            children: [],
            inputs: hydrateInputs(childJson, frame.inputs),
            json: childJson
          });
          continue;
        }
        stack.pop();
        let node = constructNode(
          frame.json,
          frame.inputs,
          jsonNodes ? frame.children : void 0
        );
        if (stack.length > 0) {
          stack[stack.length - 1].children.push(node);
        } else {
          result = node;
        }
      }
      return result;
    }
    module.exports = fromJSON;
    fromJSON.default = fromJSON;
  }
});

// node_modules/postcss/lib/map-generator.js
var require_map_generator = __commonJS({
  "node_modules/postcss/lib/map-generator.js"(exports, module) {
    "use strict";
    var { dirname: dirname4, relative, resolve: resolve2, sep } = __require("path");
    var { SourceMapConsumer, SourceMapGenerator } = require_source_map();
    var { pathToFileURL } = __require("url");
    var Input = require_input();
    var sourceMapAvailable = Boolean(SourceMapConsumer && SourceMapGenerator);
    var pathAvailable = Boolean(dirname4 && resolve2 && relative && sep);
    var MapGenerator = class {
      constructor(stringify, root, opts, cssString) {
        this.stringify = stringify;
        this.mapOpts = opts.map || {};
        this.root = root;
        this.opts = opts;
        this.css = cssString;
        this.originalCSS = cssString;
        this.usesFileUrls = !this.mapOpts.from && this.mapOpts.absolute;
        this.memoizedFileURLs = /* @__PURE__ */ new Map();
        this.memoizedPaths = /* @__PURE__ */ new Map();
        this.memoizedURLs = /* @__PURE__ */ new Map();
      }
      addAnnotation() {
        let content;
        if (this.isInline()) {
          content = "data:application/json;base64," + this.toBase64(this.map.toString());
        } else if (typeof this.mapOpts.annotation === "string") {
          content = this.mapOpts.annotation;
        } else if (typeof this.mapOpts.annotation === "function") {
          content = this.mapOpts.annotation(this.opts.to, this.root);
        } else {
          content = this.outputFile() + ".map";
        }
        let eol = "\n";
        if (this.css.includes("\r\n")) eol = "\r\n";
        this.css += eol + "/*# sourceMappingURL=" + content + " */";
      }
      applyPrevMaps() {
        for (let prev of this.previous()) {
          let from = this.toUrl(this.path(prev.file));
          let root = prev.root || dirname4(prev.file);
          let map2;
          if (this.mapOpts.sourcesContent === false) {
            map2 = new SourceMapConsumer(prev.text);
            if (map2.sourcesContent) {
              map2.sourcesContent = null;
            }
          } else {
            map2 = prev.consumer();
          }
          this.map.applySourceMap(map2, from, this.toUrl(this.path(root)));
        }
      }
      clearAnnotation() {
        if (this.mapOpts.annotation === false) return;
        if (this.root) {
          let node;
          for (let i = this.root.nodes.length - 1; i >= 0; i--) {
            node = this.root.nodes[i];
            if (node.type !== "comment") continue;
            if (node.text.startsWith("# sourceMappingURL=")) {
              this.root.removeChild(i);
            }
          }
        } else if (this.css) {
          let annotation = "/*# sourceMappingURL=";
          let css = "";
          let cursor = 0;
          let startIndex;
          while ((startIndex = this.css.indexOf(annotation, cursor)) !== -1) {
            let endIndex = this.css.indexOf("*/", startIndex + annotation.length);
            if (endIndex === -1) break;
            if (endIndex + 2 === this.css.length || /[\t\n\f\r ]/.test(this.css[endIndex + 2])) {
              while (startIndex > cursor && (this.css[startIndex - 1] === "\n" || this.css[startIndex - 1] === "\r")) {
                startIndex--;
              }
            }
            css += this.css.slice(cursor, startIndex);
            cursor = endIndex + 2;
          }
          if (cursor > 0) this.css = css + this.css.slice(cursor);
        }
      }
      generate() {
        this.clearAnnotation();
        if (pathAvailable && sourceMapAvailable && this.isMap()) {
          return this.generateMap();
        } else {
          let result = "";
          this.stringify(this.root, (i) => {
            result += i;
          });
          return [result];
        }
      }
      generateMap() {
        if (this.root) {
          this.generateString();
        } else if (this.previous().length === 1) {
          let prev = this.previous()[0].consumer();
          prev.file = this.outputFile();
          this.map = SourceMapGenerator.fromSourceMap(prev, {
            ignoreInvalidMapping: true
          });
        } else {
          this.map = new SourceMapGenerator({
            file: this.outputFile(),
            ignoreInvalidMapping: true
          });
          this.map.addMapping({
            generated: { column: 0, line: 1 },
            original: { column: 0, line: 1 },
            source: this.opts.from ? this.toUrl(this.path(this.opts.from)) : "<no source>"
          });
        }
        if (this.isSourcesContent()) this.setSourcesContent();
        if (this.root && this.previous().length > 0) this.applyPrevMaps();
        if (this.isAnnotation()) this.addAnnotation();
        if (this.isInline()) {
          return [this.css];
        } else {
          return [this.css, this.map];
        }
      }
      generateString() {
        this.css = "";
        this.map = new SourceMapGenerator({
          file: this.outputFile(),
          ignoreInvalidMapping: true
        });
        let line = 1;
        let column = 1;
        let noSource = "<no source>";
        let mapping = {
          generated: { column: 0, line: 0 },
          original: { column: 0, line: 0 },
          source: ""
        };
        let last, lines;
        this.stringify(this.root, (str, node, type) => {
          this.css += str;
          if (node && type !== "end") {
            mapping.generated.line = line;
            mapping.generated.column = column - 1;
            if (node.source && node.source.start) {
              mapping.source = this.sourcePath(node);
              mapping.original.line = node.source.start.line;
              mapping.original.column = node.source.start.column - 1;
              this.map.addMapping(mapping);
            } else {
              mapping.source = noSource;
              mapping.original.line = 1;
              mapping.original.column = 0;
              this.map.addMapping(mapping);
            }
          }
          lines = str.match(/\n/g);
          if (lines) {
            line += lines.length;
            last = str.lastIndexOf("\n");
            column = str.length - last;
          } else {
            column += str.length;
          }
          if (node && type !== "start") {
            let p = node.parent || { raws: {} };
            let childless = node.type === "decl" || node.type === "atrule" && !node.nodes;
            if (!childless || node !== p.last || p.raws.semicolon) {
              if (node.source && node.source.end) {
                mapping.source = this.sourcePath(node);
                mapping.original.line = node.source.end.line;
                mapping.original.column = node.source.end.column - 1;
                mapping.generated.line = line;
                mapping.generated.column = column - 2;
                this.map.addMapping(mapping);
              } else {
                mapping.source = noSource;
                mapping.original.line = 1;
                mapping.original.column = 0;
                mapping.generated.line = line;
                mapping.generated.column = column - 1;
                this.map.addMapping(mapping);
              }
            }
          }
        });
      }
      isAnnotation() {
        if (this.isInline()) {
          return true;
        }
        if (typeof this.mapOpts.annotation !== "undefined") {
          return this.mapOpts.annotation;
        }
        if (this.previous().length) {
          return this.previous().some((i) => i.annotation);
        }
        return true;
      }
      isInline() {
        if (typeof this.mapOpts.inline !== "undefined") {
          return this.mapOpts.inline;
        }
        let annotation = this.mapOpts.annotation;
        if (typeof annotation !== "undefined" && annotation !== true) {
          return false;
        }
        if (this.previous().length) {
          return this.previous().some((i) => i.inline);
        }
        return true;
      }
      isMap() {
        if (typeof this.opts.map !== "undefined") {
          return !!this.opts.map;
        }
        return this.previous().length > 0;
      }
      isSourcesContent() {
        if (typeof this.mapOpts.sourcesContent !== "undefined") {
          return this.mapOpts.sourcesContent;
        }
        if (this.previous().length) {
          return this.previous().some((i) => i.withContent());
        }
        return true;
      }
      outputFile() {
        if (this.opts.to) {
          return this.path(this.opts.to);
        } else if (this.opts.from) {
          return this.path(this.opts.from);
        } else {
          return "to.css";
        }
      }
      path(file) {
        if (this.mapOpts.absolute) return file;
        if (file.charCodeAt(0) === 60) return file;
        if (/^\w+:\/\//.test(file)) return file;
        let cached = this.memoizedPaths.get(file);
        if (cached) return cached;
        let from = this.opts.to ? dirname4(this.opts.to) : ".";
        if (typeof this.mapOpts.annotation === "string") {
          from = dirname4(resolve2(from, this.mapOpts.annotation));
        }
        let path = relative(from, file);
        this.memoizedPaths.set(file, path);
        return path;
      }
      previous() {
        if (!this.previousMaps) {
          this.previousMaps = [];
          if (this.root) {
            this.root.walk((node) => {
              if (node.source && node.source.input.map) {
                let map2 = node.source.input.map;
                if (!this.previousMaps.includes(map2)) {
                  this.previousMaps.push(map2);
                }
              }
            });
          } else {
            let input = new Input(this.originalCSS, this.opts);
            if (input.map) this.previousMaps.push(input.map);
          }
        }
        return this.previousMaps;
      }
      setSourcesContent() {
        let already = {};
        if (this.root) {
          this.root.walk((node) => {
            if (node.source) {
              let from = node.source.input.from;
              if (from && !already[from]) {
                already[from] = true;
                let fromUrl = this.usesFileUrls ? this.toFileUrl(from) : this.toUrl(this.path(from));
                this.map.setSourceContent(fromUrl, node.source.input.css);
              }
            }
          });
        } else if (this.css) {
          let from = this.opts.from ? this.toUrl(this.path(this.opts.from)) : "<no source>";
          this.map.setSourceContent(from, this.css);
        }
      }
      sourcePath(node) {
        if (this.mapOpts.from) {
          return this.toUrl(this.mapOpts.from);
        } else if (this.usesFileUrls) {
          return this.toFileUrl(node.source.input.from);
        } else {
          return this.toUrl(this.path(node.source.input.from));
        }
      }
      toBase64(str) {
        if (Buffer) {
          return Buffer.from(str).toString("base64");
        } else {
          return window.btoa(unescape(encodeURIComponent(str)));
        }
      }
      toFileUrl(path) {
        let cached = this.memoizedFileURLs.get(path);
        if (cached) return cached;
        if (pathToFileURL) {
          let fileURL = pathToFileURL(path).toString();
          this.memoizedFileURLs.set(path, fileURL);
          return fileURL;
        } else {
          throw new Error(
            "`map.absolute` option is not available in this PostCSS build"
          );
        }
      }
      toUrl(path) {
        let cached = this.memoizedURLs.get(path);
        if (cached) return cached;
        if (sep === "\\") {
          path = path.replace(/\\/g, "/");
        }
        let url = encodeURI(path).replace(/[#?]/g, encodeURIComponent);
        this.memoizedURLs.set(path, url);
        return url;
      }
    };
    module.exports = MapGenerator;
  }
});

// node_modules/postcss/lib/parser.js
var require_parser = __commonJS({
  "node_modules/postcss/lib/parser.js"(exports, module) {
    "use strict";
    var AtRule = require_at_rule();
    var Comment = require_comment();
    var Declaration = require_declaration();
    var Root = require_root();
    var Rule = require_rule();
    var tokenizer = require_tokenize();
    var SAFE_COMMENT_NEIGHBOR = {
      empty: true,
      space: true
    };
    function findLastWithPosition(tokens) {
      for (let i = tokens.length - 1; i >= 0; i--) {
        let token = tokens[i];
        let pos = token[3] || token[2];
        if (pos) return pos;
      }
    }
    function tokensToString(tokens, from, to) {
      let result = "";
      for (let i = from; i < to; i++) result += tokens[i][1];
      return result;
    }
    var Parser = class {
      constructor(input) {
        this.input = input;
        this.root = new Root();
        this.current = this.root;
        this.spaces = "";
        this.semicolon = false;
        this.createTokenizer();
        this.root.source = { input, start: { column: 1, line: 1, offset: 0 } };
      }
      atrule(token) {
        let node = new AtRule();
        node.name = token[1].slice(1);
        if (node.name === "") {
          this.unnamedAtrule(node, token);
        }
        this.init(node, token[2]);
        let type;
        let prev;
        let shift;
        let last = false;
        let open = false;
        let params = [];
        let brackets = [];
        while (!this.tokenizer.endOfFile()) {
          token = this.tokenizer.nextToken();
          type = token[0];
          if (type === "(" || type === "[") {
            brackets.push(type === "(" ? ")" : "]");
          } else if (type === "{" && brackets.length > 0) {
            brackets.push("}");
          } else if (type === brackets[brackets.length - 1]) {
            brackets.pop();
          }
          if (brackets.length === 0) {
            if (type === ";") {
              node.source.end = this.getPosition(token[2]);
              node.source.end.offset++;
              this.semicolon = true;
              break;
            } else if (type === "{") {
              open = true;
              break;
            } else if (type === "}") {
              if (params.length > 0) {
                shift = params.length - 1;
                prev = params[shift];
                while (prev && prev[0] === "space") {
                  prev = params[--shift];
                }
                if (prev) {
                  node.source.end = this.getPosition(prev[3] || prev[2]);
                  node.source.end.offset++;
                }
              }
              this.end(token);
              break;
            } else {
              params.push(token);
            }
          } else {
            params.push(token);
          }
          if (this.tokenizer.endOfFile()) {
            last = true;
            break;
          }
        }
        node.raws.between = this.spacesAndCommentsFromEnd(params);
        if (params.length) {
          node.raws.afterName = this.spacesAndCommentsFromStart(params);
          this.raw(node, "params", params);
          if (last) {
            token = params[params.length - 1];
            node.source.end = this.getPosition(token[3] || token[2]);
            node.source.end.offset++;
            this.spaces = node.raws.between;
            node.raws.between = "";
          }
        } else {
          node.raws.afterName = "";
          node.params = "";
        }
        if (open) {
          node.nodes = [];
          this.current = node;
        }
      }
      checkMissedSemicolon(tokens) {
        let colon = this.colon(tokens);
        if (colon === false) return;
        let founded = 0;
        let token;
        for (let j = colon - 1; j >= 0; j--) {
          token = tokens[j];
          if (token[0] !== "space") {
            founded += 1;
            if (founded === 2) break;
          }
        }
        throw this.input.error(
          "Missed semicolon",
          token[0] === "word" ? token[3] + 1 : token[2]
        );
      }
      colon(tokens) {
        let brackets = 0;
        let prev, token, type;
        for (let [i, element2] of tokens.entries()) {
          token = element2;
          type = token[0];
          if (type === "(") {
            brackets += 1;
          }
          if (type === ")") {
            brackets -= 1;
          }
          if (brackets === 0 && type === ":") {
            if (!prev) {
              this.doubleColon(token);
            } else if (prev[0] === "word" && prev[1] === "progid") {
              continue;
            } else {
              return i;
            }
          }
          prev = token;
        }
        return false;
      }
      comment(token) {
        let node = new Comment();
        this.init(node, token[2]);
        node.source.end = this.getPosition(token[3] || token[2]);
        node.source.end.offset++;
        let text = token[1].slice(2, -2);
        if (!text.trim()) {
          node.text = "";
          node.raws.left = text;
          node.raws.right = "";
        } else {
          let match = text.match(/^(\s*)([^]*\S)(\s*)$/);
          node.text = match[2];
          node.raws.left = match[1];
          node.raws.right = match[3];
        }
      }
      createTokenizer() {
        this.tokenizer = tokenizer(this.input);
      }
      decl(tokens, customProperty) {
        let node = new Declaration();
        this.init(node, tokens[0][2]);
        let last = tokens[tokens.length - 1];
        if (last[0] === ";") {
          this.semicolon = true;
          tokens.pop();
        }
        node.source.end = this.getPosition(
          last[3] || last[2] || findLastWithPosition(tokens)
        );
        node.source.end.offset++;
        let start = 0;
        while (tokens[start][0] !== "word") {
          if (start === tokens.length - 1) this.unknownWord([tokens[start]]);
          start++;
        }
        node.raws.before += tokensToString(tokens, 0, start);
        node.source.start = this.getPosition(tokens[start][2]);
        let propStart = start;
        while (start < tokens.length) {
          let type = tokens[start][0];
          if (type === ":" || type === "space" || type === "comment") {
            break;
          }
          start++;
        }
        node.prop = tokensToString(tokens, propStart, start);
        let betweenStart = start;
        let token;
        while (start < tokens.length) {
          token = tokens[start];
          start++;
          if (token[0] === ":") break;
          if (token[0] === "word" && /\w/.test(token[1])) {
            this.unknownWord([token]);
          }
        }
        node.raws.between = tokensToString(tokens, betweenStart, start);
        if (node.prop[0] === "_" || node.prop[0] === "*") {
          node.raws.before += node.prop[0];
          node.prop = node.prop.slice(1);
        }
        let firstSpacesStart = start;
        while (start < tokens.length) {
          let next = tokens[start][0];
          if (next !== "space" && next !== "comment") break;
          start++;
        }
        let firstSpaces = tokens.slice(firstSpacesStart, start);
        tokens = tokens.slice(start);
        this.precheckMissedSemicolon(tokens);
        for (let i = tokens.length - 1; i >= 0; i--) {
          token = tokens[i];
          if (token[1].toLowerCase() === "!important") {
            node.important = true;
            let string = this.stringFrom(tokens, i);
            string = this.spacesFromEnd(tokens) + string;
            if (string !== " !important") node.raws.important = string;
            break;
          } else if (token[1].toLowerCase() === "important") {
            let cache2 = tokens.slice(0);
            let str = "";
            for (let j = i; j > 0; j--) {
              let type = cache2[j][0];
              if (str.trim().startsWith("!") && type !== "space") {
                break;
              }
              str = cache2.pop()[1] + str;
            }
            if (str.trim().startsWith("!")) {
              node.important = true;
              node.raws.important = str;
              tokens = cache2;
            }
          }
          if (token[0] !== "space" && token[0] !== "comment") {
            break;
          }
        }
        let hasWord = tokens.some((i) => i[0] !== "space" && i[0] !== "comment");
        if (hasWord) {
          node.raws.between += firstSpaces.map((i) => i[1]).join("");
          firstSpaces = [];
        }
        this.raw(node, "value", firstSpaces.concat(tokens), customProperty);
        if (node.value.includes(":") && !customProperty) {
          this.checkMissedSemicolon(tokens);
        }
      }
      doubleColon(token) {
        throw this.input.error(
          "Double colon",
          { offset: token[2] },
          { offset: token[2] + token[1].length }
        );
      }
      emptyRule(token) {
        let node = new Rule();
        this.init(node, token[2]);
        node.selector = "";
        node.raws.between = "";
        this.current = node;
      }
      end(token) {
        if (this.current.nodes && this.current.nodes.length) {
          this.current.raws.semicolon = this.semicolon;
        }
        this.semicolon = false;
        this.current.raws.after = (this.current.raws.after || "") + this.spaces;
        this.spaces = "";
        if (this.current.parent) {
          this.current.source.end = this.getPosition(token[2]);
          this.current.source.end.offset++;
          this.current = this.current.parent;
        } else {
          this.unexpectedClose(token);
        }
      }
      endFile() {
        if (this.current.parent) this.unclosedBlock();
        if (this.current.nodes && this.current.nodes.length) {
          this.current.raws.semicolon = this.semicolon;
        }
        this.current.raws.after = (this.current.raws.after || "") + this.spaces;
        this.root.source.end = this.getPosition(this.tokenizer.position());
      }
      freeSemicolon(token) {
        this.spaces += token[1];
        if (this.current.nodes) {
          let prev = this.current.nodes[this.current.nodes.length - 1];
          if (prev && prev.type === "rule" && !prev.raws.ownSemicolon) {
            prev.raws.ownSemicolon = this.spaces;
            this.spaces = "";
            prev.source.end = this.getPosition(token[2]);
            prev.source.end.offset++;
          }
        }
      }
      // Helpers
      getPosition(offset) {
        let pos = this.input.fromOffset(offset);
        return {
          column: pos.col,
          line: pos.line,
          offset
        };
      }
      init(node, offset) {
        this.current.push(node);
        node.source = {
          input: this.input,
          start: this.getPosition(offset)
        };
        node.raws.before = this.spaces;
        this.spaces = "";
        if (node.type !== "comment") this.semicolon = false;
      }
      other(start) {
        let end = false;
        let type = null;
        let colon = false;
        let bracket = null;
        let brackets = [];
        let customProperty = start[1].startsWith("--");
        let tokens = [];
        let token = start;
        while (token) {
          type = token[0];
          tokens.push(token);
          if (type === "(" || type === "[") {
            if (!bracket) bracket = token;
            brackets.push(type === "(" ? ")" : "]");
          } else if (customProperty && colon && type === "{") {
            if (!bracket) bracket = token;
            brackets.push("}");
          } else if (brackets.length === 0) {
            if (type === ";") {
              if (colon) {
                this.decl(tokens, customProperty);
                return;
              } else {
                break;
              }
            } else if (type === "{") {
              this.rule(tokens);
              return;
            } else if (type === "}") {
              this.tokenizer.back(tokens.pop());
              end = true;
              break;
            } else if (type === ":") {
              colon = true;
            }
          } else if (type === brackets[brackets.length - 1]) {
            brackets.pop();
            if (brackets.length === 0) bracket = null;
          }
          token = this.tokenizer.nextToken();
        }
        if (this.tokenizer.endOfFile()) end = true;
        if (brackets.length > 0) this.unclosedBracket(bracket);
        if (end && colon) {
          if (!customProperty) {
            while (tokens.length) {
              token = tokens[tokens.length - 1][0];
              if (token !== "space" && token !== "comment") break;
              this.tokenizer.back(tokens.pop());
            }
          }
          this.decl(tokens, customProperty);
        } else {
          this.unknownWord(tokens);
        }
      }
      parse() {
        let token;
        while (!this.tokenizer.endOfFile()) {
          token = this.tokenizer.nextToken();
          switch (token[0]) {
            case "space":
              this.spaces += token[1];
              break;
            case ";":
              this.freeSemicolon(token);
              break;
            case "}":
              this.end(token);
              break;
            case "comment":
              this.comment(token);
              break;
            case "at-word":
              this.atrule(token);
              break;
            case "{":
              this.emptyRule(token);
              break;
            default:
              this.other(token);
              break;
          }
        }
        this.endFile();
      }
      precheckMissedSemicolon() {
      }
      raw(node, prop, tokens, customProperty) {
        let token, type;
        let length = tokens.length;
        let value = "";
        let last = "";
        let clean = true;
        let next, prev;
        for (let i = 0; i < length; i += 1) {
          token = tokens[i];
          type = token[0];
          if (type === "space" && i === length - 1 && !customProperty) {
            clean = false;
          } else if (type === "comment") {
            prev = tokens[i - 1] ? tokens[i - 1][0] : "empty";
            next = tokens[i + 1] ? tokens[i + 1][0] : "empty";
            if (!SAFE_COMMENT_NEIGHBOR[prev] && !SAFE_COMMENT_NEIGHBOR[next]) {
              if (last === ",") {
                clean = false;
              } else {
                value += token[1];
                last = token[1].slice(-1);
              }
            } else {
              clean = false;
            }
          } else {
            value += token[1];
            last = token[1].slice(-1);
          }
        }
        if (!clean) {
          let raw = tokens.reduce((all, i) => all + i[1], "");
          node.raws[prop] = { raw, value };
        }
        node[prop] = value;
      }
      rule(tokens) {
        tokens.pop();
        let node = new Rule();
        this.init(node, tokens[0][2]);
        node.raws.between = this.spacesAndCommentsFromEnd(tokens);
        this.raw(node, "selector", tokens);
        this.current = node;
      }
      spacesAndCommentsFromEnd(tokens) {
        let lastTokenType;
        let spaces = "";
        while (tokens.length) {
          lastTokenType = tokens[tokens.length - 1][0];
          if (lastTokenType !== "space" && lastTokenType !== "comment") break;
          spaces = tokens.pop()[1] + spaces;
        }
        return spaces;
      }
      // Errors
      spacesAndCommentsFromStart(tokens) {
        let next;
        let spaces = "";
        while (tokens.length) {
          next = tokens[0][0];
          if (next !== "space" && next !== "comment") break;
          spaces += tokens.shift()[1];
        }
        return spaces;
      }
      spacesFromEnd(tokens) {
        let lastTokenType;
        let spaces = "";
        while (tokens.length) {
          lastTokenType = tokens[tokens.length - 1][0];
          if (lastTokenType !== "space") break;
          spaces = tokens.pop()[1] + spaces;
        }
        return spaces;
      }
      stringFrom(tokens, from) {
        let result = "";
        for (let i = from; i < tokens.length; i++) {
          result += tokens[i][1];
        }
        tokens.splice(from, tokens.length - from);
        return result;
      }
      unclosedBlock() {
        let pos = this.current.source.start;
        throw this.input.error("Unclosed block", pos.line, pos.column);
      }
      unclosedBracket(bracket) {
        throw this.input.error(
          "Unclosed bracket",
          { offset: bracket[2] },
          { offset: bracket[2] + 1 }
        );
      }
      unexpectedClose(token) {
        throw this.input.error(
          "Unexpected }",
          { offset: token[2] },
          { offset: token[2] + 1 }
        );
      }
      unknownWord(tokens) {
        throw this.input.error(
          "Unknown word " + tokens[0][1],
          { offset: tokens[0][2] },
          { offset: tokens[0][2] + tokens[0][1].length }
        );
      }
      unnamedAtrule(node, token) {
        throw this.input.error(
          "At-rule without name",
          { offset: token[2] },
          { offset: token[2] + token[1].length }
        );
      }
    };
    module.exports = Parser;
  }
});

// node_modules/postcss/lib/parse.js
var require_parse = __commonJS({
  "node_modules/postcss/lib/parse.js"(exports, module) {
    "use strict";
    var Container = require_container();
    var Input = require_input();
    var Parser = require_parser();
    function parse(css, opts) {
      let input = new Input(css, opts);
      let parser = new Parser(input);
      try {
        parser.parse();
      } catch (e) {
        if (process.env.NODE_ENV !== "production") {
          if (e.name === "CssSyntaxError" && opts && opts.from) {
            if (/\.scss$/i.test(opts.from)) {
              e.message += "\nYou tried to parse SCSS with the standard CSS parser; try again with the postcss-scss parser";
            } else if (/\.sass/i.test(opts.from)) {
              e.message += "\nYou tried to parse Sass with the standard CSS parser; try again with the postcss-sass parser";
            } else if (/\.less$/i.test(opts.from)) {
              e.message += "\nYou tried to parse Less with the standard CSS parser; try again with the postcss-less parser";
            }
          }
        }
        throw e;
      }
      return parser.root;
    }
    module.exports = parse;
    parse.default = parse;
    Container.registerParse(parse);
  }
});

// node_modules/postcss/lib/warning.js
var require_warning = __commonJS({
  "node_modules/postcss/lib/warning.js"(exports, module) {
    "use strict";
    var Container = require_container();
    var { my } = require_symbols();
    var Warning = class {
      constructor(text, opts = {}) {
        this.type = "warning";
        this.text = text;
        if (opts.node && opts.node.source) {
          if (!opts.node[my]) {
            Container.rebuild(opts.node);
          }
          let range = opts.node.rangeBy(opts);
          this.line = range.start.line;
          this.column = range.start.column;
          this.endLine = range.end.line;
          this.endColumn = range.end.column;
        }
        for (let opt in opts) this[opt] = opts[opt];
      }
      toString() {
        if (this.node) {
          return this.node.error(this.text, {
            index: this.index,
            plugin: this.plugin,
            start: this.start,
            word: this.word
          }).message;
        }
        if (this.plugin) {
          return this.plugin + ": " + this.text;
        }
        return this.text;
      }
    };
    module.exports = Warning;
    Warning.default = Warning;
  }
});

// node_modules/postcss/lib/result.js
var require_result = __commonJS({
  "node_modules/postcss/lib/result.js"(exports, module) {
    "use strict";
    var Warning = require_warning();
    var Result = class {
      get content() {
        return this.css;
      }
      constructor(processor, root, opts) {
        this.processor = processor;
        this.messages = [];
        this.root = root;
        this.opts = opts;
        this.css = "";
        this.map = void 0;
      }
      toString() {
        return this.css;
      }
      warn(text, opts = {}) {
        if (!opts.plugin) {
          if (this.lastPlugin && this.lastPlugin.postcssPlugin) {
            opts.plugin = this.lastPlugin.postcssPlugin;
          }
        }
        let warning = new Warning(text, opts);
        this.messages.push(warning);
        return warning;
      }
      warnings() {
        return this.messages.filter((i) => i.type === "warning");
      }
    };
    module.exports = Result;
    Result.default = Result;
  }
});

// node_modules/postcss/lib/warn-once.js
var require_warn_once = __commonJS({
  "node_modules/postcss/lib/warn-once.js"(exports, module) {
    "use strict";
    var printed = {};
    module.exports = function warnOnce(message) {
      if (printed[message]) return;
      printed[message] = true;
      if (typeof console !== "undefined" && console.warn) {
        console.warn(message);
      }
    };
  }
});

// node_modules/postcss/lib/lazy-result.js
var require_lazy_result = __commonJS({
  "node_modules/postcss/lib/lazy-result.js"(exports, module) {
    "use strict";
    var Container = require_container();
    var Document = require_document();
    var MapGenerator = require_map_generator();
    var parse = require_parse();
    var Result = require_result();
    var Root = require_root();
    var stringify = require_stringify2();
    var { isClean, my } = require_symbols();
    var warnOnce = require_warn_once();
    var TYPE_TO_CLASS_NAME = {
      atrule: "AtRule",
      comment: "Comment",
      decl: "Declaration",
      document: "Document",
      root: "Root",
      rule: "Rule"
    };
    var PLUGIN_PROPS = {
      AtRule: true,
      AtRuleExit: true,
      Comment: true,
      CommentExit: true,
      Declaration: true,
      DeclarationExit: true,
      Document: true,
      DocumentExit: true,
      Once: true,
      OnceExit: true,
      postcssPlugin: true,
      prepare: true,
      Root: true,
      RootExit: true,
      Rule: true,
      RuleExit: true
    };
    var NOT_VISITORS = {
      Once: true,
      postcssPlugin: true,
      prepare: true
    };
    var CHILDREN = 0;
    function isPromise(obj) {
      return typeof obj === "object" && typeof obj.then === "function";
    }
    function getEvents(node) {
      let key = false;
      let type = TYPE_TO_CLASS_NAME[node.type];
      if (node.type === "decl") {
        key = node.prop.toLowerCase();
      } else if (node.type === "atrule") {
        key = node.name.toLowerCase();
      }
      if (key && node.append) {
        return [
          type,
          type + "-" + key,
          CHILDREN,
          type + "Exit",
          type + "Exit-" + key
        ];
      } else if (key) {
        return [type, type + "-" + key, type + "Exit", type + "Exit-" + key];
      } else if (node.append) {
        return [type, CHILDREN, type + "Exit"];
      } else {
        return [type, type + "Exit"];
      }
    }
    function toStack(node) {
      let events;
      if (node.type === "document") {
        events = ["Document", CHILDREN, "DocumentExit"];
      } else if (node.type === "root") {
        events = ["Root", CHILDREN, "RootExit"];
      } else {
        events = getEvents(node);
      }
      return {
        eventIndex: 0,
        events,
        iterator: 0,
        node,
        visitorIndex: 0,
        visitors: []
      };
    }
    function cleanMarks(node) {
      let stack = [node];
      while (stack.length > 0) {
        let next = stack.pop();
        next[isClean] = false;
        if (next.nodes) {
          for (let i of next.nodes) stack.push(i);
        }
      }
      return node;
    }
    var postcss = {};
    var LazyResult = class _LazyResult {
      get content() {
        return this.stringify().content;
      }
      get css() {
        return this.stringify().css;
      }
      get map() {
        return this.stringify().map;
      }
      get messages() {
        return this.sync().messages;
      }
      get opts() {
        return this.result.opts;
      }
      get processor() {
        return this.result.processor;
      }
      get root() {
        return this.sync().root;
      }
      get [Symbol.toStringTag]() {
        return "LazyResult";
      }
      constructor(processor, css, opts) {
        this.stringified = false;
        this.processed = false;
        let root;
        if (typeof css === "object" && css !== null && (css.type === "root" || css.type === "document")) {
          root = cleanMarks(css);
        } else if (css instanceof _LazyResult || css instanceof Result) {
          root = cleanMarks(css.root);
          if (css.map) {
            if (typeof opts.map === "undefined") opts.map = {};
            if (!opts.map.inline) opts.map.inline = false;
            opts.map.prev = css.map;
          }
        } else {
          let parser = parse;
          if (opts.syntax) parser = opts.syntax.parse;
          if (opts.parser) parser = opts.parser;
          if (parser.parse) parser = parser.parse;
          try {
            root = parser(css, opts);
          } catch (error) {
            this.processed = true;
            this.error = error;
          }
          if (root && !root[my]) {
            Container.rebuild(root);
          }
        }
        this.result = new Result(processor, root, opts);
        this.helpers = { ...postcss, postcss, result: this.result };
        this.plugins = this.processor.plugins.map((plugin) => {
          if (typeof plugin === "object" && plugin.prepare) {
            return { ...plugin, ...plugin.prepare(this.result) };
          } else {
            return plugin;
          }
        });
      }
      async() {
        if (this.error) return Promise.reject(this.error);
        if (this.processed) return Promise.resolve(this.result);
        if (!this.processing) {
          this.processing = this.runAsync();
        }
        return this.processing;
      }
      catch(onRejected) {
        return this.async().catch(onRejected);
      }
      finally(onFinally) {
        return this.async().finally(onFinally);
      }
      getAsyncError() {
        throw new Error("Use process(css).then(cb) to work with async plugins");
      }
      handleError(error, node) {
        let plugin = this.result.lastPlugin;
        try {
          if (node) node.addToError(error);
          this.error = error;
          if (error.name === "CssSyntaxError" && !error.plugin) {
            error.plugin = plugin.postcssPlugin;
            error.setMessage();
          } else if (plugin.postcssVersion) {
            if (process.env.NODE_ENV !== "production") {
              let pluginName = plugin.postcssPlugin;
              let pluginVer = plugin.postcssVersion;
              let runtimeVer = this.result.processor.version;
              let a = pluginVer.split(".");
              let b = runtimeVer.split(".");
              if (a[0] !== b[0] || parseInt(a[1]) > parseInt(b[1])) {
                console.error(
                  "Unknown error from PostCSS plugin. Your current PostCSS version is " + runtimeVer + ", but " + pluginName + " uses " + pluginVer + ". Perhaps this is the source of the error below."
                );
              }
            }
          }
        } catch (err) {
          if (console && console.error) console.error(err);
        }
        return error;
      }
      prepareVisitors() {
        this.listeners = {};
        let add = (plugin, type, cb) => {
          if (!this.listeners[type]) this.listeners[type] = [];
          this.listeners[type].push([plugin, cb]);
        };
        for (let plugin of this.plugins) {
          if (typeof plugin === "object") {
            for (let event in plugin) {
              if (!PLUGIN_PROPS[event] && /^[A-Z]/.test(event)) {
                throw new Error(
                  `Unknown event ${event} in ${plugin.postcssPlugin}. Try to update PostCSS (${this.processor.version} now).`
                );
              }
              if (!NOT_VISITORS[event]) {
                if (typeof plugin[event] === "object") {
                  for (let filter in plugin[event]) {
                    if (filter === "*") {
                      add(plugin, event, plugin[event][filter]);
                    } else {
                      add(
                        plugin,
                        event + "-" + filter.toLowerCase(),
                        plugin[event][filter]
                      );
                    }
                  }
                } else if (typeof plugin[event] === "function") {
                  add(plugin, event, plugin[event]);
                }
              }
            }
          }
        }
        this.hasListener = Object.keys(this.listeners).length > 0;
      }
      async runAsync() {
        this.plugin = 0;
        for (let i = 0; i < this.plugins.length; i++) {
          let plugin = this.plugins[i];
          let promise = this.runOnRoot(plugin);
          if (isPromise(promise)) {
            try {
              await promise;
            } catch (error) {
              throw this.handleError(error);
            }
          }
        }
        this.prepareVisitors();
        if (this.hasListener) {
          let root = this.result.root;
          while (!root[isClean]) {
            root[isClean] = true;
            let stack = [toStack(root)];
            while (stack.length > 0) {
              let promise = this.visitTick(stack);
              if (isPromise(promise)) {
                try {
                  await promise;
                } catch (e) {
                  let node = stack[stack.length - 1].node;
                  throw this.handleError(e, node);
                }
              }
            }
          }
          if (this.listeners.OnceExit) {
            for (let [plugin, visitor] of this.listeners.OnceExit) {
              this.result.lastPlugin = plugin;
              try {
                if (root.type === "document") {
                  let roots = root.nodes.map(
                    (subRoot) => visitor(subRoot, this.helpers)
                  );
                  await Promise.all(roots);
                } else {
                  await visitor(root, this.helpers);
                }
              } catch (e) {
                throw this.handleError(e);
              }
            }
          }
        }
        this.processed = true;
        return this.stringify();
      }
      runOnRoot(plugin) {
        this.result.lastPlugin = plugin;
        try {
          if (typeof plugin === "object" && plugin.Once) {
            if (this.result.root.type === "document") {
              let roots = this.result.root.nodes.map(
                (root) => plugin.Once(root, this.helpers)
              );
              if (isPromise(roots[0])) {
                return Promise.all(roots);
              }
              return roots;
            }
            return plugin.Once(this.result.root, this.helpers);
          } else if (typeof plugin === "function") {
            return plugin(this.result.root, this.result);
          }
        } catch (error) {
          throw this.handleError(error);
        }
      }
      stringify() {
        if (this.error) throw this.error;
        if (this.stringified) return this.result;
        this.stringified = true;
        this.sync();
        let opts = this.result.opts;
        let str = stringify;
        if (opts.syntax) str = opts.syntax.stringify;
        if (opts.stringifier) str = opts.stringifier;
        if (str.stringify) str = str.stringify;
        let rootSource = this.result.root.source;
        if (opts.map === void 0 && !(rootSource && rootSource.input && rootSource.input.map)) {
          let result = "";
          str(this.result.root, (i) => {
            result += i;
          });
          this.result.css = result;
          return this.result;
        }
        let map2 = new MapGenerator(str, this.result.root, this.result.opts);
        let data = map2.generate();
        this.result.css = data[0];
        this.result.map = data[1];
        return this.result;
      }
      sync() {
        if (this.error) throw this.error;
        if (this.processed) return this.result;
        this.processed = true;
        if (this.processing) {
          throw this.getAsyncError();
        }
        for (let plugin of this.plugins) {
          let promise = this.runOnRoot(plugin);
          if (isPromise(promise)) {
            throw this.getAsyncError();
          }
        }
        this.prepareVisitors();
        if (this.hasListener) {
          let root = this.result.root;
          while (!root[isClean]) {
            root[isClean] = true;
            this.walkSync(root);
          }
          if (this.listeners.OnceExit) {
            if (root.type === "document") {
              for (let subRoot of root.nodes) {
                this.visitSync(this.listeners.OnceExit, subRoot);
              }
            } else {
              this.visitSync(this.listeners.OnceExit, root);
            }
          }
        }
        return this.result;
      }
      then(onFulfilled, onRejected) {
        if (process.env.NODE_ENV !== "production") {
          if (!("from" in this.opts)) {
            warnOnce(
              "Without `from` option PostCSS could generate wrong source map and will not find Browserslist config. Set it to CSS file path or to `undefined` to prevent this warning."
            );
          }
        }
        return this.async().then(onFulfilled, onRejected);
      }
      toString() {
        return this.css;
      }
      visitSync(visitors, node) {
        for (let [plugin, visitor] of visitors) {
          this.result.lastPlugin = plugin;
          let promise;
          try {
            promise = visitor(node, this.helpers);
          } catch (e) {
            throw this.handleError(e, node.proxyOf);
          }
          if (node.type !== "root" && node.type !== "document" && !node.parent) {
            return true;
          }
          if (isPromise(promise)) {
            throw this.getAsyncError();
          }
        }
      }
      visitTick(stack) {
        let visit = stack[stack.length - 1];
        let { node, visitors } = visit;
        if (node.type !== "root" && node.type !== "document" && !node.parent) {
          stack.pop();
          return;
        }
        if (visitors.length > 0 && visit.visitorIndex < visitors.length) {
          let [plugin, visitor] = visitors[visit.visitorIndex];
          visit.visitorIndex += 1;
          if (visit.visitorIndex === visitors.length) {
            visit.visitors = [];
            visit.visitorIndex = 0;
          }
          this.result.lastPlugin = plugin;
          try {
            return visitor(node.toProxy(), this.helpers);
          } catch (e) {
            throw this.handleError(e, node);
          }
        }
        if (visit.iterator !== 0) {
          let iterator = visit.iterator;
          if (visit.descending) {
            visit.descending = false;
            node.indexes[iterator] += 1;
          }
          let child;
          while (child = node.nodes[node.indexes[iterator]]) {
            if (!child[isClean]) {
              child[isClean] = true;
              visit.descending = true;
              stack.push(toStack(child));
              return;
            }
            node.indexes[iterator] += 1;
          }
          visit.iterator = 0;
          delete node.indexes[iterator];
        }
        let events = visit.events;
        while (visit.eventIndex < events.length) {
          let event = events[visit.eventIndex];
          visit.eventIndex += 1;
          if (event === CHILDREN) {
            if (node.nodes && node.nodes.length) {
              node[isClean] = true;
              visit.iterator = node.getIterator();
            }
            return;
          } else if (this.listeners[event]) {
            visit.visitors = this.listeners[event];
            return;
          }
        }
        stack.pop();
      }
      walkSync(node) {
        node[isClean] = true;
        let stack = [{ eventIndex: 0, events: getEvents(node), iterator: 0, node }];
        while (stack.length > 0) {
          let visit = stack[stack.length - 1];
          let visitNode = visit.node;
          if (visit.iterator !== 0) {
            let iterator = visit.iterator;
            if (visit.descending) {
              visit.descending = false;
              visitNode.indexes[iterator] += 1;
            }
            let child;
            let descended = false;
            while (child = visitNode.nodes[visitNode.indexes[iterator]]) {
              if (!child[isClean]) {
                child[isClean] = true;
                visit.descending = true;
                stack.push({
                  eventIndex: 0,
                  events: getEvents(child),
                  iterator: 0,
                  node: child
                });
                descended = true;
                break;
              }
              visitNode.indexes[iterator] += 1;
            }
            if (descended) continue;
            visit.iterator = 0;
            delete visitNode.indexes[iterator];
          }
          if (visit.eventIndex < visit.events.length) {
            let event = visit.events[visit.eventIndex];
            visit.eventIndex += 1;
            if (event === CHILDREN) {
              if (visitNode.nodes && visitNode.nodes.length) {
                visit.iterator = visitNode.getIterator();
              }
            } else {
              let visitors = this.listeners[event];
              if (visitors) {
                if (this.visitSync(visitors, visitNode.toProxy())) stack.pop();
              }
            }
            continue;
          }
          stack.pop();
        }
      }
      warnings() {
        return this.sync().warnings();
      }
    };
    LazyResult.registerPostcss = (dependant) => {
      postcss = dependant;
    };
    module.exports = LazyResult;
    LazyResult.default = LazyResult;
    Root.registerLazyResult(LazyResult);
    Document.registerLazyResult(LazyResult);
  }
});

// node_modules/postcss/lib/no-work-result.js
var require_no_work_result = __commonJS({
  "node_modules/postcss/lib/no-work-result.js"(exports, module) {
    "use strict";
    var MapGenerator = require_map_generator();
    var parse = require_parse();
    var Result = require_result();
    var stringify = require_stringify2();
    var warnOnce = require_warn_once();
    var NoWorkResult = class {
      get content() {
        return this.result.css;
      }
      get css() {
        return this.result.css;
      }
      get map() {
        return this.result.map;
      }
      get messages() {
        return [];
      }
      get opts() {
        return this.result.opts;
      }
      get processor() {
        return this.result.processor;
      }
      get root() {
        if (this._root) {
          return this._root;
        }
        let root;
        let parser = parse;
        try {
          root = parser(this._css, this._opts);
        } catch (error) {
          this.error = error;
        }
        if (this.error) {
          throw this.error;
        } else {
          this._root = root;
          return root;
        }
      }
      get [Symbol.toStringTag]() {
        return "NoWorkResult";
      }
      constructor(processor, css, opts) {
        css = css.toString();
        this.stringified = false;
        this._processor = processor;
        this._css = css;
        this._opts = opts;
        this._map = void 0;
        let str = stringify;
        this.result = new Result(this._processor, void 0, this._opts);
        this.result.css = css;
        let self2 = this;
        Object.defineProperty(this.result, "root", {
          get() {
            return self2.root;
          }
        });
        let map2 = new MapGenerator(str, void 0, this._opts, css);
        if (map2.isMap()) {
          let [generatedCSS, generatedMap] = map2.generate();
          if (generatedCSS) {
            this.result.css = generatedCSS;
          }
          if (generatedMap) {
            this.result.map = generatedMap;
          }
        } else {
          map2.clearAnnotation();
          this.result.css = map2.css;
        }
      }
      async() {
        if (this.error) return Promise.reject(this.error);
        return Promise.resolve(this.result);
      }
      catch(onRejected) {
        return this.async().catch(onRejected);
      }
      finally(onFinally) {
        return this.async().finally(onFinally);
      }
      sync() {
        if (this.error) throw this.error;
        return this.result;
      }
      then(onFulfilled, onRejected) {
        if (process.env.NODE_ENV !== "production") {
          if (!("from" in this._opts)) {
            warnOnce(
              "Without `from` option PostCSS could generate wrong source map and will not find Browserslist config. Set it to CSS file path or to `undefined` to prevent this warning."
            );
          }
        }
        return this.async().then(onFulfilled, onRejected);
      }
      toString() {
        return this._css;
      }
      warnings() {
        return [];
      }
    };
    module.exports = NoWorkResult;
    NoWorkResult.default = NoWorkResult;
  }
});

// node_modules/postcss/lib/processor.js
var require_processor = __commonJS({
  "node_modules/postcss/lib/processor.js"(exports, module) {
    "use strict";
    var Document = require_document();
    var LazyResult = require_lazy_result();
    var NoWorkResult = require_no_work_result();
    var Root = require_root();
    var Processor = class {
      constructor(plugins = []) {
        this.version = "8.5.33";
        this.plugins = this.normalize(plugins);
      }
      normalize(plugins) {
        let normalized = [];
        for (let i of plugins) {
          if (i.postcss === true) {
            i = i();
          } else if (i.postcss) {
            i = i.postcss;
          }
          if (typeof i === "object" && Array.isArray(i.plugins)) {
            normalized = normalized.concat(i.plugins);
          } else if (typeof i === "object" && i.postcssPlugin) {
            normalized.push(i);
          } else if (typeof i === "function") {
            normalized.push(i);
          } else if (typeof i === "object" && (i.parse || i.stringify)) {
            if (process.env.NODE_ENV !== "production") {
              throw new Error(
                "PostCSS syntaxes cannot be used as plugins. Instead, please use one of the syntax/parser/stringifier options as outlined in your PostCSS runner documentation."
              );
            }
          } else {
            throw new Error(i + " is not a PostCSS plugin");
          }
        }
        return normalized;
      }
      process(css, opts = {}) {
        if (!this.plugins.length && !opts.parser && !opts.stringifier && !opts.syntax) {
          return new NoWorkResult(this, css, opts);
        } else {
          return new LazyResult(this, css, opts);
        }
      }
      use(plugin) {
        this.plugins = this.plugins.concat(this.normalize([plugin]));
        return this;
      }
    };
    module.exports = Processor;
    Processor.default = Processor;
    Root.registerProcessor(Processor);
    Document.registerProcessor(Processor);
  }
});

// node_modules/postcss/lib/postcss.js
var require_postcss = __commonJS({
  "node_modules/postcss/lib/postcss.js"(exports, module) {
    "use strict";
    var AtRule = require_at_rule();
    var Comment = require_comment();
    var Container = require_container();
    var CssSyntaxError = require_css_syntax_error();
    var Declaration = require_declaration();
    var Document = require_document();
    var fromJSON = require_fromJSON();
    var Input = require_input();
    var LazyResult = require_lazy_result();
    var list = require_list();
    var Node = require_node2();
    var parse = require_parse();
    var Processor = require_processor();
    var Result = require_result();
    var Root = require_root();
    var Rule = require_rule();
    var stringify = require_stringify2();
    var Warning = require_warning();
    function postcss(...plugins) {
      if (plugins.length === 1 && Array.isArray(plugins[0])) {
        plugins = plugins[0];
      }
      return new Processor(plugins);
    }
    postcss.plugin = function plugin(name, initializer) {
      let warningPrinted = false;
      function creator(...args) {
        if (console && console.warn && !warningPrinted) {
          warningPrinted = true;
          console.warn(
            name + ": postcss.plugin was deprecated. Migration guide:\nhttps://evilmartians.com/chronicles/postcss-8-plugin-migration"
          );
          if (process.env.LANG && process.env.LANG.startsWith("zh")) {
            console.warn(
              name + ": 里面 postcss.plugin 被弃用. 迁移指南:\nhttps://www.w3ctech.com/topic/2226"
            );
          }
        }
        let transformer = initializer(...args);
        transformer.postcssPlugin = name;
        transformer.postcssVersion = new Processor().version;
        return transformer;
      }
      let cache2;
      Object.defineProperty(creator, "postcss", {
        get() {
          if (!cache2) cache2 = creator();
          return cache2;
        }
      });
      creator.process = function(css, processOpts, pluginOpts) {
        return postcss([creator(pluginOpts)]).process(css, processOpts);
      };
      return creator;
    };
    postcss.stringify = stringify;
    postcss.parse = parse;
    postcss.fromJSON = fromJSON;
    postcss.list = list;
    postcss.comment = (defaults) => new Comment(defaults);
    postcss.atRule = (defaults) => new AtRule(defaults);
    postcss.decl = (defaults) => new Declaration(defaults);
    postcss.rule = (defaults) => new Rule(defaults);
    postcss.root = (defaults) => new Root(defaults);
    postcss.document = (defaults) => new Document(defaults);
    postcss.CssSyntaxError = CssSyntaxError;
    postcss.Declaration = Declaration;
    postcss.Container = Container;
    postcss.Processor = Processor;
    postcss.Document = Document;
    postcss.Comment = Comment;
    postcss.Warning = Warning;
    postcss.AtRule = AtRule;
    postcss.Result = Result;
    postcss.Input = Input;
    postcss.Rule = Rule;
    postcss.Root = Root;
    postcss.Node = Node;
    LazyResult.registerPostcss(postcss);
    module.exports = postcss;
    postcss.default = postcss;
  }
});

// node_modules/dayjs/dayjs.min.js
var require_dayjs_min = __commonJS({
  "node_modules/dayjs/dayjs.min.js"(exports, module) {
    !(function(t, e) {
      "object" == typeof exports && "undefined" != typeof module ? module.exports = e() : "function" == typeof define && define.amd ? define(e) : (t = "undefined" != typeof globalThis ? globalThis : t || self).dayjs = e();
    })(exports, (function() {
      "use strict";
      var t = 1e3, e = 6e4, n = 36e5, r = "millisecond", i = "second", s = "minute", u = "hour", a = "day", o = "week", c = "month", f = "quarter", h = "year", d = "date", l3 = "Invalid Date", $ = /^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$/, y2 = /\[([^\]]+)]|YYYY|YY|M{1,4}|D{1,2}|d{1,4}|H{1,2}|h{1,2}|a|A|m{1,2}|s{1,2}|Z{1,2}|SSS/g, M2 = { name: "en", weekdays: "Sunday_Monday_Tuesday_Wednesday_Thursday_Friday_Saturday".split("_"), months: "January_February_March_April_May_June_July_August_September_October_November_December".split("_"), ordinal: function(t2) {
        var e2 = ["th", "st", "nd", "rd"], n2 = t2 % 100;
        return "[" + t2 + (e2[(n2 - 20) % 10] || e2[n2] || e2[0]) + "]";
      } }, m = function(t2, e2, n2) {
        var r2 = String(t2);
        return !r2 || r2.length >= e2 ? t2 : "" + Array(e2 + 1 - r2.length).join(n2) + t2;
      }, v2 = { s: m, z: function(t2) {
        var e2 = -t2.utcOffset(), n2 = Math.abs(e2), r2 = Math.floor(n2 / 60), i2 = n2 % 60;
        return (e2 <= 0 ? "+" : "-") + m(r2, 2, "0") + ":" + m(i2, 2, "0");
      }, m: function t2(e2, n2) {
        if (e2.date() < n2.date()) return -t2(n2, e2);
        var r2 = 12 * (n2.year() - e2.year()) + (n2.month() - e2.month()), i2 = e2.clone().add(r2, c), s2 = n2 - i2 < 0, u2 = e2.clone().add(r2 + (s2 ? -1 : 1), c);
        return +(-(r2 + (n2 - i2) / (s2 ? i2 - u2 : u2 - i2)) || 0);
      }, a: function(t2) {
        return t2 < 0 ? Math.ceil(t2) || 0 : Math.floor(t2);
      }, p: function(t2) {
        return { M: c, y: h, w: o, d: a, D: d, h: u, m: s, s: i, ms: r, Q: f }[t2] || String(t2 || "").toLowerCase().replace(/s$/, "");
      }, u: function(t2) {
        return void 0 === t2;
      } }, g2 = "en", D2 = {};
      D2[g2] = M2;
      var p = "$isDayjsObject", S2 = function(t2) {
        return t2 instanceof _2 || !(!t2 || !t2[p]);
      }, w2 = function t2(e2, n2, r2) {
        var i2;
        if (!e2) return g2;
        if ("string" == typeof e2) {
          var s2 = e2.toLowerCase();
          D2[s2] && (i2 = s2), n2 && (D2[s2] = n2, i2 = s2);
          var u2 = e2.split("-");
          if (!i2 && u2.length > 1) return t2(u2[0]);
        } else {
          var a2 = e2.name;
          D2[a2] = e2, i2 = a2;
        }
        return !r2 && i2 && (g2 = i2), i2 || !r2 && g2;
      }, O2 = function(t2, e2) {
        if (S2(t2)) return t2.clone();
        var n2 = "object" == typeof e2 ? e2 : {};
        return n2.date = t2, n2.args = arguments, new _2(n2);
      }, b = v2;
      b.l = w2, b.i = S2, b.w = function(t2, e2) {
        return O2(t2, { locale: e2.$L, utc: e2.$u, x: e2.$x, $offset: e2.$offset });
      };
      var _2 = (function() {
        function M3(t2) {
          this.$L = w2(t2.locale, null, true), this.parse(t2), this.$x = this.$x || t2.x || {}, this[p] = true;
        }
        var m2 = M3.prototype;
        return m2.parse = function(t2) {
          this.$d = (function(t3) {
            var e2 = t3.date, n2 = t3.utc;
            if (null === e2) return /* @__PURE__ */ new Date(NaN);
            if (b.u(e2)) return /* @__PURE__ */ new Date();
            if (e2 instanceof Date) return new Date(e2);
            if ("string" == typeof e2 && !/Z$/i.test(e2)) {
              var r2 = e2.match($);
              if (r2) {
                var i2 = r2[2] - 1 || 0, s2 = (r2[7] || "0").substring(0, 3);
                return n2 ? new Date(Date.UTC(r2[1], i2, r2[3] || 1, r2[4] || 0, r2[5] || 0, r2[6] || 0, s2)) : new Date(r2[1], i2, r2[3] || 1, r2[4] || 0, r2[5] || 0, r2[6] || 0, s2);
              }
            }
            return new Date(e2);
          })(t2), this.init();
        }, m2.init = function() {
          var t2 = this.$d;
          this.$y = t2.getFullYear(), this.$M = t2.getMonth(), this.$D = t2.getDate(), this.$W = t2.getDay(), this.$H = t2.getHours(), this.$m = t2.getMinutes(), this.$s = t2.getSeconds(), this.$ms = t2.getMilliseconds();
        }, m2.$utils = function() {
          return b;
        }, m2.isValid = function() {
          return !(this.$d.toString() === l3);
        }, m2.isSame = function(t2, e2) {
          var n2 = O2(t2);
          return this.startOf(e2) <= n2 && n2 <= this.endOf(e2);
        }, m2.isAfter = function(t2, e2) {
          return O2(t2) < this.startOf(e2);
        }, m2.isBefore = function(t2, e2) {
          return this.endOf(e2) < O2(t2);
        }, m2.$g = function(t2, e2, n2) {
          return b.u(t2) ? this[e2] : this.set(n2, t2);
        }, m2.unix = function() {
          return Math.floor(this.valueOf() / 1e3);
        }, m2.valueOf = function() {
          return this.$d.getTime();
        }, m2.startOf = function(t2, e2) {
          var n2 = this, r2 = !!b.u(e2) || e2, f2 = b.p(t2), l4 = function(t3, e3) {
            var i2 = b.w(n2.$u ? Date.UTC(n2.$y, e3, t3) : new Date(n2.$y, e3, t3), n2);
            return r2 ? i2 : i2.endOf(a);
          }, $2 = function(t3, e3) {
            return b.w(n2.toDate()[t3].apply(n2.toDate("s"), (r2 ? [0, 0, 0, 0] : [23, 59, 59, 999]).slice(e3)), n2);
          }, y3 = this.$W, M4 = this.$M, m3 = this.$D, v3 = "set" + (this.$u ? "UTC" : "");
          switch (f2) {
            case h:
              return r2 ? l4(1, 0) : l4(31, 11);
            case c:
              return r2 ? l4(1, M4) : l4(0, M4 + 1);
            case o:
              var g3 = this.$locale().weekStart || 0, D3 = (y3 < g3 ? y3 + 7 : y3) - g3;
              return l4(r2 ? m3 - D3 : m3 + (6 - D3), M4);
            case a:
            case d:
              return $2(v3 + "Hours", 0);
            case u:
              return $2(v3 + "Minutes", 1);
            case s:
              return $2(v3 + "Seconds", 2);
            case i:
              return $2(v3 + "Milliseconds", 3);
            default:
              return this.clone();
          }
        }, m2.endOf = function(t2) {
          return this.startOf(t2, false);
        }, m2.$set = function(t2, e2) {
          var n2, o2 = b.p(t2), f2 = "set" + (this.$u ? "UTC" : ""), l4 = (n2 = {}, n2[a] = f2 + "Date", n2[d] = f2 + "Date", n2[c] = f2 + "Month", n2[h] = f2 + "FullYear", n2[u] = f2 + "Hours", n2[s] = f2 + "Minutes", n2[i] = f2 + "Seconds", n2[r] = f2 + "Milliseconds", n2)[o2], $2 = o2 === a ? this.$D + (e2 - this.$W) : e2;
          if (o2 === c || o2 === h) {
            var y3 = this.clone().set(d, 1);
            y3.$d[l4]($2), y3.init(), this.$d = y3.set(d, Math.min(this.$D, y3.daysInMonth())).$d;
          } else l4 && this.$d[l4]($2);
          return this.init(), this;
        }, m2.set = function(t2, e2) {
          return this.clone().$set(t2, e2);
        }, m2.get = function(t2) {
          return this[b.p(t2)]();
        }, m2.add = function(r2, f2) {
          var d2, l4 = this;
          r2 = Number(r2);
          var $2 = b.p(f2), y3 = function(t2) {
            var e2 = O2(l4);
            return b.w(e2.date(e2.date() + Math.round(t2 * r2)), l4);
          };
          if ($2 === c) return this.set(c, this.$M + r2);
          if ($2 === h) return this.set(h, this.$y + r2);
          if ($2 === a) return y3(1);
          if ($2 === o) return y3(7);
          var M4 = (d2 = {}, d2[s] = e, d2[u] = n, d2[i] = t, d2)[$2] || 1, m3 = this.$d.getTime() + r2 * M4;
          return b.w(m3, this);
        }, m2.subtract = function(t2, e2) {
          return this.add(-1 * t2, e2);
        }, m2.format = function(t2) {
          var e2 = this, n2 = this.$locale();
          if (!this.isValid()) return n2.invalidDate || l3;
          var r2 = t2 || "YYYY-MM-DDTHH:mm:ssZ", i2 = b.z(this), s2 = this.$H, u2 = this.$m, a2 = this.$M, o2 = n2.weekdays, c2 = n2.months, f2 = n2.meridiem, h2 = function(t3, n3, i3, s3) {
            return t3 && (t3[n3] || t3(e2, r2)) || i3[n3].slice(0, s3);
          }, d2 = function(t3) {
            return b.s(s2 % 12 || 12, t3, "0");
          }, $2 = f2 || function(t3, e3, n3) {
            var r3 = t3 < 12 ? "AM" : "PM";
            return n3 ? r3.toLowerCase() : r3;
          };
          return r2.replace(y2, (function(t3, r3) {
            return r3 || (function(t4) {
              switch (t4) {
                case "YY":
                  return String(e2.$y).slice(-2);
                case "YYYY":
                  return b.s(e2.$y, 4, "0");
                case "M":
                  return a2 + 1;
                case "MM":
                  return b.s(a2 + 1, 2, "0");
                case "MMM":
                  return h2(n2.monthsShort, a2, c2, 3);
                case "MMMM":
                  return h2(c2, a2);
                case "D":
                  return e2.$D;
                case "DD":
                  return b.s(e2.$D, 2, "0");
                case "d":
                  return String(e2.$W);
                case "dd":
                  return h2(n2.weekdaysMin, e2.$W, o2, 2);
                case "ddd":
                  return h2(n2.weekdaysShort, e2.$W, o2, 3);
                case "dddd":
                  return o2[e2.$W];
                case "H":
                  return String(s2);
                case "HH":
                  return b.s(s2, 2, "0");
                case "h":
                  return d2(1);
                case "hh":
                  return d2(2);
                case "a":
                  return $2(s2, u2, true);
                case "A":
                  return $2(s2, u2, false);
                case "m":
                  return String(u2);
                case "mm":
                  return b.s(u2, 2, "0");
                case "s":
                  return String(e2.$s);
                case "ss":
                  return b.s(e2.$s, 2, "0");
                case "SSS":
                  return b.s(e2.$ms, 3, "0");
                case "Z":
                  return i2;
              }
              return null;
            })(t3) || i2.replace(":", "");
          }));
        }, m2.utcOffset = function() {
          return 15 * -Math.round(this.$d.getTimezoneOffset() / 15);
        }, m2.diff = function(r2, d2, l4) {
          var $2, y3 = this, M4 = b.p(d2), m3 = O2(r2), v3 = (m3.utcOffset() - this.utcOffset()) * e, g3 = this - m3, D3 = function() {
            return b.m(y3, m3);
          };
          switch (M4) {
            case h:
              $2 = D3() / 12;
              break;
            case c:
              $2 = D3();
              break;
            case f:
              $2 = D3() / 3;
              break;
            case o:
              $2 = (g3 - v3) / 6048e5;
              break;
            case a:
              $2 = (g3 - v3) / 864e5;
              break;
            case u:
              $2 = g3 / n;
              break;
            case s:
              $2 = g3 / e;
              break;
            case i:
              $2 = g3 / t;
              break;
            default:
              $2 = g3;
          }
          return l4 ? $2 : b.a($2);
        }, m2.daysInMonth = function() {
          return this.endOf(c).$D;
        }, m2.$locale = function() {
          return D2[this.$L];
        }, m2.locale = function(t2, e2) {
          if (!t2) return this.$L;
          var n2 = this.clone(), r2 = w2(t2, e2, true);
          return r2 && (n2.$L = r2), n2;
        }, m2.clone = function() {
          return b.w(this.$d, this);
        }, m2.toDate = function() {
          return new Date(this.valueOf());
        }, m2.toJSON = function() {
          return this.isValid() ? this.toISOString() : null;
        }, m2.toISOString = function() {
          return this.$d.toISOString();
        }, m2.toString = function() {
          return this.$d.toUTCString();
        }, M3;
      })(), Y2 = _2.prototype;
      return O2.prototype = Y2, [["$ms", r], ["$s", i], ["$m", s], ["$H", u], ["$W", a], ["$M", c], ["$y", h], ["$D", d]].forEach((function(t2) {
        Y2[t2[1]] = function(e2) {
          return this.$g(e2, t2[0], t2[1]);
        };
      })), O2.extend = function(t2, e2) {
        return t2.$i || (t2(e2, _2, O2), t2.$i = true), O2;
      }, O2.locale = w2, O2.isDayjs = S2, O2.unix = function(t2) {
        return O2(1e3 * t2);
      }, O2.en = D2[g2], O2.Ls = D2, O2.p = {}, O2;
    }));
  }
});

// node_modules/launder/index.js
var require_launder = __commonJS({
  "node_modules/launder/index.js"(exports, module) {
    var dayjs = require_dayjs_min();
    function cleanHref(href) {
      href = href.replace(/[\x00-\x20]+/g, "");
      while (true) {
        const firstIndex = href.indexOf("<!--");
        if (firstIndex === -1) {
          break;
        }
        const lastIndex = href.indexOf("-->", firstIndex + 4);
        if (lastIndex === -1) {
          break;
        }
        href = href.substring(0, firstIndex) + href.substring(lastIndex + 3);
      }
      return href;
    }
    function naughtyHref(href, options) {
      options = options || {};
      const allowedSchemes = options.allowedSchemes || ["http", "https", "ftp", "mailto", "tel", "sms"];
      const allowProtocolRelative = options.allowProtocolRelative !== false;
      if (typeof href !== "string") {
        return false;
      }
      href = cleanHref(href);
      const matches = href.match(/^([a-zA-Z][a-zA-Z0-9.\-+]*):/);
      if (!matches) {
        if (href.match(/^[/\\]{2}/)) {
          return !allowProtocolRelative;
        }
        return false;
      }
      const scheme = matches[1].toLowerCase();
      return allowedSchemes.indexOf(scheme) === -1;
    }
    module.exports = function(options) {
      const self2 = {};
      self2.options = options || {};
      self2.filterTag = self2.options.filterTag || function(tag) {
        tag = tag.trim();
        return tag.toLowerCase();
      };
      self2.string = function(s, def) {
        if (typeof s !== "string") {
          if (typeof s === "number" || typeof s === "boolean") {
            s += "";
          } else {
            s = "";
          }
        }
        s = s.trim();
        if (def !== void 0) {
          if (s === "") {
            s = def;
          }
        }
        return s;
      };
      self2.strings = function(strings) {
        if (!Array.isArray(strings)) {
          return [];
        }
        return strings.map(function(s) {
          return self2.string(s);
        });
      };
      self2.integer = function(i, def, min, max) {
        if (def === void 0) {
          def = 0;
        }
        if (typeof i === "number") {
          i = Math.floor(i);
        } else {
          try {
            i = parseInt(i, 10);
            if (isNaN(i)) {
              i = def;
            }
          } catch (e) {
            i = def;
          }
        }
        if (typeof min === "number" && i < min) {
          i = min;
        }
        if (typeof max === "number" && i > max) {
          i = max;
        }
        return i;
      };
      self2.padInteger = function(i, places) {
        let s = i + "";
        while (s.length < places) {
          s = "0" + s;
        }
        return s;
      };
      self2.float = function(i, def, min, max) {
        if (def === void 0) {
          def = 0;
        }
        if (!(typeof i === "number")) {
          try {
            i = parseFloat(i, 10);
            if (isNaN(i)) {
              i = def;
            }
          } catch (e) {
            i = def;
          }
        }
        if (typeof min === "number" && i < min) {
          i = min;
        }
        if (typeof max === "number" && i > max) {
          i = max;
        }
        return i;
      };
      self2.naughtyHref = naughtyHref;
      self2.url = function(s, def, httpsFix) {
        s = self2.string(s, def);
        if (s === def) {
          return s;
        }
        s = cleanHref(s);
        if (naughtyHref(s)) {
          return def;
        }
        s = fixUrl(s);
        if (s === null) {
          return def;
        }
        return s;
        function fixUrl(href) {
          if (href.match(/^(((https?|ftp):\/\/)|((mailto|tel|sms):)|#|([^/.]+)?\/|[^/.]+$)/)) {
            return href;
          } else if (href.match(/^[^/.]+\.[^/.]+/)) {
            const protocol = httpsFix ? "https://" : "http://";
            return protocol + href;
          } else {
            return null;
          }
        }
        ;
      };
      self2.select = function(s, choices, def) {
        s = self2.string(s);
        if (!choices || !choices.length) {
          return def;
        }
        let choice;
        if (typeof choices[0] === "object") {
          choice = choices.find(function(choice2) {
            if (choice2.value === null || choice2.value === void 0) {
              return false;
            }
            return choice2.value.toString() === s;
          });
          if (choice != null) {
            return choice.value;
          }
          return def;
        }
        choice = choices.find(function(choice2) {
          if (choice2 === null || choice2 === void 0) {
            return false;
          }
          return choice2.toString() === s;
        });
        if (choice !== void 0) {
          return choice;
        }
        return def;
      };
      self2.boolean = function(b, def) {
        if (b === true) {
          return true;
        }
        if (b === false) {
          return false;
        }
        b = self2.string(b, def);
        if (b === def) {
          if (b === void 0) {
            return false;
          }
          return b;
        }
        b = b.toLowerCase().charAt(0);
        if (b === "" || b === "n" || b === "0" || b === "f") {
          return false;
        }
        if (b === "t" || b === "y" || b === "1") {
          return true;
        }
        return false;
      };
      self2.addBooleanFilterToCriteria = function(options2, name, criteria, def) {
        if (def === void 0) {
          def = null;
        }
        let value = typeof options2 === "object" && options2 !== null ? options2[name] : options2;
        value = value === void 0 ? def : value;
        value = self2.booleanOrNull(value);
        if (value === null) {
        } else if (!value) {
          criteria[name] = { $ne: true };
        } else {
          criteria[name] = true;
        }
      };
      self2.booleanOrNull = function(b, def) {
        if (b === true) {
          return b;
        }
        if (b === false) {
          return b;
        }
        if (b === null) {
          return b;
        }
        b = self2.string(b, def);
        if (b === def) {
          if (def === void 0) {
            return null;
          }
          return b;
        }
        if (b === "null") {
          return null;
        }
        b = b.toLowerCase().charAt(0);
        if (b === "" || b === "n" || b === "0" || b === "f") {
          return false;
        }
        if (b === "t" || b === "y" || b === "1") {
          return true;
        }
        if (b === "a") {
          return null;
        }
        return def;
      };
      self2.date = function(date, def, now) {
        let components;
        function returnDefault() {
          if (def === void 0) {
            def = dayjs().format("YYYY-MM-DD");
          }
          return def;
        }
        if (typeof date === "string") {
          if (date.match(/\//)) {
            components = date.split("/");
            if (components.length === 2) {
              return (now || /* @__PURE__ */ new Date()).getFullYear() + "-" + self2.padInteger(components[0], 2) + "-" + self2.padInteger(components[1], 2);
            } else if (components.length === 3) {
              if (components[2] < 100) {
                const d = now || /* @__PURE__ */ new Date();
                const nowYear = d.getFullYear() % 100;
                const nowCentury = d.getFullYear() - nowYear;
                let theirYear = parseInt(components[2]) + nowCentury;
                if (theirYear - d.getFullYear() > 50) {
                  theirYear -= 100;
                }
                components[2] = theirYear;
              }
              return self2.padInteger(components[2], 4) + "-" + self2.padInteger(components[0], 2) + "-" + self2.padInteger(components[1], 2);
            } else {
              return returnDefault();
            }
          } else if (date.match(/-/)) {
            components = date.split("-");
            if (components.length === 2) {
              return (now || /* @__PURE__ */ new Date()).getFullYear() + "-" + self2.padInteger(components[0], 2) + "-" + self2.padInteger(components[1], 2);
            } else if (components.length === 3) {
              return self2.padInteger(components[0], 4) + "-" + self2.padInteger(components[1], 2) + "-" + self2.padInteger(components[2], 2);
            } else {
              return returnDefault();
            }
          }
        }
        try {
          if (date === null) {
            return returnDefault();
          }
          date = now || new Date(date);
          if (isNaN(date.getTime())) {
            return returnDefault();
          }
          return date.getFullYear() + "-" + self2.padInteger(date.getMonth() + 1, 2) + "-" + self2.padInteger(date.getDate(), 2);
        } catch (e) {
          return returnDefault();
        }
      };
      self2.formatDate = function(date) {
        return dayjs(date).format("YYYY-MM-DD");
      };
      self2.time = function(time, def) {
        time = self2.string(time).toLowerCase();
        time = time.trim();
        const components = time.match(/^(\d+)([:|.](\d+))?([:|.](\d+))?\s*(am|pm|AM|PM|a|p|A|M)?$/);
        if (components) {
          let hours = parseInt(components[1], 10);
          const minutes = components[3] !== void 0 ? parseInt(components[3], 10) : 0;
          const seconds = components[5] !== void 0 ? parseInt(components[5], 10) : 0;
          let ampm = components[6] ? components[6].toLowerCase() : components[6];
          ampm = ampm && ampm.charAt(0);
          if (hours === 12 && ampm === "a") {
            hours -= 12;
          } else if (hours === 12 && ampm === "p") {
          } else if (ampm === "p") {
            hours += 12;
          }
          if (hours === 24 || hours === "24") {
            hours = 0;
          }
          return self2.padInteger(hours, 2) + ":" + self2.padInteger(minutes, 2) + ":" + self2.padInteger(seconds, 2);
        } else {
          if (def !== void 0) {
            return def;
          }
          return dayjs().format("HH:mm");
        }
      };
      self2.formatTime = function(date) {
        return dayjs(date).format("HH:mm:ss");
      };
      self2.tags = function(tags2, filter) {
        if (typeof tags2 === "string") {
          tags2 = tags2.split(/,\s*/);
        }
        if (!Array.isArray(tags2)) {
          return [];
        }
        const strings = tags2.map((tag) => self2.string(tag));
        const rewritten = strings.map(filter || self2.filterTag);
        const filtered = rewritten.filter((tag) => tag.length > 0);
        return filtered;
      };
      self2.idRegExp = self2.options.idRegExp || /^[A-Za-z0-9_]+$/;
      self2.id = function(s, def) {
        const id = self2.string(s, def);
        if (id === def) {
          return id;
        }
        if (!id.match(self2.idRegExp)) {
          return def;
        }
        return id;
      };
      self2.ids = function(ids) {
        if (!Array.isArray(ids)) {
          return [];
        }
        const result = ids.filter(function(id) {
          return self2.id(id) !== void 0;
        });
        return result;
      };
      return self2;
    };
    module.exports.naughtyHref = naughtyHref;
  }
});

// node_modules/sanitize-html/index.js
var require_sanitize_html = __commonJS({
  "node_modules/sanitize-html/index.js"(exports, module) {
    var htmlparser = require_commonjs();
    var escapeStringRegexp = require_escape_string_regexp();
    var { isPlainObject } = require_is_plain_object();
    var deepmerge = require_cjs();
    var parseSrcset = require_parse_srcset();
    var { parse: postcssParse } = require_postcss();
    var { naughtyHref: launderNaughtyHref } = require_launder();
    var mediaTags = [
      "img",
      "audio",
      "video",
      "picture",
      "svg",
      "object",
      "map",
      "iframe",
      "embed"
    ];
    var vulnerableTags = ["script", "style"];
    function each2(obj, cb) {
      if (obj) {
        Object.keys(obj).forEach(function(key) {
          cb(obj[key], key);
        });
      }
    }
    function has(obj, key) {
      return {}.hasOwnProperty.call(obj, key);
    }
    function filter(a, cb) {
      const n = [];
      each2(a, function(v2) {
        if (cb(v2)) {
          n.push(v2);
        }
      });
      return n;
    }
    function isEmptyObject(obj) {
      for (const key in obj) {
        if (has(obj, key)) {
          return false;
        }
      }
      return true;
    }
    function stringifySrcset(parsedSrcset) {
      return parsedSrcset.map(function(part) {
        if (!part.url) {
          throw new Error("URL missing");
        }
        return part.url + (part.w ? ` ${part.w}w` : "") + (part.h ? ` ${part.h}h` : "") + (part.d ? ` ${part.d}x` : "");
      }).join(", ");
    }
    module.exports = sanitizeHtml2;
    var VALID_HTML_ATTRIBUTE_NAME = /^[^\0\t\n\f\r /<=>]+$/;
    function sanitizeHtml2(html2, options, _recursing) {
      if (html2 == null) {
        return "";
      }
      if (typeof html2 === "number") {
        html2 = html2.toString();
      }
      let result = "";
      let tempResult = "";
      function Frame(tag, attribs) {
        const that = this;
        this.tag = tag;
        this.attribs = attribs || {};
        this.tagPosition = result.length;
        this.text = "";
        this.openingTagLength = 0;
        this.mediaChildren = [];
        this.updateParentNodeText = function() {
          if (stack.length) {
            const parentFrame = stack[stack.length - 1];
            parentFrame.text += that.text;
          }
        };
        this.updateParentNodeMediaChildren = function() {
          if (stack.length && mediaTags.includes(this.tag)) {
            const parentFrame = stack[stack.length - 1];
            parentFrame.mediaChildren.push(this.tag);
          }
        };
      }
      options = Object.assign({}, sanitizeHtml2.defaults, options);
      options.parser = Object.assign({}, htmlParserDefaults, options.parser);
      const tagAllowed = function(name) {
        return options.allowedTags === false || (options.allowedTags || []).indexOf(name) > -1;
      };
      vulnerableTags.forEach(function(tag) {
        if (tagAllowed(tag) && !options.allowVulnerableTags) {
          console.warn(`

⚠️ Your \`allowedTags\` option includes, \`${tag}\`, which is inherently
vulnerable to XSS attacks. Please remove it from \`allowedTags\`.
Or, to disable this warning, add the \`allowVulnerableTags\` option
and ensure you are accounting for this risk.

`);
        }
      });
      const nonTextTagsArray = options.nonTextTags || [
        "script",
        "style",
        "textarea",
        "option",
        "xmp"
      ];
      let allowedAttributesMap;
      let allowedAttributesGlobMap;
      if (options.allowedAttributes) {
        allowedAttributesMap = {};
        allowedAttributesGlobMap = {};
        each2(options.allowedAttributes, function(attributes, tag) {
          allowedAttributesMap[tag] = [];
          const globRegex = [];
          attributes.forEach(function(obj) {
            if (typeof obj === "string" && obj.indexOf("*") >= 0) {
              globRegex.push(escapeStringRegexp(obj).replace(/\\\*/g, ".*"));
            } else {
              allowedAttributesMap[tag].push(obj);
            }
          });
          if (globRegex.length) {
            allowedAttributesGlobMap[tag] = new RegExp("^(" + globRegex.join("|") + ")$");
          }
        });
      }
      const allowedClassesMap = {};
      const allowedClassesGlobMap = {};
      const allowedClassesRegexMap = {};
      each2(options.allowedClasses, function(classes, tag) {
        if (allowedAttributesMap) {
          if (!has(allowedAttributesMap, tag)) {
            allowedAttributesMap[tag] = [];
          }
          allowedAttributesMap[tag].push("class");
        }
        allowedClassesMap[tag] = classes;
        if (Array.isArray(classes)) {
          const globRegex = [];
          allowedClassesMap[tag] = [];
          allowedClassesRegexMap[tag] = [];
          classes.forEach(function(obj) {
            if (typeof obj === "string" && obj.indexOf("*") >= 0) {
              globRegex.push(escapeStringRegexp(obj).replace(/\\\*/g, ".*"));
            } else if (obj instanceof RegExp) {
              allowedClassesRegexMap[tag].push(obj);
            } else {
              allowedClassesMap[tag].push(obj);
            }
          });
          if (globRegex.length) {
            allowedClassesGlobMap[tag] = new RegExp("^(" + globRegex.join("|") + ")$");
          }
        }
      });
      const transformTagsMap = {};
      let transformTagsAll;
      each2(options.transformTags, function(transform, tag) {
        let transFun;
        if (typeof transform === "function") {
          transFun = transform;
        } else if (typeof transform === "string") {
          transFun = sanitizeHtml2.simpleTransform(transform);
        }
        if (tag === "*") {
          transformTagsAll = transFun;
        } else {
          transformTagsMap[tag] = transFun;
        }
      });
      let depth;
      let stack;
      let skipMap;
      let transformMap;
      let skipText;
      let skipTextDepth;
      let addedText = false;
      initializeState();
      const parser = new htmlparser.Parser({
        onopentag: function(name, attribs) {
          if (options.onOpenTag) {
            options.onOpenTag(name, attribs);
          }
          if (options.enforceHtmlBoundary && name === "html") {
            initializeState();
          }
          if (skipText) {
            skipTextDepth++;
            return;
          }
          const frame = new Frame(name, attribs);
          stack.push(frame);
          let skip = false;
          const hasText = !!frame.text;
          let transformedTag;
          if (has(transformTagsMap, name)) {
            transformedTag = transformTagsMap[name](name, attribs);
            frame.attribs = attribs = transformedTag.attribs;
            if (transformedTag.text !== void 0) {
              frame.innerText = transformedTag.text;
            }
            if (name !== transformedTag.tagName) {
              frame.name = name = transformedTag.tagName;
              transformMap[depth] = transformedTag.tagName;
            }
          }
          if (transformTagsAll) {
            transformedTag = transformTagsAll(name, attribs);
            frame.attribs = attribs = transformedTag.attribs;
            if (name !== transformedTag.tagName) {
              frame.name = name = transformedTag.tagName;
              transformMap[depth] = transformedTag.tagName;
            }
          }
          if (!tagAllowed(name) || options.disallowedTagsMode === "recursiveEscape" && !isEmptyObject(skipMap) || options.nestingLimit != null && depth >= options.nestingLimit) {
            skip = true;
            skipMap[depth] = true;
            if (options.disallowedTagsMode === "discard" || options.disallowedTagsMode === "completelyDiscard") {
              if (nonTextTagsArray.indexOf(name) !== -1) {
                skipText = true;
                skipTextDepth = 1;
              }
            }
          }
          depth++;
          if (skip) {
            if (options.disallowedTagsMode === "discard" || options.disallowedTagsMode === "completelyDiscard") {
              if (frame.innerText && !hasText) {
                const escaped = escapeHtml(frame.innerText);
                if (options.textFilter) {
                  result += options.textFilter(escaped, name);
                } else {
                  result += escaped;
                }
                addedText = true;
              }
              return;
            }
            tempResult = result;
            result = "";
          }
          result += "<" + name;
          if (name === "script") {
            if (options.allowedScriptHostnames || options.allowedScriptDomains) {
              frame.innerText = "";
            }
          }
          const isBeingEscaped = skip && (options.disallowedTagsMode === "escape" || options.disallowedTagsMode === "recursiveEscape");
          const shouldPreserveEscapedAttributes = isBeingEscaped && options.preserveEscapedAttributes;
          if (shouldPreserveEscapedAttributes) {
            each2(attribs, function(value, a) {
              result += " " + a + '="' + escapeHtml(value || "", true) + '"';
            });
          } else if (!allowedAttributesMap || has(allowedAttributesMap, name) || allowedAttributesMap["*"]) {
            each2(attribs, function(value, a) {
              if (!VALID_HTML_ATTRIBUTE_NAME.test(a)) {
                delete frame.attribs[a];
                return;
              }
              if (value === "" && !options.allowedEmptyAttributes.includes(a) && (options.nonBooleanAttributes.includes(a) || options.nonBooleanAttributes.includes("*"))) {
                delete frame.attribs[a];
                return;
              }
              let passedAllowedAttributesMapCheck = false;
              if (!allowedAttributesMap || has(allowedAttributesMap, name) && allowedAttributesMap[name].indexOf(a) !== -1 || allowedAttributesMap["*"] && allowedAttributesMap["*"].indexOf(a) !== -1 || has(allowedAttributesGlobMap, name) && allowedAttributesGlobMap[name].test(a) || allowedAttributesGlobMap["*"] && allowedAttributesGlobMap["*"].test(a)) {
                passedAllowedAttributesMapCheck = true;
              } else if (allowedAttributesMap && allowedAttributesMap[name]) {
                for (const o of allowedAttributesMap[name]) {
                  if (isPlainObject(o) && o.name && o.name === a) {
                    passedAllowedAttributesMapCheck = true;
                    let newValue = "";
                    if (o.multiple === true) {
                      const splitStrArray = value.split(" ");
                      for (const s of splitStrArray) {
                        if (o.values.indexOf(s) !== -1) {
                          if (newValue === "") {
                            newValue = s;
                          } else {
                            newValue += " " + s;
                          }
                        }
                      }
                    } else if (o.values.indexOf(value) >= 0) {
                      newValue = value;
                    }
                    value = newValue;
                  }
                }
              }
              if (passedAllowedAttributesMapCheck) {
                if (options.allowedSchemesAppliedToAttributes.indexOf(a) !== -1) {
                  if (naughtyHref(name, value)) {
                    delete frame.attribs[a];
                    return;
                  }
                }
                if (name === "script" && a === "src") {
                  let allowed = true;
                  try {
                    const parsed = parseUrl(value);
                    if (options.allowedScriptHostnames || options.allowedScriptDomains) {
                      const allowedHostname = (options.allowedScriptHostnames || []).find(function(hostname) {
                        return hostname === parsed.url.hostname;
                      });
                      const allowedDomain = (options.allowedScriptDomains || []).find(function(domain) {
                        return parsed.url.hostname === domain || parsed.url.hostname.endsWith(`.${domain}`);
                      });
                      allowed = allowedHostname || allowedDomain;
                    }
                  } catch (e) {
                    allowed = false;
                  }
                  if (!allowed) {
                    delete frame.attribs[a];
                    return;
                  }
                }
                if (name === "iframe" && a === "src") {
                  let allowed = true;
                  try {
                    const parsed = parseUrl(value);
                    if (parsed.isRelativeUrl) {
                      allowed = has(options, "allowIframeRelativeUrls") ? options.allowIframeRelativeUrls : !options.allowedIframeHostnames && !options.allowedIframeDomains;
                    } else if (options.allowedIframeHostnames || options.allowedIframeDomains) {
                      const allowedHostname = (options.allowedIframeHostnames || []).find(function(hostname) {
                        return hostname === parsed.url.hostname;
                      });
                      const allowedDomain = (options.allowedIframeDomains || []).find(function(domain) {
                        return parsed.url.hostname === domain || parsed.url.hostname.endsWith(`.${domain}`);
                      });
                      allowed = allowedHostname || allowedDomain;
                    }
                  } catch (e) {
                    allowed = false;
                  }
                  if (!allowed) {
                    delete frame.attribs[a];
                    return;
                  }
                }
                if (a === "srcset" || a === "imagesrcset") {
                  try {
                    let parsed = parseSrcset(value);
                    parsed.forEach(function(value2) {
                      if (naughtyHref(a, value2.url)) {
                        value2.evil = true;
                      }
                    });
                    parsed = filter(parsed, function(v2) {
                      return !v2.evil;
                    });
                    if (!parsed.length) {
                      delete frame.attribs[a];
                      return;
                    } else {
                      value = stringifySrcset(filter(parsed, function(v2) {
                        return !v2.evil;
                      }));
                      frame.attribs[a] = value;
                    }
                  } catch (e) {
                    delete frame.attribs[a];
                    return;
                  }
                }
                if (a === "class") {
                  const allowedSpecificClasses = allowedClassesMap[name];
                  const allowedWildcardClasses = allowedClassesMap["*"];
                  const allowedSpecificClassesGlob = allowedClassesGlobMap[name];
                  const allowedSpecificClassesRegex = allowedClassesRegexMap[name];
                  const allowedWildcardClassesRegex = allowedClassesRegexMap["*"];
                  const allowedWildcardClassesGlob = allowedClassesGlobMap["*"];
                  const allowedClassesGlobs = [
                    allowedSpecificClassesGlob,
                    allowedWildcardClassesGlob
                  ].concat(allowedSpecificClassesRegex, allowedWildcardClassesRegex).filter(function(t) {
                    return t;
                  });
                  if (allowedSpecificClasses && allowedWildcardClasses) {
                    value = filterClasses(
                      value,
                      deepmerge(allowedSpecificClasses, allowedWildcardClasses),
                      allowedClassesGlobs
                    );
                  } else {
                    value = filterClasses(
                      value,
                      allowedSpecificClasses || allowedWildcardClasses,
                      allowedClassesGlobs
                    );
                  }
                  if (!value.length) {
                    delete frame.attribs[a];
                    return;
                  }
                }
                if (a === "style") {
                  if (options.parseStyleAttributes) {
                    try {
                      const abstractSyntaxTree = postcssParse(name + " {" + value + "}", { map: false });
                      const filteredAST = filterCss(
                        abstractSyntaxTree,
                        options.allowedStyles
                      );
                      value = stringifyStyleAttributes(filteredAST);
                      if (value.length === 0) {
                        delete frame.attribs[a];
                        return;
                      }
                    } catch (e) {
                      if (typeof window !== "undefined") {
                        console.warn('Failed to parse "' + name + " {" + value + `}", If you're running this in a browser, we recommend to disable style parsing: options.parseStyleAttributes: false, since this only works in a node environment due to a postcss dependency, More info: https://github.com/apostrophecms/sanitize-html/issues/547`);
                      }
                      delete frame.attribs[a];
                      return;
                    }
                  } else if (options.allowedStyles) {
                    throw new Error("allowedStyles option cannot be used together with parseStyleAttributes: false.");
                  }
                }
                result += " " + a;
                if (value && value.length) {
                  result += '="' + escapeHtml(value, true) + '"';
                } else if (options.allowedEmptyAttributes.includes(a)) {
                  result += '=""';
                }
              } else {
                delete frame.attribs[a];
              }
            });
          }
          if (options.selfClosing.indexOf(name) !== -1) {
            result += " />";
          } else {
            result += ">";
            if (frame.innerText && !hasText && !options.textFilter) {
              result += escapeHtml(frame.innerText);
              addedText = true;
            }
          }
          if (skip) {
            result = tempResult + escapeHtml(result);
            tempResult = "";
          }
          frame.openingTagLength = result.length - frame.tagPosition;
        },
        ontext: function(text) {
          if (skipText) {
            return;
          }
          const lastFrame = stack[stack.length - 1];
          let tag;
          if (lastFrame) {
            tag = lastFrame.tag;
            text = lastFrame.innerText !== void 0 ? lastFrame.innerText : text;
          }
          if (options.disallowedTagsMode === "completelyDiscard" && !tagAllowed(tag)) {
            text = "";
          } else if (tag && tagAllowed(tag) && (options.disallowedTagsMode === "discard" || options.disallowedTagsMode === "completelyDiscard") && (tag === "script" || tag === "style")) {
            result += text;
          } else if (tag && tagAllowed(tag) && (options.disallowedTagsMode === "discard" || options.disallowedTagsMode === "completelyDiscard") && (tag === "textarea" || tag === "xmp")) {
            result += text;
          } else if (!addedText) {
            const escaped = escapeHtml(text, false);
            if (options.textFilter) {
              result += options.textFilter(escaped, tag);
            } else {
              result += escaped;
            }
          }
          if (stack.length) {
            const frame = stack[stack.length - 1];
            frame.text += text;
          }
        },
        onclosetag: function(name, isImplied) {
          if (options.onCloseTag) {
            options.onCloseTag(name, isImplied);
          }
          if (skipText) {
            skipTextDepth--;
            if (!skipTextDepth) {
              skipText = false;
            } else {
              return;
            }
          }
          const frame = stack.pop();
          if (!frame) {
            return;
          }
          if (frame.tag !== name) {
            stack.push(frame);
            return;
          }
          skipText = options.enforceHtmlBoundary ? name === "html" : false;
          depth--;
          const skip = skipMap[depth];
          if (skip) {
            delete skipMap[depth];
            if (options.disallowedTagsMode === "discard" || options.disallowedTagsMode === "completelyDiscard") {
              frame.updateParentNodeText();
              return;
            }
            tempResult = result;
            result = "";
          }
          if (transformMap[depth]) {
            name = transformMap[depth];
            delete transformMap[depth];
          }
          if (options.exclusiveFilter) {
            const filterResult = options.exclusiveFilter(frame);
            if (filterResult === "excludeTag") {
              if (skip) {
                result = tempResult;
                tempResult = "";
              }
              result = result.substring(0, frame.tagPosition) + result.substring(frame.tagPosition + frame.openingTagLength);
              return;
            } else if (filterResult) {
              result = result.substring(0, frame.tagPosition);
              return;
            }
          }
          frame.updateParentNodeMediaChildren();
          frame.updateParentNodeText();
          if (
            // Already output />
            options.selfClosing.indexOf(name) !== -1 || // Escaped tag, closing tag is implied
            isImplied && !tagAllowed(name) && ["escape", "recursiveEscape"].indexOf(options.disallowedTagsMode) >= 0
          ) {
            if (skip) {
              result = tempResult;
              tempResult = "";
            }
            return;
          }
          result += "</" + name + ">";
          if (skip) {
            result = tempResult + escapeHtml(result);
            tempResult = "";
          }
          addedText = false;
        }
      }, options.parser);
      parser.write(html2);
      parser.end();
      if (options.disallowedTagsMode === "escape" || options.disallowedTagsMode === "recursiveEscape") {
        const lastParsedIndex = parser.endIndex;
        if (lastParsedIndex != null && lastParsedIndex >= 0 && lastParsedIndex < html2.length) {
          const unparsed = html2.substring(lastParsedIndex);
          result += escapeHtml(unparsed);
        } else if ((lastParsedIndex == null || lastParsedIndex < 0) && html2.length > 0 && result === "") {
          result = escapeHtml(html2);
        }
      }
      return result;
      function initializeState() {
        result = "";
        depth = 0;
        stack = [];
        skipMap = {};
        transformMap = {};
        skipText = false;
        skipTextDepth = 0;
      }
      function escapeHtml(s, quote) {
        if (typeof s !== "string") {
          s = s + "";
        }
        if (options.parser.decodeEntities) {
          s = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
          if (quote) {
            s = s.replace(/"/g, "&quot;");
          }
        }
        s = s.replace(/&(?![a-zA-Z0-9#]{1,20};)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
        if (quote) {
          s = s.replace(/"/g, "&quot;");
        }
        return s;
      }
      function naughtyHref(name, href) {
        const allowedSchemes = has(options.allowedSchemesByTag, name) ? options.allowedSchemesByTag[name] : options.allowedSchemes || [];
        return launderNaughtyHref(href, {
          allowedSchemes,
          allowProtocolRelative: options.allowProtocolRelative
        });
      }
      function parseUrl(value) {
        value = value.replace(/^(\w+:)?\s*[\\/]\s*[\\/]/, "$1//");
        if (value.startsWith("relative:")) {
          throw new Error("relative: exploit attempt");
        }
        let base = "relative://relative-site";
        for (let i = 0; i < 100; i++) {
          base += `/${i}`;
        }
        const parsed = new URL(value, base);
        const isRelativeUrl = parsed && parsed.hostname === "relative-site" && parsed.protocol === "relative:";
        return {
          isRelativeUrl,
          url: parsed
        };
      }
      function filterCss(abstractSyntaxTree, allowedStyles) {
        if (!allowedStyles) {
          return abstractSyntaxTree;
        }
        const astRules = abstractSyntaxTree.nodes[0];
        let selectedRule;
        if (allowedStyles[astRules.selector] && allowedStyles["*"]) {
          selectedRule = deepmerge(
            allowedStyles[astRules.selector],
            allowedStyles["*"]
          );
        } else {
          selectedRule = allowedStyles[astRules.selector] || allowedStyles["*"];
        }
        if (selectedRule) {
          abstractSyntaxTree.nodes[0].nodes = astRules.nodes.reduce(filterDeclarations(selectedRule), []);
        }
        return abstractSyntaxTree;
      }
      function stringifyStyleAttributes(filteredAST) {
        return filteredAST.nodes[0].nodes.reduce(function(extractedAttributes, attrObject) {
          extractedAttributes.push(
            `${attrObject.prop}:${attrObject.value}${attrObject.important ? " !important" : ""}`
          );
          return extractedAttributes;
        }, []).join(";");
      }
      function filterDeclarations(selectedRule) {
        return function(allowedDeclarationsList, attributeObject) {
          if (has(selectedRule, attributeObject.prop)) {
            const matchesRegex = selectedRule[attributeObject.prop].some(function(regularExpression) {
              return regularExpression.test(attributeObject.value);
            });
            if (matchesRegex) {
              allowedDeclarationsList.push(attributeObject);
            }
          }
          return allowedDeclarationsList;
        };
      }
      function filterClasses(classes, allowed, allowedGlobs) {
        if (!allowed) {
          return classes;
        }
        classes = classes.split(/\s+/);
        return classes.filter(function(clss) {
          return allowed.indexOf(clss) !== -1 || allowedGlobs.some(function(glob) {
            return glob.test(clss);
          });
        }).join(" ");
      }
    }
    var htmlParserDefaults = {
      decodeEntities: true
    };
    sanitizeHtml2.defaults = {
      allowedTags: [
        // Sections derived from MDN element categories and limited to the more
        // benign categories.
        // https://developer.mozilla.org/en-US/docs/Web/HTML/Element
        // Content sectioning
        "address",
        "article",
        "aside",
        "footer",
        "header",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hgroup",
        "main",
        "nav",
        "section",
        // Text content
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "hr",
        "li",
        "menu",
        "ol",
        "p",
        "pre",
        "ul",
        // Inline text semantics
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "rb",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
        // Table content
        "caption",
        "col",
        "colgroup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr"
      ],
      // Tags that cannot be boolean
      nonBooleanAttributes: [
        "abbr",
        "accept",
        "accept-charset",
        "accesskey",
        "action",
        "allow",
        "alt",
        "as",
        "autocapitalize",
        "autocomplete",
        "blocking",
        "charset",
        "cite",
        "class",
        "color",
        "cols",
        "colspan",
        "content",
        "contenteditable",
        "coords",
        "crossorigin",
        "data",
        "datetime",
        "decoding",
        "dir",
        "dirname",
        "download",
        "draggable",
        "enctype",
        "enterkeyhint",
        "fetchpriority",
        "for",
        "form",
        "formaction",
        "formenctype",
        "formmethod",
        "formtarget",
        "headers",
        "height",
        "hidden",
        "high",
        "href",
        "hreflang",
        "http-equiv",
        "id",
        "imagesizes",
        "imagesrcset",
        "inputmode",
        "integrity",
        "is",
        "itemid",
        "itemprop",
        "itemref",
        "itemtype",
        "kind",
        "label",
        "lang",
        "list",
        "loading",
        "low",
        "max",
        "maxlength",
        "media",
        "method",
        "min",
        "minlength",
        "name",
        "nonce",
        "optimum",
        "pattern",
        "ping",
        "placeholder",
        "popover",
        "popovertarget",
        "popovertargetaction",
        "poster",
        "preload",
        "referrerpolicy",
        "rel",
        "rows",
        "rowspan",
        "sandbox",
        "scope",
        "shape",
        "size",
        "sizes",
        "slot",
        "span",
        "spellcheck",
        "src",
        "srcdoc",
        "srclang",
        "srcset",
        "start",
        "step",
        "style",
        "tabindex",
        "target",
        "title",
        "translate",
        "type",
        "usemap",
        "value",
        "width",
        "wrap",
        // Event handlers
        "onauxclick",
        "onafterprint",
        "onbeforematch",
        "onbeforeprint",
        "onbeforeunload",
        "onbeforetoggle",
        "onblur",
        "oncancel",
        "oncanplay",
        "oncanplaythrough",
        "onchange",
        "onclick",
        "onclose",
        "oncontextlost",
        "oncontextmenu",
        "oncontextrestored",
        "oncopy",
        "oncuechange",
        "oncut",
        "ondblclick",
        "ondrag",
        "ondragend",
        "ondragenter",
        "ondragleave",
        "ondragover",
        "ondragstart",
        "ondrop",
        "ondurationchange",
        "onemptied",
        "onended",
        "onerror",
        "onfocus",
        "onformdata",
        "onhashchange",
        "oninput",
        "oninvalid",
        "onkeydown",
        "onkeypress",
        "onkeyup",
        "onlanguagechange",
        "onload",
        "onloadeddata",
        "onloadedmetadata",
        "onloadstart",
        "onmessage",
        "onmessageerror",
        "onmousedown",
        "onmouseenter",
        "onmouseleave",
        "onmousemove",
        "onmouseout",
        "onmouseover",
        "onmouseup",
        "onoffline",
        "ononline",
        "onpagehide",
        "onpageshow",
        "onpaste",
        "onpause",
        "onplay",
        "onplaying",
        "onpopstate",
        "onprogress",
        "onratechange",
        "onreset",
        "onresize",
        "onrejectionhandled",
        "onscroll",
        "onscrollend",
        "onsecuritypolicyviolation",
        "onseeked",
        "onseeking",
        "onselect",
        "onslotchange",
        "onstalled",
        "onstorage",
        "onsubmit",
        "onsuspend",
        "ontimeupdate",
        "ontoggle",
        "onunhandledrejection",
        "onunload",
        "onvolumechange",
        "onwaiting",
        "onwheel"
      ],
      disallowedTagsMode: "discard",
      allowedAttributes: {
        a: ["href", "name", "target"],
        // We don't currently allow img itself by default, but
        // these attributes would make sense if we did.
        img: ["src", "srcset", "alt", "title", "width", "height", "loading"]
      },
      allowedEmptyAttributes: [
        "alt"
      ],
      // Lots of these won't come up by default because we don't allow them
      selfClosing: ["img", "br", "hr", "area", "base", "basefont", "input", "link", "meta"],
      // URL schemes we permit
      allowedSchemes: ["http", "https", "ftp", "mailto", "tel"],
      allowedSchemesByTag: {},
      allowedSchemesAppliedToAttributes: [
        "href",
        "src",
        "cite",
        "action",
        "formaction",
        "data",
        "xlink:href",
        "poster",
        "background",
        "ping",
        "longdesc",
        "usemap",
        "codebase",
        "classid",
        "archive",
        "profile",
        "manifest",
        "itemid",
        "dynsrc",
        "lowsrc"
      ],
      allowProtocolRelative: true,
      enforceHtmlBoundary: false,
      parseStyleAttributes: true,
      preserveEscapedAttributes: false
    };
    sanitizeHtml2.simpleTransform = function(newTagName, newAttribs, merge2) {
      merge2 = merge2 === void 0 ? true : merge2;
      newAttribs = newAttribs || {};
      return function(tagName, attribs) {
        let attrib;
        if (merge2) {
          for (attrib in newAttribs) {
            attribs[attrib] = newAttribs[attrib];
          }
        } else {
          attribs = newAttribs;
        }
        return {
          tagName: newTagName,
          attribs
        };
      };
    };
  }
});

// sandbox/index.ts
import { mkdtempSync, readFileSync as readFileSync4, rmSync as rmSync2 } from "node:fs";
import { tmpdir } from "node:os";
import { dirname as dirname3, join as join4, resolve } from "node:path";

// sandbox/core.ts
var ServiceError = class extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
  status;
  code;
  extra;
};

// sandbox/appconfig/deployments.ts
var VALIDATING_MS = 5e3;
var ROLLING_BACK_MS = 5e3;
var REVERT_WINDOW_MS = 72 * 60 * 60 * 1e3;
var MINUTE_MS = 6e4;
var IN_FLIGHT = ["VALIDATING", "DEPLOYING", "BAKING", "ROLLING_BACK"];
function isInFlight(d) {
  return IN_FLIGHT.includes(d.State);
}
function growthSteps(growthType, growthFactor) {
  const steps = [];
  for (let n = 0; ; n++) {
    const raw = growthType === "LINEAR" ? growthFactor * (n + 1) : growthFactor * 2 ** n;
    const pct = Math.min(100, Math.round(raw * 100) / 100);
    steps.push(pct);
    if (pct >= 100) return steps;
  }
}
function stepTimes(d) {
  const steps = growthSteps(d.GrowthType, d.GrowthFactor);
  const durationMs = d.DeploymentDurationInMinutes * MINUTE_MS;
  if (durationMs === 0) return [{ at: 0, pct: 100 }];
  const interval = durationMs / steps.length;
  return steps.map((pct, i) => ({ at: Math.round(i * interval), pct }));
}
function log(d, event, at2) {
  d.EventLog.push({ ...event, OccurredAt: at2 });
}
function enter(d, state, at2) {
  d.State = state;
  d.phaseStartedAt = at2;
}
function formatPct(pct) {
  return pct.toFixed(2);
}
function advance(d, now, trippedAlarm) {
  const before = d.EventLog.length + d.State;
  for (; ; ) {
    if (d.State === "VALIDATING") {
      const due = d.phaseStartedAt + VALIDATING_MS;
      if (due > now) break;
      enter(d, "DEPLOYING", due);
      continue;
    }
    if (d.State === "DEPLOYING" || d.State === "BAKING") {
      const alarm = trippedAlarm();
      if (alarm !== void 0) {
        startRollback(d, now, "CLOUDWATCH_ALARM", `Rollback initiated by alarm ${alarm}`);
        continue;
      }
    }
    if (d.State === "DEPLOYING") {
      const due = d.phaseStartedAt + d.DeploymentDurationInMinutes * MINUTE_MS;
      for (const step of stepTimes(d)) {
        const at2 = d.phaseStartedAt + step.at;
        if (at2 > now || step.pct <= d.PercentageComplete) continue;
        d.PercentageComplete = step.pct;
        log(
          d,
          {
            EventType: "PERCENTAGE_UPDATED",
            TriggeredBy: "APPCONFIG",
            Description: `Deployment percentage updated to ${formatPct(step.pct)}`
          },
          at2
        );
      }
      if (due > now) break;
      d.PercentageComplete = 100;
      enter(d, "BAKING", due);
      log(
        d,
        { EventType: "BAKE_TIME_STARTED", TriggeredBy: "APPCONFIG", Description: "Bake time started" },
        due
      );
      continue;
    }
    if (d.State === "BAKING") {
      const due = d.phaseStartedAt + d.FinalBakeTimeInMinutes * MINUTE_MS;
      if (due > now) break;
      enter(d, "COMPLETE", due);
      d.CompletedAt = due;
      log(
        d,
        { EventType: "DEPLOYMENT_COMPLETED", TriggeredBy: "APPCONFIG", Description: "Deployment completed" },
        due
      );
      continue;
    }
    if (d.State === "ROLLING_BACK") {
      const due = d.phaseStartedAt + ROLLING_BACK_MS;
      if (due > now) break;
      finishRollback(d, due);
      continue;
    }
    break;
  }
  return before !== d.EventLog.length + d.State;
}
function startRollback(d, at2, by, description) {
  enter(d, "ROLLING_BACK", at2);
  log(d, { EventType: "ROLLBACK_STARTED", TriggeredBy: by, Description: description }, at2);
}
function finishRollback(d, at2) {
  enter(d, "ROLLED_BACK", at2);
  d.CompletedAt = at2;
  log(
    d,
    { EventType: "ROLLBACK_COMPLETED", TriggeredBy: "APPCONFIG", Description: "Rollback completed" },
    at2
  );
}
function stop(d, now, allowRevert, isLatest) {
  if (d.State === "VALIDATING" || d.State === "DEPLOYING" || d.State === "BAKING") {
    startRollback(d, now, "USER", "Rollback initiated by user");
    finishRollback(d, now);
    return { ok: true };
  }
  if (d.State === "ROLLING_BACK") {
    finishRollback(d, now);
    return { ok: true };
  }
  if (d.State !== "COMPLETE")
    return { ok: false, reason: `deployment ${d.DeploymentNumber} is already ${d.State}; nothing to stop` };
  if (!allowRevert)
    return {
      ok: false,
      reason: `deployment ${d.DeploymentNumber} is COMPLETE; to roll it back send Allow-Revert: true (AllowRevert)`
    };
  if (!isLatest)
    return {
      ok: false,
      reason: `deployment ${d.DeploymentNumber} is not the environment's latest deployment; only the latest can be reverted`
    };
  if (d.CompletedAt !== void 0 && now - d.CompletedAt > REVERT_WINDOW_MS)
    return {
      ok: false,
      reason: `deployment ${d.DeploymentNumber} completed more than 72 hours ago; deploy the previous version instead`
    };
  enter(d, "REVERTED", now);
  d.CompletedAt = now;
  log(
    d,
    { EventType: "REVERT_COMPLETED", TriggeredBy: "USER", Description: "Deployment reverted by user" },
    now
  );
  return { ok: true };
}
function environmentState(latest) {
  switch (latest?.State) {
    case "VALIDATING":
    case "DEPLOYING":
    case "BAKING":
      return "DEPLOYING";
    case "ROLLING_BACK":
    case "ROLLED_BACK":
    case "REVERTED":
      return latest.State;
    default:
      return "READY_FOR_DEPLOYMENT";
  }
}

// sandbox/appconfig/errors.ts
function badRequest(message) {
  return new ServiceError(400, "BadRequestException", message);
}
function invalidConfiguration(message, details) {
  return new ServiceError(400, "BadRequestException", message, {
    Reason: "InvalidConfiguration",
    Details: { InvalidConfiguration: details }
  });
}
function notFound(resource, id) {
  return new ServiceError(404, "ResourceNotFoundException", `${resource} ${id} not found`, {
    ResourceName: resource
  });
}
function conflict(message) {
  return new ServiceError(409, "ConflictException", message);
}
function quotaExceeded(message) {
  return new ServiceError(402, "ServiceQuotaExceededException", message);
}
function payloadTooLarge(sizeBytes, limitBytes) {
  return new ServiceError(
    413,
    "PayloadTooLargeException",
    `configuration content is ${sizeBytes} bytes; hosted configurations are limited to ${limitBytes} bytes`,
    { Measure: "KILOBYTES", Limit: limitBytes / 1024, Size: Math.ceil(sizeBytes / 1024 * 100) / 100 }
  );
}
function throttling() {
  return new ServiceError(429, "ThrottlingException", "Rate exceeded");
}
function encodeRestJsonError(err) {
  return {
    status: err.status,
    headers: { "x-amzn-errortype": err.code, "content-type": "application/json" },
    body: { Message: err.message, ...err.extra }
  };
}

// sandbox/appconfig/input.ts
function jsonBody(raw) {
  if (raw.length === 0) return {};
  let parsed;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw badRequest("request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw badRequest("request body must be a JSON object");
  return parsed;
}
function requiredString(body2, name, min, max) {
  const v2 = body2[name];
  if (v2 === void 0 || v2 === null) throw badRequest(`${name} is required`);
  return checkString(v2, name, min, max);
}
function optionalString(body2, name, min, max) {
  const v2 = body2[name];
  if (v2 === void 0 || v2 === null) return void 0;
  return checkString(v2, name, min, max);
}
function checkString(v2, name, min, max) {
  if (typeof v2 !== "string") throw badRequest(`${name} must be a string`);
  if (v2.length < min || v2.length > max) throw badRequest(`${name} must be ${min}–${max} characters long`);
  return v2;
}
function optionalNumber(body2, name, min, max, integer) {
  const v2 = body2[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (typeof v2 !== "number" || !Number.isFinite(v2) || integer && !Number.isInteger(v2) || v2 < min || v2 > max)
    throw badRequest(`${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}`);
  return v2;
}
function requiredNumber(body2, name, min, max, integer) {
  const v2 = optionalNumber(body2, name, min, max, integer);
  if (v2 === void 0) throw badRequest(`${name} is required`);
  return v2;
}
function optionalEnum(body2, name, allowed) {
  const v2 = body2[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (typeof v2 !== "string" || !allowed.includes(v2))
    throw badRequest(`${name} must be one of ${allowed.join(", ")}`);
  return v2;
}
function tags(body2) {
  const v2 = body2["Tags"];
  if (v2 === void 0 || v2 === null) return {};
  if (typeof v2 !== "object" || Array.isArray(v2) || Object.values(v2).some((x2) => typeof x2 !== "string"))
    throw badRequest("Tags must be a map of strings");
  if (Object.keys(v2).length > 50) throw badRequest("Tags may hold at most 50 entries");
  return { ...v2 };
}
function integerLabel(raw, name) {
  if (!/^\d{1,9}$/.test(raw)) throw badRequest(`${name} must be a whole number, not ${JSON.stringify(raw)}`);
  return Number(raw);
}
function defined(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v2]) => v2 !== void 0));
}

// sandbox/appconfig/pagination.ts
var DEFAULT_PAGE_SIZE = 50;
function paginate(items, query) {
  const size = parseMaxResults(query.get("max_results"));
  const start = parseNextToken(query.get("next_token"), items.length);
  const page3 = items.slice(start, start + size);
  const end = start + page3.length;
  return end < items.length ? { Items: page3, NextToken: encodeToken(end) } : { Items: page3 };
}
function parseMaxResults(raw) {
  if (raw === null) return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw badRequest(`max_results must be an integer from 1 to 50, not ${JSON.stringify(raw)}`);
  return n;
}
function parseNextToken(raw, length) {
  if (raw === null || raw === "") return 0;
  const decoded = Buffer.from(raw, "base64url").toString("utf8");
  const match = /^offset:(\d+)$/.exec(decoded);
  const offset = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(offset) || offset > length)
    throw badRequest("next_token is not valid; pass the NextToken of the previous page unchanged");
  return offset;
}
function encodeToken(offset) {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

// sandbox/appconfig/validators.ts
var import_ajv = __toESM(require_ajv(), 1);
var import__ = __toESM(require__(), 1);
var MAX_VALIDATOR_CONTENT = 32768;
var compiled = /* @__PURE__ */ new Map();
function compile(schemaText) {
  const cached = compiled.get(schemaText);
  if (cached) return cached;
  let schema;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    throw badRequest("JSON_SCHEMA validator content is not JSON; give the schema as a JSON document");
  }
  const schemaUri = schema?.$schema;
  const draft2020 = typeof schemaUri === "string" && schemaUri.includes("2020-12");
  const ajv = draft2020 ? new import__.Ajv2020({ allErrors: true, strict: false }) : new import_ajv.Ajv({ allErrors: true, strict: false });
  let fn;
  try {
    fn = ajv.compile(schema);
  } catch (err) {
    throw badRequest(`JSON_SCHEMA validator is not a valid JSON Schema: ${err.message}`);
  }
  compiled.set(schemaText, fn);
  return fn;
}
function checkValidatorDefinitions(validators) {
  if (validators === void 0) return [];
  if (!Array.isArray(validators) || validators.length > 2)
    throw badRequest("Validators must be a list of at most 2 validators");
  return validators.map((v2, i) => {
    const { Type, Content } = v2 ?? {};
    if (Type !== "JSON_SCHEMA" && Type !== "LAMBDA")
      throw badRequest(`Validators[${i}].Type must be JSON_SCHEMA or LAMBDA`);
    if (typeof Content !== "string" || Content.length > MAX_VALIDATOR_CONTENT)
      throw badRequest(
        `Validators[${i}].Content must be a string of at most ${MAX_VALIDATOR_CONTENT} characters`
      );
    if (Type === "JSON_SCHEMA") compile(Content);
    return { Type, Content };
  });
}
function runValidators(validators, content) {
  const schemas = validators.filter((v2) => v2.Type === "JSON_SCHEMA");
  if (schemas.length === 0) return;
  let data;
  try {
    data = JSON.parse(content.toString("utf8"));
  } catch {
    throw invalidConfiguration(
      "configuration is not valid JSON, so the JSON_SCHEMA validator cannot check it",
      [{ Constraint: "JSON", Location: "$", Reason: "content is not JSON", Type: "JSON_SCHEMA", Value: "" }]
    );
  }
  const details = [];
  for (const v2 of schemas) {
    const fn = compile(v2.Content);
    if (!fn(data)) details.push(...(fn.errors ?? []).map(toDetail));
  }
  if (details.length > 0) {
    const first = details[0];
    throw invalidConfiguration(
      `configuration does not match the profile's JSON schema: ${first.Location} ${first.Reason}`,
      details
    );
  }
}
function toDetail(e) {
  return {
    Constraint: e.keyword,
    Location: e.instancePath === "" ? "$" : `$${e.instancePath.replaceAll("/", ".")}`,
    Reason: e.message ?? "does not match the schema",
    Type: "JSON_SCHEMA",
    Value: JSON.stringify(e.params)
  };
}

// sandbox/appconfig/deployment-routes.ts
var BASE = "/applications/{ApplicationId}/environments/{EnvironmentId}/deployments";
var STRATEGY_ID = /^(^[a-z0-9]{4,7}$|^AppConfig\.[A-Za-z0-9]{9,40}$)$/;
var iso = (ms) => ms === void 0 ? void 0 : new Date(ms).toISOString();
function deploymentView(d) {
  return defined({
    ApplicationId: d.ApplicationId,
    EnvironmentId: d.EnvironmentId,
    DeploymentStrategyId: d.DeploymentStrategyId,
    ConfigurationProfileId: d.ConfigurationProfileId,
    DeploymentNumber: d.DeploymentNumber,
    ConfigurationName: d.ConfigurationName,
    ConfigurationLocationUri: d.ConfigurationLocationUri,
    ConfigurationVersion: d.ConfigurationVersion,
    Description: d.Description,
    DeploymentDurationInMinutes: d.DeploymentDurationInMinutes,
    GrowthType: d.GrowthType,
    GrowthFactor: d.GrowthFactor,
    FinalBakeTimeInMinutes: d.FinalBakeTimeInMinutes,
    State: d.State,
    EventLog: [...d.EventLog].reverse().map((e) => ({ ...e, ActionInvocations: [], OccurredAt: iso(e.OccurredAt) })),
    PercentageComplete: d.PercentageComplete,
    StartedAt: iso(d.StartedAt),
    CompletedAt: iso(d.CompletedAt),
    AppliedExtensions: [],
    VersionLabel: d.VersionLabel
  });
}
function summaryView(d) {
  return defined({
    DeploymentNumber: d.DeploymentNumber,
    ConfigurationName: d.ConfigurationName,
    ConfigurationVersion: d.ConfigurationVersion,
    DeploymentDurationInMinutes: d.DeploymentDurationInMinutes,
    GrowthType: d.GrowthType,
    GrowthFactor: d.GrowthFactor,
    FinalBakeTimeInMinutes: d.FinalBakeTimeInMinutes,
    State: d.State,
    PercentageComplete: d.PercentageComplete,
    StartedAt: iso(d.StartedAt),
    CompletedAt: iso(d.CompletedAt),
    VersionLabel: d.VersionLabel
  });
}
function resolveVersion(store, profile, ref) {
  if (/^\d+$/.test(ref)) return store.version(profile, Number(ref));
  const labelled = store.versionsOf(profile).find((v2) => v2.VersionLabel === ref);
  if (!labelled) throw notFound("HostedConfigurationVersion", `with VersionLabel ${JSON.stringify(ref)}`);
  return labelled;
}
function registerDeploymentRoutes(router, store, ctx, advanceAll) {
  router.add("POST", BASE, "StartDeployment", (req, p) => {
    const env = store.environment(p["ApplicationId"], p["EnvironmentId"]);
    const body2 = jsonBody(req.body);
    const strategyId = requiredString(body2, "DeploymentStrategyId", 1, 64);
    if (!STRATEGY_ID.test(strategyId))
      throw badRequest(
        "DeploymentStrategyId must be a strategy ID (7 characters) or a predefined AppConfig.* ID"
      );
    const profile = store.profile(env.ApplicationId, requiredString(body2, "ConfigurationProfileId", 1, 64));
    const version = resolveVersion(store, profile, requiredString(body2, "ConfigurationVersion", 1, 1024));
    const strategy = store.strategy(strategyId);
    const description = optionalString(body2, "Description", 0, 1024);
    const expectedLatest = optionalNumber(body2, "LatestDeploymentNumber", 0, Number.MAX_SAFE_INTEGER, true);
    advanceAll();
    const history = store.deploymentsOf(env);
    const running = history.find(isInFlight);
    if (running)
      throw conflict(
        `deployment ${running.DeploymentNumber} of environment ${env.Id} is ${running.State}; AppConfig allows one deployment per environment at a time — wait for it to finish or stop it`
      );
    const latestNumber = history.at(-1)?.DeploymentNumber ?? 0;
    if (expectedLatest !== void 0 && expectedLatest !== latestNumber)
      throw conflict(
        `LatestDeploymentNumber is ${expectedLatest} but environment ${env.Id}'s latest deployment is ${latestNumber}`
      );
    runValidators(profile.Validators, version.Content);
    const now = ctx.clock.now();
    const deployment = defined({
      ApplicationId: env.ApplicationId,
      EnvironmentId: env.Id,
      DeploymentStrategyId: strategy.Id,
      ConfigurationProfileId: profile.Id,
      DeploymentNumber: latestNumber + 1,
      ConfigurationName: profile.Name,
      ConfigurationLocationUri: profile.LocationUri,
      ConfigurationVersion: String(version.VersionNumber),
      VersionLabel: version.VersionLabel,
      Description: description,
      DeploymentDurationInMinutes: strategy.DeploymentDurationInMinutes,
      GrowthType: strategy.GrowthType,
      GrowthFactor: strategy.GrowthFactor,
      FinalBakeTimeInMinutes: strategy.FinalBakeTimeInMinutes,
      State: "VALIDATING",
      PercentageComplete: 0,
      EventLog: [
        {
          EventType: "DEPLOYMENT_STARTED",
          TriggeredBy: "USER",
          Description: "Deployment started",
          OccurredAt: now
        }
      ],
      StartedAt: now,
      phaseStartedAt: now,
      Tags: tags(body2)
    });
    store.state.deployments.push(deployment);
    ctx.changed();
    return { status: 201, body: deploymentView(deployment) };
  }).add("GET", BASE, "ListDeployments", (req, p) => {
    advanceAll();
    const env = store.environment(p["ApplicationId"], p["EnvironmentId"]);
    const newestFirst = store.deploymentsOf(env).reverse();
    return { status: 200, body: paginate(newestFirst.map(summaryView), req.query) };
  }).add("GET", `${BASE}/{DeploymentNumber}`, "GetDeployment", (_req, p) => {
    advanceAll();
    const env = store.environment(p["ApplicationId"], p["EnvironmentId"]);
    const d = store.deployment(env, integerLabel(p["DeploymentNumber"], "DeploymentNumber"));
    return { status: 200, body: deploymentView(d) };
  }).add("DELETE", `${BASE}/{DeploymentNumber}`, "StopDeployment", (req, p) => {
    advanceAll();
    const env = store.environment(p["ApplicationId"], p["EnvironmentId"]);
    const d = store.deployment(env, integerLabel(p["DeploymentNumber"], "DeploymentNumber"));
    const allowRevert = (req.headers["allow-revert"] ?? "").toLowerCase() === "true";
    const isLatest = store.deploymentsOf(env).at(-1) === d;
    const outcome = stop(d, ctx.clock.now(), allowRevert, isLatest);
    if (!outcome.ok) throw badRequest(outcome.reason);
    ctx.changed();
    return { status: 202, body: deploymentView(d) };
  });
}

// sandbox/appconfig/feature-flags.ts
var KEY_PATTERN = /^[a-z][a-zA-Z\d_-]{0,63}$/;
var MAX_ATTRIBUTES = 25;
var MAX_STRING_VALUE = 1024;
var FLAG_MEMBERS = /* @__PURE__ */ new Set([
  "name",
  "description",
  "attributes",
  "_createdAt",
  "_updatedAt",
  "_deprecation"
]);
var CONSTRAINT_MEMBERS = {
  string: /* @__PURE__ */ new Set(["type", "required", "pattern", "enum"]),
  number: /* @__PURE__ */ new Set(["type", "required", "minimum", "maximum"]),
  boolean: /* @__PURE__ */ new Set(["type", "required"]),
  array: /* @__PURE__ */ new Set(["type", "required", "elements"])
};
function isObject(v2) {
  return typeof v2 === "object" && v2 !== null && !Array.isArray(v2);
}
var Problems = class {
  list = [];
  add(location, constraint, reason, value, type = "schema") {
    this.list.push({
      Constraint: constraint,
      Location: location,
      Reason: reason,
      Type: type,
      Value: typeof value === "string" ? value : JSON.stringify(value) ?? "undefined"
    });
  }
};
function checkFeatureFlags(doc) {
  const p = new Problems();
  if (!isObject(doc)) {
    p.add("$", "type", "a feature flag document must be a JSON object", doc);
    return p.list;
  }
  for (const key of Object.keys(doc))
    if (!["version", "flags", "values"].includes(key))
      p.add(
        `$.${key}`,
        "additionalProperties",
        "only version, flags and values are allowed at the top level",
        key
      );
  if (doc["version"] !== "1") p.add("$.version", "const", 'version must be the string "1"', doc["version"]);
  const flags = doc["flags"] ?? {};
  const values = doc["values"] ?? {};
  if (!isObject(flags)) p.add("$.flags", "type", "flags must be an object", flags);
  if (!isObject(values)) p.add("$.values", "type", "values must be an object", values);
  if (!isObject(flags) || !isObject(values)) return p.list;
  for (const [key, def] of Object.entries(flags)) checkFlagDefinition(p, key, def);
  for (const [key, value] of Object.entries(values)) {
    const def = flags[key];
    if (def === void 0) {
      p.add(`$.values.${key}`, "definition", `flag ${key} has a value but no definition in flags`, key);
      continue;
    }
    if (isObject(def)) checkFlagValue(p, key, def, value);
  }
  return p.list;
}
function checkFlagDefinition(p, key, def) {
  const at2 = `$.flags.${key}`;
  if (!KEY_PATTERN.test(key)) p.add(at2, "pattern", `flag key must match ${KEY_PATTERN.source}`, key);
  if (!isObject(def)) {
    p.add(at2, "type", "a flag definition must be an object", def);
    return;
  }
  for (const member of Object.keys(def))
    if (!FLAG_MEMBERS.has(member)) p.add(`${at2}.${member}`, "additionalProperties", "unknown member", member);
  const name = def["name"];
  if (name !== void 0 && (typeof name !== "string" || !/^[^\n]{1,64}$/.test(name)))
    p.add(`${at2}.name`, "pattern", "name must be 1–64 characters on one line", name);
  const description = def["description"];
  if (description !== void 0 && (typeof description !== "string" || description.length > 1024))
    p.add(
      `${at2}.description`,
      "maxLength",
      "description must be a string of at most 1024 characters",
      description
    );
  const attributes = def["attributes"];
  if (attributes === void 0) return;
  if (!isObject(attributes)) {
    p.add(`${at2}.attributes`, "type", "attributes must be an object", attributes);
    return;
  }
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES)
    p.add(
      `${at2}.attributes`,
      "maxProperties",
      `a flag may have at most ${MAX_ATTRIBUTES} attributes`,
      names.length
    );
  for (const [attr, spec] of Object.entries(attributes)) {
    const attrAt = `${at2}.attributes.${attr}`;
    if (!KEY_PATTERN.test(attr))
      p.add(attrAt, "pattern", `attribute key must match ${KEY_PATTERN.source}`, attr);
    if (!isObject(spec)) {
      p.add(attrAt, "type", "an attribute definition must be an object", spec);
      continue;
    }
    const constraints = spec["constraints"];
    if (constraints !== void 0) checkConstraints(p, `${attrAt}.constraints`, constraints, true);
  }
}
function checkConstraints(p, at2, c, allowArray) {
  if (!isObject(c)) {
    p.add(at2, "type", "constraints must be an object", c);
    return;
  }
  const type = c["type"];
  const allowed = typeof type === "string" ? CONSTRAINT_MEMBERS[type] : void 0;
  if (!allowed || type === "array" && !allowArray) {
    const kinds = allowArray ? "string, number, boolean or array" : "string or number";
    p.add(`${at2}.type`, "enum", `constraint type must be ${kinds}`, type);
    return;
  }
  for (const member of Object.keys(c))
    if (!allowed.has(member))
      p.add(`${at2}.${member}`, "additionalProperties", `${member} is not allowed for type ${type}`, member);
  if (c["required"] !== void 0 && typeof c["required"] !== "boolean")
    p.add(`${at2}.required`, "type", "required must be a boolean", c["required"]);
  if (type === "number") {
    for (const bound of ["minimum", "maximum"])
      if (c[bound] !== void 0 && !Number.isInteger(c[bound]))
        p.add(`${at2}.${bound}`, "type", `${bound} must be an integer`, c[bound]);
  }
  if (type === "string") {
    if (c["pattern"] !== void 0 && c["enum"] !== void 0)
      p.add(at2, "oneOf", "a string constraint may have pattern or enum, not both", c);
    const pattern = c["pattern"];
    if (pattern !== void 0 && (typeof pattern !== "string" || !compiles(pattern)))
      p.add(`${at2}.pattern`, "format", "pattern must be a valid regular expression", pattern);
    const en = c["enum"];
    if (en !== void 0 && (!Array.isArray(en) || en.length === 0 || en.length > 100))
      p.add(`${at2}.enum`, "type", "enum must be a list of 1–100 strings or integers", en);
  }
  if (type === "array") {
    if (c["elements"] === void 0)
      p.add(
        `${at2}.elements`,
        "required",
        "an array constraint needs elements (string or number constraints)",
        c
      );
    else checkConstraints(p, `${at2}.elements`, c["elements"], false);
  }
}
function compiles(pattern) {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
function checkFlagValue(p, key, def, value) {
  const at2 = `$.values.${key}`;
  if (!isObject(value)) {
    p.add(at2, "type", "a flag value must be an object", value);
    return;
  }
  if (typeof value["enabled"] !== "boolean")
    p.add(`${at2}.enabled`, "required", "enabled must be true or false", value["enabled"]);
  const attributes = isObject(def["attributes"]) ? def["attributes"] : {};
  for (const [attr, given] of Object.entries(value)) {
    if (attr === "enabled" || attr.startsWith("_")) continue;
    const spec = attributes[attr];
    if (!isObject(spec)) {
      p.add(`${at2}.${attr}`, "definition", `attribute ${attr} is not defined for flag ${key}`, attr);
      continue;
    }
    const c = spec["constraints"];
    if (isObject(c)) checkValue(p, `${at2}.${attr}`, c, given);
    else checkUnconstrained(p, `${at2}.${attr}`, given);
  }
  for (const [attr, spec] of Object.entries(attributes)) {
    if (!isObject(spec) || !isObject(spec["constraints"])) continue;
    if (spec["constraints"]["required"] === true && value[attr] === void 0)
      p.add(
        `${at2}.${attr}`,
        "required",
        `attribute ${attr} is required for flag ${key}`,
        "undefined",
        "constraint"
      );
  }
}
function checkUnconstrained(p, at2, given) {
  const scalar = (v2) => typeof v2 === "string" || typeof v2 === "number" || typeof v2 === "boolean";
  const ok = scalar(given) || Array.isArray(given) && (given.every((v2) => typeof v2 === "string") || given.every((v2) => typeof v2 === "number"));
  if (!ok)
    p.add(at2, "type", "an attribute value must be a string, number, boolean or list of one of them", given);
  else if (typeof given === "string" && given.length > MAX_STRING_VALUE)
    p.add(at2, "maxLength", `string values are limited to ${MAX_STRING_VALUE} characters`, given);
}
function checkValue(p, at2, c, given) {
  const fail = (constraint, reason) => p.add(at2, constraint, reason, given, "constraint");
  switch (c["type"]) {
    case "boolean":
      if (typeof given !== "boolean") fail("type: boolean", "must be true or false");
      return;
    case "number":
      if (typeof given !== "number" || !Number.isFinite(given)) {
        fail("type: number", "must be a number");
        return;
      }
      if (typeof c["minimum"] === "number" && given < c["minimum"])
        fail(`minimum: ${c["minimum"]}`, `must be at least ${c["minimum"]}`);
      if (typeof c["maximum"] === "number" && given > c["maximum"])
        fail(`maximum: ${c["maximum"]}`, `must be at most ${c["maximum"]}`);
      return;
    case "string":
      if (typeof given !== "string") {
        fail("type: string", "must be a string");
        return;
      }
      if (given.length > MAX_STRING_VALUE) fail("maxLength: 1024", "must be at most 1024 characters");
      if (typeof c["pattern"] === "string" && compiles(c["pattern"]) && !new RegExp(c["pattern"]).test(given))
        fail(`pattern: ${c["pattern"]}`, `must match ${c["pattern"]}`);
      if (Array.isArray(c["enum"]) && !c["enum"].some((e) => String(e) === given))
        fail(`enum: ${JSON.stringify(c["enum"])}`, `must be one of ${c["enum"].join(", ")}`);
      return;
    case "array": {
      if (!Array.isArray(given)) {
        fail("type: array", "must be a list");
        return;
      }
      const elements = c["elements"];
      if (!isObject(elements)) return;
      given.forEach((item, i) => {
        checkValue(p, `${at2}[${i}]`, elements, item);
      });
      return;
    }
  }
}
function stampMetadata(doc, previous, nowIso) {
  const out = { ...doc };
  for (const section of ["flags", "values"]) {
    const entries = doc[section];
    if (!isObject(entries)) continue;
    const before = previous && isObject(previous[section]) ? previous[section] : {};
    const stamped = {};
    for (const [key, entry] of Object.entries(entries)) {
      if (!isObject(entry)) {
        stamped[key] = entry;
        continue;
      }
      const old = before[key];
      const unchanged = isObject(old) && sameIgnoringMetadata(old, entry);
      stamped[key] = {
        ...entry,
        _createdAt: entry["_createdAt"] ?? (isObject(old) ? old["_createdAt"] : void 0) ?? nowIso,
        _updatedAt: entry["_updatedAt"] ?? (unchanged ? old["_updatedAt"] : void 0) ?? nowIso
      };
    }
    out[section] = stamped;
  }
  return out;
}
function withoutMetadata(entry) {
  return Object.fromEntries(Object.entries(entry).filter(([k]) => k !== "_createdAt" && k !== "_updatedAt"));
}
function sameIgnoringMetadata(a, b) {
  return canonical(withoutMetadata(a)) === canonical(withoutMetadata(b));
}
function canonical(v2) {
  if (Array.isArray(v2)) return `[${v2.map(canonical).join(",")}]`;
  if (isObject(v2))
    return `{${Object.keys(v2).sort().map((k) => `${JSON.stringify(k)}:${canonical(v2[k])}`).join(",")}}`;
  return JSON.stringify(v2) ?? "null";
}
function simplifyFeatureFlags(doc) {
  const out = {};
  if (!isObject(doc) || !isObject(doc["flags"])) return out;
  const values = isObject(doc["values"]) ? doc["values"] : {};
  for (const key of Object.keys(doc["flags"])) {
    const value = values[key];
    const enabled = isObject(value) && value["enabled"] === true;
    const entry = { enabled };
    if (enabled && isObject(value)) {
      for (const [attr, v2] of Object.entries(value))
        if (attr !== "enabled" && !attr.startsWith("_")) entry[attr] = v2;
    }
    out[key] = entry;
  }
  return out;
}

// sandbox/appconfig/state.ts
var FEATURE_FLAGS_TYPE = "AWS.AppConfig.FeatureFlags";
var FREEFORM_TYPE = "AWS.Freeform";
function emptyState() {
  return { applications: [], environments: [], profiles: [], versions: [], strategies: [], deployments: [] };
}
function serializeState(state) {
  return {
    ...structuredClone({ ...state, versions: [] }),
    versions: state.versions.map((v2) => ({ ...v2, Content: v2.Content.toString("base64") }))
  };
}
function deserializeState(data) {
  const saved = data;
  if (!saved || typeof saved !== "object" || !Array.isArray(saved.applications))
    throw new Error(
      "appconfig: saved state is not in the expected shape; delete the state file to start over"
    );
  return {
    applications: saved.applications,
    environments: saved.environments ?? [],
    profiles: saved.profiles ?? [],
    strategies: saved.strategies ?? [],
    deployments: saved.deployments ?? [],
    versions: (saved.versions ?? []).map((v2) => ({ ...v2, Content: Buffer.from(v2.Content, "base64") }))
  };
}

// sandbox/appconfig/hosted-versions.ts
var MAX_CONTENT_BYTES = 1024 * 1024;
var BASE2 = "/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}/hostedconfigurationversions";
function checkVersionLabel(label2) {
  if (label2.length < 1 || label2.length > 64 || !/[^0-9]/.test(label2))
    throw badRequest(
      `VersionLabel must be 1–64 characters with at least one non-digit (e.g. "v2.2.0"), not ${JSON.stringify(label2)}`
    );
}
function versionReply(status, v2) {
  return {
    status,
    headers: {
      "Application-Id": v2.ApplicationId,
      "Configuration-Profile-Id": v2.ConfigurationProfileId,
      "Version-Number": v2.VersionNumber,
      Description: v2.Description,
      "Content-Type": v2.ContentType,
      VersionLabel: v2.VersionLabel
    },
    body: v2.Content
  };
}
function summary(v2) {
  const out = {
    ApplicationId: v2.ApplicationId,
    ConfigurationProfileId: v2.ConfigurationProfileId,
    VersionNumber: v2.VersionNumber,
    ContentType: v2.ContentType
  };
  if (v2.Description !== void 0) out["Description"] = v2.Description;
  if (v2.VersionLabel !== void 0) out["VersionLabel"] = v2.VersionLabel;
  return out;
}
function prepareContent(profile, raw, previous, nowIso) {
  if (profile.Type !== FEATURE_FLAGS_TYPE) return raw;
  let doc;
  try {
    doc = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw invalidConfiguration("feature flag content is not valid JSON", [
      { Constraint: "JSON", Location: "$", Reason: err.message, Type: "schema", Value: "" }
    ]);
  }
  const problems = checkFeatureFlags(doc);
  if (problems.length > 0) {
    const first = problems[0];
    throw invalidConfiguration(
      `feature flag configuration is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}); first: ${first.Location} ${first.Reason}`,
      problems
    );
  }
  let before;
  try {
    before = previous ? JSON.parse(previous.Content.toString("utf8")) : void 0;
  } catch {
    before = void 0;
  }
  return Buffer.from(JSON.stringify(stampMetadata(doc, before, nowIso)));
}
function registerHostedVersionRoutes(router, store, ctx) {
  router.add("POST", BASE2, "CreateHostedConfigurationVersion", (req, p) => {
    const profile = store.profile(p["ApplicationId"], p["ConfigurationProfileId"]);
    const contentType = req.headers["content-type"];
    if (!contentType) throw badRequest("Content-Type is required (e.g. application/json)");
    if (req.body.length > MAX_CONTENT_BYTES) throw payloadTooLarge(req.body.length, MAX_CONTENT_BYTES);
    const label2 = req.headers["versionlabel"];
    if (label2 !== void 0) checkVersionLabel(label2);
    const description = req.headers["description"];
    if (description !== void 0 && description.length > 1024)
      throw badRequest("Description must be at most 1024 characters");
    const existing = store.versionsOf(profile);
    const latest = existing[0];
    const lock = req.headers["latest-version-number"];
    if (lock !== void 0) {
      const expected = integerLabel(lock, "Latest-Version-Number");
      const actual = latest?.VersionNumber ?? 0;
      if (expected !== actual)
        throw conflict(
          `Latest-Version-Number is ${expected} but the latest hosted version of profile ${profile.Id} is ${actual}; someone else created a version — re-read and retry`
        );
    }
    const content = prepareContent(profile, req.body, latest, new Date(ctx.clock.now()).toISOString());
    runValidators(profile.Validators, content);
    const version = {
      ApplicationId: profile.ApplicationId,
      ConfigurationProfileId: profile.Id,
      VersionNumber: profile.nextVersionNumber,
      ContentType: contentType,
      Content: content,
      ...description !== void 0 ? { Description: description } : {},
      ...label2 !== void 0 ? { VersionLabel: label2 } : {}
    };
    profile.nextVersionNumber += 1;
    store.state.versions.push(version);
    ctx.changed();
    return versionReply(201, version);
  }).add("GET", BASE2, "ListHostedConfigurationVersions", (req, p) => {
    const profile = store.profile(p["ApplicationId"], p["ConfigurationProfileId"]);
    const filter = req.query.get("version_label");
    const matches = (v2) => {
      if (filter === null) return true;
      if (v2.VersionLabel === void 0) return false;
      return filter.endsWith("*") ? v2.VersionLabel.startsWith(filter.slice(0, -1)) : v2.VersionLabel === filter;
    };
    return {
      status: 200,
      body: paginate(store.versionsOf(profile).filter(matches).map(summary), req.query)
    };
  }).add("GET", `${BASE2}/{VersionNumber}`, "GetHostedConfigurationVersion", (_req, p) => {
    const profile = store.profile(p["ApplicationId"], p["ConfigurationProfileId"]);
    return versionReply(200, store.version(profile, integerLabel(p["VersionNumber"], "VersionNumber")));
  }).add("DELETE", `${BASE2}/{VersionNumber}`, "DeleteHostedConfigurationVersion", (_req, p) => {
    const profile = store.profile(p["ApplicationId"], p["ConfigurationProfileId"]);
    const version = store.version(profile, integerLabel(p["VersionNumber"], "VersionNumber"));
    store.state.versions = store.state.versions.filter((v2) => v2 !== version);
    ctx.changed();
    return { status: 204 };
  });
}

// sandbox/appconfig/resources.ts
var MAX_APPLICATIONS = 100;
var MAX_ENVIRONMENTS = 20;
var MAX_PROFILES = 100;
var ROLE_ARN = /^((arn):(aws|aws-cn|aws-iso|aws-iso-[a-z]{1}|aws-us-gov):(iam)::\d{12}:role[/].*)$/;
function applicationView(app) {
  return defined({ Id: app.Id, Name: app.Name, Description: app.Description });
}
function environmentView(store, env) {
  const latest = store.deploymentsOf(env).at(-1);
  return defined({
    ApplicationId: env.ApplicationId,
    Id: env.Id,
    Name: env.Name,
    Description: env.Description,
    State: environmentState(latest),
    Monitors: env.Monitors
  });
}
function profileView(p) {
  return defined({
    ApplicationId: p.ApplicationId,
    Id: p.Id,
    Name: p.Name,
    Description: p.Description,
    LocationUri: p.LocationUri,
    RetrievalRoleArn: p.RetrievalRoleArn,
    Validators: p.Validators,
    Type: p.Type,
    KmsKeyIdentifier: p.KmsKeyIdentifier
  });
}
function profileSummary(p) {
  return {
    ApplicationId: p.ApplicationId,
    Id: p.Id,
    Name: p.Name,
    LocationUri: p.LocationUri,
    ValidatorTypes: p.Validators.map((v2) => v2.Type),
    Type: p.Type
  };
}
function monitors(raw) {
  if (raw === void 0 || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 5)
    throw badRequest("Monitors must be a list of at most 5 monitors");
  return raw.map((m, i) => {
    const { AlarmArn, AlarmRoleArn } = m ?? {};
    if (typeof AlarmArn !== "string" || AlarmArn.length < 1 || AlarmArn.length > 2048)
      throw badRequest(`Monitors[${i}].AlarmArn is required (the CloudWatch alarm's ARN)`);
    if (AlarmRoleArn !== void 0 && (typeof AlarmRoleArn !== "string" || !ROLE_ARN.test(AlarmRoleArn)))
      throw badRequest(
        `Monitors[${i}].AlarmRoleArn must be an IAM role ARN (arn:aws:iam::123456789012:role/…)`
      );
    return defined({ AlarmArn, AlarmRoleArn });
  });
}
function registerResourceRoutes(router, store, ctx) {
  const s = () => store.state;
  router.add("POST", "/applications", "CreateApplication", (req) => {
    const body2 = jsonBody(req.body);
    if (s().applications.length >= MAX_APPLICATIONS)
      throw quotaExceeded(`an account may have at most ${MAX_APPLICATIONS} applications`);
    const app = defined({
      Id: store.newId(),
      Name: requiredString(body2, "Name", 1, 64),
      Description: optionalString(body2, "Description", 0, 1024),
      Tags: tags(body2)
    });
    s().applications.push(app);
    ctx.changed();
    return { status: 201, body: applicationView(app) };
  }).add("GET", "/applications", "ListApplications", (req) => ({
    status: 200,
    body: paginate(s().applications.map(applicationView), req.query)
  })).add("GET", "/applications/{ApplicationId}", "GetApplication", (_req, p) => ({
    status: 200,
    body: applicationView(store.application(p["ApplicationId"]))
  })).add("PATCH", "/applications/{ApplicationId}", "UpdateApplication", (req, p) => {
    const app = store.application(p["ApplicationId"]);
    const body2 = jsonBody(req.body);
    const name = optionalString(body2, "Name", 1, 64);
    const description = optionalString(body2, "Description", 0, 1024);
    if (name !== void 0) app.Name = name;
    if (description !== void 0) app.Description = description;
    ctx.changed();
    return { status: 200, body: applicationView(app) };
  }).add("DELETE", "/applications/{ApplicationId}", "DeleteApplication", (_req, p) => {
    const app = store.application(p["ApplicationId"]);
    const st2 = s();
    st2.applications = st2.applications.filter((a) => a.Id !== app.Id);
    st2.environments = st2.environments.filter((e) => e.ApplicationId !== app.Id);
    st2.profiles = st2.profiles.filter((x2) => x2.ApplicationId !== app.Id);
    st2.versions = st2.versions.filter((v2) => v2.ApplicationId !== app.Id);
    st2.deployments = st2.deployments.filter((d) => d.ApplicationId !== app.Id);
    ctx.changed();
    return { status: 204 };
  });
  router.add("POST", "/applications/{ApplicationId}/environments", "CreateEnvironment", (req, p) => {
    const app = store.application(p["ApplicationId"]);
    const body2 = jsonBody(req.body);
    if (s().environments.filter((e) => e.ApplicationId === app.Id).length >= MAX_ENVIRONMENTS)
      throw quotaExceeded(`an application may have at most ${MAX_ENVIRONMENTS} environments`);
    const env = defined({
      ApplicationId: app.Id,
      Id: store.newId(),
      Name: requiredString(body2, "Name", 1, 64),
      Description: optionalString(body2, "Description", 0, 1024),
      Monitors: monitors(body2["Monitors"]),
      Tags: tags(body2)
    });
    s().environments.push(env);
    ctx.changed();
    return { status: 201, body: environmentView(store, env) };
  }).add("GET", "/applications/{ApplicationId}/environments", "ListEnvironments", (req, p) => {
    const app = store.application(p["ApplicationId"]);
    const envs = s().environments.filter((e) => e.ApplicationId === app.Id);
    return {
      status: 200,
      body: paginate(
        envs.map((e) => environmentView(store, e)),
        req.query
      )
    };
  }).add(
    "GET",
    "/applications/{ApplicationId}/environments/{EnvironmentId}",
    "GetEnvironment",
    (_req, p) => ({
      status: 200,
      body: environmentView(store, store.environment(p["ApplicationId"], p["EnvironmentId"]))
    })
  ).add(
    "PATCH",
    "/applications/{ApplicationId}/environments/{EnvironmentId}",
    "UpdateEnvironment",
    (req, p) => {
      const env = store.environment(p["ApplicationId"], p["EnvironmentId"]);
      const body2 = jsonBody(req.body);
      const name = optionalString(body2, "Name", 1, 64);
      const description = optionalString(body2, "Description", 0, 1024);
      if (name !== void 0) env.Name = name;
      if (description !== void 0) env.Description = description;
      if (body2["Monitors"] !== void 0) env.Monitors = monitors(body2["Monitors"]);
      ctx.changed();
      return { status: 200, body: environmentView(store, env) };
    }
  ).add(
    "DELETE",
    "/applications/{ApplicationId}/environments/{EnvironmentId}",
    "DeleteEnvironment",
    (_req, p) => {
      const env = store.environment(p["ApplicationId"], p["EnvironmentId"]);
      if (store.deploymentsOf(env).some(isInFlight))
        throw conflict(
          `environment ${env.Id} has a deployment in progress; stop it or wait before deleting`
        );
      const st2 = s();
      st2.environments = st2.environments.filter((e) => e !== env);
      st2.deployments = st2.deployments.filter(
        (d) => !(d.ApplicationId === env.ApplicationId && d.EnvironmentId === env.Id)
      );
      ctx.changed();
      return { status: 204 };
    }
  );
  router.add(
    "POST",
    "/applications/{ApplicationId}/configurationprofiles",
    "CreateConfigurationProfile",
    (req, p) => {
      const app = store.application(p["ApplicationId"]);
      const body2 = jsonBody(req.body);
      if (s().profiles.filter((x2) => x2.ApplicationId === app.Id).length >= MAX_PROFILES)
        throw quotaExceeded(`an application may have at most ${MAX_PROFILES} configuration profiles`);
      const type = optionalString(body2, "Type", 1, 128) ?? FREEFORM_TYPE;
      if (!/^[a-zA-Z.]+$/.test(type)) throw badRequest("Type must match ^[a-zA-Z.]+$");
      if (type !== FREEFORM_TYPE && type !== FEATURE_FLAGS_TYPE)
        throw badRequest(`Type must be ${FEATURE_FLAGS_TYPE} or ${FREEFORM_TYPE}`);
      const locationUri = requiredString(body2, "LocationUri", 1, 2048);
      if (locationUri !== "hosted")
        throw badRequest(
          'the sandbox supports only LocationUri "hosted" (the AppConfig hosted configuration store)'
        );
      const profile = defined({
        ApplicationId: app.Id,
        Id: store.newId(),
        Name: requiredString(body2, "Name", 1, 128),
        Description: optionalString(body2, "Description", 0, 1024),
        LocationUri: locationUri,
        RetrievalRoleArn: optionalString(body2, "RetrievalRoleArn", 20, 2048),
        Validators: checkValidatorDefinitions(body2["Validators"]),
        Type: type,
        KmsKeyIdentifier: optionalString(body2, "KmsKeyIdentifier", 1, 2048),
        Tags: tags(body2),
        nextVersionNumber: 1
      });
      s().profiles.push(profile);
      ctx.changed();
      return { status: 201, body: profileView(profile) };
    }
  ).add(
    "GET",
    "/applications/{ApplicationId}/configurationprofiles",
    "ListConfigurationProfiles",
    (req, p) => {
      const app = store.application(p["ApplicationId"]);
      const type = req.query.get("type");
      const profiles = s().profiles.filter(
        (x2) => x2.ApplicationId === app.Id && (type === null || x2.Type === type)
      );
      return { status: 200, body: paginate(profiles.map(profileSummary), req.query) };
    }
  ).add(
    "GET",
    "/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}",
    "GetConfigurationProfile",
    (_req, p) => ({
      status: 200,
      body: profileView(store.profile(p["ApplicationId"], p["ConfigurationProfileId"]))
    })
  ).add(
    "PATCH",
    "/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}",
    "UpdateConfigurationProfile",
    (req, p) => {
      const profile = store.profile(p["ApplicationId"], p["ConfigurationProfileId"]);
      const body2 = jsonBody(req.body);
      const name = optionalString(body2, "Name", 1, 128);
      const description = optionalString(body2, "Description", 0, 1024);
      if (name !== void 0) profile.Name = name;
      if (description !== void 0) profile.Description = description;
      if (body2["Validators"] !== void 0)
        profile.Validators = checkValidatorDefinitions(body2["Validators"]);
      ctx.changed();
      return { status: 200, body: profileView(profile) };
    }
  ).add(
    "DELETE",
    "/applications/{ApplicationId}/configurationprofiles/{ConfigurationProfileId}",
    "DeleteConfigurationProfile",
    (_req, p) => {
      const profile = store.profile(p["ApplicationId"], p["ConfigurationProfileId"]);
      if (store.versionsOf(profile).length > 0)
        throw conflict(
          `configuration profile ${profile.Id} still has hosted configuration versions; delete them first`
        );
      s().profiles = s().profiles.filter((x2) => x2 !== profile);
      ctx.changed();
      return { status: 204 };
    }
  );
}

// sandbox/appconfig/router.ts
var Router = class {
  routes = [];
  add(method, template, operation2, handler) {
    const labels = [];
    const source = template.replace(/\{(\w+)\}/g, (_2, name) => {
      labels.push(name);
      return "([^/]+)";
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), labels, operation: operation2, handler });
    return this;
  }
  match(req) {
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const m = route.pattern.exec(req.path);
      if (!m) continue;
      const params = {};
      route.labels.forEach((label2, i) => {
        params[label2] = decodeURIComponent(m[i + 1] ?? "");
      });
      return { operation: route.operation, handle: () => route.handler(req, params) };
    }
    return void 0;
  }
};

// sandbox/appconfig/served.ts
function servedVersions(store, env, profile) {
  const history = store.deploymentsOf(env).filter((d) => d.ConfigurationProfileId === profile.Id);
  const baseline = history.filter((d) => d.State === "COMPLETE").at(-1);
  const rolling = history.find((d) => d.State === "DEPLOYING" || d.State === "BAKING");
  const toServed = (d, share) => {
    const version = store.versionsOf(profile).find((v2) => String(v2.VersionNumber) === d.ConfigurationVersion);
    if (!version) return void 0;
    return {
      versionNumber: version.VersionNumber,
      ...version.VersionLabel !== void 0 ? { versionLabel: version.VersionLabel } : {},
      content: version.Content,
      contentType: version.ContentType,
      share
    };
  };
  const out = [];
  if (rolling && rolling.PercentageComplete > 0) {
    const share = rolling.PercentageComplete / 100;
    out.push(toServed(rolling, share));
    if (baseline && share < 1) out.push(toServed(baseline, 1 - share));
  } else if (baseline) {
    out.push(toServed(baseline, 1));
  }
  return out.filter((v2) => v2 !== void 0 && v2.share > 0);
}

// sandbox/appconfig/ids.ts
import { randomBytes } from "node:crypto";
var ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
function newId(taken = () => false) {
  for (; ; ) {
    const bytes = randomBytes(7);
    let id = "";
    for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
    if (!taken(id)) return id;
  }
}

// sandbox/appconfig/strategies.ts
function predefined(id, growthType, growthFactor, durationMinutes, bakeMinutes, description) {
  return {
    Id: id,
    Name: id,
    Description: description,
    GrowthType: growthType,
    GrowthFactor: growthFactor,
    DeploymentDurationInMinutes: durationMinutes,
    FinalBakeTimeInMinutes: bakeMinutes,
    ReplicateTo: "NONE",
    Tags: {}
  };
}
var PREDEFINED_STRATEGIES = [
  predefined("AppConfig.AllAtOnce", "LINEAR", 100, 0, 10, "Quick: all targets at once, 10 minute bake"),
  predefined(
    "AppConfig.Linear50PercentEvery30Seconds",
    "LINEAR",
    50,
    1,
    1,
    "Test/demo: 50% every 30 seconds, 1 minute bake"
  ),
  predefined(
    "AppConfig.Linear20PercentEvery6Minutes",
    "LINEAR",
    20,
    30,
    30,
    "AWS recommended: 20% every 6 minutes, 30 minute bake"
  ),
  predefined(
    "AppConfig.Canary10Percent20Minutes",
    "EXPONENTIAL",
    10,
    20,
    10,
    "AWS recommended: exponential from 10% over 20 minutes, 10 minute bake"
  )
];
function isPredefinedStrategyId(id) {
  return id.startsWith("AppConfig.");
}

// sandbox/appconfig/store.ts
var AppConfigStore = class {
  state = emptyState();
  newId() {
    const s = this.state;
    const all = [s.applications, s.environments, s.profiles, s.strategies];
    return newId((id) => all.some((list) => list.some((r) => r.Id === id)));
  }
  application(id) {
    const app = this.state.applications.find((a) => a.Id === id);
    if (!app) throw notFound("Application", id);
    return app;
  }
  environment(applicationId, id) {
    this.application(applicationId);
    const env = this.state.environments.find((e) => e.ApplicationId === applicationId && e.Id === id);
    if (!env) throw notFound("Environment", id);
    return env;
  }
  profile(applicationId, id) {
    this.application(applicationId);
    const profile = this.state.profiles.find((p) => p.ApplicationId === applicationId && p.Id === id);
    if (!profile) throw notFound("ConfigurationProfile", id);
    return profile;
  }
  allStrategies() {
    return [...PREDEFINED_STRATEGIES, ...this.state.strategies];
  }
  strategy(id) {
    const strategy = this.allStrategies().find((s) => s.Id === id);
    if (!strategy) throw notFound("DeploymentStrategy", id);
    return strategy;
  }
  /** Hosted versions of one profile, newest first. */
  versionsOf(profile) {
    return this.state.versions.filter((v2) => v2.ApplicationId === profile.ApplicationId && v2.ConfigurationProfileId === profile.Id).sort((a, b) => b.VersionNumber - a.VersionNumber);
  }
  version(profile, versionNumber) {
    const version = this.versionsOf(profile).find((v2) => v2.VersionNumber === versionNumber);
    if (!version) throw notFound("HostedConfigurationVersion", String(versionNumber));
    return version;
  }
  /** Deployments of one environment, oldest first. */
  deploymentsOf(env) {
    return this.state.deployments.filter((d) => d.ApplicationId === env.ApplicationId && d.EnvironmentId === env.Id).sort((a, b) => a.DeploymentNumber - b.DeploymentNumber);
  }
  deployment(env, deploymentNumber) {
    const d = this.deploymentsOf(env).find((x2) => x2.DeploymentNumber === deploymentNumber);
    if (!d) throw notFound("Deployment", String(deploymentNumber));
    return d;
  }
  resolveApplication(nameOrId) {
    const s = this.state.applications;
    const app = s.find((a) => a.Id === nameOrId) ?? s.find((a) => a.Name === nameOrId);
    if (!app) throw notFound("Application", nameOrId);
    return app;
  }
  resolveEnvironment(app, nameOrId) {
    const envs = this.state.environments.filter((e) => e.ApplicationId === app.Id);
    const env = envs.find((e) => e.Id === nameOrId) ?? envs.find((e) => e.Name === nameOrId);
    if (!env) throw notFound("Environment", nameOrId);
    return env;
  }
  resolveProfile(app, nameOrId) {
    const profiles = this.state.profiles.filter((p) => p.ApplicationId === app.Id);
    const profile = profiles.find((p) => p.Id === nameOrId) ?? profiles.find((p) => p.Name === nameOrId);
    if (!profile) throw notFound("ConfigurationProfile", nameOrId);
    return profile;
  }
};

// sandbox/appconfig/strategy-routes.ts
var MAX_STRATEGIES = 20;
var GROWTH_TYPES = ["LINEAR", "EXPONENTIAL"];
function view(s) {
  return defined({
    Id: s.Id,
    Name: s.Name,
    Description: s.Description,
    DeploymentDurationInMinutes: s.DeploymentDurationInMinutes,
    GrowthType: s.GrowthType,
    GrowthFactor: s.GrowthFactor,
    FinalBakeTimeInMinutes: s.FinalBakeTimeInMinutes,
    ReplicateTo: s.ReplicateTo
  });
}
function ownStrategy(store, id) {
  if (isPredefinedStrategyId(id))
    throw badRequest(`${id} is a predefined strategy and cannot be changed or deleted`);
  return store.strategy(id);
}
function registerStrategyRoutes(router, store, ctx) {
  router.add("POST", "/deploymentstrategies", "CreateDeploymentStrategy", (req) => {
    const body2 = jsonBody(req.body);
    if (store.state.strategies.length >= MAX_STRATEGIES)
      throw quotaExceeded(`an account may have at most ${MAX_STRATEGIES} deployment strategies`);
    const strategy = defined({
      Id: store.newId(),
      Name: requiredString(body2, "Name", 1, 64),
      Description: optionalString(body2, "Description", 0, 1024),
      DeploymentDurationInMinutes: requiredNumber(body2, "DeploymentDurationInMinutes", 0, 1440, true),
      GrowthFactor: requiredNumber(body2, "GrowthFactor", 1, 100, false),
      GrowthType: optionalEnum(body2, "GrowthType", GROWTH_TYPES) ?? "LINEAR",
      FinalBakeTimeInMinutes: optionalNumber(body2, "FinalBakeTimeInMinutes", 0, 1440, true) ?? 0,
      ReplicateTo: optionalEnum(body2, "ReplicateTo", ["NONE", "SSM_DOCUMENT"]) ?? "NONE",
      Tags: tags(body2)
    });
    store.state.strategies.push(strategy);
    ctx.changed();
    return { status: 201, body: view(strategy) };
  }).add("GET", "/deploymentstrategies", "ListDeploymentStrategies", (req) => ({
    status: 200,
    body: paginate(store.allStrategies().map(view), req.query)
  })).add("GET", "/deploymentstrategies/{DeploymentStrategyId}", "GetDeploymentStrategy", (_req, p) => ({
    status: 200,
    body: view(store.strategy(p["DeploymentStrategyId"]))
  })).add("PATCH", "/deploymentstrategies/{DeploymentStrategyId}", "UpdateDeploymentStrategy", (req, p) => {
    const strategy = ownStrategy(store, p["DeploymentStrategyId"]);
    const body2 = jsonBody(req.body);
    const description = optionalString(body2, "Description", 0, 1024);
    const duration = optionalNumber(body2, "DeploymentDurationInMinutes", 0, 1440, true);
    const bake = optionalNumber(body2, "FinalBakeTimeInMinutes", 0, 1440, true);
    const factor = optionalNumber(body2, "GrowthFactor", 1, 100, false);
    const growthType = optionalEnum(body2, "GrowthType", GROWTH_TYPES);
    if (description !== void 0) strategy.Description = description;
    if (duration !== void 0) strategy.DeploymentDurationInMinutes = duration;
    if (bake !== void 0) strategy.FinalBakeTimeInMinutes = bake;
    if (factor !== void 0) strategy.GrowthFactor = factor;
    if (growthType !== void 0) strategy.GrowthType = growthType;
    ctx.changed();
    return { status: 200, body: view(strategy) };
  }).add("DELETE", "/deployementstrategies/{DeploymentStrategyId}", "DeleteDeploymentStrategy", (_req, p) => {
    const strategy = ownStrategy(store, p["DeploymentStrategyId"]);
    store.state.strategies = store.state.strategies.filter((s) => s !== strategy);
    ctx.changed();
    return { status: 204 };
  });
}

// sandbox/appconfig/service.ts
var OWNED_PATH = /^\/(applications|deploymentstrategies|deployementstrategies)(\/|$)/;
function createAppConfig(ctx, deps) {
  const store = new AppConfigStore();
  const router = new Router();
  function trippedAlarm(env) {
    for (const monitor of env.Monitors) {
      const state = deps.alarms.alarmState(monitor.AlarmArn);
      const trips = state === "ALARM" || state === "INSUFFICIENT_DATA" && deps.rollbackOnInsufficientData === true;
      if (trips && deps.alarms.alarmActionsEnabled(monitor.AlarmArn)) return monitor.AlarmArn;
    }
    return void 0;
  }
  function tick(now) {
    let changed = false;
    for (const d of store.state.deployments) {
      if (!isInFlight(d)) continue;
      const env = store.state.environments.find(
        (e) => e.ApplicationId === d.ApplicationId && e.Id === d.EnvironmentId
      );
      if (!env) continue;
      if (advance(d, now, () => trippedAlarm(env))) changed = true;
    }
    if (changed) ctx.changed();
  }
  registerResourceRoutes(router, store, ctx);
  registerHostedVersionRoutes(router, store, ctx);
  registerStrategyRoutes(router, store, ctx);
  registerDeploymentRoutes(router, store, ctx, () => tick(ctx.clock.now()));
  return {
    name: "appconfig",
    resolve(req) {
      if (!OWNED_PATH.test(req.path)) return void 0;
      const matched = router.match(req);
      if (matched) return matched;
      return {
        operation: "UnknownOperation",
        handle: () => ({
          status: 404,
          headers: { "x-amzn-errortype": "UnknownOperationException" },
          body: { Message: `the sandbox's AppConfig has no operation ${req.method} ${req.path}` }
        })
      };
    },
    encodeError: (err) => encodeRestJsonError(err),
    throttleError: () => throttling(),
    tick,
    dump: () => serializeState(store.state),
    load(data) {
      store.state = deserializeState(data);
    },
    reset() {
      store.state = emptyState();
    },
    served(application, environment, profile) {
      try {
        const app = store.resolveApplication(application);
        return servedVersions(
          store,
          store.resolveEnvironment(app, environment),
          store.resolveProfile(app, profile)
        );
      } catch (error) {
        if (error instanceof ServiceError && error.status === 404) return [];
        throw error;
      }
    },
    resolveTarget(application, environment, profile) {
      const app = store.resolveApplication(application);
      const env = store.resolveEnvironment(app, environment);
      const prof = store.resolveProfile(app, profile);
      return { applicationId: app.Id, environmentId: env.Id, profileId: prof.Id, profileType: prof.Type };
    }
  };
}

// sandbox/appconfigdata/sessions.ts
import { createHash, randomBytes as randomBytes2 } from "node:crypto";
var TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1e3;
var SPENT_TOKEN_MEMORY_MS = 10 * 60 * 1e3;
var Sessions = class {
  sessions = /* @__PURE__ */ new Map();
  tokens = /* @__PURE__ */ new Map();
  start(target, now) {
    const session = { ...target, id: randomBytes2(12).toString("hex") };
    this.sessions.set(session.id, session);
    return this.issue(session, now);
  }
  issue(session, now) {
    const token = randomBytes2(48).toString("base64url");
    this.tokens.set(token, { sessionId: session.id, expiresAt: now + TOKEN_LIFETIME_MS, used: false });
    return token;
  }
  /** Spend a token. Unknown tokens are Corrupted; spent or out-of-date ones Expired. */
  redeem(token, now) {
    const record = this.tokens.get(token);
    const session = record && this.sessions.get(record.sessionId);
    if (!record || !session) return { ok: false, problem: "Corrupted" };
    if (record.used || record.expiresAt < now) return { ok: false, problem: "Expired" };
    record.used = true;
    record.expiresAt = Math.min(record.expiresAt, now + SPENT_TOKEN_MEMORY_MS);
    return { ok: true, session };
  }
  /**
   * Forget expired tokens, and sessions left without a live token, so a long-running sandbox does
   * not grow without bound. Spent tokens are kept until they expire so reuse reads as Expired.
   */
  prune(now) {
    let removed = false;
    for (const [token, record] of this.tokens)
      if (record.expiresAt < now) {
        this.tokens.delete(token);
        removed = true;
      }
    if (!removed) return false;
    const live = new Set([...this.tokens.values()].filter((r) => !r.used).map((r) => r.sessionId));
    for (const id of this.sessions.keys()) if (!live.has(id)) this.sessions.delete(id);
    return removed;
  }
  snapshot() {
    return { sessions: [...this.sessions.values()].map((s) => ({ ...s })), tokens: [...this.tokens] };
  }
  restore(data) {
    this.sessions = new Map(data.sessions.map((s) => [s.id, s]));
    this.tokens = new Map(data.tokens);
  }
  clear() {
    this.sessions.clear();
    this.tokens.clear();
  }
};
function sessionBucket(sessionId) {
  return createHash("sha256").update(sessionId).digest().readUInt32BE(0) / 2 ** 32;
}

// sandbox/appconfigdata/service.ts
var DEFAULT_POLL_SECONDS = 60;
var PRUNE_EVERY_MS = 6e4;
function badRequest2(message, param, problem) {
  const extra = { Reason: "InvalidParameters" };
  if (param && problem) extra["Details"] = { InvalidParameters: { [param]: { Problem: problem } } };
  return new ServiceError(400, "BadRequestException", message, extra);
}
function asDataError(err, referencedBy) {
  if (!(err instanceof ServiceError) || err.code !== "ResourceNotFoundException") return err;
  return new ServiceError(404, "ResourceNotFoundException", err.message, {
    ResourceType: err.extra["ResourceName"],
    ReferencedBy: referencedBy
  });
}
function body(req) {
  try {
    const parsed = req.body.length === 0 ? {} : JSON.parse(req.body.toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed;
  } catch {
  }
  throw badRequest2("request body must be a JSON object");
}
function identifier(b, name) {
  const v2 = b[name];
  if (typeof v2 !== "string" || v2.length < 1 || v2.length > 128)
    throw badRequest2(`${name} is required: the name or ID (1–128 characters)`);
  return v2;
}
function createAppConfigData(ctx, deps) {
  const sessions = new Sessions();
  let lastPrune = 0;
  function startSession(req) {
    const b = body(req);
    const app = identifier(b, "ApplicationIdentifier");
    const env = identifier(b, "EnvironmentIdentifier");
    const profile = identifier(b, "ConfigurationProfileIdentifier");
    const poll = b["RequiredMinimumPollIntervalInSeconds"] ?? DEFAULT_POLL_SECONDS;
    if (typeof poll !== "number" || !Number.isInteger(poll) || poll < 15 || poll > 86400)
      throw badRequest2("RequiredMinimumPollIntervalInSeconds must be an integer from 15 to 86400");
    let target;
    try {
      target = deps.appconfig.resolveTarget(app, env, profile);
    } catch (err) {
      throw asDataError(err, { Application: app, Environment: env, ConfigurationProfile: profile });
    }
    const token = sessions.start(
      {
        applicationId: target.applicationId,
        environmentId: target.environmentId,
        profileId: target.profileId,
        profileType: target.profileType,
        pollIntervalSeconds: poll
      },
      ctx.clock.now()
    );
    ctx.changed();
    return { status: 201, body: { InitialConfigurationToken: token } };
  }
  function pickVersion(session) {
    let served;
    try {
      served = deps.appconfig.served(session.applicationId, session.environmentId, session.profileId);
    } catch (err) {
      throw asDataError(err, { Application: session.applicationId });
    }
    const bucket = sessionBucket(session.id);
    let cumulative = 0;
    for (const version of served) {
      cumulative += version.share;
      if (bucket < cumulative) return version;
    }
    return void 0;
  }
  function getLatest(req) {
    const token = req.query.get("configuration_token");
    if (!token) throw badRequest2("configuration_token is required", "ConfigurationToken", "Corrupted");
    const now = ctx.clock.now();
    const redeemed = sessions.redeem(token, now);
    if (!redeemed.ok)
      throw badRequest2(
        redeemed.problem === "Expired" ? "this configuration token was already used or is older than 24 hours; use the NextPollConfigurationToken of your latest call" : "this configuration token is not one the service issued; start a session with StartConfigurationSession",
        "ConfigurationToken",
        redeemed.problem
      );
    const session = redeemed.session;
    const next = sessions.issue(session, now);
    ctx.changed();
    const headers = {
      "Next-Poll-Configuration-Token": next,
      "Next-Poll-Interval-In-Seconds": session.pollIntervalSeconds
    };
    const version = pickVersion(session);
    if (!version || version.versionNumber === session.lastVersionNumber)
      return { status: 200, headers, body: Buffer.alloc(0) };
    session.lastVersionNumber = version.versionNumber;
    const isFlags = session.profileType === FEATURE_FLAGS_TYPE;
    const content = isFlags ? Buffer.from(JSON.stringify(simplifyFeatureFlags(JSON.parse(version.content.toString("utf8"))))) : version.content;
    headers["Content-Type"] = isFlags ? "application/json" : version.contentType;
    headers["Version-Label"] = version.versionLabel;
    return { status: 200, headers, body: content };
  }
  return {
    name: "appconfigdata",
    resolve(req) {
      if (req.path === "/configurationsessions" && req.method === "POST")
        return { operation: "StartConfigurationSession", handle: () => startSession(req) };
      if (req.path === "/configuration" && req.method === "GET")
        return { operation: "GetLatestConfiguration", handle: () => getLatest(req) };
      return void 0;
    },
    encodeError: (err) => encodeRestJsonError(err),
    throttleError: () => new ServiceError(429, "ThrottlingException", "Rate exceeded"),
    tick(now) {
      if (now - lastPrune < PRUNE_EVERY_MS) return;
      lastPrune = now;
      if (sessions.prune(now)) ctx.changed();
    },
    dump: () => sessions.snapshot(),
    load(data) {
      sessions.restore(data);
    },
    reset() {
      sessions.clear();
    }
  };
}

// sandbox/clock.ts
var SimClock = class {
  baseSim;
  baseReal;
  speedFactor;
  constructor(options = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.baseReal = this.realNow();
    this.baseSim = options.start ?? this.baseReal;
    this.speedFactor = options.speed ?? 1;
  }
  realNow;
  /** Simulated epoch milliseconds. */
  now() {
    return Math.floor(this.baseSim + (this.realNow() - this.baseReal) * this.speedFactor);
  }
  get speed() {
    return this.speedFactor;
  }
  setSpeed(speed) {
    this.rebase();
    this.speedFactor = speed;
  }
  /** Jump simulated time forward. */
  advance(ms) {
    this.rebase();
    this.baseSim += ms;
  }
  /** Continue from a saved simulated instant (after a restart). */
  resumeAt(simNow) {
    this.baseReal = this.realNow();
    this.baseSim = simNow;
  }
  rebase() {
    const real = this.realNow();
    this.baseSim = this.baseSim + (real - this.baseReal) * this.speedFactor;
    this.baseReal = real;
  }
};

// sandbox/cloudwatch/service.ts
import { randomUUID } from "node:crypto";

// sandbox/cloudwatch/protocol.ts
import { gunzipSync } from "node:zlib";

// sandbox/cloudwatch/model/shapes.json
var shapes_default = {
  PutMetricData: {
    type: "operation",
    input: "PutMetricDataInput",
    output: "smithy.api#Unit",
    errors: [
      "InternalServiceFault",
      "InvalidParameterCombinationException",
      "InvalidParameterValueException",
      "MissingRequiredParameterException"
    ]
  },
  PutMetricDataInput: {
    type: "structure",
    members: {
      Namespace: { target: "Namespace", traits: { required: {} } },
      MetricData: { target: "MetricData" },
      EntityMetricData: { target: "EntityMetricDataList" },
      StrictEntityValidation: { target: "StrictEntityValidation" }
    }
  },
  Namespace: { type: "string" },
  MetricData: { type: "list", member: { target: "MetricDatum" } },
  MetricDatum: {
    type: "structure",
    members: {
      MetricName: { target: "MetricName", traits: { required: {} } },
      Dimensions: { target: "Dimensions" },
      Timestamp: { target: "Timestamp" },
      Value: { target: "DatapointValue" },
      StatisticValues: { target: "StatisticSet" },
      Values: { target: "Values" },
      Counts: { target: "Counts" },
      Unit: { target: "StandardUnit" },
      StorageResolution: { target: "StorageResolution" }
    }
  },
  MetricName: { type: "string" },
  Dimensions: { type: "list", member: { target: "Dimension" } },
  Dimension: {
    type: "structure",
    members: {
      Name: { target: "DimensionName", traits: { required: {} } },
      Value: { target: "DimensionValue", traits: { required: {} } }
    }
  },
  DimensionName: { type: "string" },
  DimensionValue: { type: "string" },
  Timestamp: { type: "timestamp" },
  DatapointValue: { type: "double" },
  StatisticSet: {
    type: "structure",
    members: {
      SampleCount: { target: "DatapointValue", traits: { required: {} } },
      Sum: { target: "DatapointValue", traits: { required: {} } },
      Minimum: { target: "DatapointValue", traits: { required: {} } },
      Maximum: { target: "DatapointValue", traits: { required: {} } }
    }
  },
  Values: { type: "list", member: { target: "DatapointValue" } },
  Counts: { type: "list", member: { target: "DatapointValue" } },
  StandardUnit: { type: "enum" },
  StorageResolution: { type: "integer" },
  EntityMetricDataList: { type: "list", member: { target: "EntityMetricData" } },
  EntityMetricData: {
    type: "structure",
    members: { Entity: { target: "Entity" }, MetricData: { target: "MetricData" } }
  },
  Entity: {
    type: "structure",
    members: {
      KeyAttributes: { target: "EntityKeyAttributesMap" },
      Attributes: { target: "EntityAttributesMap" }
    }
  },
  EntityKeyAttributesMap: {
    type: "map",
    key: { target: "EntityKeyAttributesMapKeyString" },
    value: { target: "EntityKeyAttributesMapValueString" }
  },
  EntityKeyAttributesMapKeyString: { type: "string" },
  EntityKeyAttributesMapValueString: { type: "string" },
  EntityAttributesMap: {
    type: "map",
    key: { target: "EntityAttributesMapKeyString" },
    value: { target: "EntityAttributesMapValueString" }
  },
  EntityAttributesMapKeyString: { type: "string" },
  EntityAttributesMapValueString: { type: "string" },
  StrictEntityValidation: { type: "boolean" },
  InternalServiceFault: {
    type: "structure",
    traits: {
      error: "server",
      awsQueryError: { code: "InternalServiceError", httpResponseCode: 500 }
    },
    members: { Message: { target: "FaultDescription" } }
  },
  FaultDescription: { type: "string" },
  InvalidParameterCombinationException: {
    type: "structure",
    traits: {
      error: "client",
      awsQueryError: { code: "InvalidParameterCombination", httpResponseCode: 400 }
    },
    members: { message: { target: "AwsQueryErrorMessage" } }
  },
  AwsQueryErrorMessage: { type: "string" },
  InvalidParameterValueException: {
    type: "structure",
    traits: {
      error: "client",
      awsQueryError: { code: "InvalidParameterValue", httpResponseCode: 400 }
    },
    members: { message: { target: "AwsQueryErrorMessage" } }
  },
  MissingRequiredParameterException: {
    type: "structure",
    traits: { error: "client", awsQueryError: { code: "MissingParameter", httpResponseCode: 400 } },
    members: { message: { target: "AwsQueryErrorMessage" } }
  },
  GetMetricData: {
    type: "operation",
    input: "GetMetricDataInput",
    output: "GetMetricDataOutput",
    errors: ["InvalidNextToken"]
  },
  GetMetricDataInput: {
    type: "structure",
    members: {
      MetricDataQueries: { target: "MetricDataQueries", traits: { required: {} } },
      StartTime: { target: "Timestamp", traits: { required: {} } },
      EndTime: { target: "Timestamp", traits: { required: {} } },
      NextToken: { target: "NextToken" },
      ScanBy: { target: "ScanBy" },
      MaxDatapoints: { target: "GetMetricDataMaxDatapoints" },
      LabelOptions: { target: "LabelOptions" }
    }
  },
  MetricDataQueries: { type: "list", member: { target: "MetricDataQuery" } },
  MetricDataQuery: {
    type: "structure",
    members: {
      Id: { target: "MetricId", traits: { required: {} } },
      MetricStat: { target: "MetricStat" },
      Expression: { target: "MetricExpression" },
      Label: { target: "MetricLabel" },
      ReturnData: { target: "ReturnData" },
      Period: { target: "Period" },
      AccountId: { target: "AccountId" }
    }
  },
  MetricId: { type: "string" },
  MetricStat: {
    type: "structure",
    members: {
      Metric: { target: "Metric", traits: { required: {} } },
      Period: { target: "Period", traits: { required: {} } },
      Stat: { target: "Stat", traits: { required: {} } },
      Unit: { target: "StandardUnit" }
    }
  },
  Metric: {
    type: "structure",
    members: {
      Namespace: { target: "Namespace" },
      MetricName: { target: "MetricName" },
      Dimensions: { target: "Dimensions" }
    }
  },
  Period: { type: "integer" },
  Stat: { type: "string" },
  MetricExpression: { type: "string" },
  MetricLabel: { type: "string" },
  ReturnData: { type: "boolean" },
  AccountId: { type: "string" },
  NextToken: { type: "string" },
  ScanBy: { type: "enum" },
  GetMetricDataMaxDatapoints: { type: "integer" },
  LabelOptions: {
    type: "structure",
    members: { Timezone: { target: "GetMetricDataLabelTimezone" } }
  },
  GetMetricDataLabelTimezone: { type: "string" },
  GetMetricDataOutput: {
    type: "structure",
    members: {
      MetricDataResults: { target: "MetricDataResults" },
      NextToken: { target: "NextToken" },
      Messages: { target: "MetricDataResultMessages" }
    }
  },
  MetricDataResults: { type: "list", member: { target: "MetricDataResult" } },
  MetricDataResult: {
    type: "structure",
    members: {
      Id: { target: "MetricId" },
      Label: { target: "MetricLabel" },
      Timestamps: { target: "Timestamps" },
      Values: { target: "DatapointValues" },
      StatusCode: { target: "StatusCode" },
      Messages: { target: "MetricDataResultMessages" }
    }
  },
  Timestamps: { type: "list", member: { target: "Timestamp" } },
  DatapointValues: { type: "list", member: { target: "DatapointValue" } },
  StatusCode: { type: "enum" },
  MetricDataResultMessages: { type: "list", member: { target: "MessageData" } },
  MessageData: {
    type: "structure",
    members: { Code: { target: "MessageDataCode" }, Value: { target: "MessageDataValue" } }
  },
  MessageDataCode: { type: "string" },
  MessageDataValue: { type: "string" },
  InvalidNextToken: {
    type: "structure",
    traits: { error: "client", awsQueryError: { code: "InvalidNextToken", httpResponseCode: 400 } },
    members: { message: { target: "ErrorMessage" } }
  },
  ErrorMessage: { type: "string" },
  GetMetricStatistics: {
    type: "operation",
    input: "GetMetricStatisticsInput",
    output: "GetMetricStatisticsOutput",
    errors: [
      "InternalServiceFault",
      "InvalidParameterCombinationException",
      "InvalidParameterValueException",
      "MissingRequiredParameterException"
    ]
  },
  GetMetricStatisticsInput: {
    type: "structure",
    members: {
      Namespace: { target: "Namespace", traits: { required: {} } },
      MetricName: { target: "MetricName", traits: { required: {} } },
      Dimensions: { target: "Dimensions" },
      StartTime: { target: "Timestamp", traits: { required: {} } },
      EndTime: { target: "Timestamp", traits: { required: {} } },
      Period: { target: "Period", traits: { required: {} } },
      Statistics: { target: "Statistics" },
      ExtendedStatistics: { target: "ExtendedStatistics" },
      Unit: { target: "StandardUnit" }
    }
  },
  Statistics: { type: "list", member: { target: "Statistic" } },
  Statistic: { type: "enum" },
  ExtendedStatistics: { type: "list", member: { target: "ExtendedStatistic" } },
  ExtendedStatistic: { type: "string" },
  GetMetricStatisticsOutput: {
    type: "structure",
    members: { Label: { target: "MetricLabel" }, Datapoints: { target: "Datapoints" } }
  },
  Datapoints: { type: "list", member: { target: "Datapoint" } },
  Datapoint: {
    type: "structure",
    members: {
      Timestamp: { target: "Timestamp" },
      SampleCount: { target: "DatapointValue" },
      Average: { target: "DatapointValue" },
      Sum: { target: "DatapointValue" },
      Minimum: { target: "DatapointValue" },
      Maximum: { target: "DatapointValue" },
      Unit: { target: "StandardUnit" },
      ExtendedStatistics: { target: "DatapointValueMap" }
    }
  },
  DatapointValueMap: {
    type: "map",
    key: { target: "ExtendedStatistic" },
    value: { target: "DatapointValue" }
  },
  ListMetrics: {
    type: "operation",
    input: "ListMetricsInput",
    output: "ListMetricsOutput",
    errors: ["InternalServiceFault", "InvalidParameterValueException"]
  },
  ListMetricsInput: {
    type: "structure",
    members: {
      Namespace: { target: "Namespace" },
      MetricName: { target: "MetricName" },
      Dimensions: { target: "DimensionFilters" },
      NextToken: { target: "NextToken" },
      RecentlyActive: { target: "RecentlyActive" },
      IncludeLinkedAccounts: { target: "IncludeLinkedAccounts" },
      OwningAccount: { target: "AccountId" }
    }
  },
  DimensionFilters: { type: "list", member: { target: "DimensionFilter" } },
  DimensionFilter: {
    type: "structure",
    members: {
      Name: { target: "DimensionName", traits: { required: {} } },
      Value: { target: "DimensionValue" }
    }
  },
  RecentlyActive: { type: "enum" },
  IncludeLinkedAccounts: { type: "boolean" },
  ListMetricsOutput: {
    type: "structure",
    members: {
      Metrics: { target: "Metrics" },
      NextToken: { target: "NextToken" },
      OwningAccounts: { target: "OwningAccounts" }
    }
  },
  Metrics: { type: "list", member: { target: "Metric" } },
  OwningAccounts: { type: "list", member: { target: "AccountId" } },
  PutMetricAlarm: {
    type: "operation",
    input: "PutMetricAlarmInput",
    output: "smithy.api#Unit",
    errors: ["LimitExceededFault"]
  },
  PutMetricAlarmInput: {
    type: "structure",
    members: {
      AlarmName: { target: "AlarmName", traits: { required: {} } },
      AlarmDescription: { target: "AlarmDescription" },
      ActionsEnabled: { target: "ActionsEnabled" },
      OKActions: { target: "ResourceList" },
      AlarmActions: { target: "ResourceList" },
      InsufficientDataActions: { target: "ResourceList" },
      MetricName: { target: "MetricName" },
      Namespace: { target: "Namespace" },
      Statistic: { target: "Statistic" },
      ExtendedStatistic: { target: "ExtendedStatistic" },
      Dimensions: { target: "Dimensions" },
      Period: { target: "Period" },
      Unit: { target: "StandardUnit" },
      EvaluationPeriods: { target: "EvaluationPeriods", traits: { required: {} } },
      DatapointsToAlarm: { target: "DatapointsToAlarm" },
      Threshold: { target: "Threshold" },
      ComparisonOperator: { target: "ComparisonOperator", traits: { required: {} } },
      TreatMissingData: { target: "TreatMissingData" },
      EvaluateLowSampleCountPercentile: { target: "EvaluateLowSampleCountPercentile" },
      Metrics: { target: "MetricDataQueries" },
      Tags: { target: "TagList" },
      ThresholdMetricId: { target: "MetricId" }
    }
  },
  AlarmName: { type: "string" },
  AlarmDescription: { type: "string" },
  ActionsEnabled: { type: "boolean" },
  ResourceList: { type: "list", member: { target: "ResourceName" } },
  ResourceName: { type: "string" },
  EvaluationPeriods: { type: "integer" },
  DatapointsToAlarm: { type: "integer" },
  Threshold: { type: "double" },
  ComparisonOperator: { type: "enum" },
  TreatMissingData: { type: "string" },
  EvaluateLowSampleCountPercentile: { type: "string" },
  TagList: { type: "list", member: { target: "Tag" } },
  Tag: {
    type: "structure",
    members: {
      Key: { target: "TagKey", traits: { required: {} } },
      Value: { target: "TagValue", traits: { required: {} } }
    }
  },
  TagKey: { type: "string" },
  TagValue: { type: "string" },
  LimitExceededFault: {
    type: "structure",
    traits: { error: "client", awsQueryError: { code: "LimitExceeded", httpResponseCode: 400 } },
    members: { message: { target: "ErrorMessage" } }
  },
  PutCompositeAlarm: {
    type: "operation",
    input: "PutCompositeAlarmInput",
    output: "smithy.api#Unit",
    errors: ["LimitExceededFault"]
  },
  PutCompositeAlarmInput: {
    type: "structure",
    members: {
      ActionsEnabled: { target: "ActionsEnabled" },
      AlarmActions: { target: "ResourceList" },
      AlarmDescription: { target: "AlarmDescription" },
      AlarmName: { target: "AlarmName", traits: { required: {} } },
      AlarmRule: { target: "AlarmRule", traits: { required: {} } },
      InsufficientDataActions: { target: "ResourceList" },
      OKActions: { target: "ResourceList" },
      Tags: { target: "TagList" },
      ActionsSuppressor: { target: "AlarmArn" },
      ActionsSuppressorWaitPeriod: { target: "SuppressorPeriod" },
      ActionsSuppressorExtensionPeriod: { target: "SuppressorPeriod" }
    }
  },
  AlarmRule: { type: "string" },
  AlarmArn: { type: "string" },
  SuppressorPeriod: { type: "integer" },
  DescribeAlarms: {
    type: "operation",
    input: "DescribeAlarmsInput",
    output: "DescribeAlarmsOutput",
    errors: ["InvalidNextToken"]
  },
  DescribeAlarmsInput: {
    type: "structure",
    members: {
      AlarmNames: { target: "AlarmNames" },
      AlarmNamePrefix: { target: "AlarmNamePrefix" },
      AlarmTypes: { target: "AlarmTypes" },
      ChildrenOfAlarmName: { target: "AlarmName" },
      ParentsOfAlarmName: { target: "AlarmName" },
      StateValue: { target: "StateValue" },
      ActionPrefix: { target: "ActionPrefix" },
      MaxRecords: { target: "MaxRecords" },
      NextToken: { target: "NextToken" }
    }
  },
  AlarmNames: { type: "list", member: { target: "AlarmName" } },
  AlarmNamePrefix: { type: "string" },
  AlarmTypes: { type: "list", member: { target: "AlarmType" } },
  AlarmType: { type: "enum" },
  StateValue: { type: "enum" },
  ActionPrefix: { type: "string" },
  MaxRecords: { type: "integer" },
  DescribeAlarmsOutput: {
    type: "structure",
    members: {
      CompositeAlarms: { target: "CompositeAlarms" },
      MetricAlarms: { target: "MetricAlarms" },
      NextToken: { target: "NextToken" }
    }
  },
  CompositeAlarms: { type: "list", member: { target: "CompositeAlarm" } },
  CompositeAlarm: {
    type: "structure",
    members: {
      ActionsEnabled: { target: "ActionsEnabled" },
      AlarmActions: { target: "ResourceList" },
      AlarmArn: { target: "AlarmArn" },
      AlarmConfigurationUpdatedTimestamp: { target: "Timestamp" },
      AlarmDescription: { target: "AlarmDescription" },
      AlarmName: { target: "AlarmName" },
      AlarmRule: { target: "AlarmRule" },
      InsufficientDataActions: { target: "ResourceList" },
      OKActions: { target: "ResourceList" },
      StateReason: { target: "StateReason" },
      StateReasonData: { target: "StateReasonData" },
      StateUpdatedTimestamp: { target: "Timestamp" },
      StateValue: { target: "StateValue" },
      StateTransitionedTimestamp: { target: "Timestamp" },
      ActionsSuppressedBy: { target: "ActionsSuppressedBy" },
      ActionsSuppressedReason: { target: "ActionsSuppressedReason" },
      ActionsSuppressor: { target: "AlarmArn" },
      ActionsSuppressorWaitPeriod: { target: "SuppressorPeriod" },
      ActionsSuppressorExtensionPeriod: { target: "SuppressorPeriod" }
    }
  },
  StateReason: { type: "string" },
  StateReasonData: { type: "string" },
  ActionsSuppressedBy: { type: "enum" },
  ActionsSuppressedReason: { type: "string" },
  MetricAlarms: { type: "list", member: { target: "MetricAlarm" } },
  MetricAlarm: {
    type: "structure",
    members: {
      AlarmName: { target: "AlarmName" },
      AlarmArn: { target: "AlarmArn" },
      AlarmDescription: { target: "AlarmDescription" },
      AlarmConfigurationUpdatedTimestamp: { target: "Timestamp" },
      ActionsEnabled: { target: "ActionsEnabled" },
      OKActions: { target: "ResourceList" },
      AlarmActions: { target: "ResourceList" },
      InsufficientDataActions: { target: "ResourceList" },
      StateValue: { target: "StateValue" },
      StateReason: { target: "StateReason" },
      StateReasonData: { target: "StateReasonData" },
      StateUpdatedTimestamp: { target: "Timestamp" },
      MetricName: { target: "MetricName" },
      Namespace: { target: "Namespace" },
      Statistic: { target: "Statistic" },
      ExtendedStatistic: { target: "ExtendedStatistic" },
      Dimensions: { target: "Dimensions" },
      Period: { target: "Period" },
      Unit: { target: "StandardUnit" },
      EvaluationPeriods: { target: "EvaluationPeriods" },
      DatapointsToAlarm: { target: "DatapointsToAlarm" },
      Threshold: { target: "Threshold" },
      ComparisonOperator: { target: "ComparisonOperator" },
      TreatMissingData: { target: "TreatMissingData" },
      EvaluateLowSampleCountPercentile: { target: "EvaluateLowSampleCountPercentile" },
      Metrics: { target: "MetricDataQueries" },
      ThresholdMetricId: { target: "MetricId" },
      EvaluationState: { target: "EvaluationState" },
      StateTransitionedTimestamp: { target: "Timestamp" }
    }
  },
  EvaluationState: { type: "enum" },
  SetAlarmState: {
    type: "operation",
    input: "SetAlarmStateInput",
    output: "smithy.api#Unit",
    errors: ["InvalidFormatFault", "ResourceNotFound"]
  },
  SetAlarmStateInput: {
    type: "structure",
    members: {
      AlarmName: { target: "AlarmName", traits: { required: {} } },
      StateValue: { target: "StateValue", traits: { required: {} } },
      StateReason: { target: "StateReason", traits: { required: {} } },
      StateReasonData: { target: "StateReasonData" }
    }
  },
  InvalidFormatFault: {
    type: "structure",
    traits: { error: "client", awsQueryError: { code: "InvalidFormat", httpResponseCode: 400 } },
    members: { message: { target: "ErrorMessage" } }
  },
  ResourceNotFound: {
    type: "structure",
    traits: { error: "client", awsQueryError: { code: "ResourceNotFound", httpResponseCode: 404 } },
    members: { message: { target: "ErrorMessage" } }
  },
  DeleteAlarms: {
    type: "operation",
    input: "DeleteAlarmsInput",
    output: "smithy.api#Unit",
    errors: ["ResourceNotFound"]
  },
  DeleteAlarmsInput: {
    type: "structure",
    members: { AlarmNames: { target: "AlarmNames", traits: { required: {} } } }
  },
  DescribeAlarmHistory: {
    type: "operation",
    input: "DescribeAlarmHistoryInput",
    output: "DescribeAlarmHistoryOutput",
    errors: ["InvalidNextToken"]
  },
  DescribeAlarmHistoryInput: {
    type: "structure",
    members: {
      AlarmName: { target: "AlarmName" },
      AlarmTypes: { target: "AlarmTypes" },
      HistoryItemType: { target: "HistoryItemType" },
      StartDate: { target: "Timestamp" },
      EndDate: { target: "Timestamp" },
      MaxRecords: { target: "MaxRecords" },
      NextToken: { target: "NextToken" },
      ScanBy: { target: "ScanBy" }
    }
  },
  HistoryItemType: { type: "enum" },
  DescribeAlarmHistoryOutput: {
    type: "structure",
    members: {
      AlarmHistoryItems: { target: "AlarmHistoryItems" },
      NextToken: { target: "NextToken" }
    }
  },
  AlarmHistoryItems: { type: "list", member: { target: "AlarmHistoryItem" } },
  AlarmHistoryItem: {
    type: "structure",
    members: {
      AlarmName: { target: "AlarmName" },
      AlarmType: { target: "AlarmType" },
      Timestamp: { target: "Timestamp" },
      HistoryItemType: { target: "HistoryItemType" },
      HistorySummary: { target: "HistorySummary" },
      HistoryData: { target: "HistoryData" }
    }
  },
  HistorySummary: { type: "string" },
  HistoryData: { type: "string" },
  EnableAlarmActions: {
    type: "operation",
    input: "EnableAlarmActionsInput",
    output: "smithy.api#Unit",
    errors: []
  },
  EnableAlarmActionsInput: {
    type: "structure",
    members: { AlarmNames: { target: "AlarmNames", traits: { required: {} } } }
  },
  DisableAlarmActions: {
    type: "operation",
    input: "DisableAlarmActionsInput",
    output: "smithy.api#Unit",
    errors: []
  },
  DisableAlarmActionsInput: {
    type: "structure",
    members: { AlarmNames: { target: "AlarmNames", traits: { required: {} } } }
  },
  PutDashboard: {
    type: "operation",
    input: "PutDashboardInput",
    output: "PutDashboardOutput",
    errors: ["DashboardInvalidInputError", "InternalServiceFault"]
  },
  PutDashboardInput: {
    type: "structure",
    members: {
      DashboardName: { target: "DashboardName", traits: { required: {} } },
      DashboardBody: { target: "DashboardBody", traits: { required: {} } }
    }
  },
  DashboardName: { type: "string" },
  DashboardBody: { type: "string" },
  PutDashboardOutput: {
    type: "structure",
    members: { DashboardValidationMessages: { target: "DashboardValidationMessages" } }
  },
  DashboardValidationMessages: { type: "list", member: { target: "DashboardValidationMessage" } },
  DashboardValidationMessage: {
    type: "structure",
    members: { DataPath: { target: "DataPath" }, Message: { target: "Message" } }
  },
  DataPath: { type: "string" },
  Message: { type: "string" },
  DashboardInvalidInputError: {
    type: "structure",
    traits: {
      error: "client",
      awsQueryError: { code: "InvalidParameterInput", httpResponseCode: 400 }
    },
    members: {
      message: { target: "DashboardErrorMessage" },
      dashboardValidationMessages: { target: "DashboardValidationMessages" }
    }
  },
  DashboardErrorMessage: { type: "string" },
  GetDashboard: {
    type: "operation",
    input: "GetDashboardInput",
    output: "GetDashboardOutput",
    errors: ["DashboardNotFoundError", "InternalServiceFault", "InvalidParameterValueException"]
  },
  GetDashboardInput: {
    type: "structure",
    members: { DashboardName: { target: "DashboardName", traits: { required: {} } } }
  },
  GetDashboardOutput: {
    type: "structure",
    members: {
      DashboardArn: { target: "DashboardArn" },
      DashboardBody: { target: "DashboardBody" },
      DashboardName: { target: "DashboardName" }
    }
  },
  DashboardArn: { type: "string" },
  DashboardNotFoundError: {
    type: "structure",
    traits: { error: "client", awsQueryError: { code: "ResourceNotFound", httpResponseCode: 404 } },
    members: { message: { target: "DashboardErrorMessage" } }
  },
  ListDashboards: {
    type: "operation",
    input: "ListDashboardsInput",
    output: "ListDashboardsOutput",
    errors: ["InternalServiceFault", "InvalidParameterValueException"]
  },
  ListDashboardsInput: {
    type: "structure",
    members: {
      DashboardNamePrefix: { target: "DashboardNamePrefix" },
      NextToken: { target: "NextToken" }
    }
  },
  DashboardNamePrefix: { type: "string" },
  ListDashboardsOutput: {
    type: "structure",
    members: {
      DashboardEntries: { target: "DashboardEntries" },
      NextToken: { target: "NextToken" }
    }
  },
  DashboardEntries: { type: "list", member: { target: "DashboardEntry" } },
  DashboardEntry: {
    type: "structure",
    members: {
      DashboardName: { target: "DashboardName" },
      DashboardArn: { target: "DashboardArn" },
      LastModified: { target: "LastModified" },
      Size: { target: "Size" }
    }
  },
  LastModified: { type: "timestamp" },
  Size: { type: "long" },
  DeleteDashboards: {
    type: "operation",
    input: "DeleteDashboardsInput",
    output: "DeleteDashboardsOutput",
    errors: ["DashboardNotFoundError", "InternalServiceFault", "InvalidParameterValueException"]
  },
  DeleteDashboardsInput: {
    type: "structure",
    members: { DashboardNames: { target: "DashboardNames", traits: { required: {} } } }
  },
  DashboardNames: { type: "list", member: { target: "DashboardName" } },
  DeleteDashboardsOutput: { type: "structure", members: {} }
};

// sandbox/cloudwatch/model.ts
var SHAPES = shapes_default;
var UNIT = "smithy.api#Unit";
function shape(name) {
  return SHAPES[name];
}
function operation(name) {
  const op = SHAPES[name];
  return op?.type === "operation" ? op : void 0;
}
function errorShape(operationName, code) {
  const op = operation(operationName);
  for (const name of op?.errors ?? []) {
    const s = SHAPES[name];
    if ((s?.traits?.awsQueryError?.code ?? name) === code) return name;
  }
  for (const [name, s] of Object.entries(SHAPES)) {
    if (s.traits?.error && (s.traits.awsQueryError?.code ?? name) === code) return name;
  }
  return void 0;
}

// sandbox/cloudwatch/protocol.ts
var TARGET_PREFIX = "GraniteServiceVersion20100801.";
var CONTENT_TYPE = "application/x-amz-json-1.0";
function jsonReply(body2) {
  return { status: 200, headers: { "content-type": CONTENT_TYPE }, body: body2 };
}
function encodeError(err, operation2) {
  const e = cloudWatchError(err);
  const sender = e.status >= 500 ? "Receiver" : "Sender";
  const shapeName = errorShape(operation2, e.code) ?? UNMODELLED_SHAPES[e.code] ?? e.code;
  return {
    status: e.status,
    headers: { "content-type": CONTENT_TYPE, "x-amzn-query-error": `${e.code};${sender}` },
    body: { __type: `com.amazonaws.cloudwatch#${shapeName}`, message: e.message, ...e.extra }
  };
}
var UNMODELLED_SHAPES = { ValidationError: "ValidationException" };
function cloudWatchError(err) {
  if (err.code === "InternalServerException")
    return new ServiceError(500, "InternalServiceError", err.message, err.extra);
  return err;
}
function parseBody(body2, contentEncoding) {
  if (body2.length === 0) return {};
  let parsed;
  try {
    const raw = contentEncoding?.toLowerCase().includes("gzip") ? gunzipSync(body2) : body2;
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ServiceError(400, "SerializationException", "request body is not valid (gzipped) JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new ServiceError(400, "SerializationException", "request body must be a JSON object");
  }
  return parsed;
}
var invalidParameter = (message) => new ServiceError(400, "InvalidParameterValue", message);
var missingParameter = (name) => new ServiceError(400, "MissingParameter", `The parameter ${name} is required.`);
var invalidCombination = (message) => new ServiceError(400, "InvalidParameterCombination", message);
var validationError = (message) => new ServiceError(400, "ValidationError", message);
var resourceNotFound = (message) => new ServiceError(404, "ResourceNotFound", message);
var invalidNextToken = () => new ServiceError(
  400,
  "InvalidNextToken",
  "The service returned an invalid NextToken; start again without one."
);
var invalidFormat = (message) => new ServiceError(400, "InvalidFormat", message);
var throttling2 = () => new ServiceError(400, "Throttling", "Rate exceeded");
function optionalString2(input, name, path = name) {
  const v2 = input[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (typeof v2 !== "string") throw invalidParameter(`The value for parameter ${path} must be a string.`);
  return v2;
}
function requiredString2(input, name, path = name) {
  const v2 = optionalString2(input, name, path);
  if (v2 === void 0 || v2 === "") throw missingParameter(path);
  return v2;
}
function optionalNumber2(input, name, path = name) {
  const v2 = input[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (typeof v2 !== "number" || !Number.isFinite(v2)) {
    throw invalidParameter(
      `The value ${String(v2)} for parameter ${path} is invalid: it must be a finite number.`
    );
  }
  return v2;
}
function requiredNumber2(input, name, path = name) {
  const v2 = optionalNumber2(input, name, path);
  if (v2 === void 0) throw missingParameter(path);
  return v2;
}
function optionalInteger(input, name, path = name) {
  const v2 = optionalNumber2(input, name, path);
  if (v2 !== void 0 && !Number.isInteger(v2))
    throw invalidParameter(`The value ${v2} for parameter ${path} must be an integer.`);
  return v2;
}
function optionalBoolean(input, name, path = name) {
  const v2 = input[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (typeof v2 !== "boolean")
    throw invalidParameter(`The value for parameter ${path} must be true or false.`);
  return v2;
}
function optionalList(input, name, path = name) {
  const v2 = input[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (!Array.isArray(v2)) throw invalidParameter(`The value for parameter ${path} must be a list.`);
  return v2;
}
function optionalStruct(input, name, path = name) {
  const v2 = input[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (typeof v2 !== "object" || Array.isArray(v2))
    throw invalidParameter(`The value for parameter ${path} must be a structure.`);
  return v2;
}
function asStruct(v2, path) {
  if (typeof v2 !== "object" || v2 === null || Array.isArray(v2))
    throw invalidParameter(`The value for parameter ${path} must be a structure.`);
  return v2;
}
function optionalEnum2(input, name, allowed, path = name) {
  const v2 = optionalString2(input, name, path);
  if (v2 === void 0) return void 0;
  if (!allowed.includes(v2)) {
    throw invalidParameter(
      `The value ${v2} for parameter ${path} is invalid; use one of ${allowed.join(", ")}.`
    );
  }
  return v2;
}
function optionalTimestamp(input, name, path = name) {
  const v2 = input[name];
  if (v2 === void 0 || v2 === null) return void 0;
  if (typeof v2 === "number" && Number.isFinite(v2)) return Math.round(v2 * 1e3);
  if (typeof v2 === "string") {
    const ms = Date.parse(v2);
    if (!Number.isNaN(ms)) return ms;
  }
  throw invalidParameter(`The value for parameter ${path} is not a valid timestamp.`);
}
function requiredTimestamp(input, name, path = name) {
  const v2 = optionalTimestamp(input, name, path);
  if (v2 === void 0) throw missingParameter(path);
  return v2;
}
var toWireTime = (ms) => ms / 1e3;

// sandbox/cloudwatch/alarm-rule.ts
var STATES = ["ALARM", "OK", "INSUFFICIENT_DATA"];
function parseAlarmRule(rule) {
  const tokens = tokenize(rule);
  let pos = 0;
  const fail = (message) => {
    throw validationError(`Invalid AlarmRule "${rule}": ${message}.`);
  };
  const peek = () => tokens[pos];
  const take = (text) => {
    const t = peek();
    if (t?.text !== text || t.quoted) fail(`expected "${text}" at position ${t?.at ?? rule.length}`);
    pos++;
  };
  function or() {
    let node = and();
    while (peek()?.text === "OR" && !peek()?.quoted) {
      pos++;
      node = { kind: "or", left: node, right: and() };
    }
    return node;
  }
  function and() {
    let node = not();
    while (peek()?.text === "AND" && !peek()?.quoted) {
      pos++;
      node = { kind: "and", left: node, right: not() };
    }
    return node;
  }
  function not() {
    if (peek()?.text === "NOT" && !peek()?.quoted) {
      pos++;
      return { kind: "not", operand: not() };
    }
    return primary();
  }
  function primary() {
    const t = peek();
    if (!t) return fail("it ends where a condition was expected");
    pos++;
    if (!t.quoted && t.text === "TRUE") return { kind: "const", value: true };
    if (!t.quoted && t.text === "FALSE") return { kind: "const", value: false };
    if (!t.quoted && t.text === "(") {
      const inner = or();
      take(")");
      return inner;
    }
    if (!t.quoted && STATES.includes(t.text)) {
      take("(");
      const arg = peek();
      if (!arg || !arg.quoted && (arg.text === ")" || arg.text === "("))
        fail(`${t.text}() needs an alarm name`);
      pos++;
      take(")");
      return { kind: "state", state: t.text, alarm: arg.text };
    }
    return fail(
      `unexpected "${t.text}" at position ${t.at}; use ALARM(), OK(), INSUFFICIENT_DATA(), AND, OR, NOT, TRUE or FALSE`
    );
  }
  if (tokens.length === 0) fail("it is empty");
  const root = or();
  const rest = peek();
  if (rest) fail(`unexpected "${rest.text}" at position ${rest.at}`);
  return root;
}
function tokenize(rule) {
  const tokens = [];
  let i = 0;
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ text: c, at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const end = rule.indexOf(c, i + 1);
      if (end < 0)
        throw validationError(`Invalid AlarmRule "${rule}": the quote at position ${i} is never closed.`);
      tokens.push({ text: rule.slice(i + 1, end), at: i, quoted: true });
      i = end + 1;
    } else {
      let j = i;
      while (j < rule.length && !/[\s()"']/.test(rule[j])) j++;
      tokens.push({ text: rule.slice(i, j), at: i });
      i = j;
    }
  }
  return tokens;
}
function ruleChildren(node, into = []) {
  if (node.kind === "state") {
    if (!into.includes(node.alarm)) into.push(node.alarm);
  } else if (node.kind === "not") ruleChildren(node.operand, into);
  else if (node.kind === "and" || node.kind === "or") {
    ruleChildren(node.left, into);
    ruleChildren(node.right, into);
  }
  return into;
}
function evaluateRule(node, stateOf) {
  switch (node.kind) {
    case "const":
      return node.value;
    case "state":
      return stateOf(node.alarm) === node.state;
    case "not":
      return !evaluateRule(node.operand, stateOf);
    case "and":
      return evaluateRule(node.left, stateOf) && evaluateRule(node.right, stateOf);
    case "or":
      return evaluateRule(node.left, stateOf) || evaluateRule(node.right, stateOf);
  }
}

// sandbox/cloudwatch/evaluation.ts
var COMPARISONS = [
  "GreaterThanThreshold",
  "GreaterThanOrEqualToThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold"
];
var MISSING_DATA_TREATMENTS = ["missing", "ignore", "breaching", "notBreaching"];
var WORDS = {
  GreaterThanThreshold: "greater than",
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to"
};
function breaches(value, comparison, threshold) {
  switch (comparison) {
    case "GreaterThanThreshold":
      return value > threshold;
    case "GreaterThanOrEqualToThreshold":
      return value >= threshold;
    case "LessThanThreshold":
      return value < threshold;
    case "LessThanOrEqualToThreshold":
      return value <= threshold;
  }
}
function evaluateAlarm(input) {
  const { datapoints, threshold, comparison, treatMissingData } = input;
  const periods = datapoints.length;
  const real = datapoints.filter((d) => d.value !== void 0);
  const missing = periods - real.length;
  if (real.length === 0) {
    const treated = `no datapoints were received for ${periods} period${plural(periods)}`;
    switch (treatMissingData) {
      case "missing":
        return { state: "INSUFFICIENT_DATA", reason: `Insufficient Data: ${treated}.`, breaching: 0 };
      case "ignore":
        return {
          state: input.currentState,
          reason: `Unchecked: ${treated} and missing data is ignored, so the state stays ${input.currentState}.`,
          breaching: 0
        };
      case "breaching":
        return {
          state: "ALARM",
          reason: `Threshold Crossed: ${treated} and ${missing} missing datapoint${plural(missing)} ${missing === 1 ? "was" : "were"} treated as [Breaching].`,
          breaching: missing
        };
      case "notBreaching":
        return {
          state: "OK",
          reason: `Threshold Crossed: ${treated} and ${missing} missing datapoint${plural(missing)} ${missing === 1 ? "was" : "were"} treated as [NonBreaching].`,
          breaching: 0
        };
    }
  }
  const breachingReal = real.filter((d) => breaches(d.value, comparison, threshold));
  let breaching = breachingReal.length;
  let needed = input.datapointsToAlarm;
  if (treatMissingData === "breaching") breaching += missing;
  else if (treatMissingData !== "notBreaching") needed = Math.min(needed, real.length);
  const alarm = breaching >= needed;
  const shown = (alarm ? breachingReal : real.filter((d) => !breaches(d.value, comparison, threshold))).slice().reverse().map((d) => `${formatNumber(d.value)} (${formatTime(d.timestamp)})`);
  const counted = alarm ? breaching : periods - breaching;
  const verb = alarm ? `${counted === 1 ? "was" : "were"}` : `${counted === 1 ? "was" : "were"} not`;
  const missingNote = missing > 0 && (treatMissingData === "breaching" || treatMissingData === "notBreaching") ? ` (${missing} missing datapoint${plural(missing)} treated as [${treatMissingData === "breaching" ? "Breaching" : "NonBreaching"}])` : "";
  const transition = alarm ? "OK -> ALARM" : "ALARM -> OK";
  const minimum = alarm ? needed : periods - needed + 1;
  return {
    state: alarm ? "ALARM" : "OK",
    reason: `Threshold Crossed: ${counted} out of the last ${periods} datapoint${plural(periods)} [${shown.join(", ")}]${missingNote} ${verb} ${WORDS[comparison]} the threshold (${formatNumber(threshold)}) (minimum ${minimum} datapoint${plural(minimum)} for ${transition} transition).`,
    breaching
  };
}
function plural(n) {
  return n === 1 ? "" : "s";
}
function formatNumber(n) {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}
function formatTime(ms) {
  const d = new Date(ms);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

// sandbox/cloudwatch/math.ts
var FUNCTIONS = ["IF", "FILL", "SUM", "AVG", "MAX", "MIN", "METRICS"];
var ARITY = {
  IF: [2, 3],
  FILL: [2, 2],
  SUM: [1, 1],
  AVG: [1, 1],
  MAX: [1, 1],
  MIN: [1, 1],
  METRICS: [0, 1]
};
function parseExpression(text) {
  const tokens = tokenize2(text);
  let pos = 0;
  const fail = (message) => {
    throw validationError(`Invalid metric math expression "${text}": ${message}.`);
  };
  const peek = () => tokens[pos];
  const isPunct = (t, ...p) => t?.kind === "punct" && p.includes(t.text);
  const isWord = (t, word) => t?.kind === "id" && t.name === word;
  function or() {
    let node = and();
    while (isPunct(peek(), "||") || isWord(peek(), "OR")) {
      pos++;
      node = { kind: "binary", op: "OR", left: node, right: and() };
    }
    return node;
  }
  function and() {
    let node = comparison();
    while (isPunct(peek(), "&&") || isWord(peek(), "AND")) {
      pos++;
      node = { kind: "binary", op: "AND", left: node, right: comparison() };
    }
    return node;
  }
  function comparison() {
    let node = sum();
    for (let t = peek(); isPunct(t, "==", "!=", "<", "<=", ">", ">="); t = peek()) {
      pos++;
      node = { kind: "binary", op: t.text, left: node, right: sum() };
    }
    return node;
  }
  function sum() {
    let node = term();
    for (let t = peek(); isPunct(t, "+", "-"); t = peek()) {
      pos++;
      node = { kind: "binary", op: t.text, left: node, right: term() };
    }
    return node;
  }
  function term() {
    let node = unary();
    for (let t = peek(); isPunct(t, "*", "/"); t = peek()) {
      pos++;
      node = { kind: "binary", op: t.text, left: node, right: unary() };
    }
    return node;
  }
  function unary() {
    if (isPunct(peek(), "-")) {
      pos++;
      return { kind: "negate", operand: unary() };
    }
    if (isPunct(peek(), "+")) {
      pos++;
      return unary();
    }
    if (isPunct(peek(), "!") || isWord(peek(), "NOT")) {
      pos++;
      return { kind: "not", operand: unary() };
    }
    return primary();
  }
  function primary() {
    const t = peek();
    if (!t) return fail("it ends where a value was expected");
    pos++;
    if (t.kind === "number") return { kind: "number", value: t.value };
    if (t.kind === "string") return { kind: "string", value: t.value };
    if (t.kind === "id") {
      if (isPunct(peek(), "(")) return call(t.name, t.at);
      if (t.name === "REPEAT") return { kind: "keyword", name: "REPEAT" };
      return { kind: "ref", id: t.name };
    }
    if (t.text === "(") {
      const inner = or();
      if (!isPunct(peek(), ")")) fail(`missing ")" at position ${peek()?.at ?? text.length}`);
      pos++;
      return inner;
    }
    return fail(`unexpected "${t.text}" at position ${t.at}`);
  }
  function call(name, at2) {
    if (!FUNCTIONS.includes(name))
      fail(`function ${name} is not supported by the sandbox (supported: ${FUNCTIONS.join(", ")})`);
    const fn = name;
    pos++;
    const args = [];
    if (!isPunct(peek(), ")")) {
      for (; ; ) {
        args.push(or());
        if (!isPunct(peek(), ",")) break;
        pos++;
      }
    }
    if (!isPunct(peek(), ")")) fail(`missing ")" after the arguments of ${fn} at position ${at2}`);
    pos++;
    const [least, most] = ARITY[fn];
    if (args.length < least || args.length > most)
      fail(
        `${fn} takes ${least === most ? least : `${least} to ${most}`} argument${most === 1 ? "" : "s"}, got ${args.length}`
      );
    return { kind: "call", name: fn, args };
  }
  if (tokens.length === 0) fail("it is empty");
  const root = or();
  const rest = peek();
  if (rest)
    fail(`unexpected "${rest.kind === "punct" ? rest.text : text.slice(rest.at)}" at position ${rest.at}`);
  return root;
}
function tokenize2(text) {
  const tokens = [];
  const re = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)"|(==|!=|<=|>=|&&|\|\||[-+*/()<>!,]))/y;
  let at2 = 0;
  while (at2 < text.length) {
    if (/^\s*$/.test(text.slice(at2))) break;
    re.lastIndex = at2;
    const m = re.exec(text);
    if (!m) {
      const bad = text.slice(at2).trimStart()[0];
      throw validationError(
        `Invalid metric math expression "${text}": unexpected "${bad}" at position ${at2}.`
      );
    }
    const start = at2 + (m[0].length - m[0].trimStart().length);
    if (m[1] !== void 0) tokens.push({ kind: "number", value: Number(m[1]), at: start });
    else if (m[2] !== void 0) tokens.push({ kind: "id", name: m[2], at: start });
    else if (m[3] !== void 0 || m[4] !== void 0)
      tokens.push({ kind: "string", value: m[3] ?? m[4], at: start });
    else tokens.push({ kind: "punct", text: m[5], at: start });
    at2 = re.lastIndex;
  }
  return tokens;
}
function referencedIds(node, into = []) {
  switch (node.kind) {
    case "ref":
      if (!into.includes(node.id)) into.push(node.id);
      break;
    case "negate":
    case "not":
      referencedIds(node.operand, into);
      break;
    case "binary":
      referencedIds(node.left, into);
      referencedIds(node.right, into);
      break;
    case "call":
      for (const a of node.args) referencedIds(a, into);
      break;
    default:
      break;
  }
  return into;
}
var NO_ENVIRONMENT = {
  grid: () => {
    throw validationError("FILL needs a time range; it can only be used in a query.");
  },
  metrics: () => []
};
function evaluate(node, resolve2, env = NO_ENVIRONMENT) {
  const ev = (n) => evaluate(n, resolve2, env);
  switch (node.kind) {
    case "number":
      return node.value;
    case "ref":
      return resolve2(node.id);
    case "string":
    case "keyword":
      throw validationError(
        `${node.kind === "string" ? `the text '${node.value}'` : node.name} can only be an argument of ${node.kind === "string" ? "METRICS()" : "FILL()"}.`
      );
    case "negate":
      return apply("*", -1, ev(node.operand));
    case "not":
      return map(ev(node.operand), (v2) => v2 === 0 ? 1 : 0);
    case "binary":
      return apply(node.op, ev(node.left), ev(node.right));
    case "call":
      return callFunction(node, ev, env);
  }
}
function callFunction(node, ev, env) {
  const [first, second, third] = node.args;
  switch (node.name) {
    case "METRICS": {
      if (first !== void 0 && first.kind !== "string")
        throw validationError("METRICS() takes an optional quoted label filter, e.g. METRICS('errors').");
      return { kind: "array", items: env.metrics(first?.value) };
    }
    case "IF":
      return ifThen(ev(first), ev(second), third ? ev(third) : void 0);
    case "FILL": {
      const target = ev(first);
      const filler = second.kind === "keyword" ? "REPEAT" : ev(second);
      if (filler !== "REPEAT" && typeof filler !== "number" && !(filler instanceof Map))
        throw validationError("FILL takes a number, a time series or REPEAT as its second argument.");
      return each(target, (s) => fill(s, env.grid(), filler));
    }
    case "SUM":
    case "AVG":
    case "MAX":
    case "MIN":
      return aggregate(node.name, ev(first));
  }
}
function isArray(v2) {
  return typeof v2 === "object" && !(v2 instanceof Map) && v2.kind === "array";
}
function each(v2, f) {
  if (typeof v2 === "number") return v2;
  if (isArray(v2)) return { kind: "array", items: v2.items.map(f) };
  return f(v2);
}
function map(v2, f) {
  if (typeof v2 === "number") return f(v2);
  return each(v2, (s) => {
    const out = /* @__PURE__ */ new Map();
    for (const [t, x2] of s) keepFinite(out, t, f(x2));
    return out;
  });
}
function fill(s, grid, filler) {
  const out = /* @__PURE__ */ new Map();
  let last;
  for (const t of grid) {
    const v2 = s.get(t);
    if (v2 !== void 0) {
      out.set(t, v2);
      last = v2;
      continue;
    }
    const f = filler === "REPEAT" ? last : typeof filler === "number" ? filler : filler.get(t);
    if (f !== void 0) out.set(t, f);
  }
  for (const [t, v2] of s) if (!out.has(t)) out.set(t, v2);
  return new Map([...out].sort((a, b) => a[0] - b[0]));
}
function ifThen(cond, yes, no) {
  if (isArray(cond) || isArray(yes) || no !== void 0 && isArray(no))
    throw validationError("IF works on single time series and numbers, not on METRICS() arrays.");
  const pick = (c, t) => {
    const branch = c !== 0 ? yes : no;
    if (branch === void 0) return void 0;
    return typeof branch === "number" ? branch : branch.get(t);
  };
  if (typeof cond === "number") {
    const branch = cond !== 0 ? yes : no;
    if (branch === void 0) return /* @__PURE__ */ new Map();
    return branch;
  }
  const out = /* @__PURE__ */ new Map();
  for (const [t, c] of cond) {
    const v2 = pick(c, t);
    if (v2 !== void 0) keepFinite(out, t, v2);
  }
  return out;
}
function aggregate(fn, v2) {
  const reduce = (xs) => {
    if (xs.length === 0) return void 0;
    switch (fn) {
      case "SUM":
        return xs.reduce((a, b) => a + b, 0);
      case "AVG":
        return xs.reduce((a, b) => a + b, 0) / xs.length;
      case "MAX":
        return Math.max(...xs);
      case "MIN":
        return Math.min(...xs);
    }
  };
  if (typeof v2 === "number") return v2;
  if (isArray(v2)) {
    const times = [...new Set(v2.items.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
    const out = /* @__PURE__ */ new Map();
    for (const t of times) {
      const r = reduce(v2.items.flatMap((s) => s.has(t) ? [s.get(t)] : []));
      if (r !== void 0) keepFinite(out, t, r);
    }
    return out;
  }
  return reduce([...v2.values()]) ?? Number.NaN;
}
function arithmetic(op, a, b) {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "AND":
      return a !== 0 && b !== 0 ? 1 : 0;
    case "OR":
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}
function apply(op, left, right) {
  if (isArray(left)) return { kind: "array", items: left.items.map((s) => apply(op, s, right)) };
  if (isArray(right)) return { kind: "array", items: right.items.map((s) => apply(op, left, s)) };
  if (typeof left === "number" && typeof right === "number") return arithmetic(op, left, right);
  const out = /* @__PURE__ */ new Map();
  if (typeof left === "number") {
    for (const [t, v2] of right) keepFinite(out, t, arithmetic(op, left, v2));
  } else if (typeof right === "number") {
    for (const [t, v2] of left) keepFinite(out, t, arithmetic(op, v2, right));
  } else {
    for (const [t, v2] of left) {
      const w2 = right.get(t);
      if (w2 !== void 0) keepFinite(out, t, arithmetic(op, v2, w2));
    }
  }
  return out;
}
function keepFinite(out, t, v2) {
  if (Number.isFinite(v2)) out.set(t, v2);
}

// sandbox/cloudwatch/statistics.ts
var SIMPLE = ["Sum", "Average", "Minimum", "Maximum", "SampleCount"];
var PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100)$/;
function parseStatistic(text, path = "Stat") {
  if (SIMPLE.includes(text)) return { kind: text };
  if (PERCENTILE.test(text)) return { kind: "percentile", percent: Number(text.slice(1)) };
  throw invalidParameter(
    `The value ${text} for parameter ${path} is not supported; use Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p99.`
  );
}
var Aggregate = class {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  /** Raw values with their repeat counts, or undefined when some data came pre-aggregated. */
  values = [];
  add(sample) {
    this.count += sample.count;
    this.sum += sample.sum;
    if (sample.min < this.min) this.min = sample.min;
    if (sample.max > this.max) this.max = sample.max;
    if (this.values === void 0) return;
    if (sample.values === void 0) {
      this.values = void 0;
      return;
    }
    for (let i = 0; i < sample.values.length; i++) {
      this.values.push([sample.values[i], sample.counts?.[i] ?? 1]);
    }
  }
  /** The statistic's value, or undefined when this period cannot produce it. */
  value(stat2) {
    if (this.count <= 0) return void 0;
    switch (stat2.kind) {
      case "Sum":
        return this.sum;
      case "Average":
        return this.sum / this.count;
      case "Minimum":
        return this.min;
      case "Maximum":
        return this.max;
      case "SampleCount":
        return this.count;
      case "percentile":
        return this.values === void 0 ? void 0 : percentile(this.values, stat2.percent);
    }
  }
};
function percentile(weighted, percent) {
  if (weighted.length === 0) return void 0;
  const sorted = [...weighted].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (total <= 0) return void 0;
  const rank = Math.max(1, Math.ceil(percent / 100 * total));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}

// sandbox/cloudwatch/queries.ts
var QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
var MAX_QUERIES = 500;
var MAX_EXPRESSION_LENGTH = 2048;
function parseDimensions(list, path) {
  const out = {};
  if (!list) return out;
  if (list.length > 30)
    throw invalidParameter(`${path} has ${list.length} dimensions; at most 30 are allowed.`);
  list.forEach((item, i) => {
    const p = `${path}.member.${i + 1}`;
    const d = asStruct(item, p);
    const name = requiredString2(d, "Name", `${p}.Name`);
    const value = requiredString2(d, "Value", `${p}.Value`);
    if (name in out)
      throw invalidParameter(`${path} names the dimension ${name} twice; each name may appear once.`);
    out[name] = value;
  });
  return out;
}
function dimensionsToWire(dimensions) {
  return Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value }));
}
function checkPeriod(period, path, allowed) {
  const short = allowed === "query" ? [1, 5, 10, 30] : [10, 30];
  if (!(short.includes(period) || period >= 60 && period % 60 === 0)) {
    throw invalidParameter(
      `The value ${period} for parameter ${path} is invalid; use ${short.join(", ")} or a multiple of 60 seconds.`
    );
  }
}
function parseMetricStat(input, path) {
  const metric = input["Metric"];
  if (metric === void 0 || metric === null) throw validationError(`${path}.Metric is required.`);
  const m = asStruct(metric, `${path}.Metric`);
  const namespace = requiredString2(m, "Namespace", `${path}.Metric.Namespace`);
  const name = requiredString2(m, "MetricName", `${path}.Metric.MetricName`);
  const dimensions = parseDimensions(
    optionalList(m, "Dimensions", `${path}.Metric.Dimensions`),
    `${path}.Metric.Dimensions`
  );
  const period = optionalInteger(input, "Period", `${path}.Period`);
  if (period === void 0) throw validationError(`${path}.Period is required.`);
  checkPeriod(period, `${path}.Period`, "query");
  const statText = requiredString2(input, "Stat", `${path}.Stat`);
  const unit = optionalString2(input, "Unit", `${path}.Unit`);
  return {
    identity: { namespace, name, dimensions },
    periodSeconds: period,
    stat: parseStatistic(statText, `${path}.Stat`),
    statText,
    ...unit !== void 0 ? { unit } : {}
  };
}
function parseQueries(list, path) {
  if (list.length === 0) throw validationError(`${path} must contain at least one query.`);
  if (list.length > MAX_QUERIES)
    throw validationError(`${path} has ${list.length} queries; at most ${MAX_QUERIES} are allowed.`);
  const queries = list.map(
    (item, i) => parseQuery(asStruct(item, `${path}.member.${i + 1}`), `${path}.member.${i + 1}`)
  );
  const ids = /* @__PURE__ */ new Set();
  for (const q2 of queries) {
    if (ids.has(q2.id))
      throw validationError(`The Id ${q2.id} is used by more than one query in ${path}; ids must be unique.`);
    ids.add(q2.id);
  }
  for (const q2 of queries) {
    if (!q2.expression) continue;
    for (const ref of referencedIds(q2.expression.node)) {
      if (!ids.has(ref))
        throw validationError(
          `The expression of ${q2.id} uses ${ref}, which is not the Id of any query in ${path}.`
        );
    }
  }
  checkNoCycles(queries);
  return queries;
}
function parseQuery(input, path) {
  const id = requiredString2(input, "Id", `${path}.Id`);
  if (!QUERY_ID.test(id) || id.length > 255) {
    throw validationError(
      `The Id ${id} of ${path} is invalid: it must start with a lowercase letter and hold only letters, digits and _.`
    );
  }
  const label2 = optionalString2(input, "Label", `${path}.Label`);
  const returnData = optionalBoolean(input, "ReturnData", `${path}.ReturnData`) ?? true;
  const period = optionalInteger(input, "Period", `${path}.Period`);
  const expressionText = optionalString2(input, "Expression", `${path}.Expression`);
  const stat2 = input["MetricStat"];
  const hasStat = stat2 !== void 0 && stat2 !== null;
  if (hasStat === (expressionText !== void 0)) {
    throw validationError(`${path} (Id ${id}) must have exactly one of MetricStat and Expression.`);
  }
  const query = { id, returnData };
  if (label2 !== void 0) query.label = label2;
  if (period !== void 0) query.periodSeconds = period;
  if (hasStat) {
    query.metricStat = parseMetricStat(asStruct(stat2, `${path}.MetricStat`), `${path}.MetricStat`);
  } else {
    const text = expressionText;
    if (text.length > MAX_EXPRESSION_LENGTH)
      throw validationError(`The expression of ${id} is longer than ${MAX_EXPRESSION_LENGTH} characters.`);
    query.expression = { text, node: parseExpression(text) };
  }
  return query;
}
function checkNoCycles(queries) {
  const byId = new Map(queries.map((q2) => [q2.id, q2]));
  const done = /* @__PURE__ */ new Set();
  const visiting = /* @__PURE__ */ new Set();
  const visit = (id) => {
    if (done.has(id)) return;
    if (visiting.has(id))
      throw validationError(`The expressions referring to ${id} form a cycle; remove the loop.`);
    visiting.add(id);
    const q2 = byId.get(id);
    if (q2?.expression) for (const ref of referencedIds(q2.expression.node)) visit(ref);
    visiting.delete(id);
    done.add(id);
  };
  for (const q2 of queries) visit(q2.id);
}
function metricStatSeries(store, q2, start, end, alignMs) {
  const periodMs = q2.periodSeconds * 1e3;
  const align = alignMs ?? periodMs;
  const alignedStart = Math.floor(start / align) * align;
  const out = /* @__PURE__ */ new Map();
  const buckets = store.buckets(q2.identity, alignedStart, end, periodMs, q2.unit, alignedStart % periodMs);
  for (const [t, agg] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const v2 = agg.value(q2.stat);
    if (v2 !== void 0) out.set(t, v2);
  }
  return out;
}
function runQueries(store, queries, start, end, alignMs) {
  const byId = new Map(queries.map((q2) => [q2.id, q2]));
  const results = /* @__PURE__ */ new Map();
  const metricQueries = queries.filter((q2) => q2.metricStat);
  const fallbackPeriod = metricQueries[0]?.metricStat?.periodSeconds ?? 60;
  const environment = (q2) => ({
    grid: () => {
      const periodMs = (q2.periodSeconds ?? fallbackPeriod) * 1e3;
      const align = alignMs ?? periodMs;
      const out = [];
      for (let t = Math.floor(start / align) * align; t < end; t += periodMs) out.push(t);
      return out;
    },
    metrics: (filter) => metricQueries.filter((m) => filter === void 0 || defaultLabel(m).includes(filter) || m.id.includes(filter)).map((m) => resolve2(m.id))
  });
  const resolve2 = (id) => {
    const known = results.get(id);
    if (known) return known;
    const q2 = byId.get(id);
    let series;
    if (q2.metricStat) series = metricStatSeries(store, q2.metricStat, start, end, alignMs);
    else {
      const value = evaluate(q2.expression.node, resolve2, environment(q2));
      if (typeof value !== "number" && !(value instanceof Map)) {
        throw validationError(
          `The expression of ${id} (${q2.expression?.text}) yields several time series; the sandbox supports expressions that yield one (wrap METRICS() in SUM, AVG, MAX or MIN).`
        );
      }
      if (typeof value === "number") {
        throw validationError(
          `The expression of ${id} (${q2.expression?.text}) yields a single number; it must use at least one metric.`
        );
      }
      series = new Map([...value].sort((a, b) => a[0] - b[0]));
    }
    results.set(id, series);
    return series;
  };
  for (const q2 of queries) resolve2(q2.id);
  return results;
}
function defaultLabel(q2) {
  return q2.label ?? q2.metricStat?.identity.name ?? q2.id;
}

// sandbox/cloudwatch/alarm-config.ts
var STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
var ONE_DAY_SECONDS = 86400;
var SEVEN_DAYS_SECONDS = 7 * ONE_DAY_SECONDS;
function parseAlarmName(input) {
  const name = requiredString2(input, "AlarmName");
  if (name.length > 255) throw invalidParameter("AlarmName is longer than 255 characters; shorten it.");
  return name;
}
function actionLists(input) {
  const out = {};
  for (const key of ["OKActions", "AlarmActions", "InsufficientDataActions"]) {
    const list = optionalList(input, key) ?? [];
    if (list.length > 5) throw invalidParameter(`${key} has ${list.length} actions; at most 5 are allowed.`);
    out[key] = list.map((a, i) => {
      if (typeof a !== "string" || a === "") throw invalidParameter(`${key}.member.${i + 1} must be an ARN.`);
      return a;
    });
  }
  return out;
}
function sharedWire(input, name) {
  const wire = {
    AlarmName: name,
    ActionsEnabled: optionalBoolean(input, "ActionsEnabled") ?? true,
    ...actionLists(input)
  };
  const description = optionalString2(input, "AlarmDescription");
  if (description !== void 0) {
    if (description.length > 1024) throw invalidParameter("AlarmDescription is longer than 1024 characters.");
    wire["AlarmDescription"] = description;
  }
  return wire;
}
function parseMetricAlarm(input) {
  const name = parseAlarmName(input);
  const wire = sharedWire(input, name);
  const evaluationPeriods = optionalInteger(input, "EvaluationPeriods");
  if (evaluationPeriods === void 0) throw missingParameter("EvaluationPeriods");
  if (evaluationPeriods < 1) throw invalidParameter("EvaluationPeriods must be at least 1.");
  const comparisonText = optionalString2(input, "ComparisonOperator");
  if (comparisonText === void 0) throw missingParameter("ComparisonOperator");
  if (!COMPARISONS.includes(comparisonText)) {
    throw invalidParameter(
      `ComparisonOperator ${comparisonText} is not supported by the sandbox; use one of ${COMPARISONS.join(", ")} (static thresholds only).`
    );
  }
  const comparison = comparisonText;
  if (input["ThresholdMetricId"] !== void 0 && input["ThresholdMetricId"] !== null) {
    throw invalidParameter(
      "ThresholdMetricId (anomaly detection bands) is not supported by the sandbox; use Threshold."
    );
  }
  const threshold = optionalNumber2(input, "Threshold");
  if (threshold === void 0) throw missingParameter("Threshold");
  const datapointsToAlarm = optionalInteger(input, "DatapointsToAlarm") ?? evaluationPeriods;
  if (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw validationError(
      `DatapointsToAlarm (${datapointsToAlarm}) must be between 1 and EvaluationPeriods (${evaluationPeriods}).`
    );
  }
  const treatMissingData = optionalEnum2(input, "TreatMissingData", MISSING_DATA_TREATMENTS) ?? "missing";
  const metrics = optionalList(input, "Metrics");
  const single = [
    "MetricName",
    "Namespace",
    "Statistic",
    "ExtendedStatistic",
    "Dimensions",
    "Period",
    "Unit"
  ].filter((k) => input[k] !== void 0 && input[k] !== null);
  let source;
  let periodSeconds;
  let statisticLabel;
  if (metrics !== void 0) {
    if (single.length > 0) {
      throw invalidCombination(`Use either Metrics or ${single.join(", ")}, not both.`);
    }
    const queries = parseQueries(metrics, "Metrics");
    const returning = queries.filter((q2) => q2.returnData);
    if (returning.length !== 1) {
      throw validationError(
        `Exactly one entry of Metrics must have ReturnData true (found ${returning.length}); set ReturnData false on the others.`
      );
    }
    const returned = returning[0];
    const firstStat = queries.find((q2) => q2.metricStat)?.metricStat;
    if (!firstStat)
      throw validationError("Metrics must contain at least one MetricStat for the alarm to watch.");
    periodSeconds = returned.metricStat?.periodSeconds ?? returned.periodSeconds ?? firstStat.periodSeconds;
    checkPeriod(periodSeconds, "Period", "alarm");
    source = { kind: "math", queries, returnId: returned.id };
    wire["Metrics"] = metrics;
  } else {
    const namespace = optionalString2(input, "Namespace");
    const metricName = optionalString2(input, "MetricName");
    if (namespace === void 0 || metricName === void 0) {
      throw missingParameter(namespace === void 0 ? "Namespace" : "MetricName");
    }
    const statistic = optionalEnum2(input, "Statistic", STATISTICS);
    const extended = optionalString2(input, "ExtendedStatistic");
    if (statistic === void 0 === (extended === void 0)) {
      throw invalidCombination("Give exactly one of Statistic and ExtendedStatistic.");
    }
    const period = optionalInteger(input, "Period");
    if (period === void 0) throw missingParameter("Period");
    checkPeriod(period, "Period", "alarm");
    periodSeconds = period;
    const dimensionList = optionalList(input, "Dimensions");
    const dimensions = parseDimensions(dimensionList, "Dimensions");
    const unit = optionalString2(input, "Unit");
    const statText = statistic ?? extended;
    source = {
      kind: "metric",
      query: {
        identity: { namespace, name: metricName, dimensions },
        periodSeconds: period,
        stat: parseStatistic(statText, statistic ? "Statistic" : "ExtendedStatistic"),
        statText,
        ...unit !== void 0 ? { unit } : {}
      }
    };
    statisticLabel = statText;
    Object.assign(wire, {
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: dimensionList ?? [],
      Period: period,
      ...statistic !== void 0 ? { Statistic: statistic } : { ExtendedStatistic: extended },
      ...unit !== void 0 ? { Unit: unit } : {}
    });
  }
  const maxSpan = periodSeconds % 3600 === 0 ? SEVEN_DAYS_SECONDS : ONE_DAY_SECONDS;
  if (periodSeconds * evaluationPeriods > maxSpan) {
    throw validationError(
      `Period × EvaluationPeriods is ${periodSeconds * evaluationPeriods} seconds; it may be at most ${maxSpan}.`
    );
  }
  Object.assign(wire, {
    EvaluationPeriods: evaluationPeriods,
    DatapointsToAlarm: datapointsToAlarm,
    Threshold: threshold,
    ComparisonOperator: comparison,
    TreatMissingData: treatMissingData
  });
  const lowSample = optionalString2(input, "EvaluateLowSampleCountPercentile");
  if (lowSample !== void 0) wire["EvaluateLowSampleCountPercentile"] = lowSample;
  return {
    wire,
    plan: {
      periodSeconds,
      evaluationPeriods,
      datapointsToAlarm,
      threshold,
      comparison,
      treatMissingData,
      source,
      ...statisticLabel !== void 0 ? { statisticLabel } : {}
    }
  };
}
function parseCompositeAlarm(input) {
  const name = parseAlarmName(input);
  const wire = sharedWire(input, name);
  const ruleText = optionalString2(input, "AlarmRule");
  if (ruleText === void 0 || ruleText === "") throw missingParameter("AlarmRule");
  if (ruleText.length > 10240) throw invalidParameter("AlarmRule is longer than 10240 characters.");
  const rule = parseAlarmRule(ruleText);
  wire["AlarmRule"] = ruleText;
  for (const key of [
    "ActionsSuppressor",
    "ActionsSuppressorWaitPeriod",
    "ActionsSuppressorExtensionPeriod"
  ]) {
    if (input[key] !== void 0 && input[key] !== null) wire[key] = input[key];
  }
  return { wire, rule };
}

// sandbox/cloudwatch/alarms.ts
var ALARM_ARN_PREFIX = "arn:aws:cloudwatch:eu-west-2:123456789012:alarm:";
var HISTORY_RETENTION_MS = 30 * 24 * 3600 * 1e3;
var HISTORY_MAX_ITEMS = 2e4;
var MAX_CASCADE_DEPTH = 20;
function alarmArn(name) {
  return `${ALARM_ARN_PREFIX}${name}`;
}
function alarmNameOf(nameOrArn) {
  return nameOrArn.startsWith(ALARM_ARN_PREFIX) ? nameOrArn.slice(ALARM_ARN_PREFIX.length) : nameOrArn;
}
var AlarmBook = class {
  constructor(metrics, clockNow) {
    this.metrics = metrics;
    this.clockNow = clockNow;
  }
  metrics;
  clockNow;
  alarms = /* @__PURE__ */ new Map();
  history = [];
  /** During a tick, the simulated instant being evaluated (the clock may already be further on). */
  tickTime;
  now() {
    return this.tickTime ?? this.clockNow();
  }
  get(nameOrArn) {
    return this.alarms.get(alarmNameOf(nameOrArn));
  }
  /** All alarms, by name. */
  all() {
    return [...this.alarms.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }
  historyItems() {
    return this.history;
  }
  putMetricAlarm(config) {
    const name = config.wire["AlarmName"];
    const existing = this.alarms.get(name);
    if (existing && existing.type !== "MetricAlarm") {
      throw validationError(
        `The alarm ${name} is a composite alarm; delete it first or choose another name.`
      );
    }
    const now = this.now();
    const stepMs = evaluationStepMs(config.plan);
    const alarm = {
      type: "MetricAlarm",
      name,
      wire: config.wire,
      configUpdatedAt: now,
      // An update overwrites the configuration and keeps the state; a new alarm knows nothing yet.
      state: existing?.state ?? initialState(now),
      plan: config.plan,
      nextEvaluationAt: Math.floor(now / stepMs) * stepMs + stepMs
    };
    this.alarms.set(name, alarm);
    this.recordConfiguration(alarm, existing ? "Update" : "Create", existing);
  }
  putCompositeAlarm(config) {
    const name = config.wire["AlarmName"];
    const existing = this.alarms.get(name);
    if (existing && existing.type !== "CompositeAlarm") {
      throw validationError(`The alarm ${name} is a metric alarm; delete it first or choose another name.`);
    }
    const now = this.now();
    const alarm = {
      type: "CompositeAlarm",
      name,
      wire: config.wire,
      configUpdatedAt: now,
      state: existing?.state ?? initialState(now),
      rule: config.rule,
      children: ruleChildren(config.rule).map(alarmNameOf)
    };
    this.alarms.set(name, alarm);
    this.recordConfiguration(alarm, existing ? "Update" : "Create", existing);
    this.evaluateComposite(alarm, 0);
  }
  /** SetAlarmState: a metric alarm returns to its evaluated state at its next evaluation. */
  setState(alarm, value, reason, reasonData) {
    this.transition(alarm, value, reason, reasonData, 0);
  }
  /** Deletes the named alarms that exist and returns the names that did not. */
  delete(names) {
    const missing = [];
    for (const name of names) {
      const alarm = this.alarms.get(name);
      if (!alarm) {
        missing.push(name);
        continue;
      }
      this.alarms.delete(name);
      this.addHistory(alarm, "ConfigurationUpdate", `Alarm "${name}" deleted`, {
        version: "1.0",
        type: "Delete",
        deletedAlarm: this.historyView(alarm)
      });
      for (const parent of this.parentsOf(name)) this.evaluateComposite(parent, 0);
    }
    return missing;
  }
  setActionsEnabled(names, enabled) {
    for (const name of names) {
      const alarm = this.alarms.get(name);
      if (alarm) alarm.wire["ActionsEnabled"] = enabled;
    }
  }
  /** Evaluate every metric alarm whose period boundary has come. */
  tick(now) {
    this.tickTime = now;
    try {
      for (const alarm of this.alarms.values()) {
        if (alarm.plan === void 0 || alarm.nextEvaluationAt === void 0 || now < alarm.nextEvaluationAt)
          continue;
        const stepMs = evaluationStepMs(alarm.plan);
        const boundary = Math.floor(now / stepMs) * stepMs;
        alarm.nextEvaluationAt = boundary + stepMs;
        this.evaluateMetricAlarm(alarm, boundary);
      }
      this.pruneHistory(now);
    } finally {
      this.tickTime = void 0;
    }
  }
  /** The last EvaluationPeriods periods ending at `boundary` (a minute), oldest first. */
  datapoints(plan, boundary) {
    const periodMs = plan.periodSeconds * 1e3;
    const start = boundary - plan.evaluationPeriods * periodMs;
    const align = evaluationStepMs(plan);
    let series;
    if (plan.source.kind === "metric")
      series = metricStatSeries(this.metrics, plan.source.query, start, boundary, align);
    else
      series = runQueries(this.metrics, plan.source.queries, start, boundary, align).get(plan.source.returnId) ?? /* @__PURE__ */ new Map();
    const out = [];
    for (let t = start; t < boundary; t += periodMs) {
      const value = series.get(t);
      out.push(value === void 0 ? { timestamp: t } : { timestamp: t, value });
    }
    return out;
  }
  evaluateMetricAlarm(alarm, boundary) {
    const plan = alarm.plan;
    const datapoints = this.datapoints(plan, boundary);
    const outcome = evaluateAlarm({
      datapoints,
      threshold: plan.threshold,
      comparison: plan.comparison,
      datapointsToAlarm: plan.datapointsToAlarm,
      treatMissingData: plan.treatMissingData,
      currentState: alarm.state.value
    });
    if (outcome.state === alarm.state.value) return;
    const real = datapoints.filter((d) => d.value !== void 0);
    const reasonData = JSON.stringify({
      version: "1.0",
      queryDate: iso2(this.now()),
      startDate: iso2(datapoints[0]?.timestamp ?? boundary),
      ...plan.statisticLabel !== void 0 ? { statistic: plan.statisticLabel } : {},
      period: plan.periodSeconds,
      recentDatapoints: real.map((d) => d.value),
      threshold: plan.threshold,
      evaluatedDatapoints: [...datapoints].reverse().map(
        (d) => d.value === void 0 ? { timestamp: iso2(d.timestamp) } : { timestamp: iso2(d.timestamp), value: d.value }
      )
    });
    this.transition(alarm, outcome.state, outcome.reason, reasonData, 0);
  }
  evaluateComposite(alarm, depth) {
    const children = alarm.children ?? [];
    const stateOf = (nameOrArn) => this.alarms.get(alarmNameOf(nameOrArn))?.state.value;
    const fired = evaluateRule(alarm.rule, stateOf);
    let value;
    if (fired) value = "ALARM";
    else if (children.length > 0 && children.every((c) => (stateOf(c) ?? "INSUFFICIENT_DATA") === "INSUFFICIENT_DATA"))
      value = "INSUFFICIENT_DATA";
    else value = "OK";
    if (value === alarm.state.value) return;
    const triggering = children.map((c) => this.alarms.get(c)).filter((c) => c !== void 0).sort((a, b) => b.state.transitionedAt - a.state.transitionedAt);
    const cause = triggering[0];
    const reason = cause ? `${alarmArn(cause.name)} transitioned to ${cause.state.value} at ${new Date(cause.state.transitionedAt).toUTCString()}` : `The rule ${alarm.wire["AlarmRule"]} evaluates to ${fired ? "TRUE" : "FALSE"}`;
    const reasonData = JSON.stringify({
      triggeringAlarms: triggering.map((c) => ({
        arn: alarmArn(c.name),
        state: { value: c.state.value, timestamp: iso2(c.state.transitionedAt) }
      }))
    });
    this.transition(alarm, value, reason, reasonData, depth);
  }
  transition(alarm, value, reason, reasonData, depth) {
    const now = this.now();
    const old = alarm.state;
    alarm.state = {
      value,
      reason,
      ...reasonData !== void 0 ? { reasonData } : {},
      updatedAt: now,
      transitionedAt: value === old.value ? old.transitionedAt : now
    };
    this.addHistory(alarm, "StateUpdate", `Alarm updated from ${old.value} to ${value}`, {
      version: "1.0",
      oldState: { stateValue: old.value, stateReason: old.reason, ...parsedReasonData(old.reasonData) },
      newState: { stateValue: value, stateReason: reason, ...parsedReasonData(reasonData) }
    });
    if (value === old.value || depth >= MAX_CASCADE_DEPTH) return;
    for (const parent of this.parentsOf(alarm.name)) {
      if (parent !== alarm) this.evaluateComposite(parent, depth + 1);
    }
  }
  parentsOf(name) {
    return [...this.alarms.values()].filter((a) => a.type === "CompositeAlarm" && a.children?.includes(name));
  }
  recordConfiguration(alarm, type, previous) {
    const data = type === "Create" ? { version: "1.0", type, createdAlarm: this.historyView(alarm) } : {
      version: "1.0",
      type,
      originalAlarm: previous ? this.historyView(previous) : void 0,
      updatedAlarm: this.historyView(alarm)
    };
    this.addHistory(
      alarm,
      "ConfigurationUpdate",
      `Alarm "${alarm.name}" ${type === "Create" ? "created" : "updated"}`,
      data
    );
  }
  historyView(alarm) {
    return { ...alarm.wire, alarmArn: alarmArn(alarm.name), stateValue: alarm.state.value };
  }
  addHistory(alarm, type, summary2, data) {
    this.history.push({
      alarmName: alarm.name,
      alarmType: alarm.type,
      timestamp: this.now(),
      type,
      summary: summary2,
      data: JSON.stringify(data)
    });
    if (this.history.length > HISTORY_MAX_ITEMS)
      this.history.splice(0, this.history.length - HISTORY_MAX_ITEMS);
  }
  pruneHistory(now) {
    const first = this.history[0];
    if (!first || first.timestamp >= now - HISTORY_RETENTION_MS) return;
    const keepFrom = this.history.findIndex((h) => h.timestamp >= now - HISTORY_RETENTION_MS);
    this.history.splice(0, keepFrom < 0 ? this.history.length : keepFrom);
  }
  clear() {
    this.alarms.clear();
    this.history = [];
  }
  dump() {
    return {
      alarms: [...this.alarms.values()].map((a) => ({
        type: a.type,
        wire: a.wire,
        configUpdatedAt: a.configUpdatedAt,
        state: a.state,
        ...a.nextEvaluationAt !== void 0 ? { nextEvaluationAt: a.nextEvaluationAt } : {}
      })),
      history: this.history
    };
  }
  /** The stored configuration is a valid input, so parsing it again rebuilds the plan and rule. */
  load(data) {
    this.clear();
    for (const d of data.alarms ?? []) {
      const name = d.wire["AlarmName"];
      const base = { type: d.type, name, wire: d.wire, configUpdatedAt: d.configUpdatedAt, state: d.state };
      if (d.type === "MetricAlarm") {
        const { plan } = parseMetricAlarm(d.wire);
        this.alarms.set(name, {
          ...base,
          plan,
          ...d.nextEvaluationAt !== void 0 ? { nextEvaluationAt: d.nextEvaluationAt } : {}
        });
      } else {
        const { rule } = parseCompositeAlarm(d.wire);
        this.alarms.set(name, { ...base, rule, children: ruleChildren(rule).map(alarmNameOf) });
      }
    }
    this.history = [...data.history ?? []];
  }
};
function evaluationStepMs(plan) {
  return Math.min(plan.periodSeconds, 60) * 1e3;
}
function initialState(now) {
  return {
    value: "INSUFFICIENT_DATA",
    reason: "Unchecked: Initial alarm creation",
    updatedAt: now,
    transitionedAt: now
  };
}
function parsedReasonData(text) {
  if (text === void 0) return {};
  try {
    return { stateReasonData: JSON.parse(text) };
  } catch {
    return { stateReasonData: text };
  }
}
function iso2(ms) {
  return new Date(ms).toISOString().replace("Z", "+0000");
}

// sandbox/cloudwatch/pagination.ts
function pageSize(maxRecords, fallback, max = 100) {
  if (maxRecords === void 0) return fallback;
  if (maxRecords < 1 || maxRecords > max) {
    throw invalidParameter(`MaxRecords must be between 1 and ${max}, not ${maxRecords}.`);
  }
  return maxRecords;
}
function paginate2(items, operation2, size, nextToken) {
  const offset = nextToken === void 0 ? 0 : decodeToken(nextToken, operation2);
  if (offset > items.length) throw invalidNextToken();
  const end = offset + size;
  const page3 = items.slice(offset, end);
  return end < items.length ? { page: page3, nextToken: encodeToken2(operation2, end) } : { page: page3 };
}
function encodeToken2(operation2, offset) {
  return Buffer.from(JSON.stringify({ op: operation2, offset })).toString("base64url");
}
function decodeToken(token, operation2) {
  try {
    const data = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (data.op === operation2 && typeof data.offset === "number" && Number.isInteger(data.offset) && data.offset >= 0) {
      return data.offset;
    }
  } catch {
  }
  throw invalidNextToken();
}

// sandbox/cloudwatch/alarm-operations.ts
var STATES2 = ["OK", "ALARM", "INSUFFICIENT_DATA"];
var ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"];
var HISTORY_TYPES = ["ConfigurationUpdate", "StateUpdate", "Action"];
var MAX_NAMES = 100;
function putMetricAlarm(input, book) {
  book.putMetricAlarm(parseMetricAlarm(input));
  return {};
}
function putCompositeAlarm(input, book) {
  book.putCompositeAlarm(parseCompositeAlarm(input));
  return {};
}
function alarmNames(input, name, required) {
  const list = optionalList(input, name);
  if (list === void 0) {
    if (required) throw missingParameter(name);
    return void 0;
  }
  if (list.length > MAX_NAMES)
    throw invalidParameter(`${name} has ${list.length} names; at most ${MAX_NAMES} are allowed.`);
  return list.map((n, i) => {
    if (typeof n !== "string" || n === "")
      throw invalidParameter(`${name}.member.${i + 1} must be an alarm name.`);
    return n;
  });
}
function alarmTypes(input) {
  const list = optionalList(input, "AlarmTypes");
  if (list === void 0 || list.length === 0) return ["MetricAlarm"];
  return list.map((t, i) => optionalEnum2({ t }, "t", ALARM_TYPES, `AlarmTypes.member.${i + 1}`));
}
function describeAlarms(input, book) {
  const names = alarmNames(input, "AlarmNames", false);
  const prefix = optionalString2(input, "AlarmNamePrefix");
  const childrenOf = optionalString2(input, "ChildrenOfAlarmName");
  const parentsOf = optionalString2(input, "ParentsOfAlarmName");
  const state = optionalEnum2(input, "StateValue", STATES2);
  const actionPrefix = optionalString2(input, "ActionPrefix");
  const size = pageSize(optionalInteger(input, "MaxRecords"), 50);
  if (names !== void 0 && prefix !== void 0) {
    throw invalidCombination("Use AlarmNames or AlarmNamePrefix, not both.");
  }
  if ((childrenOf !== void 0 || parentsOf !== void 0) && [names, prefix, state, actionPrefix].some((v2) => v2 !== void 0)) {
    throw invalidCombination(
      "ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with other filters."
    );
  }
  if (childrenOf !== void 0 && parentsOf !== void 0) {
    throw invalidCombination("Use ChildrenOfAlarmName or ParentsOfAlarmName, not both.");
  }
  let alarms = book.all();
  if (childrenOf !== void 0) {
    const parent = book.get(childrenOf);
    const children = new Set(parent?.children ?? []);
    alarms = alarms.filter((a) => children.has(a.name));
  } else if (parentsOf !== void 0) {
    alarms = alarms.filter((a) => a.children?.includes(parentsOf));
  } else {
    const types = alarmTypes(input);
    const wanted = names ? new Set(names) : void 0;
    alarms = alarms.filter(
      (a) => types.includes(a.type) && (wanted === void 0 || wanted.has(a.name)) && (prefix === void 0 || a.name.startsWith(prefix)) && (state === void 0 || a.state.value === state) && (actionPrefix === void 0 || hasActionWithPrefix(a, actionPrefix))
    );
  }
  const { page: page3, nextToken } = paginate2(alarms, "DescribeAlarms", size, optionalString2(input, "NextToken"));
  return {
    MetricAlarms: page3.filter((a) => a.type === "MetricAlarm").map(toWireAlarm),
    CompositeAlarms: page3.filter((a) => a.type === "CompositeAlarm").map(toWireAlarm),
    ...nextToken !== void 0 ? { NextToken: nextToken } : {}
  };
}
function hasActionWithPrefix(alarm, prefix) {
  return ["OKActions", "AlarmActions", "InsufficientDataActions"].some(
    (k) => (alarm.wire[k] ?? []).some((a) => a.startsWith(prefix))
  );
}
function toWireAlarm(alarm) {
  return {
    ...alarm.wire,
    AlarmArn: alarmArn(alarm.name),
    AlarmConfigurationUpdatedTimestamp: toWireTime(alarm.configUpdatedAt),
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    ...alarm.state.reasonData !== void 0 ? { StateReasonData: alarm.state.reasonData } : {},
    StateUpdatedTimestamp: toWireTime(alarm.state.updatedAt),
    StateTransitionedTimestamp: toWireTime(alarm.state.transitionedAt)
  };
}
function setAlarmState(input, book) {
  const name = requiredString2(input, "AlarmName");
  const value = optionalEnum2(input, "StateValue", STATES2);
  if (value === void 0) throw missingParameter("StateValue");
  const reason = optionalString2(input, "StateReason");
  if (reason === void 0) throw missingParameter("StateReason");
  if (reason.length > 1023) throw invalidParameter("StateReason is longer than 1023 characters.");
  const reasonData = optionalString2(input, "StateReasonData");
  if (reasonData !== void 0) {
    if (reasonData.length > 4e3) throw invalidParameter("StateReasonData is longer than 4000 characters.");
    try {
      JSON.parse(reasonData);
    } catch {
      throw invalidFormat("StateReasonData must be valid JSON.");
    }
  }
  const alarm = book.get(name);
  if (!alarm) throw resourceNotFound(`The alarm ${name} does not exist; check the name with DescribeAlarms.`);
  book.setState(alarm, value, reason, reasonData);
  return {};
}
function deleteAlarms(input, book) {
  const names = alarmNames(input, "AlarmNames", true);
  const missing = book.delete(names);
  if (missing.length > 0) {
    throw resourceNotFound(
      `${missing.length} alarm${missing.length === 1 ? "" : "s"} not found: ${missing.join(", ")}.`
    );
  }
  return {};
}
function setAlarmActions(input, book, enabled) {
  book.setActionsEnabled(alarmNames(input, "AlarmNames", true), enabled);
  return {};
}
function describeAlarmHistory(input, book) {
  const name = optionalString2(input, "AlarmName");
  const types = alarmTypes(input);
  const itemType = optionalEnum2(input, "HistoryItemType", HISTORY_TYPES);
  const from = optionalTimestamp(input, "StartDate");
  const to = optionalTimestamp(input, "EndDate");
  const ascending = optionalEnum2(input, "ScanBy", ["TimestampDescending", "TimestampAscending"]) === "TimestampAscending";
  const size = pageSize(optionalInteger(input, "MaxRecords"), 100);
  const items = book.historyItems().filter(
    (h) => (name === void 0 || h.alarmName === name) && types.includes(h.alarmType) && (itemType === void 0 || h.type === itemType) && (from === void 0 || h.timestamp >= from) && (to === void 0 || h.timestamp <= to)
  );
  if (!ascending) items.reverse();
  const { page: page3, nextToken } = paginate2(
    items,
    "DescribeAlarmHistory",
    size,
    optionalString2(input, "NextToken")
  );
  return {
    AlarmHistoryItems: page3.map((h) => ({
      AlarmName: h.alarmName,
      AlarmType: h.alarmType,
      Timestamp: toWireTime(h.timestamp),
      HistoryItemType: h.type,
      HistorySummary: h.summary,
      HistoryData: h.data
    })),
    ...nextToken !== void 0 ? { NextToken: nextToken } : {}
  };
}

// sandbox/cloudwatch/dashboards.ts
var DASHBOARD_ARN_PREFIX = "arn:aws:cloudwatch::123456789012:dashboard/";
var NAME = /^[A-Za-z0-9_-]{1,255}$/;
var WIDGET_TYPES = ["metric", "text", "log", "alarm", "explorer", "custom"];
var MAX_BODY_BYTES = 1024 * 1024;
var PAGE = 1e3;
var DashboardBook = class {
  dashboards = /* @__PURE__ */ new Map();
  get(name) {
    return this.dashboards.get(name);
  }
  put(name, body2, now) {
    this.dashboards.set(name, { body: body2, lastModified: now });
  }
  delete(name) {
    this.dashboards.delete(name);
  }
  names() {
    return [...this.dashboards.keys()].sort();
  }
  clear() {
    this.dashboards.clear();
  }
  dump() {
    return Object.fromEntries(this.dashboards);
  }
  load(data) {
    this.dashboards = new Map(Object.entries(data ?? {}));
  }
};
var invalidInput = (message, messages = []) => new ServiceError(400, "InvalidParameterInput", message, {
  ...messages.length > 0 ? { dashboardValidationMessages: messages } : {}
});
var notFound2 = () => new ServiceError(404, "ResourceNotFound", "Dashboard does not exist");
function putDashboard(input, book, now) {
  const name = optionalString2(input, "DashboardName");
  if (name === void 0 || name === "") throw missingParameter("DashboardName");
  if (!NAME.test(name))
    throw invalidInput(
      "The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_)."
    );
  const body2 = optionalString2(input, "DashboardBody");
  if (body2 === void 0) throw missingParameter("DashboardBody");
  if (Buffer.byteLength(body2) > MAX_BODY_BYTES)
    throw invalidInput(`The dashboard body is larger than ${MAX_BODY_BYTES} bytes.`);
  const messages = validateBody(body2);
  if (messages.length > 0)
    throw invalidInput(
      `The dashboard body is invalid, there are ${messages.length} validation errors: ${JSON.stringify(messages)}`,
      messages
    );
  book.put(name, body2, now);
  return { DashboardValidationMessages: [] };
}
function getDashboard(input, book) {
  const name = optionalString2(input, "DashboardName");
  if (name === void 0 || name === "") throw missingParameter("DashboardName");
  const d = book.get(name);
  if (!d) throw notFound2();
  return { DashboardArn: DASHBOARD_ARN_PREFIX + name, DashboardBody: d.body, DashboardName: name };
}
function listDashboards(input, book) {
  const prefix = optionalString2(input, "DashboardNamePrefix") ?? "";
  if (prefix !== "" && !/^[A-Za-z0-9_-]*$/.test(prefix))
    throw invalidParameter(
      "The value for DashboardNamePrefix may contain only alphanumerics, dash (-) and underscore (_)."
    );
  const entries = book.names().filter((n) => n.startsWith(prefix)).map((n) => {
    const d = book.get(n);
    return {
      DashboardName: n,
      DashboardArn: DASHBOARD_ARN_PREFIX + n,
      LastModified: toWireTime(d.lastModified),
      Size: Buffer.byteLength(d.body)
    };
  });
  const { page: page3, nextToken } = paginate2(entries, "ListDashboards", PAGE, optionalString2(input, "NextToken"));
  return { DashboardEntries: page3, ...nextToken !== void 0 ? { NextToken: nextToken } : {} };
}
function deleteDashboards(input, book) {
  const names = optionalList(input, "DashboardNames");
  if (names === void 0 || names.length === 0) throw missingParameter("DashboardNames");
  for (const n of names) if (typeof n !== "string" || !book.get(n)) throw notFound2();
  for (const n of names) book.delete(n);
  return {};
}
var isObject2 = (v2) => typeof v2 === "object" && v2 !== null && !Array.isArray(v2);
function validateBody(text) {
  let body2;
  try {
    body2 = JSON.parse(text);
  } catch {
    return [{ DataPath: "", Message: "The field DashboardBody must be a valid JSON object" }];
  }
  if (!isObject2(body2)) return [{ DataPath: "", Message: "Should be object" }];
  const out = [];
  if (!Array.isArray(body2["widgets"])) {
    out.push({ DataPath: "", Message: "Should have required property 'widgets'" });
    return out;
  }
  body2["widgets"].forEach((w2, i) => {
    validateWidget(w2, `/widgets/${i}`, out);
  });
  for (const key of ["start", "end"]) {
    const v2 = body2[key];
    if (v2 !== void 0 && (typeof v2 !== "string" || !isTimeOrRelative(v2)))
      out.push({
        DataPath: `/${key}`,
        Message: "Should be an ISO 8601 time or a relative time such as -PT3H"
      });
  }
  if (body2["periodOverride"] !== void 0 && !["auto", "inherit"].includes(String(body2["periodOverride"])))
    out.push({
      DataPath: "/periodOverride",
      Message: "Should be equal to one of the allowed values: auto, inherit"
    });
  return out;
}
function validateWidget(w2, path, out) {
  if (!isObject2(w2)) {
    out.push({ DataPath: path, Message: "Should be object" });
    return;
  }
  if (typeof w2["type"] !== "string" || !WIDGET_TYPES.includes(w2["type"])) {
    out.push({
      DataPath: `${path}/type`,
      Message: `Should be equal to one of the allowed values: ${WIDGET_TYPES.join(", ")}`
    });
    return;
  }
  intIn(w2["x"], 0, 23, `${path}/x`, out);
  intIn(w2["y"], 0, Number.MAX_SAFE_INTEGER, `${path}/y`, out);
  intIn(w2["width"], 1, 24, `${path}/width`, out);
  intIn(w2["height"], 1, 1e3, `${path}/height`, out);
  const props = w2["properties"];
  if (!isObject2(props)) {
    out.push({ DataPath: path, Message: "Should have required property 'properties'" });
    return;
  }
  const p = `${path}/properties`;
  if (w2["type"] === "text" && typeof props["markdown"] !== "string")
    out.push({ DataPath: p, Message: "Should have required property 'markdown'" });
  if (w2["type"] === "alarm" && !Array.isArray(props["alarms"]))
    out.push({ DataPath: p, Message: "Should have required property 'alarms'" });
  if (w2["type"] === "metric") validateMetricProperties(props, p, out);
}
function validateMetricProperties(props, p, out) {
  if (typeof props["region"] !== "string")
    out.push({ DataPath: p, Message: "Should have required property 'region'" });
  const metrics = props["metrics"];
  if (metrics === void 0 && props["annotations"] === void 0)
    out.push({ DataPath: p, Message: "Should have required property 'metrics'" });
  if (metrics !== void 0) {
    if (!Array.isArray(metrics)) out.push({ DataPath: `${p}/metrics`, Message: "Should be array" });
    else
      metrics.forEach((m, i) => {
        validateMetric(m, `${p}/metrics/${i}`, out);
      });
  }
  const annotations = props["annotations"];
  if (annotations !== void 0) {
    if (!isObject2(annotations)) out.push({ DataPath: `${p}/annotations`, Message: "Should be object" });
    else {
      for (const kind of ["horizontal", "vertical"]) {
        const list = annotations[kind];
        if (list === void 0) continue;
        if (!Array.isArray(list)) {
          out.push({ DataPath: `${p}/annotations/${kind}`, Message: "Should be array" });
          continue;
        }
        list.forEach((a, i) => {
          validateAnnotation(a, kind, `${p}/annotations/${kind}/${i}`, out);
        });
      }
    }
  }
  const view2 = props["view"];
  if (view2 !== void 0 && !["timeSeries", "singleValue", "gauge", "bar", "pie", "table"].includes(String(view2)))
    out.push({
      DataPath: `${p}/view`,
      Message: "Should be equal to one of the allowed values: timeSeries, singleValue, gauge, bar, pie, table"
    });
}
function validateMetric(m, path, out) {
  if (!Array.isArray(m) || m.length === 0) {
    out.push({ DataPath: path, Message: "Should be a non-empty array" });
    return;
  }
  const last = m[m.length - 1];
  const options = isObject2(last) ? last : void 0;
  const names = options ? m.slice(0, -1) : m;
  if (!names.every((x2) => typeof x2 === "string")) {
    out.push({ DataPath: path, Message: "Should hold strings, then at most one options object" });
    return;
  }
  if (names.length === 0) {
    if (!options || typeof options["expression"] !== "string")
      out.push({ DataPath: path, Message: "A metric without names should have the option 'expression'" });
    return;
  }
  if (names.length < 2 || names.length % 2 !== 0)
    out.push({
      DataPath: path,
      Message: "Should be [Namespace, MetricName, then dimension name and value pairs]"
    });
}
function validateAnnotation(a, kind, path, out) {
  if (!isObject2(a)) {
    out.push({ DataPath: path, Message: "Should be object" });
    return;
  }
  const v2 = a["value"];
  if (kind === "horizontal" && typeof v2 !== "number")
    out.push({ DataPath: `${path}/value`, Message: "Should be number" });
  if (kind === "vertical" && (typeof v2 !== "string" || Number.isNaN(Date.parse(v2))))
    out.push({ DataPath: `${path}/value`, Message: "Should be an ISO 8601 time" });
}
function intIn(v2, min, max, path, out) {
  if (v2 === void 0) return;
  if (typeof v2 !== "number" || !Number.isInteger(v2) || v2 < min || v2 > max)
    out.push({ DataPath: path, Message: `Should be an integer from ${min} to ${max}` });
}
function isTimeOrRelative(v2) {
  return /^-P(T?\d+[SMHDW])+$/i.test(v2) || /^-P\d+[DWMY](T(\d+[HMS])+)?$/i.test(v2) || !Number.isNaN(Date.parse(v2));
}

// sandbox/cloudwatch/metric-operations.ts
import { createHash as createHash2 } from "node:crypto";
var TWO_WEEKS_MS = 14 * 24 * 3600 * 1e3;
var TWO_HOURS_MS = 2 * 3600 * 1e3;
var MAX_VALUE = 2 ** 360;
var MAX_METRIC_DATA = 1e3;
var MAX_VALUES_PER_DATUM = 150;
var STANDARD_UNITS = [
  "Seconds",
  "Microseconds",
  "Milliseconds",
  "Bytes",
  "Kilobytes",
  "Megabytes",
  "Gigabytes",
  "Terabytes",
  "Bits",
  "Kilobits",
  "Megabits",
  "Gigabits",
  "Terabits",
  "Percent",
  "Count",
  "Bytes/Second",
  "Kilobytes/Second",
  "Megabytes/Second",
  "Gigabytes/Second",
  "Terabytes/Second",
  "Bits/Second",
  "Kilobits/Second",
  "Megabits/Second",
  "Gigabits/Second",
  "Terabits/Second",
  "Count/Second",
  "None"
];
function putMetricData(input, store, now) {
  const namespace = requiredString2(input, "Namespace");
  checkNamespace(namespace);
  const data = [];
  (optionalList(input, "MetricData") ?? []).forEach((datum, i) => {
    data.push({ datum, path: `MetricData.member.${i + 1}` });
  });
  (optionalList(input, "EntityMetricData") ?? []).forEach((entry, i) => {
    const path = `EntityMetricData.member.${i + 1}`;
    (optionalList(asStruct(entry, path), "MetricData", `${path}.MetricData`) ?? []).forEach((datum, j) => {
      data.push({ datum, path: `${path}.MetricData.member.${j + 1}` });
    });
  });
  if (data.length === 0) throw missingParameter("MetricData");
  if (data.length > MAX_METRIC_DATA) {
    throw invalidParameter(
      `The request holds ${data.length} metric data; at most ${MAX_METRIC_DATA} are allowed.`
    );
  }
  const parsed = data.map(({ datum, path }) => parseDatum(asStruct(datum, path), path, namespace, now));
  for (const { identity, sample } of parsed) store.put(identity, sample);
  return {};
}
function checkNamespace(namespace) {
  if (namespace.length > 255) throw invalidParameter("Namespace is longer than 255 characters.");
  if (namespace.startsWith("AWS/")) {
    throw invalidParameter(
      `The value ${namespace} for parameter Namespace is invalid: namespaces starting with AWS/ are reserved.`
    );
  }
}
function parseDatum(d, path, namespace, now) {
  const name = requiredString2(d, "MetricName", `${path}.MetricName`);
  const dimensions = parseDimensions(
    optionalList(d, "Dimensions", `${path}.Dimensions`),
    `${path}.Dimensions`
  );
  const timestamp = optionalTimestamp(d, "Timestamp", `${path}.Timestamp`) ?? now;
  if (timestamp < now - TWO_WEEKS_MS || timestamp > now + TWO_HOURS_MS) {
    throw invalidParameter(
      `The value ${new Date(timestamp).toISOString()} for parameter ${path}.Timestamp is invalid: it must be within the last two weeks and at most two hours ahead.`
    );
  }
  const unit = optionalEnum2(d, "Unit", STANDARD_UNITS, `${path}.Unit`) ?? "None";
  const resolution = optionalInteger(d, "StorageResolution", `${path}.StorageResolution`);
  if (resolution !== void 0 && resolution !== 1 && resolution !== 60) {
    throw invalidParameter(
      `The value ${resolution} for parameter ${path}.StorageResolution is invalid; use 1 or 60.`
    );
  }
  const value = optionalNumber2(d, "Value", `${path}.Value`);
  const stats = optionalStruct(d, "StatisticValues", `${path}.StatisticValues`);
  const values = optionalList(d, "Values", `${path}.Values`);
  const counts = optionalList(d, "Counts", `${path}.Counts`);
  const given = [value !== void 0 && "Value", stats && "StatisticValues", values && "Values"].filter(
    Boolean
  );
  if (given.length > 1) {
    throw invalidCombination(
      `${path} may have only one of Value, StatisticValues and Values; it has ${given.join(" and ")}.`
    );
  }
  if (given.length === 0) throw missingParameter(`${path}.Value (or StatisticValues or Values)`);
  if (counts && !values) throw invalidCombination(`${path}.Counts needs ${path}.Values.`);
  const identity = { namespace, name, dimensions };
  if (value !== void 0) {
    checkMagnitude(value, `${path}.Value`);
    return {
      identity,
      sample: { t: timestamp, unit, count: 1, sum: value, min: value, max: value, values: [value] }
    };
  }
  if (stats) {
    const p = `${path}.StatisticValues`;
    const count = requiredNumber2(stats, "SampleCount", `${p}.SampleCount`);
    const sum = requiredNumber2(stats, "Sum", `${p}.Sum`);
    const min = requiredNumber2(stats, "Minimum", `${p}.Minimum`);
    const max = requiredNumber2(stats, "Maximum", `${p}.Maximum`);
    if (count <= 0) throw invalidParameter(`${p}.SampleCount must be greater than 0.`);
    if (min > max) throw invalidParameter(`${p}.Minimum (${min}) is greater than ${p}.Maximum (${max}).`);
    for (const [v2, n] of [
      [sum, "Sum"],
      [min, "Minimum"],
      [max, "Maximum"]
    ])
      checkMagnitude(v2, `${p}.${n}`);
    return { identity, sample: { t: timestamp, unit, count, sum, min, max } };
  }
  return { identity, sample: valuesSample(values, counts, path, timestamp, unit) };
}
function valuesSample(values, counts, path, t, unit) {
  if (values.length === 0) throw missingParameter(`${path}.Values`);
  if (values.length > MAX_VALUES_PER_DATUM) {
    throw invalidParameter(
      `${path}.Values has ${values.length} values; at most ${MAX_VALUES_PER_DATUM} are allowed.`
    );
  }
  if (counts && counts.length !== values.length) {
    throw invalidParameter(
      `${path}.Counts has ${counts.length} entries but ${path}.Values has ${values.length}; give one count per value.`
    );
  }
  const vs = [];
  const cs = [];
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  values.forEach((raw, i) => {
    const v2 = optionalNumber2({ v: raw }, "v", `${path}.Values.member.${i + 1}`);
    checkMagnitude(v2, `${path}.Values.member.${i + 1}`);
    const c = counts ? optionalNumber2({ c: counts[i] }, "c", `${path}.Counts.member.${i + 1}`) : 1;
    if (c < 0) throw invalidParameter(`${path}.Counts.member.${i + 1} must not be negative.`);
    if (c === 0) return;
    vs.push(v2);
    cs.push(c);
    count += c;
    sum += v2 * c;
    if (v2 < min) min = v2;
    if (v2 > max) max = v2;
  });
  if (count === 0) throw invalidParameter(`${path}.Counts are all zero; at least one value must be counted.`);
  return { t, unit, count, sum, min, max, values: vs, counts: cs };
}
function checkMagnitude(v2, path) {
  if (Math.abs(v2) > MAX_VALUE || v2 !== 0 && Math.abs(v2) < 2 ** -260) {
    throw invalidParameter(`The value ${v2} for parameter ${path} is out of range (±2^360, or 0).`);
  }
}
function getMetricData(input, store) {
  const list = optionalList(input, "MetricDataQueries");
  if (list === void 0) throw missingParameter("MetricDataQueries");
  const queries = parseQueries(list, "MetricDataQueries");
  const start = requiredTimestamp(input, "StartTime");
  const end = requiredTimestamp(input, "EndTime");
  if (start >= end)
    throw validationError("The parameter StartTime must be earlier than the parameter EndTime.");
  const ascending = optionalEnum2(input, "ScanBy", ["TimestampDescending", "TimestampAscending"]) === "TimestampAscending";
  const maxDatapoints = optionalInteger(input, "MaxDatapoints") ?? DEFAULT_MAX_DATAPOINTS;
  if (maxDatapoints < 1) throw invalidParameter("MaxDatapoints must be at least 1.");
  const token = optionalString2(input, "NextToken");
  const fingerprint = requestFingerprint(input, start, end);
  const series = runQueries(store, queries, start, end);
  const returned = queries.filter((q2) => q2.returnData);
  const offsets = token === void 0 ? returned.map(() => 0) : decodeDataToken(token, fingerprint, returned.length);
  let budget = maxDatapoints;
  const next = [];
  const results = returned.map((q2, i) => {
    const points = [...series.get(q2.id) ?? /* @__PURE__ */ new Map()];
    if (!ascending) points.reverse();
    const from = Math.min(offsets[i], points.length);
    const take = Math.min(budget, points.length - from);
    budget -= take;
    const page3 = points.slice(from, from + take);
    next.push(from + take);
    return {
      Id: q2.id,
      Label: defaultLabel(q2),
      Timestamps: page3.map(([t]) => toWireTime(t)),
      Values: page3.map(([, v2]) => v2),
      StatusCode: from + take < points.length ? "PartialData" : "Complete",
      Messages: []
    };
  });
  const more = results.some((r) => r.StatusCode === "PartialData");
  return {
    MetricDataResults: results,
    Messages: [],
    ...more ? { NextToken: encodeDataToken(fingerprint, next) } : {}
  };
}
var DEFAULT_MAX_DATAPOINTS = 100800;
function requestFingerprint(input, start, end) {
  const canonical2 = JSON.stringify([
    sortedKeys(input["MetricDataQueries"]),
    start,
    end,
    input["ScanBy"] ?? null,
    input["MaxDatapoints"] ?? null
  ]);
  return createHash2("sha256").update(canonical2).digest("base64url").slice(0, 22);
}
function sortedKeys(v2) {
  if (Array.isArray(v2)) return v2.map(sortedKeys);
  if (typeof v2 !== "object" || v2 === null) return v2;
  return Object.fromEntries(
    Object.keys(v2).sort().map((k) => [k, sortedKeys(v2[k])])
  );
}
function encodeDataToken(fingerprint, offsets) {
  return Buffer.from(JSON.stringify({ op: "GetMetricData", fp: fingerprint, offsets })).toString("base64url");
}
function decodeDataToken(token, fingerprint, count) {
  let data;
  try {
    data = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidNextToken();
  }
  const offsets = data.offsets;
  if (data.op !== "GetMetricData" || data.fp !== fingerprint || !Array.isArray(offsets) || offsets.length !== count || !offsets.every((o) => Number.isInteger(o) && o >= 0))
    throw invalidNextToken();
  return offsets;
}
function listMetrics(input, store) {
  const namespace = optionalString2(input, "Namespace");
  const name = optionalString2(input, "MetricName");
  const filters = (optionalList(input, "Dimensions") ?? []).map((f, i) => {
    const s = asStruct(f, `Dimensions.member.${i + 1}`);
    return {
      name: requiredString2(s, "Name", `Dimensions.member.${i + 1}.Name`),
      value: optionalString2(s, "Value", `Dimensions.member.${i + 1}.Value`)
    };
  });
  const matching = store.identities().filter(
    (m) => (namespace === void 0 || m.namespace === namespace) && (name === void 0 || m.name === name) && filters.every(
      (f) => f.name in m.dimensions && (f.value === void 0 || m.dimensions[f.name] === f.value)
    )
  ).map((m) => ({ Namespace: m.namespace, MetricName: m.name, Dimensions: dimensionsToWire(m.dimensions) }));
  const { page: page3, nextToken } = paginate2(matching, "ListMetrics", 500, optionalString2(input, "NextToken"));
  return { Metrics: page3, ...nextToken !== void 0 ? { NextToken: nextToken } : {} };
}

// sandbox/cloudwatch/metric-statistics.ts
var SIMPLE_STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
var MAX_STATISTICS = 5;
var MAX_EXTENDED = 10;
var MAX_DATAPOINTS = 1440;
var MINUTE = 6e4;
var HOUR = 60 * MINUTE;
var DAY = 24 * HOUR;
function getMetricStatistics(input, store, now) {
  const namespace = requiredString2(input, "Namespace");
  const name = requiredString2(input, "MetricName");
  const dimensions = parseDimensions(optionalList(input, "Dimensions"), "Dimensions");
  const requestedStart = requiredTimestamp(input, "StartTime");
  const end = requiredTimestamp(input, "EndTime");
  const period = input["Period"];
  if (period === void 0 || period === null) throw missingParameter("Period");
  if (typeof period !== "number" || !Number.isInteger(period) || period < 1)
    throw invalidParameter(`The value ${String(period)} for parameter Period must be a positive integer.`);
  if (!([1, 5, 10, 30].includes(period) || period % 60 === 0))
    throw invalidParameter(
      `The parameter Period must be 1, 5, 10, 30 or a multiple of 60 seconds, not ${period}.`
    );
  const statistics = statisticList(input, "Statistics", MAX_STATISTICS, (s, path) => {
    if (!SIMPLE_STATISTICS.includes(s))
      throw invalidParameter(
        `The value ${s} for parameter ${path} is invalid; use one of ${SIMPLE_STATISTICS.join(", ")}.`
      );
    return parseStatistic(s, path);
  });
  const extended = statisticList(input, "ExtendedStatistics", MAX_EXTENDED, (s, path) => {
    const stat2 = parseStatisticOrUndefined(s);
    if (stat2?.kind !== "percentile")
      throw invalidParameter(
        `The value ${s} for parameter ${path} is invalid; use a percentile from p0.0 to p100 such as p95 or p99.9.`
      );
    return stat2;
  });
  if (statistics.length === 0 && extended.length === 0)
    throw missingParameter("Statistics or ExtendedStatistics");
  if (statistics.length > 0 && extended.length > 0)
    throw invalidCombination(
      "Specify either Statistics or ExtendedStatistics, not both; make one call for each."
    );
  const unit = optionalEnum2(input, "Unit", STANDARD_UNITS);
  if (requestedStart >= end)
    throw invalidParameter("The parameter StartTime must be less than the parameter EndTime.");
  const start = roundStart(requestedStart, now);
  const periodMs = period * 1e3;
  const alignedStart = Math.floor(start / periodMs) * periodMs;
  const requested = Math.ceil((end - alignedStart) / periodMs);
  if (requested > MAX_DATAPOINTS)
    throw invalidCombination(
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`
    );
  const datapoints = [];
  if (period < 60 && requestedStart < now - 3 * HOUR) return { Label: name, Datapoints: datapoints };
  const identity = { namespace, name, dimensions };
  const units = unit !== void 0 ? [unit] : store.units(identity, alignedStart, end);
  for (const u of units) {
    for (const [t, agg] of store.buckets(identity, alignedStart, end, periodMs, u)) {
      const point = { Timestamp: toWireTime(t), Unit: u };
      for (const [text, stat2] of statistics) {
        const v2 = agg.value(stat2);
        if (v2 !== void 0) point[text] = v2;
      }
      if (extended.length > 0) {
        const values = {};
        for (const [text, stat2] of extended) {
          const v2 = agg.value(stat2);
          if (v2 !== void 0) values[text] = v2;
        }
        point["ExtendedStatistics"] = values;
      }
      datapoints.push(point);
    }
  }
  datapoints.sort((a, b) => a["Timestamp"] - b["Timestamp"]);
  return { Label: name, Datapoints: datapoints };
}
function statisticList(input, name, max, parse) {
  const list = optionalList(input, name) ?? [];
  if (list.length > max)
    throw invalidParameter(`${name} has ${list.length} entries; at most ${max} are allowed.`);
  const seen = /* @__PURE__ */ new Set();
  return list.map((s, i) => {
    const path = `${name}.member.${i + 1}`;
    if (typeof s !== "string" || s === "") throw invalidParameter(`${path} must be a statistic name.`);
    if (seen.has(s)) throw invalidParameter(`${name} names ${s} twice; list each statistic once.`);
    seen.add(s);
    return [s, parse(s, path)];
  });
}
function parseStatisticOrUndefined(text) {
  try {
    return parseStatistic(text);
  } catch {
    return void 0;
  }
}
function roundStart(start, now) {
  const age = now - start;
  const unit = age < 15 * DAY ? MINUTE : age <= 63 * DAY ? 5 * MINUTE : HOUR;
  return Math.floor(start / unit) * unit;
}

// sandbox/cloudwatch/metric-store.ts
function metricKey(identity) {
  const dims = Object.keys(identity.dimensions).sort().map((k) => `${k}=${identity.dimensions[k]}`).join("");
  return `${identity.namespace}\0${identity.name}\0${dims}`;
}
var MetricStore = class {
  series = /* @__PURE__ */ new Map();
  /** Timestamps are kept to the second, CloudWatch's finest resolution. */
  put(identity, sample) {
    sample.t = Math.floor(sample.t / 1e3) * 1e3;
    const key = metricKey(identity);
    let series = this.series.get(key);
    if (!series) {
      series = { identity: { ...identity, dimensions: { ...identity.dimensions } }, samples: [] };
      this.series.set(key, series);
    }
    insertSorted(series.samples, sample);
  }
  /** Aggregates per period start for samples in [start, end), optionally only those with `unit`. */
  buckets(identity, start, end, periodMs, unit, origin = 0) {
    const out = /* @__PURE__ */ new Map();
    const samples = this.series.get(metricKey(identity))?.samples;
    if (!samples) return out;
    for (let i = firstIndexAtOrAfter(samples, start); i < samples.length; i++) {
      const s = samples[i];
      if (s.t >= end) break;
      if (unit !== void 0 && s.unit !== void 0 && s.unit !== unit) continue;
      const bucket = origin + Math.floor((s.t - origin) / periodMs) * periodMs;
      let agg = out.get(bucket);
      if (!agg) {
        agg = new Aggregate();
        out.set(bucket, agg);
      }
      agg.add(s);
    }
    return out;
  }
  /** The units a metric's datapoints in [start, end) were published with. */
  units(identity, start, end) {
    const samples = this.series.get(metricKey(identity))?.samples ?? [];
    const seen = /* @__PURE__ */ new Set();
    for (let i = firstIndexAtOrAfter(samples, start); i < samples.length; i++) {
      const s = samples[i];
      if (s.t >= end) break;
      seen.add(s.unit ?? "None");
    }
    return [...seen].sort();
  }
  /** Forget datapoints older than `before` (epoch ms) so memory stays bounded. */
  prune(before) {
    for (const [key, series] of this.series) {
      const keep = firstIndexAtOrAfter(series.samples, before);
      if (keep > 0) series.samples.splice(0, keep);
      if (series.samples.length === 0) this.series.delete(key);
    }
  }
  identities() {
    return [...this.series.values()].map((s) => s.identity);
  }
  clear() {
    this.series.clear();
  }
  dump() {
    return [...this.series.values()];
  }
  load(data) {
    this.series.clear();
    for (const s of data) {
      const samples = [...s.samples].sort((a, b) => a.t - b.t);
      this.series.set(metricKey(s.identity), { identity: s.identity, samples });
    }
  }
};
function insertSorted(samples, sample) {
  const last = samples[samples.length - 1];
  if (!last || last.t <= sample.t) {
    if (last && sameSecond(last, sample)) merge(last, sample);
    else samples.push(sample);
    return;
  }
  const at2 = firstIndexAtOrAfter(samples, sample.t + 1);
  const before = samples[at2 - 1];
  if (before && sameSecond(before, sample)) merge(before, sample);
  else samples.splice(at2, 0, sample);
}
function sameSecond(a, b) {
  return a.t === b.t && a.unit === b.unit;
}
function merge(into, from) {
  into.count += from.count;
  into.sum += from.sum;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
  if (into.values && from.values) {
    into.values.push(...from.values);
    if (into.counts || from.counts) {
      into.counts = [
        ...into.counts ?? new Array(into.values.length - from.values.length).fill(1),
        ...from.counts ?? new Array(from.values.length).fill(1)
      ];
    }
  } else {
    into.values = void 0;
    into.counts = void 0;
  }
}
function firstIndexAtOrAfter(samples, t) {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = lo + hi >>> 1;
    if (samples[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// sandbox/cloudwatch/query-protocol.ts
var API_VERSION = "2010-08-01";
var XMLNS = `http://monitoring.amazonaws.com/doc/${API_VERSION}/`;
var CONTENT_TYPE2 = "text/xml";
var KeyIndex = class {
  constructor(params) {
    this.params = params;
    for (const key of params.keys()) {
      const parts = key.split(".");
      for (let i = 0; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join(".");
        let set = this.children.get(prefix);
        if (!set) {
          set = /* @__PURE__ */ new Set();
          this.children.set(prefix, set);
        }
        set.add(parts[i]);
      }
    }
  }
  params;
  children = /* @__PURE__ */ new Map();
  has(key) {
    return this.params.has(key) || this.children.has(key);
  }
  under(prefix) {
    return this.children.get(prefix) ?? /* @__PURE__ */ new Set();
  }
};
function readQueryRequest(form) {
  const params = /* @__PURE__ */ new Map();
  let action;
  let version;
  for (const [k, v2] of form) {
    if (k === "Action") action = v2;
    else if (k === "Version") version = v2;
    else params.set(k, v2);
  }
  return {
    ...action !== void 0 ? { action } : {},
    ...version !== void 0 ? { version } : {},
    params
  };
}
function decodeQueryInput(operationName, params) {
  const op = operation(operationName);
  if (!op)
    throw new ServiceError(
      400,
      "InvalidAction",
      `Could not find operation ${operationName} for version ${API_VERSION}`
    );
  const index = new KeyIndex(params);
  return decodeStructure(index, "", op.input) ?? {};
}
function decodeStructure(index, prefix, target) {
  const s = shape(target);
  if (!s?.members) return void 0;
  const out = {};
  for (const [name, ref] of Object.entries(s.members)) {
    const key = prefix === "" ? serializedName(name, ref) : `${prefix}.${serializedName(name, ref)}`;
    if (!index.has(key)) continue;
    const v2 = decodeValue(index, key, ref.target);
    if (v2 !== void 0) out[name] = v2;
  }
  return out;
}
function decodeValue(index, key, target) {
  const s = shape(target);
  const raw = index.params.get(key);
  switch (s?.type) {
    case "structure":
    case "union":
      return decodeStructure(index, key, target);
    case "list":
      return decodeList(index, key, s);
    case "map":
      return decodeMap(index, key, s);
    case "integer":
    case "long":
      return raw === void 0 ? void 0 : parseInteger(raw, key);
    case "double":
    case "float":
      return raw === void 0 ? void 0 : parseDouble(raw, key);
    case "boolean":
      if (raw === void 0) return void 0;
      if (raw === "true" || raw === "false") return raw === "true";
      throw invalidParameter(`The value ${raw} for parameter ${key} is invalid; use true or false.`);
    default:
      return raw;
  }
}
function decodeList(index, key, s) {
  const member = s.member;
  const flattened = member.traits?.xmlFlattened !== void 0;
  const itemsKey = flattened ? key : `${key}.${member.traits?.xmlName ?? "member"}`;
  const positions = [...index.under(itemsKey)].filter((p) => /^[1-9][0-9]*$/.test(p)).map(Number);
  if (positions.length === 0) return index.params.get(key) === "" ? [] : void 0;
  positions.sort((a, b) => a - b);
  return positions.map((n) => decodeValue(index, `${itemsKey}.${n}`, member.target));
}
function decodeMap(index, key, s) {
  const keyName = s.key?.traits?.xmlName ?? "key";
  const valueName = s.value?.traits?.xmlName ?? "value";
  const entries = `${key}.entry`;
  const positions = [...index.under(entries)].filter((p) => /^[1-9][0-9]*$/.test(p));
  if (positions.length === 0) return void 0;
  const out = {};
  for (const n of positions) {
    const k = index.params.get(`${entries}.${n}.${keyName}`);
    if (k === void 0) throw invalidParameter(`${entries}.${n}.${keyName} is missing.`);
    out[k] = decodeValue(index, `${entries}.${n}.${valueName}`, s.value.target);
  }
  return out;
}
function parseInteger(raw, key) {
  if (!/^-?[0-9]+$/.test(raw.trim()))
    throw invalidParameter(`The value ${raw} for parameter ${key} is invalid: it must be an integer.`);
  return Number(raw);
}
function parseDouble(raw, key) {
  const t = raw.trim();
  if (t === "NaN") return Number.NaN;
  if (t === "Infinity") return Number.POSITIVE_INFINITY;
  if (t === "-Infinity") return Number.NEGATIVE_INFINITY;
  const v2 = Number(t);
  if (t === "" || Number.isNaN(v2))
    throw invalidParameter(`The value ${raw} for parameter ${key} is invalid: it must be a number.`);
  return v2;
}
var serializedName = (name, ref) => ref.traits?.xmlName ?? name;
function queryReply(operationName, output, requestId) {
  const op = operation(operationName);
  const result = op && op.output !== UNIT ? element(`${operationName}Result`, encodeMembers(output, op.output)) : "";
  const body2 = `<${operationName}Response xmlns="${XMLNS}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operationName}Response>`;
  return {
    status: 200,
    headers: { "content-type": CONTENT_TYPE2, "x-amzn-requestid": requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>
${body2}`
  };
}
function queryError(err, errorShapeName, requestId) {
  const s = errorShapeName ? shape(errorShapeName) : void 0;
  const type = err.status >= 500 ? "Receiver" : "Sender";
  const extra = errorShapeName ? encodeMembers(err.extra, errorShapeName, ["message", "Message"]) : "";
  const body2 = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${extra}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return {
    status: s?.traits?.awsQueryError?.httpResponseCode ?? err.status,
    headers: { "content-type": CONTENT_TYPE2, "x-amzn-requestid": requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>
${body2}`
  };
}
function encodeMembers(value, target, skip = []) {
  const s = shape(target);
  if (!s?.members || typeof value !== "object" || value === null) return "";
  const v2 = value;
  let out = "";
  for (const [name, ref] of Object.entries(s.members)) {
    if (skip.includes(name) || v2[name] === void 0 || v2[name] === null) continue;
    out += encodeValue(serializedName(name, ref), v2[name], ref.target);
  }
  return out;
}
function encodeValue(name, value, target) {
  const s = shape(target);
  switch (s?.type) {
    case "structure":
    case "union":
      return element(name, encodeMembers(value, target));
    case "list": {
      const member = s.member;
      const items = Array.isArray(value) ? value : [];
      const itemName = member.traits?.xmlName ?? "member";
      if (member.traits?.xmlFlattened !== void 0)
        return items.map((item) => encodeValue(name, item, member.target)).join("");
      return element(name, items.map((item) => encodeValue(itemName, item, member.target)).join(""));
    }
    case "map": {
      const entries = Object.entries(value ?? {});
      const k = s.key;
      const val = s.value;
      return element(
        name,
        entries.map(
          ([ek, ev]) => element(
            "entry",
            encodeValue(k.traits?.xmlName ?? "key", ek, k.target) + encodeValue(val.traits?.xmlName ?? "value", ev, val.target)
          )
        ).join("")
      );
    }
    case "timestamp":
      return element(name, escapeXml(isoTimestamp(value)));
    case "double":
    case "float":
      return element(name, formatDouble(value));
    default:
      return element(name, escapeXml(String(value)));
  }
}
function isoTimestamp(value) {
  if (typeof value === "number") return new Date(Math.round(value * 1e3)).toISOString();
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
function formatDouble(v2) {
  if (Number.isNaN(v2)) return "NaN";
  if (v2 === Number.POSITIVE_INFINITY) return "Infinity";
  if (v2 === Number.NEGATIVE_INFINITY) return "-Infinity";
  return String(v2);
}
var element = (name, inner) => `<${name}>${inner}</${name}>`;
function escapeXml(text) {
  return text.replace(
    /[<>&"']/g,
    (c) => c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : c === '"' ? "&quot;" : "&apos;"
  );
}

// sandbox/cloudwatch/service.ts
function queryForm(req) {
  if (req.path !== "/") return void 0;
  if (req.method === "POST") {
    const type = req.headers["content-type"] ?? "";
    if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded")) return void 0;
    return new URLSearchParams(req.body.toString("utf8"));
  }
  if (req.method === "GET" && req.query.has("Action")) return req.query;
  return void 0;
}
var METRIC_RETENTION_MS = 15 * 24 * 3600 * 1e3;
var PRUNE_EVERY_MS2 = 3600 * 1e3;
function createCloudWatch(ctx) {
  const metrics = new MetricStore();
  const alarms = new AlarmBook(metrics, () => ctx.clock.now());
  const dashboards = new DashboardBook();
  let lastPrune = 0;
  const handlers = {
    PutMetricData: { handle: (i) => putMetricData(i, metrics, ctx.clock.now()), writes: true },
    GetMetricData: { handle: (i) => getMetricData(i, metrics), writes: false },
    ListMetrics: { handle: (i) => listMetrics(i, metrics), writes: false },
    PutMetricAlarm: { handle: (i) => putMetricAlarm(i, alarms), writes: true },
    PutCompositeAlarm: { handle: (i) => putCompositeAlarm(i, alarms), writes: true },
    DescribeAlarms: { handle: (i) => describeAlarms(i, alarms), writes: false },
    SetAlarmState: { handle: (i) => setAlarmState(i, alarms), writes: true },
    DeleteAlarms: { handle: (i) => deleteAlarms(i, alarms), writes: true },
    DescribeAlarmHistory: { handle: (i) => describeAlarmHistory(i, alarms), writes: false },
    EnableAlarmActions: { handle: (i) => setAlarmActions(i, alarms, true), writes: true },
    DisableAlarmActions: { handle: (i) => setAlarmActions(i, alarms, false), writes: true },
    GetMetricStatistics: { handle: (i) => getMetricStatistics(i, metrics, ctx.clock.now()), writes: false },
    PutDashboard: { handle: (i) => putDashboard(i, dashboards, ctx.clock.now()), writes: true },
    GetDashboard: { handle: (i) => getDashboard(i, dashboards), writes: false },
    ListDashboards: { handle: (i) => listDashboards(i, dashboards), writes: false },
    DeleteDashboards: { handle: (i) => deleteDashboards(i, dashboards), writes: true }
  };
  function run(operation2, input) {
    const handler = handlers[operation2];
    if (!handler) {
      throw new ServiceError(
        400,
        "UnknownOperationException",
        `The sandbox's CloudWatch does not implement ${operation2}.`
      );
    }
    const output = handler.handle(input());
    if (handler.writes) ctx.changed();
    return output;
  }
  return {
    name: "cloudwatch",
    resolve(req) {
      const target = req.headers["x-amz-target"];
      if (req.method === "POST" && target?.startsWith(TARGET_PREFIX)) {
        const operation3 = target.slice(TARGET_PREFIX.length);
        return {
          operation: operation3,
          handle: () => jsonReply(run(operation3, () => parseBody(req.body, req.headers["content-encoding"])))
        };
      }
      const form = queryForm(req);
      if (!form) return void 0;
      const { action, version, params } = readQueryRequest(form);
      const operation2 = action ?? "MissingAction";
      const requestId = randomUUID();
      return {
        operation: operation2,
        encodeError: (err) => queryError(cloudWatchError(err), errorShape(operation2, err.code), requestId),
        handle() {
          if (action === void 0)
            throw new ServiceError(400, "MissingAction", "The request must contain the parameter Action.");
          if (version !== API_VERSION)
            throw new ServiceError(
              400,
              version === void 0 ? "MissingParameter" : "InvalidParameterValue",
              `The request must contain the parameter Version=${API_VERSION}.`
            );
          if (!handlers[action])
            throw new ServiceError(
              400,
              "InvalidAction",
              `Could not find operation ${action} for version ${API_VERSION}`
            );
          return queryReply(
            action,
            run(action, () => decodeQueryInput(action, params)),
            requestId
          );
        }
      };
    },
    encodeError: (err, operation2) => encodeError(err, operation2),
    throttleError: () => throttling2(),
    tick(now) {
      alarms.tick(now);
      if (now - lastPrune >= PRUNE_EVERY_MS2) {
        lastPrune = now;
        metrics.prune(now - METRIC_RETENTION_MS);
      }
    },
    alarmState: (nameOrArn) => alarms.get(nameOrArn)?.state.value,
    alarmActionsEnabled: (nameOrArn) => alarms.get(nameOrArn)?.wire["ActionsEnabled"] !== false,
    putMetric(datum) {
      metrics.put(
        { namespace: datum.namespace, name: datum.name, dimensions: { ...datum.dimensions } },
        {
          t: datum.timestamp,
          unit: datum.unit ?? "None",
          count: 1,
          sum: datum.value,
          min: datum.value,
          max: datum.value,
          values: [datum.value]
        }
      );
      ctx.changed();
    },
    dump: () => ({ version: 1, metrics: metrics.dump(), ...alarms.dump(), dashboards: dashboards.dump() }),
    load(data) {
      const d = data ?? {};
      metrics.load(d.metrics ?? []);
      alarms.load(d);
      dashboards.load(d.dashboards);
    },
    reset() {
      metrics.clear();
      alarms.clear();
      dashboards.clear();
    }
  };
}

// sandbox/github/service.ts
import { join as join3 } from "node:path";

// sandbox/github/access.ts
import { randomBytes as randomBytes4 } from "node:crypto";

// sandbox/github/settings.ts
import { randomBytes as randomBytes3 } from "node:crypto";
var REQUIRED_CHECKS = ["validate and plan", "flagops/change-control"];
function defaultSettings(o) {
  const at2 = { createdAt: o.now, updatedAt: o.now };
  const variable = (name, value) => ({ name, value, ...at2 });
  const environment = (name, id) => ({
    id,
    name,
    deploymentBranches: ["main"],
    variables: [],
    secrets: [],
    ...at2
  });
  const app = {
    id: 424242,
    slug: "flagops",
    name: "flagops",
    clientId: "Iv23liFlagopsSandbox",
    installationId: 4242,
    permissions: { contents: "write", pull_requests: "write", issues: "write", metadata: "read" }
  };
  return {
    collaborators: {
      alice: "write",
      bob: "write",
      carol: "write",
      dave: "write",
      olivia: "admin",
      erin: "read"
    },
    teams: [
      {
        id: 201,
        slug: "platform-leads",
        name: "platform-leads",
        members: ["bob", "carol", "olivia"],
        permission: "write"
      }
    ],
    environments: [environment("development", 101), environment("production", 102)],
    variables: [
      variable("FLAGOPS_DEPLOY_ROLE_ARN", "arn:aws:iam::000000000000:role/flagops-deploy"),
      variable("AWS_REGION", o.region),
      variable("FLAGOPS_APP_CLIENT_ID", app.clientId)
    ],
    // Not a real key: the sandbox's App only checks that the workflow passes this exact value.
    secrets: [variable("FLAGOPS_APP_PRIVATE_KEY", sandboxPrivateKey())],
    app,
    protection: o.protectMain ? [
      {
        branch: "main",
        requiredStatusChecks: { strict: true, contexts: [...REQUIRED_CHECKS] },
        requiredReviews: { count: 1, dismissStale: false, codeOwners: false, lastPushApproval: false },
        enforceAdmins: true
      }
    ] : []
  };
}
function sandboxPrivateKey() {
  const body2 = randomBytes3(48).toString("base64");
  return `-----BEGIN SANDBOX PRIVATE KEY-----
${body2}
-----END SANDBOX PRIVATE KEY-----
`;
}
var RANK = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };
function atLeast(role, wanted) {
  return role !== "none" && RANK[role] >= RANK[wanted];
}
function roleOf(settings, login) {
  const roles = ["read"];
  const own = lookup(settings.collaborators, login);
  if (own) roles.push(own);
  for (const team of settings.teams)
    if (team.members.some((m) => m.toLowerCase() === login.toLowerCase())) roles.push(team.permission);
  return roles.reduce((best, r) => RANK[r] > RANK[best] ? r : best);
}
function isCollaborator(settings, login) {
  return lookup(settings.collaborators, login) !== void 0 || settings.teams.some((t) => t.members.some((m) => m.toLowerCase() === login.toLowerCase()));
}
function lookup(map2, login) {
  const key = Object.keys(map2).find((k) => k.toLowerCase() === login.toLowerCase());
  return key === void 0 ? void 0 : map2[key];
}
function simplePermission(role) {
  if (role === "admin") return "admin";
  if (role === "maintain" || role === "write") return "write";
  if (role === "none") return "none";
  return "read";
}

// sandbox/github/wire.ts
var DOCS_URL = "https://docs.github.com/rest";
function actorFromAuthorization(header) {
  const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header?.trim() ?? "");
  const token = match?.[1] ?? "";
  const user = /^sandbox-user-([A-Za-z0-9][A-Za-z0-9-]*)$/.exec(token);
  if (user?.[1]) return { login: user[1], type: "User" };
  const bot = /^sandbox-bot-([A-Za-z0-9][A-Za-z0-9-]*)$/.exec(token);
  if (bot?.[1]) return { login: `${bot[1]}[bot]`, type: "Bot" };
  return void 0;
}
function userId(login) {
  let hash = 2166136261;
  for (const ch of login) {
    hash ^= ch.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return 1e6 + hash % 9e7;
}
function nodeId(kind, id) {
  return Buffer.from(`${kind}:${id}`).toString("base64").replace(/=+$/, "");
}
function isoTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
function unauthorized() {
  return new ServiceError(401, "Unauthorized", "Bad credentials", {
    hint: "use a token of the form sandbox-user-<login> or sandbox-bot-<name>"
  });
}
function notFound3(message = "Not Found") {
  return new ServiceError(404, "NotFound", message);
}
function validationFailed(...errors) {
  return new ServiceError(422, "ValidationFailed", "Validation Failed", { errors });
}
function unprocessable(...sentences) {
  return new ServiceError(422, "Unprocessable", "Unprocessable Entity", { errors: sentences });
}
function secondaryRateLimit() {
  return new ServiceError(
    403,
    "SecondaryRateLimit",
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
  );
}
function encodeGitHubError(err) {
  const headers = { "content-type": "application/json; charset=utf-8" };
  if (err.code === "SecondaryRateLimit") headers["retry-after"] = "1";
  return {
    status: err.status,
    headers,
    body: { message: err.message, ...err.extra, documentation_url: DOCS_URL, status: String(err.status) }
  };
}
function json(body2, status = 200, headers = {}) {
  return { status, headers: { "content-type": "application/json; charset=utf-8", ...headers }, body: body2 };
}
function noContent() {
  return { status: 204 };
}
function page(req, items, render = (i) => i) {
  const perPage = clamp(Number(req.query.get("per_page") ?? 30) || 30, 1, 100);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const current = Math.max(1, Number(req.query.get("page") ?? 1) || 1);
  const slice = items.slice((current - 1) * perPage, current * perPage);
  const link2 = (n) => {
    const query = new URLSearchParams(req.query);
    query.set("page", String(n));
    query.set("per_page", String(perPage));
    return `<${req.baseUrl}${req.path}?${query.toString()}>`;
  };
  const links = [];
  if (current > 1) links.push(`${link2(current - 1)}; rel="prev"`);
  if (current < last) links.push(`${link2(current + 1)}; rel="next"`, `${link2(last)}; rel="last"`);
  if (current > 1) links.push(`${link2(1)}; rel="first"`);
  return json(slice.map(render), 200, links.length > 0 ? { link: links.join(", ") } : {});
}
function clamp(n, min, max) {
  return Math.min(max, Math.max(min, Math.floor(n)));
}
function bodyOf(req) {
  if (req.body.length === 0) return {};
  try {
    const parsed = JSON.parse(req.body.toString("utf8"));
    if (parsed !== null && typeof parsed === "object") return parsed;
  } catch {
  }
  throw new ServiceError(400, "BadRequest", "Problems parsing JSON");
}
function optionalString3(body2, field, resource) {
  const value = body2[field];
  if (value === void 0 || value === null) return void 0;
  if (typeof value !== "string")
    throw validationFailed({ resource, code: "invalid", field, message: `${field} must be a string` });
  return value;
}
function requiredString3(body2, field, resource) {
  const value = optionalString3(body2, field, resource);
  if (value === void 0 || value === "") throw validationFailed({ resource, code: "missing_field", field });
  return value;
}

// sandbox/github/access.ts
function resolveCaller(world, header) {
  const actor = actorFromAuthorization(header);
  if (actor?.type === "User") return { ...actor, tokenKind: "user" };
  if (actor) {
    const slug = actor.login.replace(/\[bot\]$/, "");
    return { ...actor, tokenKind: "bot", app: { id: appIdFor(slug), slug, name: slug } };
  }
  const token = /^(?:token|bearer)\s+(ghs_[A-Za-z0-9]+)$/i.exec(header?.trim() ?? "")?.[1];
  if (!token) return void 0;
  const record = world.state.tokens.find((t) => t.token === token);
  if (!record || record.expiresAt <= world.now()) return void 0;
  return {
    login: record.login,
    type: "Bot",
    permissions: record.permissions,
    app: record.app,
    tokenKind: record.kind,
    ...record.runId !== void 0 ? { runId: record.runId } : {}
  };
}
function appIdFor(slug) {
  let h = 7;
  for (const ch of slug) h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 1e6;
  return 1e5 + h;
}
var HOUR_MS = 36e5;
function mintToken(world, options) {
  const record = {
    token: `ghs_${randomBytes4(18).toString("hex")}`,
    expiresAt: world.now() + HOUR_MS,
    ...options,
    // Every installation token can read the repository's metadata.
    permissions: { metadata: "read", ...options.permissions }
  };
  world.state.tokens = world.state.tokens.filter((t) => t.expiresAt > world.now());
  world.state.tokens.push(record);
  world.changed();
  return record;
}
var need = (scopes, access, role) => ({
  scopes: Array.isArray(scopes) ? scopes : [scopes],
  access,
  role
});
var ISSUE_OR_PR = ["issues", "pull_requests"];
var NEEDS = {
  "users.getAuthenticated": { ...need("metadata", "read", "read"), usersOnly: true },
  "repos.get": need("metadata", "read", "read"),
  "repos.listBranches": need("metadata", "read", "read"),
  "repos.getBranch": need("metadata", "read", "read"),
  "git.getRef": need("contents", "read", "read"),
  "git.listMatchingRefs": need("contents", "read", "read"),
  "git.createRef": need("contents", "write", "write"),
  "git.updateRef": need("contents", "write", "write"),
  "git.deleteRef": need("contents", "write", "write"),
  "repos.listCommits": need("contents", "read", "read"),
  "repos.getCommit": need("contents", "read", "read"),
  "repos.getContent": need("contents", "read", "read"),
  "repos.compareCommits": need("contents", "read", "read"),
  "pulls.create": need("pull_requests", "write", "read"),
  "pulls.list": need("pull_requests", "read", "read"),
  "pulls.get": need("pull_requests", "read", "read"),
  "pulls.update": need("pull_requests", "write", "read"),
  "pulls.listFiles": need("pull_requests", "read", "read"),
  "pulls.listCommits": need("pull_requests", "read", "read"),
  "pulls.checkIfMerged": need("pull_requests", "read", "read"),
  // Merging writes the base branch: GitHub asks for contents: write.
  "pulls.merge": need("contents", "write", "write"),
  "pulls.listRequestedReviewers": need("pull_requests", "read", "read"),
  "pulls.requestReviewers": need("pull_requests", "write", "triage"),
  "pulls.removeRequestedReviewers": need("pull_requests", "write", "triage"),
  "pulls.listReviews": need("pull_requests", "read", "read"),
  "pulls.getReview": need("pull_requests", "read", "read"),
  "pulls.createReview": need("pull_requests", "write", "read"),
  "pulls.submitReview": need("pull_requests", "write", "read"),
  "pulls.dismissReview": need("pull_requests", "write", "write"),
  "issues.get": need(ISSUE_OR_PR, "read", "read"),
  "issues.listComments": need(ISSUE_OR_PR, "read", "read"),
  "issues.listCommentsForRepo": need(ISSUE_OR_PR, "read", "read"),
  "issues.getComment": need(ISSUE_OR_PR, "read", "read"),
  "issues.createComment": need(ISSUE_OR_PR, "write", "read"),
  "issues.updateComment": need(ISSUE_OR_PR, "write", "read"),
  "issues.deleteComment": need(ISSUE_OR_PR, "write", "read"),
  "issues.listLabelsOnIssue": need(ISSUE_OR_PR, "read", "read"),
  "issues.addLabels": need(ISSUE_OR_PR, "write", "triage"),
  "issues.setLabels": need(ISSUE_OR_PR, "write", "triage"),
  "issues.removeLabel": need(ISSUE_OR_PR, "write", "triage"),
  "issues.listLabelsForRepo": need(ISSUE_OR_PR, "read", "read"),
  "issues.getLabel": need(ISSUE_OR_PR, "read", "read"),
  "issues.createLabel": need(ISSUE_OR_PR, "write", "write"),
  "repos.createCommitStatus": need("statuses", "write", "write"),
  "repos.getCombinedStatusForRef": need("statuses", "read", "read"),
  "repos.listCommitStatusesForRef": need("statuses", "read", "read"),
  "repos.createDeployment": need("deployments", "write", "write"),
  "repos.createDeploymentStatus": need("deployments", "write", "write"),
  "repos.getDeployment": need("deployments", "read", "read"),
  "repos.listDeployments": need("deployments", "read", "read"),
  "repos.listDeploymentStatuses": need("deployments", "read", "read"),
  "checks.create": need("checks", "write", "write"),
  "checks.update": need("checks", "write", "write"),
  "checks.get": need("checks", "read", "read"),
  "checks.listForRef": need("checks", "read", "read"),
  "actions.listWorkflowRunsForRepo": need("actions", "read", "read"),
  "actions.getWorkflowRun": need("actions", "read", "read"),
  "actions.listJobsForWorkflowRun": need("actions", "read", "read"),
  "actions.getJobForWorkflowRun": need("actions", "read", "read"),
  "actions.downloadJobLogsForWorkflowRun": need("actions", "read", "read"),
  "actions.listRepoWorkflows": need("actions", "read", "read"),
  "actions.createWorkflowDispatch": need("actions", "write", "write"),
  "actions.listRepoVariables": need("variables", "read", "write"),
  "actions.getRepoVariable": need("variables", "read", "write"),
  "actions.createRepoVariable": need("variables", "write", "admin"),
  "actions.updateRepoVariable": need("variables", "write", "admin"),
  "actions.deleteRepoVariable": need("variables", "write", "admin"),
  "actions.listEnvironmentVariables": need("environments", "read", "write"),
  "actions.getEnvironmentVariable": need("environments", "read", "write"),
  "actions.createEnvironmentVariable": need("environments", "write", "admin"),
  "actions.updateEnvironmentVariable": need("environments", "write", "admin"),
  "actions.deleteEnvironmentVariable": need("environments", "write", "admin"),
  "actions.listRepoSecrets": need("secrets", "read", "write"),
  "actions.getRepoSecret": need("secrets", "read", "write"),
  "actions.listEnvironmentSecrets": need("secrets", "read", "write"),
  "actions.getEnvironmentSecret": need("secrets", "read", "write"),
  "repos.getAllEnvironments": need("actions", "read", "read"),
  "repos.getEnvironment": need("actions", "read", "read"),
  "repos.createOrUpdateEnvironment": need("administration", "write", "admin"),
  "repos.deleteAnEnvironment": need("administration", "write", "admin"),
  "repos.listDeploymentBranchPolicies": need("actions", "read", "read"),
  "repos.listCollaborators": need("metadata", "read", "write"),
  "repos.checkCollaborator": need("metadata", "read", "read"),
  "repos.getCollaboratorPermissionLevel": need("metadata", "read", "read"),
  "repos.addCollaborator": need("administration", "write", "admin"),
  "repos.removeCollaborator": need("administration", "write", "admin"),
  "repos.listTeams": need("metadata", "read", "read"),
  "teams.listMembersInOrg": need("members", "read", "read"),
  "teams.getMembershipForUserInOrg": need("members", "read", "read"),
  "repos.getBranchProtection": need("administration", "read", "admin"),
  "repos.updateBranchProtection": need("administration", "write", "admin"),
  "repos.deleteBranchProtection": need("administration", "write", "admin"),
  "apps.getRepoInstallation": need("metadata", "read", "read")
};
function notAccessible() {
  return new ServiceError(403, "Forbidden", "Resource not accessible by integration");
}
function authorize(world, caller, operation2) {
  if (caller.tokenKind === "bot") return;
  const wanted = NEEDS[operation2];
  if (caller.permissions) {
    if (!wanted || wanted.usersOnly) throw notAccessible();
    const granted = wanted.scopes.some((scope) => grants(caller.permissions?.[scope], wanted.access));
    if (!granted) throw notAccessible();
    return;
  }
  if (!wanted) return;
  const role = roleOf(world.state.settings, caller.login);
  if (atLeast(role, wanted.role)) return;
  throw new ServiceError(
    403,
    "Forbidden",
    wanted.role === "admin" ? "Must have admin rights to Repository." : "Must have push access to repository."
  );
}
function grants(held, wanted) {
  return held === "write" || held === "read" && wanted === "read";
}
function appInstallationToken(world, permissions) {
  const app = world.state.settings.app;
  for (const [scope, access] of Object.entries(permissions)) {
    const granted = app.permissions[scope];
    if (!grants(granted, access))
      throw new ServiceError(
        422,
        "Unprocessable",
        `The permissions requested are not granted to this installation: ${scope}: ${access}`
      );
  }
  const asked = Object.keys(permissions).length > 0 ? permissions : app.permissions;
  return mintToken(world, {
    kind: "installation",
    login: `${app.slug}[bot]`,
    app: { id: app.id, slug: app.slug, name: app.name },
    permissions: asked
  });
}

// sandbox/github/context.ts
function urlsFor(req, world) {
  const api = `${req.baseUrl}/github`;
  const web = `${req.baseUrl}/github-web`;
  return {
    api,
    web,
    repoApi: `${api}/repos/${world.owner}/${world.name}`,
    repoWeb: `${web}/${world.owner}/${world.name}`
  };
}
var tipsPerCall = /* @__PURE__ */ new WeakMap();
function branchTip(call, branch) {
  let tips = tipsPerCall.get(call);
  if (!tips) {
    tips = new Map(call.world.git.refs("refs/heads/").map((r) => [r.ref.slice("refs/heads/".length), r.sha]));
    tipsPerCall.set(call, tips);
  }
  return tips.get(branch);
}

// sandbox/github/git.ts
import { execFileSync as execFileSync2 } from "node:child_process";
import { existsSync as existsSync2, mkdirSync, rmSync } from "node:fs";
import { dirname, join as join2 } from "node:path";

// sandbox/github/seed.ts
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
var SKIPPED_DIRECTORIES = /* @__PURE__ */ new Set(["node_modules", ".git"]);
var SKIPPED_TOP_LEVEL = /* @__PURE__ */ new Set(["dist"]);
function seedFiles(seedDir, env) {
  const paths = existsSync(join(seedDir, ".git")) ? checkoutPaths(seedDir, env) : walk(seedDir, "");
  const files = [];
  for (const path of [...new Set(paths)].sort()) {
    const parts = path.split("/");
    if (parts.some((part) => SKIPPED_DIRECTORIES.has(part)) || SKIPPED_TOP_LEVEL.has(parts[0])) continue;
    const file = readSeedFile(join(seedDir, path), path);
    if (file) files.push(file);
  }
  return files;
}
function checkoutPaths(seedDir, env) {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: seedDir,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024
  });
  return out.split("\0").filter((p) => p !== "");
}
function walk(root, prefix) {
  const paths = [];
  for (const entry of readdirSync(join(root, prefix), { withFileTypes: true })) {
    if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) paths.push(...walk(root, path));
    else paths.push(path);
  }
  return paths;
}
function readSeedFile(absolute, path) {
  let stat2;
  try {
    stat2 = lstatSync(absolute);
  } catch {
    return void 0;
  }
  if (stat2.isSymbolicLink()) return { path, mode: "120000", content: Buffer.from(readlinkSync(absolute)) };
  if (!stat2.isFile()) return void 0;
  return { path, mode: stat2.mode & 73 ? "100755" : "100644", content: readFileSync(absolute) };
}
function fastImportStream(options) {
  const who = `${options.identity.name} <${options.identity.email}> ${options.date}`;
  const message = Buffer.from(options.message);
  const chunks = [
    Buffer.from(
      `commit ${options.ref}
author ${who}
committer ${who}
data ${message.length}
${options.message}
`
    )
  ];
  for (const file of options.files) {
    chunks.push(Buffer.from(`M ${file.mode} inline ${quotePath(file.path)}
data ${file.content.length}
`));
    chunks.push(file.content, Buffer.from("\n"));
  }
  return Buffer.concat(chunks);
}
function quotePath(path) {
  if (!/^"|\n/.test(path)) return path;
  return `"${path.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`;
}

// sandbox/github/git.ts
var SANDBOX_IDENTITY = { name: "flagops sandbox", email: "sandbox@flagops.invalid" };
var SEED_DATE = "1704067200 +0000";
function gitEnvironment(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith("GIT_")) delete env[name];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: SANDBOX_IDENTITY.name,
    GIT_AUTHOR_EMAIL: SANDBOX_IDENTITY.email,
    GIT_COMMITTER_NAME: SANDBOX_IDENTITY.name,
    GIT_COMMITTER_EMAIL: SANDBOX_IDENTITY.email,
    ...extra
  };
}
var GitFailure = class extends Error {
  constructor(exitCode, stdout, stderr, args) {
    super(`git ${args.join(" ")} failed (${exitCode}): ${stderr.trim()}`);
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
  exitCode;
  stdout;
  stderr;
};
var BareRepository = class {
  constructor(path) {
    this.path = path;
  }
  path;
  git(args, options = {}) {
    try {
      return execFileSync2("git", ["--git-dir", this.path, ...args], {
        env: gitEnvironment(options.env),
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        stdio: ["pipe", "pipe", "pipe"],
        ...options.input !== void 0 ? { input: options.input } : {}
      });
    } catch (err) {
      const e = err;
      throw new GitFailure(e.status ?? -1, e.stdout ?? "", e.stderr ?? "", args);
    }
  }
  /** Like `git` but answers the exit code instead of throwing on a non-zero one. */
  tryGit(args, env = {}) {
    try {
      return { code: 0, stdout: this.git(args, { env }) };
    } catch (err) {
      if (err instanceof GitFailure) return { code: err.exitCode, stdout: err.stdout };
      throw err;
    }
  }
  exists() {
    return existsSync2(join2(this.path, "HEAD"));
  }
  /**
   * Replace whatever is at the path with a new repository whose `main` holds `seedDir`'s files as git
   * would see them: a git checkout contributes tracked and untracked-but-not-ignored files; any other
   * directory contributes every file except `node_modules` and `.git`.
   */
  seed(seedDir) {
    rmSync(this.path, { recursive: true, force: true });
    mkdirSync(dirname(this.path), { recursive: true });
    execFileSync2("git", ["init", "--quiet", "--bare", "--template=", "--initial-branch=main", this.path], {
      env: gitEnvironment(),
      stdio: "ignore"
    });
    const stream = fastImportStream({
      ref: "refs/heads/main",
      files: seedFiles(seedDir, gitEnvironment()),
      message: "Seed the sandbox repository\n",
      identity: SANDBOX_IDENTITY,
      date: SEED_DATE
    });
    execFileSync2("git", ["--git-dir", this.path, "fast-import", "--quiet", "--date-format=raw"], {
      env: gitEnvironment(),
      input: stream,
      stdio: ["pipe", "ignore", "pipe"]
    });
    return this.git(["rev-parse", "refs/heads/main"]).trim();
  }
  /** The commit a branch, tag, full ref or (abbreviated) sha names; undefined when none. */
  resolveCommit(rev) {
    if (rev.startsWith("-") || rev.includes("..")) return void 0;
    const { code, stdout } = this.tryGit(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
    return code === 0 ? stdout.trim() : void 0;
  }
  /** The sha a full ref (`refs/heads/x`) points at, without peeling; undefined when absent. */
  refTarget(ref) {
    const { code, stdout } = this.tryGit(["rev-parse", "--verify", "--quiet", ref]);
    return code === 0 && ref.startsWith("refs/") ? stdout.trim() : void 0;
  }
  branchSha(branch) {
    return this.refTarget(`refs/heads/${branch}`);
  }
  /** Refs under a prefix (`refs/heads/`), sorted by name. */
  refs(prefix = "refs/") {
    const out = this.git(["for-each-ref", "--format=%(refname)%00%(objectname)%00%(objecttype)", prefix]);
    return out.split("\n").filter((line) => line !== "").map((line) => {
      const [ref = "", sha = "", type = ""] = line.split("\0");
      return { ref, sha, type };
    }).filter((r) => r.ref.startsWith(prefix));
  }
  objectType(sha) {
    const { code, stdout } = this.tryGit(["cat-file", "-t", sha]);
    return code === 0 ? stdout.trim() : void 0;
  }
  /** Compare-and-swap: fails (returns false) when the ref no longer holds `expectedOld`. */
  updateRef(ref, sha, expectedOld) {
    const args = ["update-ref", ref, sha];
    if (expectedOld !== void 0) args.push(expectedOld);
    return this.tryGit(args).code === 0;
  }
  deleteRef(ref) {
    return this.tryGit(["update-ref", "-d", ref]).code === 0;
  }
  isAncestor(ancestor, descendant) {
    return this.tryGit(["merge-base", "--is-ancestor", ancestor, descendant]).code === 0;
  }
  mergeBase(a, b) {
    const { code, stdout } = this.tryGit(["merge-base", a, b]);
    return code === 0 ? stdout.trim() : void 0;
  }
  /** Three-way merge without a work tree: the merged tree, or `clean: false` on conflicts. */
  mergeTree(ours, theirs) {
    const { code, stdout } = this.tryGit(["merge-tree", "--write-tree", "--no-messages", ours, theirs]);
    if (code === 0) return { clean: true, tree: stdout.split("\n")[0]?.trim() ?? "" };
    if (code === 1) return { clean: false };
    throw new Error(`git merge-tree ${ours} ${theirs} failed with exit code ${code}`);
  }
  treeOf(commit) {
    return this.git(["rev-parse", `${commit}^{tree}`]).trim();
  }
  commitTree(options) {
    const args = ["commit-tree", options.tree];
    for (const p of options.parents) args.push("-p", p);
    const stamp = (ms) => `${Math.floor(ms / 1e3)} +0000`;
    return this.git(args, {
      input: options.message,
      env: {
        GIT_AUTHOR_NAME: options.author.name,
        GIT_AUTHOR_EMAIL: options.author.email,
        GIT_AUTHOR_DATE: stamp(options.author.date),
        GIT_COMMITTER_NAME: options.committer.name,
        GIT_COMMITTER_EMAIL: options.committer.email,
        GIT_COMMITTER_DATE: stamp(options.committer.date)
      }
    }).trim();
  }
  commit(sha) {
    return this.commits(["--no-walk", sha])[0];
  }
  /** `git log` over the given arguments (a range, options), parsed. */
  commits(logArgs) {
    const format = "%H%x00%T%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%B%x1e";
    const out = this.git(["log", `--format=${format}`, ...logArgs, "--"]);
    return out.split("").map((record) => record.replace(/^\n/, "")).filter((record) => record !== "").map((record) => {
      const [
        sha = "",
        tree = "",
        parents = "",
        an = "",
        ae2 = "",
        at2 = "0",
        cn = "",
        ce2 = "",
        ct2 = "0",
        message = ""
      ] = record.split("\0");
      return {
        sha,
        tree,
        parents: parents === "" ? [] : parents.split(" "),
        author: { name: an, email: ae2, date: Number(at2) * 1e3 },
        committer: { name: cn, email: ce2, date: Number(ct2) * 1e3 },
        message: message.replace(/\n+$/, "")
      };
    });
  }
  countCommits(range) {
    return Number(this.git(["rev-list", "--count", range]).trim());
  }
  /** What changed from one commit to another, as GitHub lists a pull request's files. */
  diff(from, to) {
    const names = this.git(["diff", "-M", "-z", "--name-status", from, to]).split("\0");
    const numbers = this.git(["diff", "-M", "-z", "--numstat", from, to]).split("\0");
    const patches = splitPatches(this.git(["diff", "-M", from, to]));
    const changes = [];
    let n = 0;
    let m = 0;
    while (n < names.length && names[n] !== "") {
      const code = names[n++] ?? "";
      const kind = code[0] ?? "M";
      const first = names[n++] ?? "";
      const second = kind === "R" || kind === "C" ? names[n++] ?? "" : void 0;
      const [added = "0", deleted = "0", path = ""] = (numbers[m++] ?? "").split("	");
      if (path === "") m += 2;
      const binary = added === "-";
      const patch = patches[changes.length];
      const change = {
        filename: second ?? first,
        status: statusOf(kind),
        additions: binary ? 0 : Number(added),
        deletions: binary ? 0 : Number(deleted)
      };
      if (second !== void 0) change.previousFilename = first;
      if (!binary && patch !== void 0 && patch !== "") change.patch = patch;
      changes.push(change);
    }
    return changes;
  }
  /** A file's blob or a directory's entries at a revision; undefined when the path is absent. */
  readPath(rev, path) {
    const spec = path === "" ? `${rev}^{tree}` : `${rev}:${path}`;
    const { code, stdout } = this.tryGit(["rev-parse", "--verify", "--quiet", spec]);
    if (code !== 0) return void 0;
    const sha = stdout.trim();
    const type = this.objectType(sha);
    if (type === "blob") {
      const content = execFileSync2("git", ["--git-dir", this.path, "cat-file", "blob", sha], {
        env: gitEnvironment()
      });
      return { kind: "file", sha, content };
    }
    if (type !== "tree") return void 0;
    const listing = this.git(["ls-tree", "-z", "--long", sha]);
    const entries = listing.split("\0").filter((line) => line !== "").map((line) => {
      const [meta = "", name = ""] = line.split("	");
      const [mode = "", objType = "", objSha = "", size = "-"] = meta.trim().split(/\s+/);
      const kind = objType === "tree" ? "dir" : objType === "commit" ? "submodule" : mode === "120000" ? "symlink" : "file";
      return { type: kind, name, sha: objSha, size: size === "-" ? 0 : Number(size) };
    });
    return { kind: "dir", sha, entries };
  }
};
function statusOf(kind) {
  switch (kind) {
    case "A":
      return "added";
    case "D":
      return "removed";
    case "R":
      return "renamed";
    case "C":
      return "copied";
    case "M":
      return "modified";
    default:
      return "changed";
  }
}
function splitPatches(diff) {
  if (diff === "") return [];
  return diff.split(/^diff --git /m).slice(1).map((section) => {
    const start = section.search(/^@@/m);
    return start < 0 ? "" : section.slice(start).replace(/\n$/, "");
  });
}

// sandbox/github/router.ts
function matchRoute(routes, method, path) {
  const segments = path.split("/").filter((s) => s !== "");
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchPath(route.path, segments);
    if (params) return { route, params };
  }
  return void 0;
}
function matchPath(pattern, segments) {
  const parts = pattern.split("/").filter((s) => s !== "");
  const params = {};
  const star = parts.findIndex((p) => p.startsWith(":") && p.endsWith("*"));
  if (star < 0) return matchFixed(parts, segments, params) ? params : void 0;
  const after = parts.length - star - 1;
  const middle = segments.slice(star, segments.length - after);
  if (middle.length === 0) return void 0;
  if (!matchFixed(parts.slice(0, star), segments.slice(0, star), params)) return void 0;
  if (!matchFixed(parts.slice(star + 1), segments.slice(segments.length - after), params)) return void 0;
  params[(parts[star] ?? "").slice(1, -1)] = middle.map(decode).join("/");
  return params;
}
function matchFixed(parts, segments, params) {
  if (parts.length !== segments.length) return false;
  return parts.every((part, i) => {
    const segment = segments[i] ?? "";
    if (!part.startsWith(":")) return part === segment;
    params[part.slice(1)] = decode(segment);
    return true;
  });
}
function decode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// sandbox/github/routes/checks.ts
var checkRoutes = [
  {
    method: "POST",
    path: "/repos/:owner/:repo/check-runs",
    operation: "checks.create",
    handle: createCheckRun
  },
  {
    method: "PATCH",
    path: "/repos/:owner/:repo/check-runs/:check_run_id",
    operation: "checks.update",
    handle: updateCheckRun
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/check-runs/:check_run_id",
    operation: "checks.get",
    handle: (call) => json(renderCheckRun(call.urls, findCheckRun(call)))
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/commits/:ref*/check-runs",
    operation: "checks.listForRef",
    handle: listForRef
  }
];
function renderApp(urls, app, owner) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    owner: { login: owner, id: 1, type: "Organization" },
    name: app.name,
    description: null,
    external_url: `${urls.web}/apps/${app.slug}`,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-01T00:00:00Z",
    permissions: {},
    events: []
  };
}
function renderCheckRun(urls, run, owner = "ons") {
  const url = `${urls.repoApi}/check-runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId,
    url,
    html_url: `${urls.repoWeb}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: isoTime(run.startedAt),
    completed_at: run.completedAt === null ? null : isoTime(run.completedAt),
    output: {
      title: run.title,
      summary: run.summary,
      text: run.text,
      annotations_count: 0,
      annotations_url: `${url}/annotations`
    },
    name: run.name,
    check_suite: { id: run.id },
    app: renderApp(urls, run.app, owner),
    pull_requests: []
  };
}
function addCheckRun(world, fields) {
  const run = {
    id: world.nextId(),
    status: "queued",
    conclusion: null,
    startedAt: world.now(),
    completedAt: null,
    title: null,
    summary: null,
    text: null,
    detailsUrl: null,
    externalId: null,
    ...fields
  };
  world.state.checkRuns.push(run);
  world.changed();
  return run;
}
var STATUSES = ["queued", "in_progress", "completed"];
var CONCLUSIONS = ["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"];
function apply2(call, run, body2) {
  const status = optionalString3(body2, "status", "CheckRun");
  const conclusion = optionalString3(body2, "conclusion", "CheckRun");
  if (status !== void 0 && !STATUSES.includes(status))
    throw validationFailed({ resource: "CheckRun", code: "invalid", field: "status" });
  if (conclusion !== void 0 && !CONCLUSIONS.includes(conclusion))
    throw validationFailed({ resource: "CheckRun", code: "invalid", field: "conclusion" });
  if (status !== void 0) run.status = status;
  if (conclusion !== void 0) {
    run.conclusion = conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && run.conclusion === null)
    throw validationFailed({ resource: "CheckRun", code: "missing_field", field: "conclusion" });
  if (run.status === "completed" && run.completedAt === null) run.completedAt = call.world.now();
  const output = body2["output"];
  if (output && typeof output === "object") {
    const o = output;
    if (typeof o["title"] === "string") run.title = o["title"];
    if (typeof o["summary"] === "string") run.summary = o["summary"];
    if (typeof o["text"] === "string") run.text = o["text"];
  }
  const details = optionalString3(body2, "details_url", "CheckRun");
  if (details !== void 0) run.detailsUrl = details;
  const external = optionalString3(body2, "external_id", "CheckRun");
  if (external !== void 0) run.externalId = external;
}
function createCheckRun(call) {
  const app = call.actor.app;
  if (!app) throw new ServiceError(403, "Forbidden", "You must authenticate via a GitHub App.");
  const body2 = bodyOf(call.req);
  const name = requiredString3(body2, "name", "CheckRun");
  const rev = requiredString3(body2, "head_sha", "CheckRun");
  const headSha2 = call.world.git.resolveCommit(rev);
  if (!headSha2)
    throw validationFailed({
      resource: "CheckRun",
      code: "invalid",
      field: "head_sha",
      message: `No commit found for SHA: ${rev}`
    });
  const run = addCheckRun(call.world, { headSha: headSha2, name, app });
  apply2(call, run, body2);
  return json(renderCheckRun(call.urls, run, call.world.owner), 201);
}
function findCheckRun(call) {
  const id = Number(call.params["check_run_id"]);
  const run = call.world.state.checkRuns.find((c) => c.id === id);
  if (!run) throw notFound3();
  return run;
}
function updateCheckRun(call) {
  const run = findCheckRun(call);
  if (call.actor.app?.id !== run.app.id)
    throw new ServiceError(
      403,
      "Forbidden",
      "Invalid app_id `" + String(call.actor.app?.id) + "` - check run can only be modified by the GitHub App that created it."
    );
  apply2(call, run, bodyOf(call.req));
  call.world.changed();
  return json(renderCheckRun(call.urls, run, call.world.owner));
}
function listForRef(call) {
  const rev = call.params["ref"] ?? "";
  const sha = call.world.git.resolveCommit(rev);
  if (!sha)
    throw validationFailed({
      resource: "CheckRun",
      code: "invalid",
      field: "ref",
      message: `No commit found for SHA: ${rev}`
    });
  const q2 = call.req.query;
  const name = q2.get("check_name");
  const status = q2.get("status");
  let runs = call.world.state.checkRuns.filter(
    (c) => c.headSha === sha && (name === null || c.name === name) && (status === null || c.status === status)
  ).sort((a, b) => b.id - a.id);
  if ((q2.get("filter") ?? "latest") === "latest") {
    const seen = /* @__PURE__ */ new Set();
    runs = runs.filter((c) => !seen.has(`${c.app.id}/${c.name}`) && seen.add(`${c.app.id}/${c.name}`));
  }
  const perPage = Math.min(100, Math.max(1, Number(q2.get("per_page") ?? 30) || 30));
  const current = Math.max(1, Number(q2.get("page") ?? 1) || 1);
  return json({
    total_count: runs.length,
    check_runs: runs.slice((current - 1) * perPage, current * perPage).map((c) => renderCheckRun(call.urls, c, call.world.owner))
  });
}

// sandbox/github/render.ts
function renderUser(urls, login) {
  const isBot = login.endsWith("[bot]");
  const id = userId(login);
  return {
    login,
    id,
    node_id: nodeId(isBot ? "Bot" : "User", id),
    avatar_url: `${urls.web}/avatars/${encodeURIComponent(login)}`,
    url: `${urls.api}/users/${encodeURIComponent(login)}`,
    html_url: `${urls.web}/${isBot ? "apps/" : ""}${encodeURIComponent(login.replace(/\[bot\]$/, ""))}`,
    type: isBot ? "Bot" : "User",
    site_admin: false
  };
}
function authorAssociation(login) {
  return login.endsWith("[bot]") ? "NONE" : "MEMBER";
}
function renderRepository(call) {
  const { world, urls } = call;
  const id = 1;
  return {
    id,
    node_id: nodeId("Repository", id),
    name: world.name,
    full_name: `${world.owner}/${world.name}`,
    owner: { ...renderUser(urls, world.owner), type: "Organization" },
    private: false,
    html_url: urls.repoWeb,
    description: "flagops sandbox repository",
    fork: false,
    url: urls.repoApi,
    clone_url: world.git.path,
    default_branch: "main",
    visibility: "public",
    archived: false,
    disabled: false,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_merge_commit: true,
    allow_squash_merge: true,
    allow_rebase_merge: false
  };
}
function renderLabel(urls, label2) {
  return {
    id: label2.id,
    node_id: nodeId("Label", label2.id),
    url: `${urls.repoApi}/labels/${encodeURIComponent(label2.name)}`,
    name: label2.name,
    color: label2.color,
    default: false,
    description: label2.description
  };
}
function renderCommit(urls, commit) {
  const person = (p) => ({ name: p.name, email: p.email, date: isoTime(p.date) });
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${urls.repoApi}/commits/${commit.sha}`,
    html_url: `${urls.repoWeb}/commit/${commit.sha}`,
    commit: {
      author: person(commit.author),
      committer: person(commit.committer),
      message: commit.message,
      tree: { sha: commit.tree, url: `${urls.repoApi}/git/trees/${commit.tree}` },
      url: `${urls.repoApi}/git/commits/${commit.sha}`
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${urls.repoApi}/commits/${sha}`,
      html_url: `${urls.repoWeb}/commit/${sha}`
    }))
  };
}
function renderFile(urls, sha, change) {
  const out = {
    sha: null,
    filename: change.filename,
    status: change.status,
    additions: change.additions,
    deletions: change.deletions,
    changes: change.additions + change.deletions,
    blob_url: `${urls.repoWeb}/blob/${sha}/${change.filename}`,
    raw_url: `${urls.repoWeb}/raw/${sha}/${change.filename}`,
    contents_url: `${urls.repoApi}/contents/${change.filename}?ref=${sha}`
  };
  if (change.patch !== void 0) out["patch"] = change.patch;
  if (change.previousFilename !== void 0) out["previous_filename"] = change.previousFilename;
  return out;
}
function renderRef(urls, ref, sha, type = "commit") {
  return {
    ref,
    node_id: nodeId("Ref", ref),
    url: `${urls.repoApi}/git/${ref}`,
    object: { sha, type, url: `${urls.repoApi}/git/${type}s/${sha}` }
  };
}
function headSha(call, pull) {
  return branchTip(call, pull.head) ?? pull.headSha;
}
function branchSide(call, branch, sha) {
  const { world, urls } = call;
  return {
    label: `${world.owner}:${branch}`,
    ref: branch,
    sha,
    user: { ...renderUser(urls, world.owner), type: "Organization" },
    repo: renderRepository(call)
  };
}
function renderPullSummary(call, pull) {
  const { world, urls } = call;
  const url = `${urls.repoApi}/pulls/${pull.number}`;
  const labels = world.state.labels.filter((l3) => pull.labels.includes(l3.name)).map((l3) => renderLabel(urls, l3));
  const baseSha = branchTip(call, pull.base) ?? "";
  const head = headSha(call, pull);
  return {
    url,
    id: pull.id,
    node_id: nodeId("PullRequest", pull.id),
    html_url: `${urls.repoWeb}/pull/${pull.number}`,
    diff_url: `${urls.repoWeb}/pull/${pull.number}.diff`,
    patch_url: `${urls.repoWeb}/pull/${pull.number}.patch`,
    issue_url: `${urls.repoApi}/issues/${pull.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    comments_url: `${urls.repoApi}/issues/${pull.number}/comments`,
    statuses_url: `${urls.repoApi}/statuses/${head}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: renderUser(urls, pull.user),
    body: pull.body,
    labels,
    milestone: null,
    active_lock_reason: null,
    created_at: isoTime(pull.createdAt),
    updated_at: isoTime(pull.updatedAt),
    closed_at: pull.closedAt === null ? null : isoTime(pull.closedAt),
    merged_at: pull.mergedAt === null ? null : isoTime(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: pull.requestedReviewers.map((login) => renderUser(urls, login)),
    requested_teams: [],
    head: branchSide(call, pull.head, head),
    base: branchSide(call, pull.base, baseSha),
    author_association: authorAssociation(pull.user),
    auto_merge: null,
    draft: pull.draft,
    _links: {
      self: { href: url },
      html: { href: `${urls.repoWeb}/pull/${pull.number}` },
      issue: { href: `${urls.repoApi}/issues/${pull.number}` },
      comments: { href: `${urls.repoApi}/issues/${pull.number}/comments` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${urls.repoApi}/statuses/${head}` }
    }
  };
}
function renderPull(call, pull) {
  const { world, urls } = call;
  const git2 = world.git;
  const head = headSha(call, pull);
  const baseSha = branchTip(call, pull.base);
  const mergeBase = baseSha ? git2.mergeBase(baseSha, head) : void 0;
  const files = mergeBase ? git2.diff(mergeBase, head) : [];
  let mergeable = null;
  let mergeableState = "unknown";
  if (pull.state === "open" && baseSha) {
    mergeable = git2.mergeTree(baseSha, head).clean;
    mergeableState = mergeable ? pull.draft ? "draft" : "clean" : "dirty";
  }
  return {
    ...renderPullSummary(call, pull),
    merged: pull.mergedAt !== null,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: mergeableState,
    merged_by: pull.mergedBy === null ? null : renderUser(urls, pull.mergedBy),
    comments: world.state.comments.filter((c) => c.issue === pull.number).length,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: mergeBase ? git2.countCommits(`${mergeBase}..${head}`) : 0,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length
  };
}
function renderIssue(call, pull) {
  const { world, urls } = call;
  const summary2 = renderPullSummary(call, pull);
  return {
    id: pull.id,
    node_id: nodeId("Issue", pull.id),
    url: `${urls.repoApi}/issues/${pull.number}`,
    html_url: summary2["html_url"],
    number: pull.number,
    state: pull.state,
    state_reason: pull.state === "closed" ? "completed" : null,
    title: pull.title,
    body: pull.body,
    user: summary2["user"],
    labels: summary2["labels"],
    assignee: null,
    assignees: [],
    locked: false,
    comments: world.state.comments.filter((c) => c.issue === pull.number).length,
    created_at: summary2["created_at"],
    updated_at: summary2["updated_at"],
    closed_at: summary2["closed_at"],
    author_association: summary2["author_association"],
    draft: pull.draft,
    pull_request: {
      url: summary2["url"],
      html_url: summary2["html_url"],
      diff_url: summary2["diff_url"],
      patch_url: summary2["patch_url"],
      merged_at: summary2["merged_at"]
    }
  };
}
function renderReview(urls, review) {
  const html2 = `${urls.repoWeb}/pull/${review.pull}#pullrequestreview-${review.id}`;
  const out = {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: renderUser(urls, review.user),
    body: review.body,
    state: review.state,
    html_url: html2,
    pull_request_url: `${urls.repoApi}/pulls/${review.pull}`,
    author_association: authorAssociation(review.user),
    commit_id: review.commitId,
    _links: { html: { href: html2 }, pull_request: { href: `${urls.repoApi}/pulls/${review.pull}` } }
  };
  if (review.submittedAt !== null) out["submitted_at"] = isoTime(review.submittedAt);
  return out;
}
function renderComment(urls, comment) {
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${urls.repoApi}/issues/comments/${comment.id}`,
    html_url: `${urls.repoWeb}/pull/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${urls.repoApi}/issues/${comment.issue}`,
    body: comment.body,
    user: renderUser(urls, comment.user),
    created_at: isoTime(comment.createdAt),
    updated_at: isoTime(comment.updatedAt),
    author_association: authorAssociation(comment.user)
  };
}
function renderStatus(urls, status) {
  return {
    url: `${urls.repoApi}/statuses/${status.sha}`,
    avatar_url: null,
    id: status.id,
    node_id: nodeId("StatusContext", status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: isoTime(status.createdAt),
    updated_at: isoTime(status.createdAt),
    creator: renderUser(urls, status.creator)
  };
}
function renderDeployment(urls, deployment) {
  const url = `${urls.repoApi}/deployments/${deployment.id}`;
  return {
    url,
    id: deployment.id,
    node_id: nodeId("Deployment", deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: renderUser(urls, deployment.creator),
    created_at: isoTime(deployment.createdAt),
    updated_at: isoTime(deployment.updatedAt),
    statuses_url: `${url}/statuses`,
    repository_url: urls.repoApi,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment
  };
}
function renderDeploymentStatus(urls, status) {
  const deploymentUrl = `${urls.repoApi}/deployments/${status.deployment}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId("DeploymentStatus", status.id),
    state: status.state,
    creator: renderUser(urls, status.creator),
    description: status.description,
    environment: status.environment,
    target_url: status.logUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: isoTime(status.createdAt),
    updated_at: isoTime(status.createdAt),
    deployment_url: deploymentUrl,
    repository_url: urls.repoApi
  };
}

// sandbox/github/routes/collaborators.ts
var COLLABORATOR = "/repos/:owner/:repo/collaborators/:username";
var collaboratorRoutes = [
  {
    method: "GET",
    path: "/repos/:owner/:repo/collaborators",
    operation: "repos.listCollaborators",
    handle: listCollaborators
  },
  {
    method: "GET",
    path: `${COLLABORATOR}/permission`,
    operation: "repos.getCollaboratorPermissionLevel",
    handle: permissionLevel
  },
  { method: "GET", path: COLLABORATOR, operation: "repos.checkCollaborator", handle: checkCollaborator },
  { method: "PUT", path: COLLABORATOR, operation: "repos.addCollaborator", handle: addCollaborator },
  { method: "DELETE", path: COLLABORATOR, operation: "repos.removeCollaborator", handle: removeCollaborator },
  { method: "GET", path: "/repos/:owner/:repo/teams", operation: "repos.listTeams", handle: listTeams },
  {
    method: "GET",
    path: "/orgs/:org/teams/:team_slug/members",
    operation: "teams.listMembersInOrg",
    handle: listTeamMembers
  },
  {
    method: "GET",
    path: "/orgs/:org/teams/:team_slug/memberships/:username",
    operation: "teams.getMembershipForUserInOrg",
    handle: teamMembership
  }
];
var ROLES = ["admin", "maintain", "write", "triage", "read"];
function permissionFlags(role) {
  const rank = ROLES.length - ROLES.indexOf(role);
  return { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 };
}
function renderCollaborator(call, login) {
  const role = roleOf(call.world.state.settings, login);
  return { ...renderUser(call.urls, login), permissions: permissionFlags(role), role_name: role };
}
function collaboratorLogins(call) {
  const settings = call.world.state.settings;
  const logins = new Set(Object.keys(settings.collaborators));
  for (const team of settings.teams) for (const m of team.members) logins.add(m);
  return [...logins].sort();
}
function listCollaborators(call) {
  const affiliation = call.req.query.get("affiliation") ?? "all";
  const settings = call.world.state.settings;
  const logins = collaboratorLogins(call).filter(
    (l3) => affiliation !== "direct" || Object.keys(settings.collaborators).includes(l3)
  );
  return page(call.req, logins, (login) => renderCollaborator(call, login));
}
function permissionLevel(call) {
  const login = call.params["username"] ?? "";
  const settings = call.world.state.settings;
  const role = roleOf(settings, login);
  return json({
    permission: simplePermission(role),
    role_name: role,
    user: renderCollaborator(call, login)
  });
}
function checkCollaborator(call) {
  if (!isCollaborator(call.world.state.settings, call.params["username"] ?? "")) throw notFound3();
  return noContent();
}
function addCollaborator(call) {
  const login = call.params["username"] ?? "";
  const body2 = bodyOf(call.req);
  const permission = optionalString3(body2, "permission", "Collaborator") ?? "push";
  const role = { pull: "read", push: "write" }[permission] ?? permission;
  if (!ROLES.includes(role))
    throw validationFailed({
      resource: "Collaborator",
      code: "invalid",
      field: "permission",
      message: `permission must be one of pull, triage, push, maintain, admin; got ${permission}`
    });
  const settings = call.world.state.settings;
  const existed = Object.keys(settings.collaborators).includes(login);
  settings.collaborators[login] = role;
  call.world.changed();
  if (existed) return noContent();
  return json(
    {
      id: call.world.nextId(),
      repository: { full_name: `${call.world.owner}/${call.world.name}` },
      invitee: renderUser(call.urls, login),
      inviter: renderUser(call.urls, call.actor.login),
      permissions: permission,
      created_at: new Date(call.world.now()).toISOString()
    },
    201
  );
}
function removeCollaborator(call) {
  const login = call.params["username"] ?? "";
  delete call.world.state.settings.collaborators[login];
  call.world.changed();
  return noContent();
}
function renderTeam(call, slug) {
  const team = call.world.state.settings.teams.find((t) => t.slug === slug);
  if (!team) throw notFound3();
  const url = `${call.urls.api}/orgs/${call.world.owner}/teams/${team.slug}`;
  return {
    id: team.id,
    node_id: Buffer.from(`Team:${team.id}`).toString("base64"),
    url,
    html_url: `${call.urls.web}/orgs/${call.world.owner}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission: simplePermission(team.permission) === "write" ? "push" : simplePermission(team.permission),
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    parent: null
  };
}
function listTeams(call) {
  return page(call.req, call.world.state.settings.teams, (t) => renderTeam(call, t.slug));
}
function findTeam(call) {
  const org = call.params["org"] ?? "";
  const team = call.world.state.settings.teams.find((t) => t.slug === call.params["team_slug"]);
  if (org.toLowerCase() !== call.world.owner.toLowerCase() || !team) throw notFound3();
  return team;
}
function listTeamMembers(call) {
  return page(call.req, findTeam(call).members, (login) => renderUser(call.urls, login));
}
function teamMembership(call) {
  const team = findTeam(call);
  const login = call.params["username"] ?? "";
  if (!team.members.some((m) => m.toLowerCase() === login.toLowerCase())) throw notFound3();
  return json({
    url: `${call.urls.api}/orgs/${call.world.owner}/teams/${team.slug}/memberships/${login}`,
    role: "member",
    state: "active"
  });
}

// sandbox/github/routes/statuses.ts
var statusRoutes = [
  {
    method: "POST",
    path: "/repos/:owner/:repo/statuses/:sha",
    operation: "repos.createCommitStatus",
    handle: createStatus
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/commits/:ref*/status",
    operation: "repos.getCombinedStatusForRef",
    handle: combinedStatus
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/commits/:ref*/statuses",
    operation: "repos.listCommitStatusesForRef",
    handle: listStatuses
  }
];
var STATES3 = ["error", "failure", "pending", "success"];
function commitFor(call, rev) {
  const sha = call.world.git.resolveCommit(rev);
  if (!sha)
    throw validationFailed({
      resource: "Status",
      code: "custom",
      field: "sha",
      message: `No commit found for SHA: ${rev}`
    });
  return sha;
}
function createStatus(call) {
  const { world } = call;
  const sha = commitFor(call, call.params["sha"] ?? "");
  const body2 = bodyOf(call.req);
  const state = body2["state"];
  if (typeof state !== "string" || !STATES3.includes(state))
    throw validationFailed({
      resource: "Status",
      code: "custom",
      field: "state",
      message: `state must be one of ${STATES3.join(", ")}`
    });
  const status = {
    id: world.nextId(),
    sha,
    state,
    context: optionalString3(body2, "context", "Status") ?? "default",
    description: optionalString3(body2, "description", "Status") ?? null,
    targetUrl: optionalString3(body2, "target_url", "Status") ?? null,
    creator: call.actor.login,
    createdAt: world.now()
  };
  world.state.statuses.push(status);
  world.changed();
  return json(renderStatus(call.urls, status), 201);
}
function statusesFor(call, sha) {
  return call.world.state.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
}
function latestPerContext(call, sha) {
  const latest = /* @__PURE__ */ new Map();
  for (const status of statusesFor(call, sha))
    if (!latest.has(status.context)) latest.set(status.context, status);
  return [...latest.values()];
}
function combinedState(statuses) {
  if (statuses.some((s) => s.state === "error" || s.state === "failure")) return "failure";
  if (statuses.length === 0 || statuses.some((s) => s.state === "pending")) return "pending";
  return "success";
}
function combinedStatus(call) {
  const sha = commitFor(call, call.params["ref"] ?? "");
  const latest = latestPerContext(call, sha);
  return json({
    state: combinedState(latest),
    statuses: latest.map((s) => renderStatus(call.urls, s)),
    sha,
    total_count: latest.length,
    repository: renderRepository(call),
    commit_url: `${call.urls.repoApi}/commits/${sha}`,
    url: `${call.urls.repoApi}/commits/${sha}/status`
  });
}
function listStatuses(call) {
  const sha = commitFor(call, call.params["ref"] ?? "");
  return page(call.req, statusesFor(call, sha), (s) => renderStatus(call.urls, s));
}

// sandbox/github/routes/deployments.ts
var DEPLOYMENTS = "/repos/:owner/:repo/deployments";
var deploymentRoutes = [
  { method: "POST", path: DEPLOYMENTS, operation: "repos.createDeployment", handle: createDeployment },
  { method: "GET", path: DEPLOYMENTS, operation: "repos.listDeployments", handle: listDeployments },
  {
    method: "GET",
    path: `${DEPLOYMENTS}/:deployment_id`,
    operation: "repos.getDeployment",
    handle: (call) => json(renderDeployment(call.urls, findDeployment(call)))
  },
  {
    method: "POST",
    path: `${DEPLOYMENTS}/:deployment_id/statuses`,
    operation: "repos.createDeploymentStatus",
    handle: createDeploymentStatus
  },
  {
    method: "GET",
    path: `${DEPLOYMENTS}/:deployment_id/statuses`,
    operation: "repos.listDeploymentStatuses",
    handle: listDeploymentStatuses
  }
];
var DEPLOYMENT_STATES = [
  "error",
  "failure",
  "inactive",
  "in_progress",
  "queued",
  "pending",
  "success"
];
function findDeployment(call) {
  const id = Number(call.params["deployment_id"]);
  const deployment = call.world.state.deployments.find((d) => d.id === id);
  if (!deployment) throw notFound3();
  return deployment;
}
function failingContexts(call, sha, required) {
  const latest = latestPerContext(call, sha);
  const contexts = Array.isArray(required) ? required.map(String) : latest.map((s) => s.context);
  return contexts.filter((context) => latest.find((s) => s.context === context)?.state !== "success");
}
function createDeployment(call) {
  const { world } = call;
  const body2 = bodyOf(call.req);
  const ref = requiredString3(body2, "ref", "Deployment");
  const sha = world.git.resolveCommit(ref);
  if (!sha)
    throw validationFailed({
      resource: "Deployment",
      code: "custom",
      field: "ref",
      message: `No ref found for: ${ref}`
    });
  const failing = failingContexts(call, sha, body2["required_contexts"]);
  if (failing.length > 0)
    throw new ServiceError(409, "Conflict", `Conflict: Commit status checks failed for ${ref}.`, {
      errors: [{ contexts: failing, resource: "Deployment", field: "required_contexts", code: "invalid" }]
    });
  const environment = optionalString3(body2, "environment", "Deployment") ?? "production";
  const now = world.now();
  const deployment = {
    id: world.nextId(),
    sha,
    ref,
    task: optionalString3(body2, "task", "Deployment") ?? "deploy",
    environment,
    description: optionalString3(body2, "description", "Deployment") ?? null,
    payload: body2["payload"] ?? {},
    creator: call.actor.login,
    createdAt: now,
    updatedAt: now,
    transientEnvironment: body2["transient_environment"] === true,
    productionEnvironment: typeof body2["production_environment"] === "boolean" ? body2["production_environment"] : environment === "production"
  };
  world.state.deployments.push(deployment);
  world.changed();
  return json(renderDeployment(call.urls, deployment), 201);
}
function listDeployments(call) {
  const q2 = call.req.query;
  const matches = (value, filter) => filter === null || filter === value;
  const deployments = call.world.state.deployments.filter(
    (d) => matches(d.sha, q2.get("sha")) && matches(d.ref, q2.get("ref")) && matches(d.task, q2.get("task")) && matches(d.environment, q2.get("environment"))
  ).sort((a, b) => b.id - a.id);
  return page(call.req, deployments, (d) => renderDeployment(call.urls, d));
}
function latestState(call, deployment) {
  return call.world.state.deploymentStatuses.filter((s) => s.deployment === deployment.id).reduce(
    (newest, s) => newest && newest.id > s.id ? newest : s,
    void 0
  )?.state;
}
function createDeploymentStatus(call) {
  const { world } = call;
  const deployment = findDeployment(call);
  const body2 = bodyOf(call.req);
  const state = body2["state"];
  if (typeof state !== "string" || !DEPLOYMENT_STATES.includes(state))
    throw validationFailed({
      resource: "DeploymentStatus",
      code: "invalid",
      field: "state",
      message: `state must be one of ${DEPLOYMENT_STATES.join(", ")}`
    });
  const now = world.now();
  const record = (target, targetState, description) => ({
    id: world.nextId(),
    deployment: target.id,
    state: targetState,
    description,
    environment: target.environment,
    environmentUrl: optionalString3(body2, "environment_url", "DeploymentStatus") ?? "",
    logUrl: optionalString3(body2, "log_url", "DeploymentStatus") ?? optionalString3(body2, "target_url", "DeploymentStatus") ?? "",
    creator: call.actor.login,
    createdAt: now
  });
  if (state === "success" && body2["auto_inactive"] !== false) {
    for (const other of world.state.deployments) {
      if (other === deployment || other.environment !== deployment.environment || other.transientEnvironment)
        continue;
      if (latestState(call, other) !== "success") continue;
      world.state.deploymentStatuses.push({
        ...record(other, "inactive", ""),
        environmentUrl: "",
        logUrl: ""
      });
      other.updatedAt = now;
    }
  }
  const status = record(
    deployment,
    state,
    optionalString3(body2, "description", "DeploymentStatus") ?? ""
  );
  world.state.deploymentStatuses.push(status);
  deployment.updatedAt = now;
  world.changed();
  return json(renderDeploymentStatus(call.urls, status), 201);
}
function listDeploymentStatuses(call) {
  const deployment = findDeployment(call);
  const statuses = call.world.state.deploymentStatuses.filter((s) => s.deployment === deployment.id).sort((a, b) => b.id - a.id);
  return page(call.req, statuses, (s) => renderDeploymentStatus(call.urls, s));
}

// sandbox/github/routes/protection.ts
var PROTECTION = "/repos/:owner/:repo/branches/:branch*/protection";
var protectionRoutes = [
  { method: "GET", path: PROTECTION, operation: "repos.getBranchProtection", handle: getProtection },
  { method: "PUT", path: PROTECTION, operation: "repos.updateBranchProtection", handle: putProtection },
  { method: "DELETE", path: PROTECTION, operation: "repos.deleteBranchProtection", handle: deleteProtection }
];
function protectionOf(call, branch) {
  return call.world.state.settings.protection.find((p) => p.branch === branch);
}
function branchNotProtected() {
  return new ServiceError(404, "NotFound", "Branch not protected");
}
function renderProtection(call, p) {
  const url = `${call.urls.repoApi}/branches/${encodeURIComponent(p.branch)}/protection`;
  const out = {
    url,
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false }
  };
  if (p.requiredStatusChecks)
    out["required_status_checks"] = {
      url: `${url}/required_status_checks`,
      strict: p.requiredStatusChecks.strict,
      contexts: p.requiredStatusChecks.contexts,
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: p.requiredStatusChecks.contexts.map((context) => ({ context, app_id: null }))
    };
  if (p.requiredReviews)
    out["required_pull_request_reviews"] = {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: p.requiredReviews.dismissStale,
      require_code_owner_reviews: p.requiredReviews.codeOwners,
      required_approving_review_count: p.requiredReviews.count,
      require_last_push_approval: p.requiredReviews.lastPushApproval
    };
  return out;
}
function getProtection(call) {
  const p = protectionOf(call, call.params["branch"] ?? "");
  if (!p) throw branchNotProtected();
  return json(renderProtection(call, p));
}
function object(value, field) {
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value))
    throw validationFailed({ resource: "Protection", code: "invalid", field });
  return value;
}
function putProtection(call) {
  const branch = call.params["branch"] ?? "";
  if (!call.world.git.branchSha(branch)) throw notFound3("Branch not found");
  const body2 = bodyOf(call.req);
  for (const field of [
    "required_status_checks",
    "enforce_admins",
    "required_pull_request_reviews",
    "restrictions"
  ])
    if (!(field in body2)) throw validationFailed({ resource: "Protection", code: "missing_field", field });
  const checks = object(body2["required_status_checks"], "required_status_checks");
  const reviews = object(body2["required_pull_request_reviews"], "required_pull_request_reviews");
  const contexts = checks ? Array.isArray(checks["checks"]) ? checks["checks"].map((c) => String(c.context)) : Array.isArray(checks["contexts"]) ? checks["contexts"].map(String) : [] : [];
  const count = reviews ? Number(reviews["required_approving_review_count"] ?? 1) : 0;
  if (reviews && (!Number.isInteger(count) || count < 0 || count > 6))
    throw validationFailed({
      resource: "Protection",
      code: "invalid",
      field: "required_approving_review_count",
      message: "required_approving_review_count must be between 0 and 6"
    });
  const record = {
    branch,
    requiredStatusChecks: checks ? { strict: checks["strict"] === true, contexts } : null,
    requiredReviews: reviews ? {
      count,
      dismissStale: reviews["dismiss_stale_reviews"] === true,
      codeOwners: reviews["require_code_owner_reviews"] === true,
      lastPushApproval: reviews["require_last_push_approval"] === true
    } : null,
    enforceAdmins: body2["enforce_admins"] === true
  };
  const settings = call.world.state.settings;
  settings.protection = [...settings.protection.filter((p) => p.branch !== branch), record];
  call.world.changed();
  return json(renderProtection(call, record));
}
function deleteProtection(call) {
  const branch = call.params["branch"] ?? "";
  const settings = call.world.state.settings;
  if (!protectionOf(call, branch)) throw branchNotProtected();
  settings.protection = settings.protection.filter((p) => p.branch !== branch);
  call.world.changed();
  return noContent();
}
function refused(message) {
  return new ServiceError(405, "NotMergeable", message);
}
function approvals(call, pull, head, dismissStale) {
  const settings = call.world.state.settings;
  const latest = /* @__PURE__ */ new Map();
  for (const r of call.world.state.reviews.filter((r2) => r2.pull === pull.number).sort((a, b) => a.id - b.id)) {
    if (r.state === "COMMENTED" || r.state === "PENDING") continue;
    latest.set(r.user.toLowerCase(), { state: r.state, commitId: r.commitId });
  }
  let approved = 0;
  let changesRequested = false;
  for (const [login, review] of latest) {
    if (login === pull.user.toLowerCase() || !atLeast(roleOf(settings, login), "write")) continue;
    if (review.state === "CHANGES_REQUESTED") changesRequested = true;
    if (review.state === "APPROVED" && (!dismissStale || review.commitId === head)) approved++;
  }
  return { approved, changesRequested };
}
function checkState(call, sha, context) {
  const { statuses, checkRuns } = call.world.state;
  const status = statuses.filter((s) => s.sha === sha && s.context === context).sort((a, b) => b.id - a.id)[0];
  const run = checkRuns.filter((c) => c.headSha === sha && c.name === context).sort((a, b) => b.id - a.id)[0];
  const states = [];
  if (status)
    states.push(status.state === "success" ? "success" : status.state === "pending" ? "pending" : "failure");
  if (run)
    states.push(
      run.status !== "completed" ? "pending" : ["success", "neutral", "skipped"].includes(run.conclusion ?? "") ? "success" : "failure"
    );
  if (states.length === 0) return "missing";
  return states.includes("success") ? "success" : states.includes("pending") ? "pending" : "failure";
}
function enforceProtection(call, pull, head, base) {
  const protection = protectionOf(call, pull.base);
  if (!protection) return;
  if (!protection.enforceAdmins && atLeast(roleOf(call.world.state.settings, call.actor.login), "admin"))
    return;
  const reviews = protection.requiredReviews;
  if (reviews && reviews.count > 0) {
    const { approved, changesRequested } = approvals(call, pull, head, reviews.dismissStale);
    if (changesRequested)
      throw refused("Changes must be addressed: a reviewer with write access requested changes.");
    if (approved < reviews.count)
      throw refused(
        `At least ${reviews.count} approving review${reviews.count === 1 ? " is" : "s are"} required by reviewers with write access.`
      );
  }
  const checks = protection.requiredStatusChecks;
  if (checks) {
    const states = checks.contexts.map((context) => ({ context, state: checkState(call, head, context) }));
    const missing = states.filter((s) => s.state === "missing");
    const failing = states.filter((s) => s.state === "failure");
    const pending = states.filter((s) => s.state === "pending");
    if (failing[0]) throw refused(`Required status check "${failing[0].context}" is failing.`);
    if (missing.length + pending.length > 1)
      throw refused(
        `${missing.length + pending.length} of ${states.length} required status checks are expected.`
      );
    const waiting = missing[0] ?? pending[0];
    if (waiting) throw refused(`Required status check "${waiting.context}" is expected.`);
    if (checks.strict && !call.world.git.isAncestor(base, head))
      throw refused("Head branch is out of date. Review and try the merge again.");
  }
}

// sandbox/github/routes/pulls.ts
var PULL = "/repos/:owner/:repo/pulls/:pull_number";
var pullRoutes = [
  { method: "POST", path: "/repos/:owner/:repo/pulls", operation: "pulls.create", handle: createPull },
  { method: "GET", path: "/repos/:owner/:repo/pulls", operation: "pulls.list", handle: listPulls },
  {
    method: "GET",
    path: PULL,
    operation: "pulls.get",
    handle: (call) => json(renderPull(call, findPull(call)))
  },
  { method: "PATCH", path: PULL, operation: "pulls.update", handle: updatePull },
  { method: "GET", path: `${PULL}/files`, operation: "pulls.listFiles", handle: listFiles },
  { method: "GET", path: `${PULL}/commits`, operation: "pulls.listCommits", handle: listCommits },
  { method: "GET", path: `${PULL}/merge`, operation: "pulls.checkIfMerged", handle: checkIfMerged },
  { method: "PUT", path: `${PULL}/merge`, operation: "pulls.merge", handle: mergePull },
  {
    method: "GET",
    path: `${PULL}/requested_reviewers`,
    operation: "pulls.listRequestedReviewers",
    handle: listRequestedReviewers
  },
  {
    method: "POST",
    path: `${PULL}/requested_reviewers`,
    operation: "pulls.requestReviewers",
    handle: requestReviewers
  },
  {
    method: "DELETE",
    path: `${PULL}/requested_reviewers`,
    operation: "pulls.removeRequestedReviewers",
    handle: removeRequestedReviewers
  }
];
function findPull(call) {
  const n = Number(call.params["pull_number"] ?? call.params["issue_number"]);
  const pull = call.world.state.pulls.find((p) => p.number === n);
  if (!pull) throw notFound3();
  return pull;
}
function branchName(call, spec) {
  const colon = spec.indexOf(":");
  if (colon < 0) return spec;
  const owner = spec.slice(0, colon);
  return owner.toLowerCase() === call.world.owner.toLowerCase() ? spec.slice(colon + 1) : `\0${spec}`;
}
function openDuplicate(call, head, base, except) {
  return call.world.state.pulls.find(
    (p) => p.state === "open" && p.head === head && p.base === base && p.number !== except
  );
}
function createPull(call) {
  const { world, actor } = call;
  const body2 = bodyOf(call.req);
  const title = requiredString3(body2, "title", "PullRequest");
  const head = branchName(call, requiredString3(body2, "head", "PullRequest"));
  const base = branchName(call, requiredString3(body2, "base", "PullRequest"));
  const headCommit = world.git.branchSha(head);
  const baseCommit = world.git.branchSha(base);
  if (!headCommit) throw validationFailed({ resource: "PullRequest", code: "invalid", field: "head" });
  if (!baseCommit) throw validationFailed({ resource: "PullRequest", code: "invalid", field: "base" });
  if (openDuplicate(call, head, base))
    throw validationFailed({
      resource: "PullRequest",
      code: "custom",
      message: `A pull request already exists for ${world.owner}:${head}.`
    });
  if (world.git.isAncestor(headCommit, baseCommit))
    throw validationFailed({
      resource: "PullRequest",
      code: "custom",
      message: `No commits between ${base} and ${head}`
    });
  const now = world.now();
  const pull = {
    number: world.nextNumber(),
    id: world.nextId(),
    title,
    body: optionalString3(body2, "body", "PullRequest") ?? null,
    head,
    base,
    user: actor.login,
    state: "open",
    draft: body2["draft"] === true,
    maintainerCanModify: body2["maintainer_can_modify"] !== false,
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    headSha: headCommit,
    requestedReviewers: [],
    labels: []
  };
  world.state.pulls.push(pull);
  world.changed();
  return json(renderPull(call, pull), 201, { location: `${call.urls.repoApi}/pulls/${pull.number}` });
}
function listPulls(call) {
  const q2 = call.req.query;
  const state = q2.get("state") ?? "open";
  const head = q2.get("head");
  const base = q2.get("base");
  const sort = q2.get("sort") ?? "created";
  const direction = q2.get("direction") ?? (sort === "created" ? "desc" : "asc");
  if (!["open", "closed", "all"].includes(state))
    throw validationFailed({ resource: "PullRequest", code: "invalid", field: "state" });
  const key = (p) => sort === "updated" ? p.updatedAt : p.createdAt;
  const pulls = call.world.state.pulls.filter((p) => state === "all" || p.state === state).filter((p) => head === null || p.head === branchName(call, head)).filter((p) => base === null || p.base === base).sort((a, b) => (key(a) - key(b) || a.number - b.number) * (direction === "asc" ? 1 : -1));
  return page(call.req, pulls, (p) => renderPullSummary(call, p));
}
function updatePull(call) {
  const { world } = call;
  const pull = findPull(call);
  const body2 = bodyOf(call.req);
  const title = optionalString3(body2, "title", "PullRequest");
  const text = optionalString3(body2, "body", "PullRequest");
  const state = optionalString3(body2, "state", "PullRequest");
  const base = optionalString3(body2, "base", "PullRequest");
  if (state !== void 0 && state !== "open" && state !== "closed")
    throw validationFailed({ resource: "PullRequest", code: "invalid", field: "state" });
  if (base !== void 0 && !world.git.branchSha(base))
    throw validationFailed({ resource: "PullRequest", code: "invalid", field: "base" });
  if (pull.mergedAt !== null && (state === "open" || base !== void 0))
    throw unprocessable("Cannot change the state or base of a merged pull request");
  if (state === "open" && pull.state === "closed") {
    if (!world.git.branchSha(pull.head))
      throw validationFailed({
        resource: "PullRequest",
        code: "custom",
        message: "The head branch no longer exists"
      });
    if (openDuplicate(call, pull.head, base ?? pull.base, pull.number))
      throw validationFailed({
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${world.owner}:${pull.head}.`
      });
  }
  const now = world.now();
  if (title !== void 0) pull.title = title;
  if (text !== void 0) pull.body = text;
  if (base !== void 0) pull.base = base;
  if (state !== void 0 && state !== pull.state) {
    pull.headSha = headSha(call, pull);
    pull.state = state;
    pull.closedAt = state === "closed" ? now : null;
  }
  pull.updatedAt = now;
  world.changed();
  return json(renderPull(call, pull));
}
function diffBase(call, pull) {
  const head = headSha(call, pull);
  const base = pull.mergeCommitSha !== null ? call.world.git.commit(pull.mergeCommitSha).parents[0] : call.world.git.branchSha(pull.base);
  return { head, mergeBase: base ? call.world.git.mergeBase(base, head) : void 0 };
}
function listFiles(call) {
  const pull = findPull(call);
  const { head, mergeBase } = diffBase(call, pull);
  const files = mergeBase ? call.world.git.diff(mergeBase, head) : [];
  return page(call.req, files, (f) => renderFile(call.urls, head, f));
}
function listCommits(call) {
  const pull = findPull(call);
  const { head, mergeBase } = diffBase(call, pull);
  const range = mergeBase ? `${mergeBase}..${head}` : head;
  const commits = call.world.git.commits(["--reverse", range]);
  return page(call.req, commits, (c) => renderCommit(call.urls, c));
}
function checkIfMerged(call) {
  if (findPull(call).mergedAt === null) throw notFound3();
  return noContent();
}
function notMergeable(reason) {
  return new ServiceError(405, "NotMergeable", `Pull Request is not mergeable: ${reason}`);
}
function mergePull(call) {
  const { world, actor } = call;
  const pull = findPull(call);
  const body2 = bodyOf(call.req);
  const method = optionalString3(body2, "merge_method", "PullRequest") ?? "merge";
  if (method !== "merge" && method !== "squash")
    throw validationFailed({
      resource: "PullRequest",
      code: "invalid",
      field: "merge_method",
      message: `merge_method ${method} is not supported by the sandbox; use merge or squash`
    });
  if (pull.mergedAt !== null) throw notMergeable("it is already merged");
  if (pull.state !== "open") throw notMergeable("it is closed");
  if (pull.draft) throw notMergeable("it is a draft");
  const git2 = world.git;
  const head = git2.branchSha(pull.head);
  const base = git2.branchSha(pull.base);
  if (!head) throw notMergeable(`its head branch ${pull.head} no longer exists`);
  if (!base) throw notMergeable(`its base branch ${pull.base} no longer exists`);
  const expected = optionalString3(body2, "sha", "PullRequest");
  if (expected !== void 0 && expected !== head)
    throw new ServiceError(409, "Conflict", "Head branch was modified. Review and try the merge again.");
  enforceProtection(call, pull, head, base);
  const merged = git2.mergeTree(base, head);
  if (!merged.clean) throw notMergeable("merging it would conflict with its base branch");
  const now = world.now();
  const title = optionalString3(body2, "commit_title", "PullRequest") ?? (method === "squash" ? `${pull.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${world.owner}/${pull.head}`);
  const details = optionalString3(body2, "commit_message", "PullRequest") ?? (method === "squash" ? "" : pull.title);
  const mergeCommit = git2.commitTree({
    tree: merged.tree,
    parents: method === "squash" ? [base] : [base, head],
    message: details === "" ? `${title}
` : `${title}

${details}
`,
    author: { name: actor.login, email: `${actor.login}@users.noreply.flagops.invalid`, date: now },
    committer: { ...SANDBOX_IDENTITY, date: now }
  });
  if (!git2.updateRef(`refs/heads/${pull.base}`, mergeCommit, base))
    throw new ServiceError(409, "Conflict", "Base branch was modified. Review and try the merge again.");
  pull.state = "closed";
  pull.mergedAt = now;
  pull.closedAt = now;
  pull.updatedAt = now;
  pull.mergedBy = actor.login;
  pull.mergeCommitSha = mergeCommit;
  pull.headSha = head;
  world.changed();
  return json({ sha: mergeCommit, merged: true, message: "Pull Request successfully merged" });
}
function listRequestedReviewers(call) {
  const pull = findPull(call);
  return json({ users: pull.requestedReviewers.map((login) => renderUser(call.urls, login)), teams: [] });
}
function reviewerList(call) {
  const reviewers = bodyOf(call.req)["reviewers"] ?? [];
  if (!Array.isArray(reviewers) || !reviewers.every((r) => typeof r === "string"))
    throw validationFailed({ resource: "PullRequest", code: "invalid", field: "reviewers" });
  return reviewers;
}
function requestReviewers(call) {
  const pull = findPull(call);
  const reviewers = reviewerList(call);
  if (reviewers.some((r) => r.toLowerCase() === pull.user.toLowerCase()))
    throw unprocessable("Review cannot be requested from pull request author.");
  for (const login of reviewers)
    if (!pull.requestedReviewers.includes(login)) pull.requestedReviewers.push(login);
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(renderPullSummary(call, pull), 201);
}
function removeRequestedReviewers(call) {
  const pull = findPull(call);
  const reviewers = reviewerList(call);
  pull.requestedReviewers = pull.requestedReviewers.filter((login) => !reviewers.includes(login));
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(renderPullSummary(call, pull));
}

// sandbox/github/routes/issues.ts
var ISSUE = "/repos/:owner/:repo/issues/:issue_number";
var COMMENT = "/repos/:owner/:repo/issues/comments/:comment_id";
var issueRoutes = [
  // Comment routes first: `issues/comments/…` must not be read as an issue numbered "comments".
  {
    method: "GET",
    path: "/repos/:owner/:repo/issues/comments",
    operation: "issues.listCommentsForRepo",
    handle: listRepoComments
  },
  {
    method: "GET",
    path: COMMENT,
    operation: "issues.getComment",
    handle: (call) => json(renderComment(call.urls, findComment(call)))
  },
  { method: "PATCH", path: COMMENT, operation: "issues.updateComment", handle: updateComment },
  { method: "DELETE", path: COMMENT, operation: "issues.deleteComment", handle: deleteComment },
  {
    method: "GET",
    path: ISSUE,
    operation: "issues.get",
    handle: (call) => json(renderIssue(call, findPull(call)))
  },
  { method: "GET", path: `${ISSUE}/comments`, operation: "issues.listComments", handle: listComments },
  { method: "POST", path: `${ISSUE}/comments`, operation: "issues.createComment", handle: createComment },
  { method: "GET", path: `${ISSUE}/labels`, operation: "issues.listLabelsOnIssue", handle: listIssueLabels },
  { method: "POST", path: `${ISSUE}/labels`, operation: "issues.addLabels", handle: addLabels },
  { method: "PUT", path: `${ISSUE}/labels`, operation: "issues.setLabels", handle: setLabels },
  { method: "DELETE", path: `${ISSUE}/labels/:name`, operation: "issues.removeLabel", handle: removeLabel },
  {
    method: "GET",
    path: "/repos/:owner/:repo/labels",
    operation: "issues.listLabelsForRepo",
    handle: listRepoLabels
  },
  {
    method: "POST",
    path: "/repos/:owner/:repo/labels",
    operation: "issues.createLabel",
    handle: createLabel
  },
  { method: "GET", path: "/repos/:owner/:repo/labels/:name", operation: "issues.getLabel", handle: getLabel }
];
function findComment(call) {
  const id = Number(call.params["comment_id"]);
  const comment = call.world.state.comments.find((c) => c.id === id);
  if (!comment) throw notFound3();
  return comment;
}
function commentsSince(call, comments) {
  const since = call.req.query.get("since");
  const from = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since);
  return comments.filter((c) => c.updatedAt >= from).sort((a, b) => a.id - b.id);
}
function listRepoComments(call) {
  return page(
    call.req,
    commentsSince(call, [...call.world.state.comments]),
    (c) => renderComment(call.urls, c)
  );
}
function threadNumber(call) {
  const n = Number(call.params["issue_number"]);
  if (call.world.state.issues.some((i) => i.number === n)) return n;
  return findPull(call).number;
}
function listComments(call) {
  const number = threadNumber(call);
  const comments = commentsSince(
    call,
    call.world.state.comments.filter((c) => c.issue === number)
  );
  return page(call.req, comments, (c) => renderComment(call.urls, c));
}
function createComment(call) {
  const { world } = call;
  const number = threadNumber(call);
  const text = requiredString3(bodyOf(call.req), "body", "IssueComment");
  const now = world.now();
  const comment = {
    id: world.nextId(),
    issue: number,
    user: call.actor.login,
    body: text,
    createdAt: now,
    updatedAt: now
  };
  world.state.comments.push(comment);
  world.changed();
  return json(renderComment(call.urls, comment), 201, {
    location: `${call.urls.repoApi}/issues/comments/${comment.id}`
  });
}
function updateComment(call) {
  const comment = findComment(call);
  comment.body = requiredString3(bodyOf(call.req), "body", "IssueComment");
  comment.updatedAt = call.world.now();
  call.world.changed();
  return json(renderComment(call.urls, comment));
}
function deleteComment(call) {
  const comment = findComment(call);
  call.world.state.comments = call.world.state.comments.filter((c) => c !== comment);
  call.world.changed();
  return noContent();
}
function findLabel(call, name) {
  return call.world.state.labels.find((l3) => l3.name.toLowerCase() === name.toLowerCase());
}
var DEFAULT_COLOR = "ededed";
function ensureLabel(call, name, color = DEFAULT_COLOR, description = null) {
  const existing = findLabel(call, name);
  if (existing) return existing;
  const label2 = { id: call.world.nextId(), name, color, description };
  call.world.state.labels.push(label2);
  return label2;
}
function labelsOf(call, pull) {
  return pull.labels.map((name) => findLabel(call, name)).filter((l3) => l3 !== void 0);
}
function listIssueLabels(call) {
  const pull = findPull(call);
  return page(call.req, labelsOf(call, pull), (l3) => renderLabel(call.urls, l3));
}
function labelNames(call) {
  const parsed = bodyOf(call.req);
  const list = Array.isArray(parsed) ? parsed : parsed.labels;
  if (!Array.isArray(list))
    throw validationFailed({ resource: "Label", code: "missing_field", field: "labels" });
  return list.map((item) => {
    const name = typeof item === "string" ? item : item?.name;
    if (typeof name !== "string" || name.trim() === "")
      throw validationFailed({
        resource: "Label",
        code: "invalid",
        field: "labels",
        message: "label names must be non-empty strings"
      });
    return name;
  });
}
function applyLabels(call, pull, names) {
  for (const name of names) {
    const label2 = ensureLabel(call, name);
    if (!pull.labels.includes(label2.name)) pull.labels.push(label2.name);
  }
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(labelsOf(call, pull).map((l3) => renderLabel(call.urls, l3)));
}
function addLabels(call) {
  return applyLabels(call, findPull(call), labelNames(call));
}
function setLabels(call) {
  const pull = findPull(call);
  const names = labelNames(call);
  pull.labels = [];
  return applyLabels(call, pull, names);
}
function removeLabel(call) {
  const pull = findPull(call);
  const label2 = findLabel(call, call.params["name"] ?? "");
  if (!label2 || !pull.labels.includes(label2.name)) throw notFound3("Label does not exist");
  pull.labels = pull.labels.filter((n) => n !== label2.name);
  pull.updatedAt = call.world.now();
  call.world.changed();
  return json(labelsOf(call, pull).map((l3) => renderLabel(call.urls, l3)));
}
function listRepoLabels(call) {
  return page(call.req, call.world.state.labels, (l3) => renderLabel(call.urls, l3));
}
function getLabel(call) {
  const label2 = findLabel(call, call.params["name"] ?? "");
  if (!label2) throw notFound3();
  return json(renderLabel(call.urls, label2));
}
function createLabel(call) {
  const body2 = bodyOf(call.req);
  const name = requiredString3(body2, "name", "Label");
  const color = (optionalString3(body2, "color", "Label") ?? DEFAULT_COLOR).replace(/^#/, "");
  if (!/^[0-9a-fA-F]{6}$/.test(color))
    throw validationFailed({
      resource: "Label",
      code: "invalid",
      field: "color",
      message: "color must be 6 hex digits, e.g. d73a4a"
    });
  if (findLabel(call, name))
    throw validationFailed({ resource: "Label", code: "already_exists", field: "name" });
  const label2 = ensureLabel(
    call,
    name,
    color.toLowerCase(),
    optionalString3(body2, "description", "Label") ?? null
  );
  call.world.changed();
  return json(renderLabel(call.urls, label2), 201);
}

// sandbox/github/routes/plain-issues.ts
var ISSUES = "/repos/:owner/:repo/issues";
var plainIssueRoutes = [
  { method: "POST", path: ISSUES, operation: "issues.create", handle: createIssue },
  { method: "GET", path: ISSUES, operation: "issues.listForRepo", handle: listIssues },
  {
    method: "GET",
    path: `${ISSUES}/:issue_number`,
    operation: "issues.get",
    handle: (call) => {
      const issue = findIssue(call);
      if (issue) return json(renderPlainIssue(call, issue));
      const pull = call.world.state.pulls.find((p) => p.number === Number(call.params["issue_number"]));
      if (!pull) throw notFound3();
      return json(renderIssue(call, pull));
    }
  },
  { method: "PATCH", path: `${ISSUES}/:issue_number`, operation: "issues.update", handle: updateIssue }
];
function findIssue(call) {
  const n = Number(call.params["issue_number"]);
  return call.world.state.issues.find((i) => i.number === n);
}
function renderPlainIssue(call, issue) {
  const { urls, world } = call;
  const labels = issue.labels.map((name) => world.state.labels.find((l3) => l3.name === name)).filter((l3) => l3 !== void 0).map((l3) => renderLabel(urls, l3));
  return {
    id: issue.id,
    url: `${urls.repoApi}/issues/${issue.number}`,
    html_url: `${urls.repoWeb}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.state === "closed" ? "completed" : null,
    title: issue.title,
    body: issue.body,
    user: renderUser(urls, issue.user),
    labels,
    assignee: null,
    assignees: [],
    locked: false,
    comments: world.state.comments.filter((c) => c.issue === issue.number).length,
    created_at: new Date(issue.createdAt).toISOString(),
    updated_at: new Date(issue.updatedAt).toISOString(),
    closed_at: issue.closedAt === null ? null : new Date(issue.closedAt).toISOString()
  };
}
function labelList(call, value) {
  if (value === void 0) return [];
  if (!Array.isArray(value)) throw validationFailed({ resource: "Issue", code: "invalid", field: "labels" });
  const names = value.map((item) => typeof item === "string" ? item : item?.name);
  for (const name of names) {
    if (typeof name !== "string" || name === "")
      throw validationFailed({ resource: "Issue", code: "invalid", field: "labels" });
    if (!call.world.state.labels.some((l3) => l3.name === name))
      call.world.state.labels.push({ id: call.world.nextId(), name, color: "ededed", description: null });
  }
  return names;
}
function createIssue(call) {
  const { world } = call;
  const body2 = bodyOf(call.req);
  const now = world.now();
  const issue = {
    number: world.nextNumber(),
    id: world.nextId(),
    title: requiredString3(body2, "title", "Issue"),
    body: optionalString3(body2, "body", "Issue") ?? null,
    user: call.actor.login,
    state: "open",
    labels: labelList(call, body2["labels"]),
    createdAt: now,
    updatedAt: now,
    closedAt: null
  };
  world.state.issues.push(issue);
  world.changed();
  return json(renderPlainIssue(call, issue), 201, {
    location: `${call.urls.repoApi}/issues/${issue.number}`
  });
}
function updateIssue(call) {
  const issue = findIssue(call);
  if (!issue) throw notFound3();
  const body2 = bodyOf(call.req);
  const title = optionalString3(body2, "title", "Issue");
  if (title !== void 0) issue.title = title;
  if (typeof body2["body"] === "string" || body2["body"] === null) issue.body = body2["body"];
  const state = optionalString3(body2, "state", "Issue");
  if (state !== void 0) {
    if (state !== "open" && state !== "closed")
      throw validationFailed({ resource: "Issue", code: "invalid", field: "state" });
    if (state !== issue.state) issue.closedAt = state === "closed" ? call.world.now() : null;
    issue.state = state;
  }
  if (body2["labels"] !== void 0) issue.labels = labelList(call, body2["labels"]);
  issue.updatedAt = call.world.now();
  call.world.changed();
  return json(renderPlainIssue(call, issue));
}
function listIssues(call) {
  const q2 = call.req.query;
  const state = q2.get("state") ?? "open";
  const wanted = (q2.get("labels") ?? "").split(",").map((l3) => l3.trim()).filter((l3) => l3 !== "");
  const keep = (s, labels) => (state === "all" || s === state) && wanted.every((w2) => labels.includes(w2));
  const issues = call.world.state.issues.filter((i) => keep(i.state, i.labels)).map((i) => ({ number: i.number, render: () => renderPlainIssue(call, i) }));
  const pulls = call.world.state.pulls.filter((p) => keep(p.state, p.labels)).map((p) => ({ number: p.number, render: () => renderIssue(call, p) }));
  const all = [...issues, ...pulls].sort((a, b) => b.number - a.number);
  return page(call.req, all, (item) => item.render());
}

// sandbox/github/routes/repository.ts
var repositoryRoutes = [
  { method: "GET", path: "/user", operation: "users.getAuthenticated", handle: getAuthenticatedUser },
  {
    method: "GET",
    path: "/repos/:owner/:repo",
    operation: "repos.get",
    handle: (call) => json(renderRepository(call))
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/branches",
    operation: "repos.listBranches",
    handle: listBranches
  },
  {
    method: "GET",
    path: "/repos/:owner/:repo/branches/:branch*",
    operation: "repos.getBranch",
    handle: getBranch
  },
  { method: "GET", path: "/repos/:owner/:repo/git/ref/:ref*", operation: "git.getRef", handle: getRef },
  {
    method: "GET",
    path: "/repos/:owner/:repo/git/matching-refs/:ref*",
    operation: "git.listMatchingRefs",
    handle: listMatchingRefs
  },
  { method: "POST", path: "/repos/:owner/:repo/git/refs", operation: "git.createRef", handle: createRef },
  {
    method: "PATCH",
    path: "/repos/:owner/:repo/git/refs/:ref*",
    operation: "git.updateRef",
    handle: updateRef
  },
  {
    method: "DELETE",
    path: "/repos/:owner/:repo/git/refs/:ref*",
    operation: "git.deleteRef",
    handle: deleteRef
  },
  { method: "GET", path: "/repos/:owner/:repo/commits", operation: "repos.listCommits", handle: listCommits2 },
  {
    method: "GET",
    path: "/repos/:owner/:repo/contents/:path*",
    operation: "repos.getContent",
    handle: getContent
  },
  { method: "GET", path: "/repos/:owner/:repo/contents", operation: "repos.getContent", handle: getContent },
  {
    method: "GET",
    path: "/repos/:owner/:repo/compare/:basehead*",
    operation: "repos.compareCommits",
    handle: compare
  }
];
var commitRoute = {
  method: "GET",
  path: "/repos/:owner/:repo/commits/:ref*",
  operation: "repos.getCommit",
  handle: getCommit
};
function getAuthenticatedUser(call) {
  return json({ ...renderUser(call.urls, call.actor.login), name: call.actor.login });
}
function resolveOr404(call, rev, message = "Not Found") {
  const sha = call.world.git.resolveCommit(rev);
  if (!sha) throw notFound3(message);
  return sha;
}
function renderBranch(call, name, sha) {
  const { urls } = call;
  return {
    name,
    commit: { sha, url: `${urls.repoApi}/commits/${sha}` },
    protected: false
  };
}
function listBranches(call) {
  const branches = call.world.git.refs("refs/heads/").map((r) => ({ name: r.ref.slice(11), sha: r.sha }));
  return page(call.req, branches, (b) => renderBranch(call, b.name, b.sha));
}
function getBranch(call) {
  const name = call.params["branch"] ?? "";
  const sha = call.world.git.branchSha(name);
  if (!sha) throw notFound3("Branch not found");
  const { urls } = call;
  return json({
    ...renderBranch(call, name, sha),
    commit: renderCommit(urls, call.world.git.commit(sha)),
    _links: { self: `${urls.repoApi}/branches/${name}`, html: `${urls.repoWeb}/tree/${name}` },
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: "off", contexts: [], checks: [] }
    },
    protection_url: `${urls.repoApi}/branches/${name}/protection`
  });
}
function fullRef(ref) {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}
function getRef(call) {
  const ref = fullRef(call.params["ref"] ?? "");
  const found = call.world.git.refs(ref).find((r) => r.ref === ref);
  if (!found) throw notFound3();
  return json(renderRef(call.urls, found.ref, found.sha, found.type));
}
function listMatchingRefs(call) {
  const prefix = fullRef(call.params["ref"] ?? "");
  return json(call.world.git.refs(prefix).map((r) => renderRef(call.urls, r.ref, r.sha, r.type)));
}
function createRef(call) {
  const body2 = bodyOf(call.req);
  const ref = requiredString3(body2, "ref", "Reference");
  const sha = requiredString3(body2, "sha", "Reference");
  const git2 = call.world.git;
  if (!ref.startsWith("refs/") || ref.split("/").length < 3)
    throw validationFailed({
      resource: "Reference",
      code: "invalid",
      field: "ref",
      message: `${ref} is not a valid ref name; use a fully qualified name such as refs/heads/my-branch`
    });
  if (git2.objectType(sha) === void 0)
    throw validationFailed({
      resource: "Reference",
      code: "custom",
      field: "sha",
      message: "Object does not exist"
    });
  if (git2.refTarget(ref) !== void 0 || !git2.updateRef(ref, sha, ""))
    throw validationFailed({
      resource: "Reference",
      code: "custom",
      field: "ref",
      message: "Reference already exists"
    });
  call.world.changed();
  return json(renderRef(call.urls, ref, sha, git2.objectType(sha)), 201);
}
function updateRef(call) {
  const ref = fullRef(call.params["ref"] ?? "");
  const body2 = bodyOf(call.req);
  const sha = requiredString3(body2, "sha", "Reference");
  const git2 = call.world.git;
  const current = git2.refTarget(ref);
  if (current === void 0)
    throw validationFailed({
      resource: "Reference",
      code: "custom",
      field: "ref",
      message: "Reference does not exist"
    });
  if (git2.objectType(sha) === void 0)
    throw validationFailed({
      resource: "Reference",
      code: "custom",
      field: "sha",
      message: "Object does not exist"
    });
  if (body2["force"] !== true && !git2.isAncestor(current, sha))
    throw validationFailed({
      resource: "Reference",
      code: "custom",
      field: "sha",
      message: "Update is not a fast forward"
    });
  if (!git2.updateRef(ref, sha, current))
    throw validationFailed({
      resource: "Reference",
      code: "custom",
      field: "ref",
      message: "Reference cannot be updated"
    });
  call.world.changed();
  return json(renderRef(call.urls, ref, sha, git2.objectType(sha)));
}
function deleteRef(call) {
  const ref = fullRef(call.params["ref"] ?? "");
  const git2 = call.world.git;
  if (git2.refTarget(ref) === void 0)
    throw validationFailed({
      resource: "Reference",
      code: "custom",
      field: "ref",
      message: "Reference does not exist"
    });
  git2.deleteRef(ref);
  call.world.changed();
  return noContent();
}
function listCommits2(call) {
  const start = call.req.query.get("sha") ?? "main";
  const sha = resolveOr404(call, start);
  const commits = call.world.git.commits(["--max-count=1000", sha]);
  return page(call.req, commits, (c) => renderCommit(call.urls, c));
}
function getCommit(call) {
  const git2 = call.world.git;
  const sha = git2.resolveCommit(call.params["ref"] ?? "");
  if (!sha)
    throw validationFailed({
      resource: "Commit",
      code: "invalid",
      field: "ref",
      message: `No commit found for SHA: ${call.params["ref"]}`
    });
  const commit = git2.commit(sha);
  const parent = commit.parents[0];
  const files = parent ? git2.diff(parent, sha) : [];
  return json({
    ...renderCommit(call.urls, commit),
    stats: {
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      total: files.reduce((n, f) => n + f.additions + f.deletions, 0)
    },
    files: files.map((f) => renderFile(call.urls, sha, f))
  });
}
function getContent(call) {
  const path = (call.params["path"] ?? "").replace(/^\/+|\/+$/g, "");
  const ref = call.req.query.get("ref") ?? "main";
  const sha = resolveOr404(call, ref, `No commit found for the ref ${ref}`);
  const found = call.world.git.readPath(sha, path);
  if (!found) throw notFound3();
  const { urls } = call;
  const describe = (entryPath, type, entrySha, size) => {
    const name = entryPath.split("/").pop() ?? entryPath;
    return {
      type,
      name,
      path: entryPath,
      sha: entrySha,
      size,
      url: `${urls.repoApi}/contents/${entryPath}?ref=${ref}`,
      html_url: `${urls.repoWeb}/${type === "dir" ? "tree" : "blob"}/${ref}/${entryPath}`,
      git_url: `${urls.repoApi}/git/${type === "dir" ? "trees" : "blobs"}/${entrySha}`,
      download_url: type === "file" ? `${urls.repoWeb}/raw/${ref}/${entryPath}` : null
    };
  };
  if (found.kind === "file") {
    return json({
      ...describe(path, "file", found.sha, found.content.length),
      // GitHub wraps base64 at 60 characters; decoders ignore the newlines.
      content: (found.content.toString("base64").match(/.{1,60}/g) ?? []).join("\n"),
      encoding: "base64"
    });
  }
  return json(
    found.entries.map((e) => describe(path === "" ? e.name : `${path}/${e.name}`, e.type, e.sha, e.size))
  );
}
function compare(call) {
  const basehead = call.params["basehead"] ?? "";
  const [baseRev, headRev, ...rest] = basehead.split("...");
  if (!baseRev || !headRev || rest.length > 0)
    throw notFound3(`Not Found: compare needs BASE...HEAD, got ${basehead}`);
  const git2 = call.world.git;
  const base = resolveOr404(call, baseRev);
  const head = resolveOr404(call, headRev);
  const mergeBase = git2.mergeBase(base, head);
  const aheadBy = git2.countCommits(`${base}..${head}`);
  const behindBy = git2.countCommits(`${head}..${base}`);
  const status = aheadBy === 0 && behindBy === 0 ? "identical" : behindBy === 0 ? "ahead" : aheadBy === 0 ? "behind" : "diverged";
  const commits = git2.commits(["--reverse", "--max-count=250", `${base}..${head}`]);
  const files = mergeBase ? git2.diff(mergeBase, head) : [];
  const { urls } = call;
  return json({
    url: `${urls.repoApi}/compare/${basehead}`,
    html_url: `${urls.repoWeb}/compare/${basehead}`,
    base_commit: renderCommit(urls, git2.commit(base)),
    merge_base_commit: mergeBase ? renderCommit(urls, git2.commit(mergeBase)) : null,
    status,
    ahead_by: aheadBy,
    behind_by: behindBy,
    total_commits: aheadBy,
    commits: commits.map((c) => renderCommit(urls, c)),
    files: files.map((f) => renderFile(urls, head, f))
  });
}

// sandbox/github/routes/reviews.ts
var REVIEWS = "/repos/:owner/:repo/pulls/:pull_number/reviews";
var reviewRoutes = [
  { method: "GET", path: REVIEWS, operation: "pulls.listReviews", handle: listReviews },
  { method: "POST", path: REVIEWS, operation: "pulls.createReview", handle: createReview },
  { method: "GET", path: `${REVIEWS}/:review_id`, operation: "pulls.getReview", handle: getReview },
  {
    method: "POST",
    path: `${REVIEWS}/:review_id/events`,
    operation: "pulls.submitReview",
    handle: submitReview
  },
  {
    method: "PUT",
    path: `${REVIEWS}/:review_id/dismissals`,
    operation: "pulls.dismissReview",
    handle: dismissReview
  }
];
var EVENT_STATES = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED"
};
function findReview(call) {
  const pull = findPull(call);
  const id = Number(call.params["review_id"]);
  const review = call.world.state.reviews.find((r) => r.id === id && r.pull === pull.number);
  if (!review) throw notFound3();
  return review;
}
function listReviews(call) {
  const pull = findPull(call);
  const reviews = call.world.state.reviews.filter((r) => r.pull === pull.number && (r.state !== "PENDING" || r.user === call.actor.login)).sort((a, b) => a.id - b.id);
  return page(call.req, reviews, (r) => renderReview(call.urls, r));
}
function getReview(call) {
  return json(renderReview(call.urls, findReview(call)));
}
function stateForEvent(call, event, body2, author) {
  if (event === void 0) return "PENDING";
  const state = EVENT_STATES[event];
  if (!state)
    throw validationFailed({
      resource: "PullRequestReview",
      code: "invalid",
      field: "event",
      message: `event must be one of APPROVE, REQUEST_CHANGES, COMMENT; got ${event}`
    });
  if (call.actor.login === author && state === "APPROVED")
    throw unprocessable("Can not approve your own pull request");
  if (call.actor.login === author && state === "CHANGES_REQUESTED")
    throw unprocessable("Can not request changes on your own pull request");
  if (state !== "APPROVED" && body2.trim() === "")
    throw unprocessable(`Review Comment is missing: a ${event} review needs a body`);
  return state;
}
function submitted(call, review, pullRequested) {
  review.submittedAt = call.world.now();
  const i = pullRequested.indexOf(review.user);
  if (i >= 0) pullRequested.splice(i, 1);
}
function createReview(call) {
  const { world } = call;
  const pull = findPull(call);
  const body2 = bodyOf(call.req);
  const text = optionalString3(body2, "body", "PullRequestReview") ?? "";
  const event = optionalString3(body2, "event", "PullRequestReview");
  const state = stateForEvent(call, event, text, pull.user);
  const commitId = optionalString3(body2, "commit_id", "PullRequestReview") ?? headSha(call, pull);
  if (world.git.resolveCommit(commitId) === void 0)
    throw unprocessable(`Commit ${commitId} does not exist in this repository`);
  if (state === "PENDING" && world.state.reviews.some(
    (r) => r.pull === pull.number && r.user === call.actor.login && r.state === "PENDING"
  ))
    throw unprocessable("User can only have one pending review per pull request");
  const review = {
    id: world.nextId(),
    pull: pull.number,
    user: call.actor.login,
    body: text,
    state,
    commitId,
    submittedAt: null
  };
  if (state !== "PENDING") submitted(call, review, pull.requestedReviewers);
  world.state.reviews.push(review);
  world.changed();
  return json(renderReview(call.urls, review));
}
function submitReview(call) {
  const pull = findPull(call);
  const review = findReview(call);
  if (review.state !== "PENDING")
    throw unprocessable("Can not submit a review that has already been submitted");
  const body2 = bodyOf(call.req);
  const text = optionalString3(body2, "body", "PullRequestReview") ?? review.body;
  const event = optionalString3(body2, "event", "PullRequestReview");
  if (event === void 0)
    throw validationFailed({ resource: "PullRequestReview", code: "missing_field", field: "event" });
  review.state = stateForEvent(call, event, text, pull.user);
  review.body = text;
  submitted(call, review, pull.requestedReviewers);
  call.world.changed();
  return json(renderReview(call.urls, review));
}
function dismissReview(call) {
  const review = findReview(call);
  const body2 = bodyOf(call.req);
  const message = optionalString3(body2, "message", "PullRequestReview");
  if (message === void 0 || message === "")
    throw validationFailed({ resource: "PullRequestReview", code: "missing_field", field: "message" });
  if (review.state !== "APPROVED" && review.state !== "CHANGES_REQUESTED")
    throw unprocessable(`Can not dismiss a ${review.state.toLowerCase()} pull request review`);
  review.state = "DISMISSED";
  call.world.changed();
  return json(renderReview(call.urls, review));
}

// sandbox/github/routes/variables.ts
var REPO = "/repos/:owner/:repo";
var ENV = `${REPO}/environments/:environment_name`;
var variableRoutes = [
  {
    method: "GET",
    path: `${REPO}/actions/variables`,
    operation: "actions.listRepoVariables",
    handle: (c) => listVariables(c, repoVariables(c))
  },
  {
    method: "POST",
    path: `${REPO}/actions/variables`,
    operation: "actions.createRepoVariable",
    handle: (c) => createVariable(c, repoVariables(c))
  },
  {
    method: "GET",
    path: `${REPO}/actions/variables/:name`,
    operation: "actions.getRepoVariable",
    handle: (c) => getVariable(c, repoVariables(c))
  },
  {
    method: "PATCH",
    path: `${REPO}/actions/variables/:name`,
    operation: "actions.updateRepoVariable",
    handle: (c) => updateVariable(c, repoVariables(c))
  },
  {
    method: "DELETE",
    path: `${REPO}/actions/variables/:name`,
    operation: "actions.deleteRepoVariable",
    handle: (c) => deleteVariable(c, repoVariables(c))
  },
  {
    method: "GET",
    path: `${REPO}/actions/secrets`,
    operation: "actions.listRepoSecrets",
    handle: (c) => listSecrets(c, c.world.state.settings.secrets)
  },
  {
    method: "GET",
    path: `${REPO}/actions/secrets/:secret_name`,
    operation: "actions.getRepoSecret",
    handle: (c) => getSecret(c, c.world.state.settings.secrets)
  },
  {
    method: "GET",
    path: `${REPO}/environments`,
    operation: "repos.getAllEnvironments",
    handle: listEnvironments
  },
  {
    method: "GET",
    path: `${ENV}/variables`,
    operation: "actions.listEnvironmentVariables",
    handle: (c) => listVariables(c, findEnvironment(c).variables)
  },
  {
    method: "POST",
    path: `${ENV}/variables`,
    operation: "actions.createEnvironmentVariable",
    handle: (c) => createVariable(c, findEnvironment(c).variables)
  },
  {
    method: "GET",
    path: `${ENV}/variables/:name`,
    operation: "actions.getEnvironmentVariable",
    handle: (c) => getVariable(c, findEnvironment(c).variables)
  },
  {
    method: "PATCH",
    path: `${ENV}/variables/:name`,
    operation: "actions.updateEnvironmentVariable",
    handle: (c) => updateVariable(c, findEnvironment(c).variables)
  },
  {
    method: "DELETE",
    path: `${ENV}/variables/:name`,
    operation: "actions.deleteEnvironmentVariable",
    handle: (c) => deleteVariable(c, findEnvironment(c).variables)
  },
  {
    method: "GET",
    path: `${ENV}/secrets`,
    operation: "actions.listEnvironmentSecrets",
    handle: (c) => listSecrets(c, findEnvironment(c).secrets)
  },
  {
    method: "GET",
    path: `${ENV}/secrets/:secret_name`,
    operation: "actions.getEnvironmentSecret",
    handle: (c) => getSecret(c, findEnvironment(c).secrets)
  },
  {
    method: "GET",
    path: `${ENV}/deployment-branch-policies`,
    operation: "repos.listDeploymentBranchPolicies",
    handle: listBranchPolicies
  },
  {
    method: "GET",
    path: ENV,
    operation: "repos.getEnvironment",
    handle: (c) => json(renderEnvironment(c, findEnvironment(c)))
  },
  { method: "PUT", path: ENV, operation: "repos.createOrUpdateEnvironment", handle: putEnvironment },
  { method: "DELETE", path: ENV, operation: "repos.deleteAnEnvironment", handle: deleteEnvironment }
];
function repoVariables(call) {
  return call.world.state.settings.variables;
}
function findEnvironment(call) {
  const name = call.params["environment_name"] ?? "";
  const env = call.world.state.settings.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!env) throw notFound3();
  return env;
}
function pageOf(call, items) {
  const perPage = Math.min(100, Math.max(1, Number(call.req.query.get("per_page") ?? 30) || 30));
  const current = Math.max(1, Number(call.req.query.get("page") ?? 1) || 1);
  return items.slice((current - 1) * perPage, current * perPage);
}
function renderVariable(v2) {
  return { name: v2.name, value: v2.value, created_at: isoTime(v2.createdAt), updated_at: isoTime(v2.updatedAt) };
}
function listVariables(call, variables) {
  const sorted = [...variables].sort((a, b) => a.name.localeCompare(b.name));
  return json({ total_count: sorted.length, variables: pageOf(call, sorted).map(renderVariable) });
}
function findVariable(call, variables) {
  const name = (call.params["name"] ?? "").toUpperCase();
  const v2 = variables.find((x2) => x2.name === name);
  if (!v2) throw notFound3();
  return v2;
}
function checkName(name) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || /^GITHUB_/i.test(name))
    throw validationFailed({
      resource: "Variable",
      code: "invalid",
      field: "name",
      message: `${name}: names contain only letters, digits and _, do not start with a digit or GITHUB_`
    });
  return name.toUpperCase();
}
function createVariable(call, variables) {
  const body2 = bodyOf(call.req);
  const name = checkName(requiredString3(body2, "name", "Variable"));
  const value = body2["value"];
  if (typeof value !== "string")
    throw validationFailed({ resource: "Variable", code: "missing_field", field: "value" });
  if (variables.some((v2) => v2.name === name))
    throw new ServiceError(409, "Conflict", "Already exists - Variable already exists");
  const now = call.world.now();
  variables.push({ name, value, createdAt: now, updatedAt: now });
  call.world.changed();
  return json({}, 201);
}
function getVariable(call, variables) {
  return json(renderVariable(findVariable(call, variables)));
}
function updateVariable(call, variables) {
  const v2 = findVariable(call, variables);
  const body2 = bodyOf(call.req);
  if (typeof body2["name"] === "string") v2.name = checkName(body2["name"]);
  if (typeof body2["value"] === "string") v2.value = body2["value"];
  v2.updatedAt = call.world.now();
  call.world.changed();
  return noContent();
}
function deleteVariable(call, variables) {
  const v2 = findVariable(call, variables);
  variables.splice(variables.indexOf(v2), 1);
  call.world.changed();
  return noContent();
}
function renderSecret(s) {
  return { name: s.name, created_at: isoTime(s.createdAt), updated_at: isoTime(s.updatedAt) };
}
function listSecrets(call, secrets) {
  const sorted = [...secrets].sort((a, b) => a.name.localeCompare(b.name));
  return json({ total_count: sorted.length, secrets: pageOf(call, sorted).map(renderSecret) });
}
function getSecret(call, secrets) {
  const name = (call.params["secret_name"] ?? "").toUpperCase();
  const s = secrets.find((x2) => x2.name === name);
  if (!s) throw notFound3();
  return json(renderSecret(s));
}
function renderEnvironment(call, env) {
  const restricted = env.deploymentBranches !== null;
  return {
    id: env.id,
    node_id: nodeId("Environment", env.id),
    name: env.name,
    url: `${call.urls.repoApi}/environments/${encodeURIComponent(env.name)}`,
    html_url: `${call.urls.repoWeb}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
    created_at: isoTime(env.createdAt),
    updated_at: isoTime(env.updatedAt),
    can_admins_bypass: true,
    protection_rules: restricted ? [{ id: env.id + 1, node_id: nodeId("EnvironmentProtectionRule", env.id), type: "branch_policy" }] : [],
    deployment_branch_policy: restricted ? { protected_branches: false, custom_branch_policies: true } : null
  };
}
function listEnvironments(call) {
  const envs = call.world.state.settings.environments;
  return json({
    total_count: envs.length,
    environments: pageOf(call, envs).map((e) => renderEnvironment(call, e))
  });
}
function listBranchPolicies(call) {
  const env = findEnvironment(call);
  const patterns = env.deploymentBranches ?? [];
  return json({
    total_count: patterns.length,
    branch_policies: patterns.map((name, i) => ({
      id: env.id * 100 + i,
      node_id: nodeId("DeploymentBranchPolicy", env.id * 100 + i),
      name,
      type: "branch"
    }))
  });
}
function putEnvironment(call) {
  const name = call.params["environment_name"] ?? "";
  const body2 = bodyOf(call.req);
  const settings = call.world.state.settings;
  const now = call.world.now();
  let env = settings.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (!env) {
    env = {
      id: call.world.nextId(),
      name,
      deploymentBranches: null,
      variables: [],
      secrets: [],
      createdAt: now,
      updatedAt: now
    };
    settings.environments.push(env);
  }
  if ("deployment_branch_policy" in body2) {
    const policy = body2["deployment_branch_policy"];
    env.deploymentBranches = policy === null ? null : env.deploymentBranches ?? [];
  }
  env.updatedAt = now;
  call.world.changed();
  return json(renderEnvironment(call, env));
}
function deleteEnvironment(call) {
  const env = findEnvironment(call);
  const settings = call.world.state.settings;
  settings.environments = settings.environments.filter((e) => e !== env);
  call.world.changed();
  return noContent();
}

// sandbox/github/state.ts
function emptyState2(settings) {
  return {
    nextId: 1001,
    nextNumber: 1,
    pulls: [],
    issues: [],
    reviews: [],
    comments: [],
    labels: [],
    statuses: [],
    deployments: [],
    deploymentStatuses: [],
    checkRuns: [],
    settings,
    tokens: []
  };
}
function restoreState(data, settings) {
  const saved = structuredClone(data ?? {});
  return { ...emptyState2(settings), ...saved };
}

// sandbox/github/service.ts
var PREFIX = "/github";
var ROUTES = [
  ...protectionRoutes,
  ...repositoryRoutes,
  ...collaboratorRoutes,
  ...variableRoutes,
  ...checkRoutes,
  ...pullRoutes,
  ...reviewRoutes,
  ...plainIssueRoutes,
  ...issueRoutes,
  ...statusRoutes,
  ...deploymentRoutes,
  commitRoute
];
function createGitHub(ctx, options) {
  const [owner, name] = parseRepository(options.repository);
  const git2 = new BareRepository(join3(options.workDir, owner, `${name}.git`));
  if (!git2.exists()) git2.seed(options.seedDir);
  const settings = () => defaultSettings({
    owner,
    name,
    region: options.region ?? "eu-west-2",
    now: ctx.clock.now(),
    protectMain: options.protectMain ?? false
  });
  const world = {
    owner,
    name,
    git: git2,
    state: emptyState2(settings()),
    now: () => ctx.clock.now(),
    nextId: () => world.state.nextId++,
    nextNumber: () => world.state.nextNumber++,
    changed: () => ctx.changed()
  };
  function resolve2(req) {
    if (req.path !== PREFIX && !req.path.startsWith(`${PREFIX}/`)) return void 0;
    const path = req.path.slice(PREFIX.length);
    const match = matchRoute(ROUTES, req.method, path);
    if (!match)
      return {
        operation: "github.unknown",
        handle: () => {
          throw notFound3();
        }
      };
    return {
      operation: match.route.operation,
      handle: () => {
        const actor = resolveCaller(world, req.headers["authorization"]);
        if (!actor) throw unauthorized();
        const { params } = match;
        if (params["owner"] !== void 0 && !sameRepository(params["owner"], params["repo"] ?? "", owner, name))
          throw notFound3();
        authorize(world, actor, match.route.operation);
        const call = { world, req, params, actor, urls: urlsFor(req, world) };
        return match.route.handle(call);
      }
    };
  }
  return {
    name: "github",
    gitRemote: git2.path,
    world,
    installationToken: (permissions) => appInstallationToken(world, permissions).token,
    resolve: resolve2,
    encodeError: (err) => encodeGitHubError(err),
    throttleError: () => secondaryRateLimit(),
    dump: () => world.state,
    load(data) {
      world.state = restoreState(data, world.state.settings);
      if (!git2.exists()) git2.seed(options.seedDir);
    },
    reset() {
      world.state = emptyState2(settings());
      git2.seed(options.seedDir);
    },
    env: () => ({ GITHUB_REPOSITORY: options.repository, FLAGOPS_GIT_REMOTE: git2.path })
  };
}
function parseRepository(repository) {
  const [owner, name, ...extra] = repository.split("/");
  if (!owner || !name || extra.length > 0)
    throw new Error(`repository must be owner/name (e.g. ons/flags), got "${repository}"`);
  return [owner, name];
}
function sameRepository(owner, name, expectedOwner, expectedName) {
  return owner.toLowerCase() === expectedOwner.toLowerCase() && name.toLowerCase() === expectedName.toLowerCase();
}

// sandbox/server.ts
import { randomBytes as randomBytes5 } from "node:crypto";
import { mkdirSync as mkdirSync2, readFileSync as readFileSync2, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname as dirname2 } from "node:path";

// sandbox/faults.ts
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var Faults = class {
  rules = [];
  random;
  /** How many faults were injected per operation, for tests to assert on. */
  injected = /* @__PURE__ */ new Map();
  constructor(seed = 1) {
    this.random = mulberry32(seed);
  }
  set(rules) {
    for (const rule of rules) validateRule(rule);
    this.rules = rules.map((r) => ({ ...r }));
  }
  add(rule) {
    validateRule(rule);
    this.rules.push({ ...rule });
  }
  clear() {
    this.rules = [];
  }
  list() {
    return this.rules.map((r) => ({ ...r }));
  }
  /** Decide the faults for one call; latency may combine with one failure. */
  decide(operation2) {
    const out = [];
    for (const rule of this.rules) {
      if (rule.operation !== "*" && rule.operation !== operation2) continue;
      if (rule.count !== void 0) {
        if (rule.count <= 0) continue;
        rule.count -= 1;
      } else if (this.random() >= (rule.probability ?? 1)) {
        continue;
      }
      out.push({ kind: rule.kind, latencyMs: rule.latencyMs ?? 0 });
      if (rule.kind !== "latency") {
        this.injected.set(operation2, (this.injected.get(operation2) ?? 0) + 1);
        break;
      }
    }
    this.rules = this.rules.filter((r) => r.count === void 0 || r.count > 0);
    return out;
  }
};
function validateRule(rule) {
  if (typeof rule.operation !== "string" || rule.operation === "")
    throw new Error('fault rule needs "operation"');
  if (!["throttle", "error", "latency", "reset"].includes(rule.kind)) {
    throw new Error(`fault kind must be throttle, error, latency or reset, not ${JSON.stringify(rule.kind)}`);
  }
  if (rule.probability !== void 0 && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new Error("fault probability must be between 0 and 1");
  }
}

// sandbox/server.ts
var TICK_STEP_MS = 1e3;
var TICK_INTERVAL_MS = 20;
var MAX_BODY_BYTES2 = 8 * 1024 * 1024;
async function startServer(options) {
  const clock = options.clock;
  const faults = new Faults(options.faultSeed ?? 1);
  let dirty = false;
  const ctx = {
    clock,
    changed: () => {
      dirty = true;
    }
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
        if (data !== void 0) s.load?.(data);
      }
    }
  }
  function tick() {
    const target = clock.now();
    while (lastTick < target) {
      const step = Math.min(lastTick + TICK_STEP_MS, target);
      for (const s of services) s.tick?.(step);
      lastTick = step;
    }
  }
  function save() {
    if (!options.statePath) return;
    dirty = false;
    const data = { clock: clock.now(), services: {} };
    for (const s of services) if (s.dump) data.services[s.name] = s.dump();
    writeStateAtomically(options.statePath, data);
  }
  function snapshot() {
    const out = {
      clock: { now: new Date(clock.now()).toISOString(), speed: clock.speed }
    };
    for (const s of services) if (s.dump) out[s.name] = s.dump();
    out["faults"] = faults.list();
    return out;
  }
  function control(req) {
    const route = req.path.slice("/_sandbox".length);
    const body2 = parseJson(req.body);
    if (route === "/state" && req.method === "GET") return { status: 200, body: snapshot() };
    if (route === "/reset" && req.method === "POST") {
      for (const s of services) s.reset?.();
      faults.clear();
      ctx.changed();
      return { status: 200, body: { reset: true } };
    }
    if (route === "/faults") {
      if (req.method === "GET")
        return { status: 200, body: { rules: faults.list(), injected: Object.fromEntries(faults.injected) } };
      if (req.method === "DELETE") {
        faults.clear();
        return { status: 200, body: { rules: [] } };
      }
      if (req.method === "POST") {
        const b = body2;
        if (Array.isArray(b.rules)) faults.set(b.rules);
        else faults.add(b);
        return { status: 200, body: { rules: faults.list() } };
      }
    }
    if (route === "/clock") {
      if (req.method === "POST") {
        const b = body2;
        if (typeof b.speed === "number" && b.speed > 0) clock.setSpeed(b.speed);
        if (typeof b.advanceSeconds === "number" && b.advanceSeconds > 0)
          clock.advance(b.advanceSeconds * 1e3);
        tick();
        ctx.changed();
      }
      return {
        status: 200,
        body: { now: clock.now(), iso: new Date(clock.now()).toISOString(), speed: clock.speed }
      };
    }
    const extra = options.control?.(req);
    if (extra) return extra;
    return { status: 404, body: { message: `no sandbox control endpoint ${req.method} ${req.path}` } };
  }
  async function handle(req, res) {
    tick();
    if (req.path.startsWith("/_sandbox/")) {
      try {
        send(res, control(req));
      } catch (err) {
        send(res, { status: 400, body: { message: err.message } });
      }
      return;
    }
    for (const service of services) {
      const op = service.resolve(req);
      if (!op) continue;
      const encodeError2 = (err) => op.encodeError ? op.encodeError(err) : service.encodeError(err, op.operation);
      for (const fault of faults.decide(op.operation)) {
        if (fault.kind === "latency") await sleep(fault.latencyMs);
        else if (fault.kind === "reset") {
          req.body = Buffer.alloc(0);
          res.socket?.destroy();
          return;
        } else if (fault.kind === "throttle") {
          send(res, encodeError2(service.throttleError(op.operation)));
          return;
        } else {
          const err = new ServiceError(500, "InternalServerException", "injected fault: internal error");
          send(res, encodeError2(err));
          return;
        }
      }
      let reply;
      try {
        reply = await op.handle();
      } catch (err) {
        if (err instanceof ServiceError) reply = encodeError2(err);
        else {
          const message = err instanceof Error ? err.message : String(err);
          reply = encodeError2(new ServiceError(500, "InternalServerException", message));
        }
      }
      send(res, reply);
      if (dirty) save();
      return;
    }
    send(res, { status: 404, body: { message: `sandbox: no service handles ${req.method} ${req.path}` } });
  }
  const server = createServer((incoming, res) => {
    readRequest(incoming, baseUrl).then((req) => handle(req, res)).catch((err) => {
      if (!res.headersSent) send(res, { status: 400, body: { message: err.message } });
    });
  });
  server.keepAliveTimeout = 6e4;
  let baseUrl = "";
  await new Promise((resolve2, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve2());
  });
  const port = server.address().port;
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
      save();
      for (const s of services) await s.close?.();
      server.closeAllConnections();
      await new Promise((resolve2) => server.close(() => resolve2()));
    }
  };
}
function readRequest(incoming, baseUrl) {
  return new Promise((resolve2, reject) => {
    const chunks = [];
    let size = 0;
    incoming.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES2) {
        reject(new Error("request body too large"));
        incoming.destroy();
        return;
      }
      chunks.push(c);
    });
    incoming.on("error", reject);
    incoming.on("end", () => {
      const url = new URL(incoming.url ?? "/", "http://sandbox.invalid");
      const headers = {};
      for (const [k, v2] of Object.entries(incoming.headers))
        headers[k.toLowerCase()] = Array.isArray(v2) ? v2.join(", ") : v2;
      resolve2({
        method: incoming.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: Buffer.concat(chunks),
        baseUrl
      });
    });
  });
}
function send(res, reply) {
  if (res.destroyed) return;
  const headers = {};
  for (const [k, v2] of Object.entries(reply.headers ?? {})) if (v2 !== void 0) headers[k] = String(v2);
  let payload;
  if (reply.body === void 0 || reply.body === null) payload = void 0;
  else if (Buffer.isBuffer(reply.body)) payload = reply.body;
  else if (typeof reply.body === "string") payload = Buffer.from(reply.body);
  else {
    payload = Buffer.from(JSON.stringify(reply.body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["content-type"] = "application/json";
  }
  headers["content-length"] = String(payload?.length ?? 0);
  headers["x-amzn-requestid"] ??= randomBytes5(16).toString("hex");
  res.writeHead(reply.status, headers);
  res.end(payload);
}
function parseJson(body2) {
  if (body2.length === 0) return {};
  return JSON.parse(body2.toString("utf8"));
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
function readState(path) {
  let text;
  try {
    text = readFileSync2(path, "utf8");
  } catch {
    return void 0;
  }
  const data = JSON.parse(text);
  if (typeof data.clock !== "number" || typeof data.services !== "object") {
    throw new Error(`${path}: not a sandbox state file`);
  }
  return data;
}
function writeStateAtomically(path, data) {
  mkdirSync2(dirname2(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes5(4).toString("hex")}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, path);
}

// sandbox/web/assets.ts
import { readFileSync as readFileSync3 } from "node:fs";
import { createRequire } from "node:module";
var STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;color:#1f2328;background:#fff}
a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
.wrap{max-width:1012px;margin:0 auto;padding:0 16px}
.top{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:12px 0 0;margin-bottom:20px}
.top .repo{font-size:18px;color:#1f2328}.top .sandbox{float:right;color:#59636e;font-size:12px}
.top nav{margin-top:8px;display:flex;gap:4px}
.top nav a{padding:6px 12px;color:#1f2328;border-bottom:2px solid transparent}
.top nav a[aria-current]{border-bottom-color:#fd8c73;font-weight:600}
h1{font-size:26px;font-weight:400;margin:0 0 8px}h1 .num{color:#59636e}
h2{font-size:18px;margin:24px 0 8px}
.meta{color:#59636e;margin-bottom:16px}
code,pre,tt,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.badge{display:inline-block;padding:3px 10px;border-radius:16px;color:#fff;font-weight:600;font-size:13px}
.badge.open,.badge.success{background:#1f883d}.badge.merged{background:#8250df}.badge.closed,.badge.failure{background:#cf222e}
.badge.pending{background:#9a6700}.badge.neutral{background:#59636e}
.mark{font-weight:700}.mark.success,.mark.open{color:#1a7f37}.mark.failure,.mark.closed{color:#cf222e}
.mark.pending{color:#9a6700}.mark.merged{color:#8250df}.mark.neutral{color:#59636e}
.label{display:inline-block;padding:0 7px;border-radius:12px;font-size:12px;font-weight:500;line-height:20px;color:#1f2328;margin-right:4px}
.label.dark{color:#fff}
.box{border:1px solid #d0d7de;border-radius:6px;margin:0 0 16px;background:#fff}
.box>.head{background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:8px 16px;border-radius:6px 6px 0 0}
.box>.body{padding:12px 16px;overflow-x:auto}
.rows{list-style:none;margin:0;padding:0}.rows>li{padding:8px 16px;border-top:1px solid #d0d7de}.rows>li:first-child{border-top:0}
.rows .title{font-weight:600;font-size:16px;color:#1f2328}.rows .sub{color:#59636e;font-size:12px}
.filters a{margin-right:12px;color:#1f2328}.filters a[aria-current]{font-weight:600}
.event{color:#59636e;padding:4px 16px 12px 32px}
.checks td,.checks th{padding:6px 8px;border-top:1px solid #d0d7de;text-align:left;vertical-align:top}
.checks{border-collapse:collapse;width:100%}
.blockers{margin:4px 0 0;padding-left:20px}
.diff{border-collapse:collapse;width:100%;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.diff td{padding:0 8px;white-space:pre-wrap;word-break:break-all}.diff .n{color:#59636e;text-align:right;width:1%;user-select:none;white-space:nowrap}
.diff .add{background:#dafbe1}.diff .del{background:#ffebe9}.diff .hunk{background:#ddf4ff;color:#59636e}
.log{background:#0d1117;color:#e6edf3;padding:12px;border-radius:6px;overflow-x:auto;white-space:pre-wrap}
.steps{list-style:none;padding:0;margin:0}.steps li{padding:4px 0}
.markdown-body{overflow-wrap:break-word}.markdown-body>:first-child{margin-top:0}.markdown-body>:last-child{margin-bottom:0}
.markdown-body table{border-collapse:collapse;margin:0 0 16px;display:block;overflow:auto}
.markdown-body th,.markdown-body td{border:1px solid #d0d7de;padding:6px 13px}.markdown-body tr:nth-child(2n){background:#f6f8fa}
.markdown-body pre{background:#f6f8fa;padding:16px;border-radius:6px;overflow:auto}
.markdown-body code{background:rgba(175,184,193,.2);padding:.2em .4em;border-radius:6px}.markdown-body pre code{background:none;padding:0}
.markdown-body pre.mermaid{background:#fff;text-align:center}
.markdown-body blockquote{margin:0 0 16px;padding:0 1em;color:#59636e;border-left:.25em solid #d0d7de}
.markdown-body details{margin:0 0 16px}.markdown-body summary{cursor:pointer}
.markdown-body li:has(>input[type=checkbox]){list-style:none;margin-left:-1.3em}
.markdown-body img{max-width:100%}
`;
var DIAGRAMS = `'use strict';
(function () {
  var root = document.documentElement;
  if (typeof mermaid === 'undefined') { root.dataset.diagrams = 'unavailable'; return; }
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: 'default',
    themeVariables: { xyChart: { plotColorPalette: '#0969da, #cf222e, #1a7f37, #8250df' } },
  });
  mermaid.run({ querySelector: 'pre.mermaid' }).then(
    function () { root.dataset.diagrams = 'drawn'; },
    function (error) { root.dataset.diagrams = 'failed'; console.error(error); },
  );
})();
`;
var mermaidSource;
function mermaidBundle() {
  mermaidSource ??= readFileSync3(createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js"));
  return mermaidSource;
}

// sandbox/web/git-cache.ts
var MAX_ENTRIES = 500;
var cache = /* @__PURE__ */ new Map();
function memo(key, compute) {
  if (cache.has(key)) {
    const value2 = cache.get(key);
    cache.delete(key);
    cache.set(key, value2);
    return value2;
  }
  const value = compute();
  cache.set(key, value);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value);
  return value;
}
var cachedGit = {
  diff: (git2, from, to) => memo(`diff ${git2.path} ${from} ${to}`, () => git2.diff(from, to)),
  commit: (git2, sha) => memo(`commit ${git2.path} ${sha}`, () => git2.commit(sha)),
  /** Commits reachable from `to` but not `from`, oldest first. */
  between: (git2, from, to) => memo(`between ${git2.path} ${from} ${to}`, () => git2.commits(["--reverse", `${from}..${to}`])),
  /** The newest `count` commits reachable from `sha`. */
  history: (git2, sha, count) => memo(`history ${git2.path} ${sha} ${count}`, () => git2.commits(["-n", String(count), sha])),
  mergeBase: (git2, a, b) => memo(`merge-base ${git2.path} ${a} ${b}`, () => git2.mergeBase(a, b)),
  mergesCleanly: (git2, base, head) => memo(`merge-tree ${git2.path} ${base} ${head}`, () => git2.mergeTree(base, head).clean)
};

// sandbox/web/html.ts
function esc(value) {
  return String(value ?? "").replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}
function link(url, text, attrs = "") {
  if (!isSafeUrl(url)) return esc(text);
  return `<a href="${esc(url)}"${attrs}>${esc(text)}</a>`;
}
function isSafeUrl(url) {
  return !!url && /^(https?:\/\/|\/)/i.test(url) && !url.startsWith("//");
}
function when(ms) {
  if (ms === null || ms === void 0 || !Number.isFinite(ms)) return "";
  const iso3 = new Date(ms).toISOString();
  return `<time datetime="${iso3}">${iso3.slice(0, 10)} ${iso3.slice(11, 19)} UTC</time>`;
}
var MARKS = {
  success: "✓",
  failure: "✗",
  pending: "●",
  neutral: "–",
  merged: "⇄",
  open: "○",
  closed: "⊘"
};
function badge(tone, words) {
  return `<span class="badge ${tone}"><span aria-hidden="true">${MARKS[tone]}</span> ${esc(words)}</span>`;
}
function mark(tone, title) {
  return `<span class="mark ${tone}" title="${esc(title)}" aria-label="${esc(title)}">${MARKS[tone]}</span>`;
}
function label(name, color) {
  const hex = /^[0-9a-f]{6}$/i.test(color) ? color : "dddddd";
  const r = Number.parseInt(hex.slice(0, 2), 16);
  const g2 = Number.parseInt(hex.slice(2, 4), 16);
  const b = Number.parseInt(hex.slice(4, 6), 16);
  const dark = 0.299 * r + 0.587 * g2 + 0.114 * b < 140;
  return `<span class="label${dark ? " dark" : ""}" style="background:#${hex}">${esc(name)}</span>`;
}
function page2(options) {
  const repoWeb = `${options.web}/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.repo)}`;
  const tab = (name, href, text) => `<a href="${esc(href)}"${options.tab === name ? ' aria-current="page"' : ""}>${text}</a>`;
  const scripts = options.diagrams ? `<script src="${esc(options.web)}/_assets/mermaid.min.js" defer></script>
<script src="${esc(options.web)}/_assets/diagrams.js" defer></script>
` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(options.title)} · ${esc(options.owner)}/${esc(options.repo)}</title>
<link rel="stylesheet" href="${esc(options.web)}/_assets/style.css">
${scripts}</head>
<body>
<header class="top">
<div class="wrap">
<a class="repo" href="${esc(repoWeb)}">${esc(options.owner)} / <strong>${esc(options.repo)}</strong></a>
<span class="sandbox">flagops sandbox</span>
<nav>${tab("code", `${repoWeb}`, "Code")}${tab("pulls", `${repoWeb}/pulls`, "Pull requests")}${tab("actions", `${repoWeb}/actions`, "Actions")}</nav>
</div>
</header>
<main class="wrap">
${options.body}
</main>
</body>
</html>
`;
}

// sandbox/web/checks.ts
function latestStatuses(state, sha) {
  const byContext = /* @__PURE__ */ new Map();
  for (const s of state.statuses) {
    if (s.sha !== sha) continue;
    const seen = byContext.get(s.context);
    if (!seen || s.id > seen.id) byContext.set(s.context, s);
  }
  return [...byContext.values()].sort((a, b) => a.context.localeCompare(b.context));
}
function statusTone(state) {
  if (state === "success") return "success";
  if (state === "pending") return "pending";
  return "failure";
}
function latestCheckRuns(state, sha) {
  const byName = /* @__PURE__ */ new Map();
  for (const run of state.checkRuns ?? []) {
    if (run.headSha !== sha) continue;
    const seen = byName.get(run.name);
    if (!seen || run.id > seen.id) byName.set(run.name, run);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
function checkRunTone(run) {
  if (run.status !== "completed") return "pending";
  if (run.conclusion === "success") return "success";
  if (run.conclusion === "neutral" || run.conclusion === "skipped" || run.conclusion === "cancelled")
    return "neutral";
  return "failure";
}
function checkRunState(run) {
  return run.status === "completed" ? run.conclusion ?? "completed" : run.status.replace("_", " ");
}
function checksFor(state, sha, repoWeb) {
  const extra = latestCheckRuns(state, sha).map(
    (run) => ({
      kind: "check",
      name: run.name,
      tone: checkRunTone(run),
      state: checkRunState(run),
      description: run.title ?? "",
      url: `${repoWeb}/runs/${run.id}`
    })
  );
  const lines = [
    ...latestStatuses(state, sha).map(
      (s) => ({
        kind: "status",
        name: s.context,
        tone: statusTone(s.state),
        state: s.state,
        description: s.description ?? "",
        url: s.targetUrl
      })
    ),
    ...extra
  ];
  return { lines, tone: overallTone(lines), summary: summarise(lines) };
}
function overallTone(lines) {
  if (lines.length === 0) return "neutral";
  if (lines.some((l3) => l3.tone === "failure")) return "failure";
  if (lines.some((l3) => l3.tone === "pending")) return "pending";
  return "success";
}
function summarise(lines) {
  if (lines.length === 0) return "no checks";
  const passed = lines.filter((l3) => l3.tone === "success" || l3.tone === "neutral").length;
  const failed = lines.filter((l3) => l3.tone === "failure").length;
  const pending = lines.filter((l3) => l3.tone === "pending").length;
  const parts = [`${passed} of ${lines.length} checks passed`];
  if (failed) parts.push(`${failed} failing`);
  if (pending) parts.push(`${pending} pending`);
  return parts.join(", ");
}

// sandbox/web/pages/actions.ts
function actionsPage(site) {
  const { state } = site.world;
  const runs = [...state.checkRuns ?? []].sort((a, b) => b.id - a.id).slice(0, 200);
  const rows = runs.map((run) => {
    const pulls = state.pulls.filter((p) => p.headSha === run.headSha);
    const inPulls = pulls.map((p) => `<a href="${site.repoWeb}/pull/${p.number}">#${p.number}</a>`).join(", ");
    return `<li class="run" data-id="${run.id}">${mark(checkRunTone(run), checkRunState(run))} <a class="title" href="${site.repoWeb}/runs/${run.id}">${esc(run.name)}</a>${run.title ? ` <span class="meta">${esc(run.title)}</span>` : ""}
<div class="sub">${esc(checkRunState(run))} · ${esc(run.app.name)} · <a class="mono" href="${site.repoWeb}/commit/${esc(run.headSha)}">${esc(run.headSha.slice(0, 7))}</a>${inPulls ? ` in ${inPulls}` : ""} · ${when(run.completedAt ?? run.startedAt)}</div></li>`;
  });
  const body2 = `<h2>Check runs</h2>
<div class="box"><ul class="rows">${rows.join("\n") || '<li class="meta">No check runs reported yet.</li>'}</ul></div>`;
  return page2({
    title: "Actions",
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: "actions",
    body: body2
  });
}

// node_modules/marked/lib/marked.esm.js
function G() {
  return { async: false, breaks: false, extensions: null, gfm: true, hooks: null, pedantic: false, renderer: null, silent: false, tokenizer: null, walkTokens: null };
}
var S = G();
function ue(l3) {
  S = l3;
}
var q = { exec: () => null };
function D(l3) {
  let e = [];
  return (t) => {
    let n = Math.max(0, Math.min(3, t - 1)), r = e[n];
    return r || (r = l3(n), e[n] = r), r;
  };
}
function g(l3, e = "") {
  let t = typeof l3 == "string" ? l3 : l3.source, n = { replace: (r, s) => {
    let o = typeof s == "string" ? s : s.source;
    return o = o.replace(O.caret, "$1"), t = t.replace(r, o), n;
  }, getRegex: () => new RegExp(t, e) };
  return n;
}
var _e = ((l3 = "") => {
  try {
    return !!new RegExp("(?<=1)(?<!1)" + l3);
  } catch {
    return false;
  }
})();
var O = { codeRemoveIndent: /^(?: {0,3}\t| {1,4})/gm, listInterruptsParagraph: /^ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t\n]/, outputLinkReplace: /\\([\[\]])/g, indentCodeCompensation: /^(\s+)(?:```)/, beginningSpace: /^\s+/, endingHash: /#$/, startingSpaceChar: /^ /, endingSpaceChar: / $/, endingSpaceTabChar: /[ \t]$/, nonSpaceChar: /[^ ]/, newLineCharGlobal: /\n/g, tabCharGlobal: /\t/g, leadingSpaceTab: /^[ \t]+/, multipleSpaceGlobal: /\s+/g, blankLine: /^[ \t]*$/, doubleBlankLine: /\n[ \t]*\n[ \t]*$/, blockquoteStart: /^ {0,3}>/, blockquoteSetextReplace: /\n {0,3}((?:=+|-+)[ \t]*)(?=\n|$)/g, blockquoteSetextReplace2: /^ {0,3}>[ \t]?/gm, blockquoteMarkerWhitespace: /^( {0,3}>)(\t[ \t]*)/gm, nestedBlockMarker: /^ {0,3}(?:(?:[*+-]|\d{1,9}[.)])(?: |$)|> ?)/, listReplaceNesting: /^ {1,4}(?=( {4})*[^ ])/g, listIsTask: /^\[[ xX]\][ \t]+\S/, listReplaceTask: /^\[[ xX]\][ \t]+/, listTaskCheckbox: /\[[ xX]\]/, anyLine: /\n.*\n/, hrefBrackets: /^<(.*)>$/, tableDelimiter: /[:|]/, tableAlignChars: /^\||\| *$/g, tableRowBlankLine: /\n[ \t]*$/, tableAlignRight: /^ *-+: *$/, tableAlignCenter: /^ *:-+: *$/, tableAlignLeft: /^ *:-+ *$/, startATag: /^<a /i, endATag: /^<\/a>/i, startPreScriptTag: /^<(pre|code|kbd|script)(\s|>)/i, endPreScriptTag: /^<\/(pre|code|kbd|script)(\s|>)/i, startAngleBracket: /^</, endAngleBracket: />$/, pedanticHrefTitle: /^([^'"]*[^\s])\s+(['"])(.*)\2/, unicodeAlphaNumeric: /[\p{L}\p{N}]/u, numericCharacterReference: /&#(?:(\d{1,7})|[Xx]([A-Fa-f0-9]{1,6}));/, numericCharacterReferenceOrAmpersand: /&#(?:(\d{1,7})|[Xx]([A-Fa-f0-9]{1,6}));|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g, escapeTest: /[&<>"']/, escapeReplace: /[&<>"']/g, escapeTestNoEncode: /[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/, escapeReplaceNoEncode: /[<>"']|&(?!(#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g, caret: /(^|[^\[])\^/g, percentDecode: /%25/g, findPipe: /\|/g, splitPipe: / \|/, slashPipe: /\\\|/g, carriageReturn: /\r\n|\r/g, spaceLine: /^ +$/gm, notSpaceStart: /^\S*/, endingNewline: /\n$/, listItemRegex: (l3) => new RegExp(`^( {0,3}${l3})((?:[	 ][^\\n]*)?(?:\\n|$))`), nextBulletRegex: D((l3) => new RegExp(`^ {0,${l3}}(?:[*+-]|\\d{1,9}[.)])((?:[ 	][^\\n]*)?(?:\\n|$))`)), hrRegex: D((l3) => new RegExp(`^ {0,${l3}}((?:-[ 	]*){3,}|(?:_[ 	]*){3,}|(?:\\*[ 	]*){3,})(?:\\n+|$)`)), fencesBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}(?:\`\`\`|~~~)`)), headingBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}#{1,6}(?:\\s|$)`)), pedanticHeadingBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}#`)), htmlBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}(?:</?(?:${he})(?:[ \\t]+|$|/?>)|<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--)|<\\?|<![A-Za-z]|<!\\[CDATA\\[)`, "i")), blockquoteBeginRegex: D((l3) => new RegExp(`^ {0,${l3}}>`)), nestedContainerMarkers: /^(?: {0,3}(?:(?:[*+-]|\d{1,9}[.)])[ \t]+|>[ \t]?))+/ };
var Ge = /^(?:[ \t]*(?:\n|$))+/;
var Ne = /^((?: {4}| {0,3}\t)[^\n]+(?:\n(?:[ \t]*(?:\n|$))*)?)+/;
var Fe = /^ {0,3}(`{3,}(?=[^`\n]*(?:\n|$))|~{3,})([^\n]*)(?:\n|$)(?:|([\s\S]*?)(?:\n|$))(?: {0,3}(?:(?=`)\1`*|(?=~)\1~*) *(?=\n|$)|$)/;
var V = /^ {0,3}((?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)/;
var Qe = /^ {0,3}(#{1,6})(?=\s|$)(.*)(?:\n+|$)/;
var ce = / {0,3}(?:[*+-]|\d{1,9}[.)])/;
var he = "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|meta|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul";
var J = g(" {0,3}(?:</?(?:tag)(?:[ \\t]+|\\n|/?>)|<(?:(?:script|pre|style|textarea)(?:[\\s>]|$)|!--)|<\\?|<![A-Za-z]|<!\\[CDATA\\[)").replace("tag", he).getRegex();
var $e = /^(?!bull |blockCode|fences|blockquote|heading|html|table)((?:.|\n(?!\s*?\n|bull |fences|blockquote|heading|hr|html|table))+?)\n {0,3}(=+|-+)[ \t]*(?:\n+|$)/;
var Le = g($e).replace(/bull/g, ce).replace(/blockCode/g, /(?: {4}| {0,3}\t)/).replace(/fences/g, / {0,3}(?:`{3,}|~{3,})/).replace(/blockquote/g, / {0,3}>/).replace(/heading/g, / {0,3}#{1,6}(?:\s|$)/).replace(/hr/g, / {0,3}(?:(?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)/).replace(/\|table/g, "").replace(/html/g, J).getRegex();
var We = g($e).replace(/bull/g, ce).replace(/blockCode/g, /(?: {4}| {0,3}\t)/).replace(/fences/g, / {0,3}(?:`{3,}|~{3,})/).replace(/blockquote/g, / {0,3}>/).replace(/heading/g, / {0,3}#{1,6}(?:\s|$)/).replace(/hr/g, / {0,3}(?:(?:-[\t ]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})(?:\n+|$)/).replace(/table/g, / {0,3}\|?(?:[:\- ]*\|)+[\:\- ]*\n/).replace(/html/g, J).getRegex();
var de = /^([^\n]+(?:\n(?!hr|heading|lheading|blockquote|fences|list|html|table|[ \t]+\n)[^\n]+)*)/;
var Ue = /^[^\n]+/;
var ge = /(?!\s*\])(?:\\[\s\S]|[^\[\]\\\n]|\n(?![ \t]*\n))+/;
var Ke = g(/^ {0,3}\[(label)\]: *(?:\n[ \t]*)?([^<\s][^\s]*|<(?:\\.|[^\n<>\\])*>)(?:(?: +(?:\n[ \t]*)?| *\n[ \t]*)(title))? *(?:\n+|$)/).replace("label", ge).replace("title", /(?:"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\\n]|\n(?!\n))*'|\((?:\\[\s\S]|[^()\\])*\))/).getRegex();
var Xe = g(/^(bull)([ \t][^\n]*?)?(?:\n|$)/).replace(/bull/g, ce).getRegex();
var ke = /<!--(?:-?>|[\s\S]*?(?:-->|$))/;
var Ve = g("^ {0,3}(?:<(script|pre|style|textarea)[\\s>][\\s\\S]*?(?:</\\1>[^\\n]*\\n*|$)|comment[^\\n]*(\\n+|$)|<\\?[\\s\\S]*?(?:\\?>[^\\n]*\\n*|$)|<![A-Z][\\s\\S]*?(?:>[^\\n]*\\n*|$)|<!\\[CDATA\\[[\\s\\S]*?(?:\\]\\]>[^\\n]*\\n*|$)|</?(tag)(?:[ \\t]+|\\n|/?>|$)[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$)|<(?!(?:script|pre|style|textarea)(?![a-z0-9-]))([a-z][a-z0-9-]*)(?:attribute)*?[ \\t]*/?>(?=[ \\t]*(?:\\n|$))[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$)|</[a-z][a-z0-9-]*\\s*>(?=[ \\t]*(?:\\n|$))[\\s\\S]*?(?:(?:\\n[ 	]*)+\\n|$))", "i").replace("comment", ke).replace("tag", he).replace("attribute", /[ \t]+[a-zA-Z:_][\w.:-]*(?:[ \t]*=[ \t]*"[^"\n]*"|[ \t]*=[ \t]*'[^'\n]*'|[ \t]*=[ \t]*[^\s"'=<>`]+)?/).getRegex();
var Ce = (l3) => g(de).replace("hr", V).replace("heading", " {0,3}#{1,6}(?:\\s|$)").replace("|lheading", "").replace("|table", "").replace("blockquote", " {0,3}>").replace("fences", " {0,3}(?:`{3,}(?=[^`\\n]*(?:\\n|$))|~~~)[^\\n]*(?:\\n|$)").replace("list", l3).replace("html", J).getRegex();
var Je = Ce(/ {0,3}(?:[*+-]|1[.)])[ \t]+[^ \t\n]/);
var Ye = Ce(/ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|\n|$)/);
var et = g(/^( {0,3}> ?(?:(?![ \t]*(?:\n|$))(paragraph)|[^\n]*)(?:\n|$))+/).replace("paragraph", Ye).getRegex();
var fe = { blockquote: et, code: Ne, def: Ke, fences: Fe, heading: Qe, hr: V, html: Ve, lheading: Le, list: Xe, newline: Ge, paragraph: Je, table: q, text: Ue };
var Pe = g("^ *([^\\n ].*)\\n {0,3}((?:\\| *)?:?-+:? *(?:\\| *:?-+:? *)*(?:\\| *)?)(?:\\n((?:(?! *\\n|hr|heading|blockquote|code|fences|list|html).*(?:\\n|$))*)\\n*|$)").replace("hr", V).replace("heading", " {0,3}#{1,6}(?:\\s|$)").replace("blockquote", " {0,3}>").replace("code", "(?: {4}| {0,3}	)[^\\n]").replace("fences", " {0,3}(?:`{3,}(?=[^`\\n]*(?:\\n|$))|~~~)[^\\n]*(?:\\n|$)").replace("list", " {0,3}(?:[*+-]|1[.)])[ \\t]").replace("html", J).getRegex();
var tt = { ...fe, lheading: We, table: Pe, paragraph: g(de).replace("hr", V).replace("heading", " {0,3}#{1,6}(?:\\s|$)").replace("|lheading", "").replace("table", Pe).replace("blockquote", " {0,3}>").replace("fences", " {0,3}(?:`{3,}(?=[^`\\n]*(?:\\n|$))|~~~)[^\\n]*(?:\\n|$)").replace("list", " {0,3}(?:[*+-]|1[.)])[ \\t]+[^ \\t\\n]").replace("html", J).getRegex() };
var nt = { ...fe, html: g(`^ *(?:comment(?: *\\n|\\s*$)|<(tag)[\\s\\S]+?</\\1>(?: *\\n{2,}|\\s*$)|<tag(?:"[^"]*"|'[^']*'|\\s[^'"/>\\s]*)*?/?>(?: *\\n{2,}|\\s*$))`).replace("comment", ke).replace(/tag/g, "(?!(?:a|em|strong|small|s|cite|q|dfn|abbr|data|time|code|var|samp|kbd|sub|sup|i|b|u|mark|ruby|rt|rp|bdi|bdo|span|br|wbr|ins|del|img)\\b)\\w+(?!:|[^\\w\\s@]*@)\\b").getRegex(), def: /^ *\[([^\]]+)\]: *<?([^\s>]+)>?(?: +(["(][^\n]+[")]))? *(?:\n+|$)/, heading: /^(#{1,6})(.*)(?:\n+|$)/, fences: q, lheading: /^(.+?)\n {0,3}(=+|-+) *(?:\n+|$)/, paragraph: g(de).replace("hr", V).replace("heading", ` *#{1,6} *[^
]`).replace("|table", "").replace("blockquote", " {0,3}>").replace("|fences", "").replace("|list", "").replace("|html", "").replace("|tag", "").replace("lheading", Le).getRegex() };
var rt = /^\\([!"#$%&'()*+,\-./:;<=>?@\[\]\\^_`{|}~])/;
var st = /^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/;
var Ie = /^( {2,}|\\)\n(?!\s*$)[ \t]*/;
var it = /^(`+|[^`])(?:(?= {2,}\n)|[\s\S]*?(?:(?=[\\<!\[`*_]|\b_|$)|[^ ](?= {2,}\n)))/;
var L = /[\p{P}\p{S}]/u;
var N = /[\s\p{P}\p{S}]/u;
var Y = /[^\s\p{P}\p{S}]/u;
var ot = g(/^((?![*_])punctSpace)/, "u").replace(/punctSpace/g, N).getRegex();
var at = /[\p{Pi}\p{Ps}"']/u;
var Ae = /(?!~)[\p{P}\p{S}]/u;
var lt = /(?!~)[\s\p{P}\p{S}]/u;
var ut = /(?:[^\s\p{P}\p{S}]|~)/u;
var pt = g(/link|precode-code|html/, "g").replace("link", /\[(?:[^\[\]`]|(?<a>`+)[^`]+\k<a>(?!`))*?\]\((?:\\[\s\S]|[^\\\(\)]|\((?:\\[\s\S]|[^\\\(\)])*\))*\)/).replace("precode-", _e ? "(?<!`)()" : "(^^|[^`])").replace("code", /(?<b>`+)[^`]+\k<b>(?!`)/).replace("html", /<(?! )[^<>]*?>/).getRegex();
var Ee = /^(?:\*+(?:((?!\*)punct)|([^\s*]))?)|^_+(?:((?!_)punct)|([^\s_]))?/;
var ct = g(Ee, "u").replace(/punct/g, L).getRegex();
var ht = g(Ee, "u").replace(/punct/g, Ae).getRegex();
var dt = /^(?:\*+(?:((?!\*)(?!openQuote)punct)|([^\s*]))?)|^_+(?:((?!_)(?!openQuote)punct)|([^\s_]))?/;
var gt = g(dt, "u").replace(/openQuote/g, at).replace(/punct/g, L).getRegex();
var ze = "^[^_*]*?__[^_*]*?\\*[^_*]*?(?=__)|[^*]+(?=[^*])|(?!\\*)punct(\\*+)(?=[\\s]|$)|notPunctSpace(\\*+)(?!\\*)(?=punctSpace|$)|(?!\\*)punctSpace(\\*+)(?=notPunctSpace)|[\\s](\\*+)(?!\\*)(?=punct)|(?!\\*)punct(\\*+)(?!\\*)(?=punct)|notPunctSpace(\\*+)(?=notPunctSpace)";
var kt = g(ze, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var ft = g(ze, "gu").replace(/notPunctSpace/g, ut).replace(/punctSpace/g, lt).replace(/punct/g, Ae).getRegex();
var mt = "^[^_*]*?__[^_*]*?\\*[^_*]*?(?=__)|[^*]+(?=[^*])|(?!\\*)punct(\\*+)(?=[\\s]|$)|notPunctSpace(\\*+)(?!\\*)(?=punctSpace|$)|(?!\\*)[\\s](\\*+)(?=notPunctSpace)|[\\s](\\*+)(?!\\*)(?=punct)|(?!\\*)punct(\\*+)(?!\\*)(?=punct)|(?:(?!\\*)punct|notPunctSpace)(\\*+)(?!\\*)(?=notPunctSpace)";
var xt = g(mt, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var bt = g("^[^_*]*?\\*\\*[^_*]*?_[^_*]*?(?=\\*\\*)|[^_]+(?=[^_])|(?!_)punct(_+)(?=[\\s]|$)|notPunctSpace(_+)(?!_)(?=punctSpace|$)|(?!_)punctSpace(_+)(?=notPunctSpace)|[\\s](_+)(?!_)(?=punct)|(?!_)punct(_+)(?!_)(?=punct)", "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var Rt = "^[^_*]*?\\*\\*[^_*]*?_[^_*]*?(?=\\*\\*)|[^_]+(?=[^_])|(?!_)punct(_+)(?=[\\s]|$)|notPunctSpace(_+)(?!_)(?=punctSpace|$)|(?!_)[\\s](_+)(?=notPunctSpace)|[\\s](_+)(?!_)(?=punct)|(?!_)punct(_+)(?!_)(?=punct)|(?:(?!_)punct|notPunctSpace)(_+)(?!_)(?=notPunctSpace)";
var Tt = g(Rt, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var Ot = g(/^~~?(?:((?!~)punct)|[^\s~])/, "u").replace(/punct/g, L).getRegex();
var wt = "^[^~]+(?=[^~])|(?!~)punct(~~?)(?=[\\s]|$)|notPunctSpace(~~?)(?!~)(?=punctSpace|$)|(?!~)punctSpace(~~?)(?=notPunctSpace)|[\\s](~~?)(?!~)(?=punct)|(?!~)punct(~~?)(?!~)(?=punct)|notPunctSpace(~~?)(?=notPunctSpace)";
var Pt = g(wt, "gu").replace(/notPunctSpace/g, Y).replace(/punctSpace/g, N).replace(/punct/g, L).getRegex();
var yt = g(/\\(punct)/, "gu").replace(/punct/g, L).getRegex();
var St = g(/(`+)(?:[^`]|[^`][\s\S]*?[^`])\1(?!`)|`+|\\(punct)/, "gu").replace(/punct/g, L).getRegex();
var _t = g(/^<(scheme:[^\s\x00-\x1f<>]*|email)>/).replace("scheme", /[a-zA-Z][a-zA-Z0-9+.-]{1,31}/).replace("email", /[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+(@)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+(?![-_])/).getRegex();
var $t = g(ke).replace("(?:-->|$)", "-->").getRegex();
var Lt = g("^comment|^</[a-zA-Z][a-zA-Z0-9-]*\\s*>|^<[a-zA-Z][a-zA-Z0-9-]*(?:attribute)*?\\s*/?>|^<\\?[\\s\\S]*?\\?>|^<![a-zA-Z]+\\s[\\s\\S]*?>|^<!\\[CDATA\\[[\\s\\S]*?\\]\\]>").replace("comment", $t).replace("attribute", /\s+[a-zA-Z:_][\w.:-]*(?:\s*=\s*"[^"]*"|\s*=\s*'[^']*'|\s*=\s*[^\s"'=<>`]+)?/).getRegex();
var Me = /\[(?:\\[\s\S]|[^\[\]\\])*\]/;
var ie = g(/(?:\[(?:brackets|\\[\s\S]|[^\[\]\\])*\]|\\[\s\S]|`+(?!`)[^`]*?`+(?!`)|``+(?=\])|[^\[\]\\`])*?/).replace("brackets", Me).getRegex();
var Ct = g(/^!?\[(label)\]\([ \t\n]*(href)(?:(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)(title))?[ \t\n]*\)/).replace("label", ie).replace("href", /<(?:\\.|[^\n<>\\])*>|(?!<)[^ \t\n\x00-\x1f]+|(?=\))/).replace("title", /"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\])*'|\((?:\\[\s\S]|[^)\\])*\)/).getRegex();
var It = g(/^!?\[(label)\]\[(ref)\]/).replace("label", ie).replace("ref", ge).getRegex();
var At = g(/^!?\[(ref)\](?:\[\])?/).replace("ref", ge).getRegex();
var ye = /(?!\s*\])(?:\\[\s\S]|[^\[\]\\]){1,999}/;
var Et = g(/(?:[^\[\]\\`]*(?:\[(?:brackets|\\[\s\S]|[^\[\]\\])*\]|\\[\s\S]|`+(?!`)[^`]*?`+(?!`)|``+(?=\]))){0,999}?[^\[\]\\`]*?/).replace("brackets", Me).getRegex();
var zt = g("reflink|nolink(?!\\()", "g").replace("reflink", g(/^!?\[(label)\]\[(ref)\]/).replace("label", Et).replace("ref", ye).getRegex()).replace("nolink", g(/^!?\[(ref)\](?:\[\])?/).replace("ref", ye).getRegex()).getRegex();
var Se = /[hH][tT][tT][pP][sS]?|[fF][tT][pP]/;
var Mt = /[A-Za-z0-9._+-]+@[a-zA-Z0-9-_]+(?:\.[a-zA-Z0-9-_]*[a-zA-Z0-9])+(?![\w-])/;
var Bt = g(/(?:mailto:email|xmpp:email(?:\/[A-Za-z0-9@.]+)?)/).replace(/email/g, Mt).getRegex();
var me = { _backpedal: q, anyPunctuation: yt, anyPunctuationOutsideCode: St, autolink: _t, blockSkip: pt, br: Ie, code: st, del: q, delLDelim: q, delRDelim: q, emStrongLDelim: ct, emStrongRDelimAst: kt, emStrongRDelimUnd: bt, escape: rt, link: Ct, nolink: At, punctuation: ot, reflink: It, reflinkSearch: zt, tag: Lt, text: it, url: q };
var Dt = { ...me, emStrongLDelim: gt, emStrongRDelimAst: xt, emStrongRDelimUnd: Tt, link: g(/^!?\[(label)\]\((.*?)\)/).replace("label", ie).getRegex(), reflink: g(/^!?\[(label)\]\s*\[([^\]]*)\]/).replace("label", ie).getRegex() };
var pe = { ...me, emStrongRDelimAst: ft, emStrongLDelim: ht, delLDelim: Ot, delRDelim: Pt, url: g(/^emailProtocol|^((?:protocol):\/\/|www\.)(?:[a-zA-Z0-9\-]+\.?)+[^\s<]*|^email/).replace("emailProtocol", Bt).replace("protocol", Se).replace("email", /[A-Za-z0-9._+-]+(@)[a-zA-Z0-9-_]+(?:\.[a-zA-Z0-9-_]*[a-zA-Z0-9])+(?![\w-])/).getRegex(), _backpedal: /(?:[^?!.,:;*_'"~()&]+|\([^)]*\)|&(?![a-zA-Z0-9]+;$)|[?!.,:;*_'"~)]+(?!$))+/, del: /^(~~?)(?=[^\s~])((?:\\[\s\S]|[^\\])*?(?:\\[\s\S]|[^\s~\\]))\1(?=[^~]|$)/, text: g(/^(?:[^a-zA-Z0-9](?=emailProtocol)|(`+|~+|[^`~])(?:(?=[`~])|(?= {2,}\n)|(?=[a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-]+@)|[\s\S]*?(?:(?=[\\<!\[`*~_]|\b_|protocol:\/\/|wwwStart|$)|[^ ](?= {2,}\n)|[^a-zA-Z0-9](?=emailProtocol)|[^a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-](?=[a-zA-Z0-9.!#$%&'*+\/=?_`{\|}~-]+@))))/).replace("protocol", Se).replace(/emailProtocol/g, /(?:mailto|xmpp):/).replace("wwwStart", _e ? "(?<![^\\s*_~(])www\\." : "www\\.").getRegex() };
var qt = { ...pe, br: g(Ie).replace("{2,}", "*").getRegex(), text: g(pe.text).replace("\\b_", "\\b_| {2,}\\n").replace(/\{2,\}/g, "*").getRegex() };
var ee = { normal: fe, gfm: tt, pedantic: nt };
var F = { normal: me, gfm: pe, breaks: qt, pedantic: Dt };
var vt = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
var Be = (l3) => vt[l3];
function y(l3, e) {
  if (e) {
    if (O.escapeTest.test(l3)) return l3.replace(O.escapeReplace, Be);
  } else if (O.escapeTestNoEncode.test(l3)) return l3.replace(O.escapeReplaceNoEncode, Be);
  return l3;
}
function De(l3) {
  return O.numericCharacterReference.test(l3) ? l3.replace(O.numericCharacterReferenceOrAmpersand, (e, t, n) => {
    if (t === void 0 && n === void 0) return "&amp;";
    let r = t === void 0 ? Number.parseInt(n, 16) : Number.parseInt(t, 10);
    return r === 0 || r > 1114111 || r >= 55296 && r <= 57343 ? "�" : r === 38 ? "&amp;" : String.fromCodePoint(r);
  }) : l3;
}
function xe(l3) {
  try {
    l3 = encodeURI(l3).replace(O.percentDecode, "%");
  } catch {
    return null;
  }
  return l3;
}
function be(l3, e) {
  let t = l3.replace(O.findPipe, (s, o, i) => {
    let a = false, c = o;
    for (; --c >= 0 && i[c] === "\\"; ) a = !a;
    return a ? "|" : " |";
  }), n = t.split(O.splitPipe), r = 0;
  if (n[0].trim() || n.shift(), n.length > 0 && !n.at(-1)?.trim() && n.pop(), e) if (n.length > e) n.splice(e);
  else for (; n.length < e; ) n.push("");
  for (; r < n.length; r++) n[r] = n[r].trim().replace(O.slashPipe, "|");
  return n;
}
function C(l3, e, t) {
  let n = l3.length;
  if (n === 0) return "";
  let r = 0;
  for (; r < n; ) {
    let s = l3.charAt(n - r - 1);
    if (s === e && !t) r++;
    else if (s !== e && t) r++;
    else break;
  }
  return l3.slice(0, n - r);
}
function Re(l3) {
  let e = l3.split(`
`), t = e.length - 1;
  for (; t >= 0 && O.blankLine.test(e[t]); ) t--;
  return e.length - t <= 2 ? l3 : e.slice(0, t + 1).join(`
`);
}
function W(l3) {
  return l3.trim().replace(O.multipleSpaceGlobal, " ").toLowerCase().toUpperCase().toLowerCase();
}
function Te(l3, e) {
  if (l3.indexOf(e[0]) === -1 && l3.indexOf(e[1]) === -1) return -1;
  let t = 0;
  for (let n = 0; n < l3.length; n++) if (l3[n] === "\\") n++;
  else if (l3[n] === e[0]) t++;
  else if (l3[n] === e[1] && (t--, t < 0)) return n;
  return t > 0 ? -2 : -1;
}
var Q = /* @__PURE__ */ new WeakMap();
function Oe(l3) {
  let e = { "*": -1, _: -1 }, t = -1, n = l3.length;
  for (let r = 0; r < n; r++) {
    let s = l3[r];
    if (s !== "*" && s !== "_" && s !== "~") continue;
    let o = r === 0 ? `
` : l3[r - 1], i = r + 1;
    for (; i < n && l3[i] === s; ) i++;
    o !== " " && o !== "	" && o !== `
` && o !== "\r" && o !== "\f" && (s === "~" ? t = r : e[s] = r), r = i - 1;
  }
  return { maskedSrc: l3, lastPossibleEmStrongCloserIndex: e, lastPossibleDelCloserIndex: t };
}
function qe(l3, e) {
  let t = Oe(e), n = Q.get(l3);
  n ? n.push(t) : Q.set(l3, [t]);
}
function ve(l3) {
  let e = Q.get(l3);
  e && (e.pop(), e.length === 0 && Q.delete(l3));
}
function oe(l3, e, t) {
  let n = Q.get(l3)?.at(-1);
  return n && n.maskedSrc === e ? n.lastPossibleEmStrongCloserIndex[t] : Oe(e).lastPossibleEmStrongCloserIndex[t];
}
function ae(l3, e) {
  let t = Q.get(l3)?.at(-1);
  return t && t.maskedSrc === e ? t.lastPossibleDelCloserIndex : Oe(e).lastPossibleDelCloserIndex;
}
function te(l3, e = 0) {
  let t = e, n = "";
  for (let r of l3) if (r === "	") {
    let s = 4 - t % 4;
    n += " ".repeat(s), t += s;
  } else n += r, t++;
  return n;
}
function Ht(l3, e) {
  let t = "";
  for (let n = 0; n < l3.length; n++) {
    if (l3[n] === "`") {
      let r = e.inline.code.exec(l3.slice(n));
      if (r) {
        t += r[0], n += r[0].length - 1;
        continue;
      }
    }
    if (l3[n] === "\\" && (l3[n + 1] === "[" || l3[n + 1] === "]")) {
      t += l3[n + 1], n++;
      continue;
    }
    t += l3[n];
  }
  return t;
}
function He(l3, e, t, n, r) {
  let s = e.href, o = e.title || null, i = Ht(l3[1], r), a = l3[0].charAt(0) === "!", c = n.state.inLink, u = n.state.linkEmitted, d = n.state.inRawBlock;
  n.state.inLink = true, n.state.linkEmitted = false;
  let h = n.inlineTokens(i), p = n.state.linkEmitted;
  if (n.state.linkEmitted = u, n.state.inLink = c, !a) {
    if (p) {
      n.state.inRawBlock = d;
      return;
    }
    n.state.linkEmitted = true;
  }
  return { type: a ? "image" : "link", raw: t, href: s, title: o, text: i, tokens: h };
}
function Zt(l3, e, t) {
  let n = l3.match(t.other.indentCodeCompensation);
  if (n === null) return e;
  let r = n[1];
  return e.split(`
`).map((s) => {
    let o = s.match(t.other.beginningSpace);
    if (o === null) return s;
    let [i] = o;
    return s.slice(Math.min(i.length, r.length));
  }).join(`
`);
}
function Ze(l3, e, t, n) {
  if (!e.includes("<")) return false;
  for (let r = 0; r < e.length; r++) {
    if (e[r] === "\\") {
      r++;
      continue;
    }
    if (e[r] === "`") {
      let i = n.inline.code.exec(e.slice(r));
      if (i) {
        r += i[0].length - 1;
        continue;
      }
    }
    if (e[r] !== "<") continue;
    let s = l3.slice(t + r), o = n.inline.tag.exec(s) || n.inline.autolink.exec(s);
    if (o) {
      if (o[0].length > e.length - r) return true;
      r += o[0].length - 1;
    }
  }
  return false;
}
var _ = class {
  options;
  rules;
  lexer;
  constructor(e) {
    this.options = e || S;
  }
  space(e) {
    let t = this.rules.block.newline.exec(e);
    if (t && t[0].length > 0) return { type: "space", raw: t[0] };
  }
  code(e) {
    let t = this.rules.block.code.exec(e);
    if (t) {
      let n = this.options.pedantic ? t[0] : Re(t[0]), r = n.replace(this.rules.other.codeRemoveIndent, "");
      return { type: "code", raw: n, codeBlockStyle: "indented", text: r };
    }
  }
  fences(e) {
    let t = this.rules.block.fences.exec(e);
    if (t) {
      let n = t[0], r = Zt(n, t[3] || "", this.rules);
      return t[3] !== void 0 && (r === "" || r.endsWith(`
`)) && (r += `
`), { type: "code", raw: n, lang: t[2] ? t[2].trim().replace(this.rules.inline.anyPunctuation, "$1") : t[2], text: r };
    }
  }
  heading(e) {
    let t = this.rules.block.heading.exec(e);
    if (t) {
      let n = t[2].trim();
      if (this.rules.other.endingHash.test(n)) {
        let r = C(n, "#");
        (this.options.pedantic || !r || this.rules.other.endingSpaceTabChar.test(r)) && (n = r.trim());
      }
      return { type: "heading", raw: C(t[0], `
`), depth: t[1].length, text: n, tokens: this.lexer.inline(n) };
    }
  }
  hr(e) {
    let t = this.rules.block.hr.exec(e);
    if (t) return { type: "hr", raw: C(t[0], `
`) };
  }
  blockquote(e) {
    let t = this.rules.block.blockquote.exec(e);
    if (t) {
      let n = C(t[0], `
`).split(`
`), r = "", s = "", o = [];
      for (; n.length > 0; ) {
        let i = false, a = [], c;
        for (c = 0; c < n.length; c++) if (this.rules.other.blockquoteStart.test(n[c])) a.push(n[c]), i = true;
        else if (!i) a.push(n[c]);
        else break;
        n = n.slice(c);
        let u = a.join(`
`), d = u.replace(this.rules.other.blockquoteMarkerWhitespace, (k, m, b) => b.startsWith(" ") ? m + " " + b.slice(1) : m + te(b, m.length)).replace(this.rules.other.blockquoteSetextReplace, `
    $1`).replace(this.rules.other.blockquoteSetextReplace2, "");
        r = r ? `${r}
${u}` : u, s = s ? `${s}
${d}` : d;
        let h = this.lexer.state.top;
        if (this.lexer.state.top = true, this.lexer.blockTokens(d, o, true), this.lexer.state.top = h, n.length === 0) break;
        let p = o.at(-1);
        if (p?.type === "code" || p?.type === "heading" || p?.type === "hr" || p?.type === "html" || p?.type === "table") break;
        if (p?.type === "blockquote") {
          let k = p, m = n.join(`
`), b = k.raw + `
` + m.replace(this.rules.other.blockquoteSetextReplace2, ""), f = this.blockquote(b);
          o[o.length - 1] = f;
          let R = b.substring(f.raw.length).replace(/^\n/, ""), E = R ? R.split(`
`).length : 0, T = E ? n.slice(0, -E) : n;
          if (T.length > 0 && (r = `${r}
${T.join(`
`)}`), s = s.substring(0, s.length - k.text.length) + f.text, n = n.slice(T.length), n.length > 0 && this.rules.other.blockquoteStart.test(n[0])) continue;
          break;
        } else if (p?.type === "list") {
          let k = p, m = k.raw + `
` + n.join(`
`), b = this.list(m);
          o[o.length - 1] = b;
          let f = b.raw.length > k.raw.length ? m.slice(k.raw.length + 1, b.raw.length).split(`
`).length : 0;
          if (f > 0) {
            let R = n.slice(0, f).join(`
`);
            r = `${r}
${R}`, s = `${s}
${R}`;
          }
          if (n = n.slice(f), n.length > 0 && !this.rules.other.blockquoteStart.test(n[0])) break;
          continue;
        }
      }
      return { type: "blockquote", raw: r, tokens: o, text: s };
    }
  }
  list(e) {
    let t = this.rules.block.list.exec(e);
    if (t) {
      if (!this.options.pedantic && this.lexer.state.lastToken?.type === "text" && !this.rules.other.listInterruptsParagraph.test(e)) return;
      let n = e, r = () => n.length - e.length, s = t[1].trim(), o = s.length > 1, i = { type: "list", raw: "", ordered: o, start: o ? +s.slice(0, -1) : "", loose: false, items: [] };
      s = o ? `\\d{1,9}\\${s.slice(-1)}` : `\\${s}`, this.options.pedantic && (s = o ? s : "[*+-]");
      let a = this.rules.other.listItemRegex(s), c = false;
      for (; e; ) {
        let h = false, p = "";
        if (!(t = a.exec(e)) || this.rules.block.hr.test(e)) break;
        let k = r();
        e = e.substring(t[0].length);
        let m = t[2].split(`
`, 1)[0], b = t[1].length, f = this.options.pedantic ? te(m, b) : m.replace(this.rules.other.leadingSpaceTab, (H) => te(H, b)), R = e.split(`
`, 1)[0], E = !f.trim(), T = 0;
        if (this.options.pedantic ? (T = 2, p = f.trimStart()) : E ? T = b + 1 : (T = f.search(this.rules.other.nonSpaceChar), T = T > 4 ? 1 : T, p = f.slice(T), T += b), E && this.rules.other.blankLine.test(R) && (e = e.substring(R.length + 1), h = true), !h) {
          let H = this.rules.other.nextBulletRegex(T), K = this.rules.other.hrRegex(T), re = this.rules.other.fencesBeginRegex(T), B = this.options.pedantic ? this.rules.other.pedanticHeadingBeginRegex(T) : this.rules.other.headingBeginRegex(T), X = this.rules.other.htmlBeginRegex(T), se = this.rules.other.blockquoteBeginRegex(T), le = false;
          for (; e; ) {
            let we = e.split(`
`, 1)[0], Z;
            if (R = we, this.options.pedantic ? (R = R.replace(this.rules.other.listReplaceNesting, "  "), Z = R) : Z = R.replace(this.rules.other.leadingSpaceTab, ($) => te($)), re.test(R) || B.test(R) || X.test(R) || se.test(R) || H.test(R) || K.test(R)) break;
            if (Z.search(this.rules.other.nonSpaceChar) >= T || !R.trim()) p += `
` + Z.slice(T), le = false;
            else {
              if (E) break;
              let $ = f;
              if (!this.options.pedantic && !p.includes(`
`) && !f.includes("	")) {
                let j;
                for (; !K.test($) && (j = this.rules.other.nestedBlockMarker.exec($)); ) $ = $.slice(j[0].length);
                if (!$.trim()) break;
              }
              if ($.replace(this.rules.other.tabCharGlobal, "    ").search(this.rules.other.nonSpaceChar) >= 4 || re.test($) || B.test($) || X.test($) || K.test($)) break;
              if (!this.options.pedantic && !le) {
                let j = f.replace(this.rules.other.nestedContainerMarkers, "");
                if (this.rules.block.fences.test(j) || this.rules.block.heading.test(j) || this.rules.block.hr.test(j)) break;
              }
              let je = !this.options.pedantic && /^ {0,3}(?:=+|-+) *$/.test(R) && this.rules.block.lheading.test(`${f}
${R}`) ? `    ${Z.replace(/^ {0,3}/, "")}` : R;
              p += `
` + je, le = true;
            }
            E = !R.trim(), e = e.substring(we.length + 1), f = Z.slice(T);
          }
        }
        let U = n.slice(k, r());
        i.loose || (c ? i.loose = true : this.rules.other.doubleBlankLine.test(U) && (c = true)), i.items.push({ type: "list_item", raw: U, task: !!this.options.gfm && this.rules.other.listIsTask.test(p), loose: false, text: p, tokens: [] });
      }
      let u = i.items.at(-1);
      if (u) u.raw = u.raw.trimEnd(), u.text = u.text.trimEnd();
      else return;
      i.raw = n.slice(0, r()).trimEnd();
      let d = [];
      for (let h of i.items) if (this.lexer.state.top = false, d.push(this.lexer.inlineQueue.length), h.tokens = this.lexer.blockTokens(h.text, []), !i.loose) {
        let p = h.tokens.filter((m) => m.type === "space"), k = p.length > 0 && p.some((m) => this.rules.other.anyLine.test(m.raw));
        i.loose = k;
      }
      for (let h = 0; h < i.items.length; h++) {
        let p = i.items[h], k = p.tokens[0];
        if (p.task && (k?.type === "text" || k?.type === "paragraph")) {
          p.text = p.text.replace(this.rules.other.listReplaceTask, ""), k.raw = k.raw.replace(this.rules.other.listReplaceTask, ""), k.text = k.text.replace(this.rules.other.listReplaceTask, "");
          let m = this.lexer.inlineQueue;
          for (let f = d[h]; f < m.length; f++) if (m[f].tokens === k.tokens) {
            m[f].src = m[f].src.replace(this.rules.other.listReplaceTask, "");
            break;
          }
          let b = this.rules.other.listTaskCheckbox.exec(p.raw);
          if (b) {
            let f = { type: "checkbox", raw: b[0] + " ", checked: b[0] !== "[ ]" };
            p.checked = f.checked, i.loose ? p.tokens[0] && ["paragraph", "text"].includes(p.tokens[0].type) && "tokens" in p.tokens[0] && p.tokens[0].tokens ? (p.tokens[0].raw = f.raw + p.tokens[0].raw, p.tokens[0].text = f.raw + p.tokens[0].text, p.tokens[0].tokens.unshift(f)) : p.tokens.unshift({ type: "paragraph", raw: f.raw, text: f.raw, tokens: [f] }) : p.tokens.unshift(f);
          }
        } else p.task && (p.task = false);
      }
      if (i.loose) for (let h of i.items) {
        h.loose = true;
        for (let p of h.tokens) p.type === "text" && (p.type = "paragraph");
      }
      return i;
    }
  }
  html(e) {
    let t = this.rules.block.html.exec(e);
    if (t) {
      if (this.lexer.state.lastToken?.type === "paragraph" && !this.rules.other.htmlBeginRegex(4).test(e)) return;
      let n = Re(t[0]);
      return { type: "html", block: true, raw: n, pre: t[1] === "pre" || t[1] === "script" || t[1] === "style", text: n };
    }
  }
  def(e) {
    let t = this.rules.block.def.exec(e);
    if (t) {
      if (!this.rules.other.startAngleBracket.test(t[2]) && Te(t[2], "()") !== -1) return;
      let n = W(t[1]), r = t[2] ? t[2].replace(this.rules.other.hrefBrackets, "$1").replace(this.rules.inline.anyPunctuation, "$1") : "", s = t[3] ? t[3].substring(1, t[3].length - 1).replace(this.rules.inline.anyPunctuation, "$1") : t[3];
      return { type: "def", tag: n, raw: C(t[0], `
`), href: r, title: s };
    }
  }
  table(e) {
    let t = this.rules.block.table.exec(e);
    if (!t || !this.rules.other.tableDelimiter.test(t[2])) return;
    let n = be(t[1]), r = t[2].replace(this.rules.other.tableAlignChars, "").split("|"), s = t[3]?.trim() ? t[3].replace(this.rules.other.tableRowBlankLine, "").split(`
`) : [], o = { type: "table", raw: C(t[0], `
`), header: [], align: [], rows: [] };
    if (n.length === r.length) {
      for (let i of r) this.rules.other.tableAlignRight.test(i) ? o.align.push("right") : this.rules.other.tableAlignCenter.test(i) ? o.align.push("center") : this.rules.other.tableAlignLeft.test(i) ? o.align.push("left") : o.align.push(null);
      for (let i = 0; i < n.length; i++) o.header.push({ text: n[i], tokens: this.lexer.inline(n[i]), header: true, align: o.align[i] });
      for (let i of s) o.rows.push(be(i, o.header.length).map((a, c) => ({ text: a, tokens: this.lexer.inline(a), header: false, align: o.align[c] })));
      return o;
    }
  }
  lheading(e) {
    let t = this.rules.block.lheading.exec(e);
    if (t) {
      let n = t[1].trim();
      return { type: "heading", raw: C(t[0], `
`), depth: t[2].charAt(0) === "=" ? 1 : 2, text: n, tokens: this.lexer.inline(n) };
    }
  }
  paragraph(e) {
    let t = this.rules.block.paragraph.exec(e);
    if (t) {
      let n = t[1].charAt(t[1].length - 1) === `
` ? t[1].slice(0, -1) : t[1];
      return { type: "paragraph", raw: t[0], text: n, tokens: this.lexer.inline(n) };
    }
  }
  text(e) {
    let t = this.rules.block.text.exec(e);
    if (t) return { type: "text", raw: t[0], text: t[0], tokens: this.lexer.inline(t[0]) };
  }
  escape(e) {
    if (e.charCodeAt(0) !== 92) return;
    let t = this.rules.inline.escape.exec(e);
    if (t) return { type: "escape", raw: t[0], text: t[1] };
  }
  tag(e) {
    if (e.charCodeAt(0) !== 60) return;
    let t = this.rules.inline.tag.exec(e);
    if (t) return !this.lexer.state.inLink && this.rules.other.startATag.test(t[0]) ? this.lexer.state.inLink = true : this.lexer.state.inLink && this.rules.other.endATag.test(t[0]) && (this.lexer.state.inLink = false), !this.lexer.state.inRawBlock && this.rules.other.startPreScriptTag.test(t[0]) ? this.lexer.state.inRawBlock = true : this.lexer.state.inRawBlock && this.rules.other.endPreScriptTag.test(t[0]) && (this.lexer.state.inRawBlock = false), { type: "html", raw: t[0], inLink: this.lexer.state.inLink, inRawBlock: this.lexer.state.inRawBlock, block: false, text: t[0] };
  }
  link(e) {
    if (this.lexer.state.linkParenPossible === false) return;
    let t = e.charCodeAt(0);
    if (t !== 91 && t !== 33) return;
    let n = this.rules.inline.link.exec(e);
    if (n) {
      let r = n[0].charAt(0) === "!" ? 2 : 1;
      if (!this.options.pedantic && Ze(e, n[1], r, this.rules)) return;
      let s = n[2].trim();
      if (!this.options.pedantic && this.rules.other.startAngleBracket.test(s)) {
        if (!this.rules.other.endAngleBracket.test(s)) return;
        let c = C(s.slice(0, -1), "\\");
        if ((s.length - c.length) % 2 === 0) return;
      } else {
        let c = Te(n[2], "()");
        if (c === -2) return;
        if (c > -1) {
          let d = (n[0].indexOf("!") === 0 ? 5 : 4) + n[1].length + c;
          n[2] = n[2].substring(0, c), n[0] = n[0].substring(0, d).trim(), n[3] = "";
        }
      }
      let o = C(n[0].slice(0, -1), "\\");
      if ((n[0].length - o.length) % 2 === 0) return;
      let i = n[2], a = "";
      if (this.options.pedantic) {
        let c = this.rules.other.pedanticHrefTitle.exec(i);
        c && (i = c[1], a = c[3]);
      } else a = n[3] ? n[3].slice(1, -1) : "";
      return i = i.trim(), this.rules.other.startAngleBracket.test(i) && (this.options.pedantic && !this.rules.other.endAngleBracket.test(s) ? i = i.slice(1) : i = i.slice(1, -1)), He(n, { href: i && i.replace(this.rules.inline.anyPunctuation, "$1"), title: a && a.replace(this.rules.inline.anyPunctuation, "$1") }, n[0], this.lexer, this.rules);
    }
  }
  reflink(e, t) {
    let n = e.charCodeAt(0);
    if (n !== 91 && n !== 33) return;
    let r;
    if ((r = this.rules.inline.reflink.exec(e)) || (r = this.rules.inline.nolink.exec(e))) {
      let s = r[0].charAt(0) === "!" ? 2 : 1;
      if (!this.options.pedantic && Ze(e, r[1], s, this.rules)) return;
      let o = t[W(r[2] || r[1])];
      if (!o) {
        let i = r[0].charAt(0);
        return { type: "text", raw: i, text: i };
      }
      return He(r, o, r[0], this.lexer, this.rules);
    }
  }
  emStrong(e, t, n = "") {
    let r = this.rules.inline.emStrongLDelim.exec(e);
    if (!r || !r[1] && !r[2] && !r[3] && !r[4]) return;
    let s = r[0][0], o = n === s, i = t.length - e.length, a = i;
    for (; !this.options.pedantic && a > 0 && t[a - 1] === s; ) a--;
    let c = [...t.slice(Math.max(0, a - 2), a)].at(-1) ?? "", u = c === "*" || c === "_" || !!this.rules.inline.punctuation.exec(c);
    a < i && (n = c);
    let d = a < i ? u : n === "*" || n === "_" || !!this.rules.inline.punctuation.exec(n);
    if (r[4] && n.match(this.rules.other.unicodeAlphaNumeric)) return;
    let h = r[1] || r[3] || "";
    if (!h || !n || d) {
      let p = [...r[0]].length - 1, k, m, b = p, f = 0, R = i - a + p, E = !this.options.pedantic && !!c.trim() && (!!h || s === "*" && !u);
      if (s !== "*" && s !== "_") return;
      let T = s === "*" ? this.rules.inline.emStrongRDelimAst : this.rules.inline.emStrongRDelimUnd, U = oe(this, t, s), H = t.length - e.length + p;
      if (U < H) return;
      t = t.slice(-1 * e.length + p);
      let K = U - H;
      for (T.lastIndex = 0; (r = T.exec(t)) !== null && !(r.index > K); ) {
        if (k = r[1] || r[2] || r[3] || r[4] || r[5] || r[6], !k) continue;
        if (m = [...k].length, r[3] || r[4]) {
          b += m;
          continue;
        } else if ((r[5] || r[6] || E) && R % 3 && !((R + m) % 3)) {
          if (o && (r[5] || r[6])) break;
          f += m;
          continue;
        }
        if (b -= m, b > 0) continue;
        m = Math.min(m, m + b + f);
        let re = [...r[0]][0].length, B = e.slice(0, p + r.index + re + m);
        if (Math.min(p, m) % 2) {
          let se = B.slice(1, -1);
          return { type: "em", raw: B, text: se, tokens: this.lexer.inlineTokens(se) };
        }
        let X = B.slice(2, -2);
        return { type: "strong", raw: B, text: X, tokens: this.lexer.inlineTokens(X) };
      }
    }
  }
  codespan(e) {
    if (e.charCodeAt(0) !== 96) return;
    let t = this.rules.inline.code.exec(e);
    if (t) {
      let n = t[2].replace(this.rules.other.newLineCharGlobal, " "), r = this.rules.other.nonSpaceChar.test(n), s = this.rules.other.startingSpaceChar.test(n) && this.rules.other.endingSpaceChar.test(n);
      return r && s && (n = n.substring(1, n.length - 1)), { type: "codespan", raw: t[0], text: n };
    }
  }
  br(e) {
    let t = e.charCodeAt(0);
    if (t !== 32 && t !== 92 && t !== 10) return;
    let n = this.rules.inline.br.exec(e);
    if (n) return { type: "br", raw: n[0] };
  }
  del(e, t, n = "") {
    if (e.charCodeAt(0) !== 126) return;
    let r = this.rules.inline.delLDelim.exec(e);
    if (!r) return;
    if (!(r[1] || "") || !n || this.rules.inline.punctuation.exec(n)) {
      let o = [...r[0]].length - 1, i, a, c = o, u = this.rules.inline.delRDelim, d = ae(this, t), h = t.length - e.length + o;
      if (d < h) return;
      t = t.slice(-1 * e.length + o);
      let p = d - h;
      for (u.lastIndex = 0; (r = u.exec(t)) !== null && !(r.index > p); ) {
        if (i = r[1] || r[2] || r[3] || r[4] || r[5] || r[6], !i || (a = [...i].length, a !== o)) continue;
        if (r[3] || r[4]) {
          c += a;
          continue;
        }
        if (c -= a, c > 0) continue;
        a = Math.min(a, a + c);
        let k = [...r[0]][0].length, m = e.slice(0, o + r.index + k + a), b = m.slice(o, -o);
        return { type: "del", raw: m, text: b, tokens: this.lexer.inlineTokens(b) };
      }
    }
  }
  autolink(e) {
    if (e.charCodeAt(0) !== 60) return;
    let t = this.rules.inline.autolink.exec(e);
    if (t) {
      let n, r;
      return t[2] === "@" ? (n = t[1], r = "mailto:" + n) : (n = t[1], r = n), { type: "link", raw: t[0], text: n, href: r, autolink: true, tokens: [{ type: "text", raw: n, text: n }] };
    }
  }
  url(e) {
    let t;
    if (t = this.rules.inline.url.exec(e)) {
      let n, r;
      if (t[2] === "@") n = t[0], r = "mailto:" + n;
      else {
        let s;
        do
          s = t[0], t[0] = this.rules.inline._backpedal.exec(t[0])?.[0] ?? "";
        while (s !== t[0]);
        n = t[0], t[1] === "www." ? r = "http://" + t[0] : r = t[0];
      }
      return { type: "link", raw: t[0], text: n, href: r, autolink: true, tokens: [{ type: "text", raw: n, text: n }] };
    }
  }
  inlineText(e) {
    let t = this.rules.inline.text.exec(e);
    if (t) {
      let n = this.lexer.state.inRawBlock;
      return { type: "text", raw: t[0], text: n ? t[0] : De(t[0]), escaped: n };
    }
  }
};
var w = class l {
  tokens;
  options;
  state;
  inlineQueue;
  tokenizer;
  constructor(e) {
    this.tokens = [], this.tokens.links = /* @__PURE__ */ Object.create(null), this.options = e || S, this.options.tokenizer = this.options.tokenizer || new _(), this.tokenizer = this.options.tokenizer, this.tokenizer.options = this.options, this.tokenizer.lexer = this, this.inlineQueue = [], this.state = { inLink: false, inRawBlock: false, linkEmitted: false, linkParenPossible: true, top: true };
    let t = { other: O, block: ee.normal, inline: F.normal };
    this.options.pedantic ? (t.block = ee.pedantic, t.inline = F.pedantic) : this.options.gfm && (t.block = ee.gfm, this.options.breaks ? t.inline = F.breaks : t.inline = F.gfm), this.tokenizer.rules = t;
  }
  static get rules() {
    return { block: ee, inline: F };
  }
  static lex(e, t) {
    return new l(t).lex(e);
  }
  static lexInline(e, t) {
    return new l(t).inlineTokens(e);
  }
  lex(e) {
    e = e.replace(O.carriageReturn, `
`), this.blockTokens(e, this.tokens);
    for (let t = 0; t < this.inlineQueue.length; t++) {
      let n = this.inlineQueue[t];
      this.state.inRawBlock = false, this.inlineTokens(n.src, n.tokens);
    }
    return this.inlineQueue = [], this.tokens;
  }
  blockTokens(e, t = [], n = false) {
    this.tokenizer.lexer = this;
    let r = this.state.lastToken;
    this.options.pedantic && (e = e.replace(O.tabCharGlobal, "    ").replace(O.spaceLine, ""));
    let s = 1 / 0, o, i = this.options.gfm && !this.options.pedantic && this.tokenizer.paragraph === _.prototype.paragraph;
    for (; e; ) {
      if (e.length < s) s = e.length;
      else {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
      this.state.lastToken = t.at(-1);
      let a;
      if (this.options.extensions?.block?.some((u) => (a = u.call({ lexer: this }, e, t)) ? (e = e.substring(a.raw.length), t.push(a), true) : false)) continue;
      if (a = this.tokenizer.space(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        a.raw.length === 1 && u !== void 0 ? u.raw += `
` : t.push(a);
        continue;
      }
      if (a = this.tokenizer.code(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        u?.type === "paragraph" || u?.type === "text" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.text, this.inlineQueue.at(-1).src = u.text) : t.push(a);
        continue;
      }
      if (a = this.tokenizer.fences(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.heading(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.hr(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.blockquote(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.list(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.html(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.def(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        u?.type === "paragraph" || u?.type === "text" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.raw, this.inlineQueue.at(-1).src = u.text) : (this.tokens.links[a.tag] || (this.tokens.links[a.tag] = { href: a.href, title: a.title }), t.push(a));
        continue;
      }
      if (a = this.tokenizer.table(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      if (a = this.tokenizer.lheading(e)) {
        e = e.substring(a.raw.length), t.push(a);
        continue;
      }
      let c = e;
      if (this.options.extensions?.startBlock) {
        let u = 1 / 0, d = e.slice(1), h;
        this.options.extensions.startBlock.forEach((p) => {
          h = p.call({ lexer: this }, d), typeof h == "number" && h >= 0 && (u = Math.min(u, h));
        }), u < 1 / 0 && u >= 0 && (c = e.substring(0, u + 1));
      }
      if (this.state.top && (a = this.tokenizer.paragraph(c))) {
        let u = t.at(-1);
        (n || u === o && i) && u?.type === "paragraph" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.text, this.inlineQueue.pop(), this.inlineQueue.at(-1).src = u.text, o = u) : (t.push(a), o = a), n = c.length !== e.length, e = e.substring(a.raw.length);
        continue;
      }
      if (a = this.tokenizer.text(e)) {
        e = e.substring(a.raw.length);
        let u = t.at(-1);
        u?.type === "text" ? (u.raw += (u.raw.endsWith(`
`) ? "" : `
`) + a.raw, u.text += `
` + a.text, this.inlineQueue.pop(), this.inlineQueue.at(-1).src = u.text) : t.push(a);
        continue;
      }
      if (e) {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
    }
    return this.state.top = true, this.state.lastToken = r, t;
  }
  inline(e, t = []) {
    return this.inlineQueue.push({ src: e, tokens: t }), t;
  }
  linkInText(e) {
    if (!e.includes("[")) return false;
    let t = this.tokenizer.rules.inline.link;
    for (let n of e.matchAll(this.tokenizer.rules.inline.blockSkip)) if (t.test(n[0]) && e.charAt(n.index - 1) !== "!") return true;
    for (let n of e.matchAll(this.tokenizer.rules.inline.reflinkSearch)) {
      let r = n[0], s = r.lastIndexOf("[");
      if (!(r.charAt(0) === "!" || !Object.hasOwn(this.tokens.links, W(r.slice(s + 1, -1)))) && !(s > 1 && this.linkInText(r.slice(1, s - 1)))) return true;
    }
    return false;
  }
  inlineTokens(e, t = []) {
    this.tokenizer.lexer = this;
    let n = this.state.linkParenPossible;
    this.state.linkParenPossible = e.includes(")");
    try {
      return this.#t(e, t);
    } finally {
      this.state.linkParenPossible = n;
    }
  }
  #t(e, t) {
    let n = e.includes("*") || e.includes("_") || e.includes("~"), r = n || this.options.hooks?.emStrongMask || this.tokenizer.emStrong !== _.prototype.emStrong || this.tokenizer.del !== _.prototype.del ? this.#r(e) : e;
    if (!n) return this.#e(e, r, t);
    qe(this.tokenizer, r);
    try {
      return this.#e(e, r, t);
    } finally {
      ve(this.tokenizer);
    }
  }
  #e(e, t, n) {
    let r = false, s = "", o = 1 / 0;
    for (; e; ) {
      if (e.length < o) o = e.length;
      else {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
      r || (s = ""), r = false;
      let i;
      if (this.options.extensions?.inline?.some((u) => (i = u.call({ lexer: this }, e, n)) ? (e = e.substring(i.raw.length), n.push(i), true) : false)) continue;
      if (i = this.tokenizer.escape(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.tag(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.link(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.reflink(e, this.tokens.links)) {
        e = e.substring(i.raw.length);
        let u = n.at(-1);
        i.type === "text" && u?.type === "text" ? (u.raw += i.raw, u.text += i.text) : n.push(i);
        continue;
      }
      let a = e[0];
      if (a === "*" || a === "_") {
        let u = t.length - e.length;
        if (oe(this.tokenizer, t, a) <= u) {
          let h = 1;
          for (; h < e.length && e.charCodeAt(h) === a.charCodeAt(0); ) h++;
          let p = e.substring(0, h), k = n.at(-1);
          k?.type === "text" && !k.escaped ? (k.raw += p, k.text += p) : n.push({ type: "text", raw: p, text: p, escaped: false }), e = e.substring(h), s = a, r = true;
          continue;
        }
      } else if (a === "~") {
        let u = t.length - e.length;
        if (ae(this.tokenizer, t) <= u) {
          let h = 1;
          for (; h < e.length && e.charCodeAt(h) === 126; ) h++;
          let p = e.substring(0, h), k = n.at(-1);
          k?.type === "text" && !k.escaped ? (k.raw += p, k.text += p) : n.push({ type: "text", raw: p, text: p, escaped: false }), e = e.substring(h), s = a, r = true;
          continue;
        }
      }
      if (i = this.tokenizer.emStrong(e, t, s)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.codespan(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.br(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.del(e, t, s)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (i = this.tokenizer.autolink(e)) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      if (!this.state.inLink && (i = this.tokenizer.url(e))) {
        e = e.substring(i.raw.length), n.push(i);
        continue;
      }
      let c = e;
      if (this.options.extensions?.startInline) {
        let u = 1 / 0, d = e.slice(1), h;
        this.options.extensions.startInline.forEach((p) => {
          h = p.call({ lexer: this }, d), typeof h == "number" && h >= 0 && (u = Math.min(u, h));
        }), u < 1 / 0 && u >= 0 && (c = e.substring(0, u + 1));
      }
      if (i = this.tokenizer.inlineText(c)) {
        e = e.substring(i.raw.length), i.raw.slice(-1) !== "_" && (s = i.raw.slice(-1)), r = true;
        let u = n.at(-1);
        u?.type === "text" ? (u.raw += i.raw, u.text += i.text) : n.push(i);
        continue;
      }
      if (e) {
        this.infiniteLoopError(e.charCodeAt(0));
        break;
      }
    }
    return n;
  }
  #n(e) {
    let { blockSkip: t, tag: n, autolink: r } = this.tokenizer.rules.inline, s = "", o = 0, i;
    for (t.lastIndex = 0; i = t.exec(e); ) {
      let a = i.index + (i[2] ? i[2].length : 0), c = i.index + i[0].length;
      if (e.charAt(a) === "<") {
        let u = e.slice(a), d = n.exec(u) || r.exec(u);
        if (!d) {
          t.lastIndex = a + 1;
          continue;
        }
        c = a + d[0].length, t.lastIndex = c;
      }
      s += e.slice(o, a) + "[" + "a".repeat(c - a - 2) + "]", o = c;
    }
    return s + e.slice(o);
  }
  #r(e) {
    let t = e;
    if (this.tokens.links && e.includes("[")) {
      let n = this.tokenizer.rules.inline.reflinkSearch, r = (s) => {
        let o = s.lastIndexOf("[");
        if (!Object.hasOwn(this.tokens.links, W(s.slice(o + 1, -1)))) return s;
        if (o > 1 && s.charAt(0) !== "!") {
          let i = s.slice(1, o - 1);
          if (this.linkInText(i)) return "[" + i.replace(n, r) + "][" + "a".repeat(s.length - o - 2) + "]";
        }
        return "[" + "a".repeat(s.length - 2) + "]";
      };
      t = t.replace(n, r);
    }
    return t = t.replace(this.tokenizer.rules.inline.anyPunctuationOutsideCode, (n, r, s) => s ? "+".repeat(n.length) : r ? r + n.slice(r.length, -r.length).replace(/`/g, "+") + r : n), t = this.#n(t), t = this.options.hooks?.emStrongMask?.call({ lexer: this }, t) ?? t, t;
  }
  infiniteLoopError(e) {
    let t = "Infinite loop on byte: " + e;
    if (this.options.silent) console.error(t);
    else throw new Error(t);
  }
};
var I = class {
  options;
  parser;
  constructor(e) {
    this.options = e || S;
  }
  space(e) {
    return "";
  }
  code({ text: e, lang: t, escaped: n }) {
    let r = (t || "").match(O.notSpaceStart)?.[0], s = e ? e.replace(O.endingNewline, "") + `
` : "";
    return r ? '<pre><code class="language-' + y(r) + '">' + (n ? s : y(s, true)) + `</code></pre>
` : "<pre><code>" + (n ? s : y(s, true)) + `</code></pre>
`;
  }
  blockquote({ tokens: e }) {
    return `<blockquote>
${this.parser.parse(e)}</blockquote>
`;
  }
  html({ text: e }) {
    return e;
  }
  def(e) {
    return "";
  }
  heading({ tokens: e, depth: t }) {
    return `<h${t}>${this.parser.parseInline(e)}</h${t}>
`;
  }
  hr(e) {
    return `<hr>
`;
  }
  list(e) {
    let t = e.ordered, n = e.start, r = "";
    for (let i = 0; i < e.items.length; i++) {
      let a = e.items[i];
      r += this.listitem(a);
    }
    let s = t ? "ol" : "ul", o = t && n !== 1 ? ' start="' + n + '"' : "";
    return "<" + s + o + `>
` + r + "</" + s + `>
`;
  }
  listitem(e) {
    return `<li>${this.parser.parse(e.tokens)}</li>
`;
  }
  checkbox({ checked: e }) {
    return "<input " + (e ? 'checked="" ' : "") + 'disabled="" type="checkbox"> ';
  }
  paragraph({ tokens: e }) {
    return `<p>${this.parser.parseInline(e)}</p>
`;
  }
  table(e) {
    let t = "", n = "";
    for (let s = 0; s < e.header.length; s++) n += this.tablecell(e.header[s]);
    t += this.tablerow({ text: n });
    let r = "";
    for (let s = 0; s < e.rows.length; s++) {
      let o = e.rows[s];
      n = "";
      for (let i = 0; i < o.length; i++) n += this.tablecell(o[i]);
      r += this.tablerow({ text: n });
    }
    return r && (r = `<tbody>${r}</tbody>`), `<table>
<thead>
` + t + `</thead>
` + r + `</table>
`;
  }
  tablerow({ text: e }) {
    return `<tr>
${e}</tr>
`;
  }
  tablecell(e) {
    let t = this.parser.parseInline(e.tokens), n = e.header ? "th" : "td";
    return (e.align ? `<${n} align="${e.align}">` : `<${n}>`) + t + `</${n}>
`;
  }
  strong({ tokens: e }) {
    return `<strong>${this.parser.parseInline(e)}</strong>`;
  }
  em({ tokens: e }) {
    return `<em>${this.parser.parseInline(e)}</em>`;
  }
  codespan({ text: e }) {
    return `<code>${y(e, true)}</code>`;
  }
  br(e) {
    return "<br>";
  }
  del({ tokens: e }) {
    return `<del>${this.parser.parseInline(e)}</del>`;
  }
  link({ href: e, title: t, text: n, tokens: r, autolink: s }) {
    let o = s ? y(n, true) : this.parser.parseInline(r), i = xe(e);
    if (i === null) return o;
    e = y(i, s);
    let a = '<a href="' + e + '"';
    return t && (a += ' title="' + y(t) + '"'), a += ">" + o + "</a>", a;
  }
  image({ href: e, title: t, text: n, tokens: r }) {
    r && (n = this.parser.parseInline(r, this.parser.textRenderer));
    let s = xe(e);
    if (s === null) return y(n);
    e = s;
    let o = `<img src="${y(e)}" alt="${y(n)}"`;
    return t && (o += ` title="${y(t)}"`), o += ">", o;
  }
  text(e) {
    return "tokens" in e && e.tokens ? this.parser.parseInline(e.tokens) : "escaped" in e && e.escaped ? e.text : y(e.text);
  }
};
var z = class {
  parser;
  strong({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  em({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  codespan({ text: e }) {
    return e;
  }
  del({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  html({ text: e }) {
    return e;
  }
  text({ text: e }) {
    return e;
  }
  link({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  image({ text: e, tokens: t }) {
    return t ? this.parser.parseInline(t, this) : e;
  }
  br() {
    return `
`;
  }
  checkbox({ raw: e }) {
    return e;
  }
};
var P = class l2 {
  options;
  renderer;
  textRenderer;
  constructor(e) {
    this.options = e || S, this.options.renderer = this.options.renderer || new I(), this.renderer = this.options.renderer, this.renderer.options = this.options, this.renderer.parser = this, this.textRenderer = new z(), this.textRenderer.parser = this;
  }
  static parse(e, t) {
    return new l2(t).parse(e);
  }
  static parseInline(e, t) {
    return new l2(t).parseInline(e);
  }
  parse(e) {
    this.renderer.parser = this;
    let t = "";
    for (let n = 0; n < e.length; n++) {
      let r = e[n];
      if (this.options.extensions?.renderers?.[r.type]) {
        let o = r, i = this.options.extensions.renderers[o.type].call({ parser: this }, o);
        if (i !== false || !["space", "hr", "heading", "code", "table", "blockquote", "list", "checkbox", "html", "def", "paragraph", "text"].includes(o.type)) {
          t += i === false ? "" : i ?? "";
          continue;
        }
      }
      let s = r;
      switch (s.type) {
        case "space": {
          t += this.renderer.space(s);
          break;
        }
        case "hr": {
          t += this.renderer.hr(s);
          break;
        }
        case "heading": {
          t += this.renderer.heading(s);
          break;
        }
        case "code": {
          t += this.renderer.code(s);
          break;
        }
        case "table": {
          t += this.renderer.table(s);
          break;
        }
        case "blockquote": {
          t += this.renderer.blockquote(s);
          break;
        }
        case "list": {
          t += this.renderer.list(s);
          break;
        }
        case "checkbox": {
          t += this.renderer.checkbox(s);
          break;
        }
        case "html": {
          t += this.renderer.html(s);
          break;
        }
        case "def": {
          t += this.renderer.def(s);
          break;
        }
        case "paragraph": {
          t += this.renderer.paragraph(s);
          break;
        }
        case "text": {
          t += this.renderer.text(s);
          break;
        }
        default: {
          let o = 'Token with "' + s.type + '" type was not found.';
          if (this.options.silent) return console.error(o), "";
          throw new Error(o);
        }
      }
    }
    return t;
  }
  parseInline(e, t = this.renderer) {
    this.renderer.parser = this;
    let n = "";
    for (let r = 0; r < e.length; r++) {
      let s = e[r];
      if (this.options.extensions?.renderers?.[s.type]) {
        let i = this.options.extensions.renderers[s.type].call({ parser: this }, s);
        if (i !== false || !["escape", "html", "link", "image", "checkbox", "strong", "em", "codespan", "br", "del", "text"].includes(s.type)) {
          n += i === false ? "" : i ?? "";
          continue;
        }
      }
      let o = s;
      switch (o.type) {
        case "escape": {
          n += t.text(o);
          break;
        }
        case "html": {
          n += t.html(o);
          break;
        }
        case "link": {
          n += t.link(o);
          break;
        }
        case "image": {
          n += t.image(o);
          break;
        }
        case "checkbox": {
          n += t.checkbox(o);
          break;
        }
        case "strong": {
          n += t.strong(o);
          break;
        }
        case "em": {
          n += t.em(o);
          break;
        }
        case "codespan": {
          n += t.codespan(o);
          break;
        }
        case "br": {
          n += t.br(o);
          break;
        }
        case "del": {
          n += t.del(o);
          break;
        }
        case "text": {
          n += t.text(o);
          break;
        }
        default: {
          let i = 'Token with "' + o.type + '" type was not found.';
          if (this.options.silent) return console.error(i), "";
          throw new Error(i);
        }
      }
    }
    return n;
  }
};
var A = class {
  options;
  block;
  constructor(e) {
    this.options = e || S;
  }
  static passThroughHooks = /* @__PURE__ */ new Set(["preprocess", "postprocess", "processAllTokens", "emStrongMask"]);
  static passThroughHooksRespectAsync = /* @__PURE__ */ new Set(["preprocess", "postprocess", "processAllTokens"]);
  preprocess(e) {
    return e;
  }
  postprocess(e) {
    return e;
  }
  processAllTokens(e) {
    return e;
  }
  emStrongMask(e) {
    return e;
  }
  provideLexer(e = this.block) {
    return e ? w.lex : w.lexInline;
  }
  provideParser(e = this.block) {
    return e ? P.parse : P.parseInline;
  }
};
function M(l3, e) {
  if (Array.isArray(e)) for (let t = 0; t < e.length; t++) l3.push(e[t]);
  else l3.push(e);
}
var ne = class {
  defaults = G();
  options = this.setOptions;
  parse = this.parseMarkdown(true);
  parseInline = this.parseMarkdown(false);
  Parser = P;
  Renderer = I;
  TextRenderer = z;
  Lexer = w;
  Tokenizer = _;
  Hooks = A;
  constructor(...e) {
    this.use(...e);
  }
  walkTokens(e, t) {
    let n = [];
    for (let r of e) switch (M(n, t.call(this, r)), r.type) {
      case "table": {
        let s = r;
        for (let o of s.header) M(n, this.walkTokens(o.tokens, t));
        for (let o of s.rows) for (let i of o) M(n, this.walkTokens(i.tokens, t));
        break;
      }
      case "list": {
        let s = r;
        M(n, this.walkTokens(s.items, t));
        break;
      }
      default: {
        let s = r;
        this.defaults.extensions?.childTokens?.[s.type] ? this.defaults.extensions.childTokens[s.type].forEach((o) => {
          let i = s[o].flat(1 / 0);
          M(n, this.walkTokens(i, t));
        }) : s.tokens && M(n, this.walkTokens(s.tokens, t));
      }
    }
    return n;
  }
  use(...e) {
    let t = this.defaults.extensions || { renderers: /* @__PURE__ */ Object.create(null), childTokens: /* @__PURE__ */ Object.create(null) };
    return e.forEach((n) => {
      let r = { ...n };
      if (r.async = this.defaults.async || r.async || false, n.extensions && (n.extensions.forEach((s) => {
        if (!s.name) throw new Error("extension name required");
        if ("renderer" in s) {
          let o = t.renderers[s.name];
          o ? t.renderers[s.name] = function(...i) {
            let a = s.renderer.apply(this, i);
            return a === false && (a = o.apply(this, i)), a;
          } : t.renderers[s.name] = s.renderer;
        }
        if ("tokenizer" in s) {
          if (!s.level || s.level !== "block" && s.level !== "inline") throw new Error("extension level must be 'block' or 'inline'");
          let o = t[s.level];
          o ? o.unshift(s.tokenizer) : t[s.level] = [s.tokenizer], s.start && (s.level === "block" ? t.startBlock ? t.startBlock.push(s.start) : t.startBlock = [s.start] : s.level === "inline" && (t.startInline ? t.startInline.push(s.start) : t.startInline = [s.start]));
        }
        "childTokens" in s && s.childTokens && (t.childTokens[s.name] = s.childTokens);
      }), r.extensions = t), n.renderer) {
        let s = this.defaults.renderer || new I(this.defaults);
        for (let o in n.renderer) {
          if (!(o in s)) throw new Error(`renderer '${o}' does not exist`);
          if (["options", "parser"].includes(o)) continue;
          let i = o, a = n.renderer[i], c = s[i];
          s[i] = (...u) => {
            let d = a.apply(s, u);
            return d === false && (d = c.apply(s, u)), d === false ? "" : d ?? "";
          };
        }
        r.renderer = s;
      }
      if (n.tokenizer) {
        let s = this.defaults.tokenizer || new _(this.defaults);
        for (let o in n.tokenizer) {
          if (!(o in s)) throw new Error(`tokenizer '${o}' does not exist`);
          if (["options", "rules", "lexer"].includes(o)) continue;
          let i = o, a = n.tokenizer[i], c = s[i];
          s[i] = (...u) => {
            let d = a.apply(s, u);
            return d === false && (d = c.apply(s, u)), d;
          };
        }
        r.tokenizer = s;
      }
      if (n.hooks) {
        let s = this.defaults.hooks || new A();
        for (let o in n.hooks) {
          if (!(o in s)) throw new Error(`hook '${o}' does not exist`);
          if (["options", "block"].includes(o)) continue;
          let i = o, a = n.hooks[i], c = s[i];
          A.passThroughHooks.has(o) ? s[i] = (u) => {
            if (s.options.async && A.passThroughHooksRespectAsync.has(o)) return (async () => {
              let h = await a.call(s, u);
              return c.call(s, h);
            })();
            let d = a.call(s, u);
            return c.call(s, d);
          } : s[i] = (...u) => {
            if (s.options.async) return (async () => {
              let h = await a.apply(s, u);
              return h === false && (h = await c.apply(s, u)), h;
            })();
            let d = a.apply(s, u);
            return d === false && (d = c.apply(s, u)), d;
          };
        }
        r.hooks = s;
      }
      if (n.walkTokens) {
        let s = this.defaults.walkTokens, o = n.walkTokens;
        r.walkTokens = function(i) {
          let a = [];
          return M(a, o.call(this, i)), s && M(a, s.call(this, i)), a;
        };
      }
      this.defaults = { ...this.defaults, ...r };
    }), this;
  }
  setOptions(e) {
    return this.defaults = { ...this.defaults, ...e }, this;
  }
  lexer(e, t) {
    return w.lex(e, t ?? this.defaults);
  }
  parser(e, t) {
    return P.parse(e, t ?? this.defaults);
  }
  parseMarkdown(e) {
    return (n, r) => {
      let s = { ...r }, o = { ...this.defaults, ...s }, i = this.onError(!!o.silent, !!o.async);
      if (this.defaults.async === true && s.async === false) return i(new Error("marked(): The async option was set to true by an extension. Remove async: false from the parse options object to return a Promise."));
      if (typeof n > "u" || n === null) return i(new Error("marked(): input parameter is undefined or null"));
      if (typeof n != "string") return i(new Error("marked(): input parameter is of type " + Object.prototype.toString.call(n) + ", string expected"));
      if (o.hooks && (o.hooks.options = o, o.hooks.block = e), o.async) return (async () => {
        let a = o.hooks ? await o.hooks.preprocess(n) : n, u = await (o.hooks ? await o.hooks.provideLexer(e) : e ? w.lex : w.lexInline)(a, o), d = o.hooks ? await o.hooks.processAllTokens(u) : u;
        o.walkTokens && await Promise.all(this.walkTokens(d, o.walkTokens));
        let p = await (o.hooks ? await o.hooks.provideParser(e) : e ? P.parse : P.parseInline)(d, o);
        return o.hooks ? await o.hooks.postprocess(p) : p;
      })().catch(i);
      try {
        o.hooks && (n = o.hooks.preprocess(n));
        let c = (o.hooks ? o.hooks.provideLexer(e) : e ? w.lex : w.lexInline)(n, o);
        o.hooks && (c = o.hooks.processAllTokens(c)), o.walkTokens && this.walkTokens(c, o.walkTokens);
        let d = (o.hooks ? o.hooks.provideParser(e) : e ? P.parse : P.parseInline)(c, o);
        return o.hooks && (d = o.hooks.postprocess(d)), d;
      } catch (a) {
        return i(a);
      }
    };
  }
  onError(e, t) {
    return (n) => {
      if (n.message += `
Please report this to https://github.com/markedjs/marked.`, e) {
        let r = "<p>An error occurred:</p><pre>" + y(n.message + "", true) + "</pre>";
        return t ? Promise.resolve(r) : r;
      }
      if (t) return Promise.reject(n);
      throw n;
    };
  }
};
var v = new ne();
function x(l3, e) {
  return v.parse(l3, e);
}
x.options = x.setOptions = function(l3) {
  return v.setOptions(l3), x.defaults = v.defaults, ue(x.defaults), x;
};
x.getDefaults = G;
x.defaults = S;
function jt(...l3) {
  return v.use(...l3), x.defaults = v.defaults, ue(x.defaults), x;
}
x.use = jt;
x.walkTokens = function(l3, e) {
  return v.walkTokens(l3, e);
};
x.parseInline = v.parseInline;
x.Parser = P;
x.parser = P.parse;
x.Renderer = I;
x.TextRenderer = z;
x.Lexer = w;
x.lexer = w.lex;
x.Tokenizer = _;
x.Hooks = A;
x.parse = x;
var En = x.options;
var zn = x.setOptions;
var Mn = x.walkTokens;
var Bn = x.parseInline;
var qn = P.parse;
var vn = w.lex;

// sandbox/web/markdown.ts
var import_sanitize_html = __toESM(require_sanitize_html(), 1);
var ALLOWED_TAGS = [
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "br",
  "b",
  "i",
  "strong",
  "em",
  "a",
  "pre",
  "code",
  "img",
  "tt",
  "div",
  "ins",
  "del",
  "sup",
  "sub",
  "p",
  "ol",
  "ul",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "blockquote",
  "dl",
  "dt",
  "dd",
  "kbd",
  "q",
  "samp",
  "var",
  "hr",
  "ruby",
  "rt",
  "rp",
  "li",
  "tr",
  "td",
  "th",
  "s",
  "strike",
  "summary",
  "details",
  "caption",
  "figure",
  "figcaption",
  "abbr",
  "bdo",
  "cite",
  "dfn",
  "mark",
  "small",
  "span",
  "time",
  "wbr",
  "input"
];
var COMMON_ATTRIBUTES = [
  "abbr",
  "align",
  "alt",
  "aria-describedby",
  "aria-hidden",
  "aria-label",
  "aria-labelledby",
  "border",
  "cellpadding",
  "cellspacing",
  "colspan",
  "datetime",
  "dir",
  "headers",
  "height",
  "hreflang",
  "id",
  "lang",
  "name",
  "open",
  "rel",
  "role",
  "rowspan",
  "scope",
  "span",
  "start",
  "summary",
  "title",
  "valign",
  "width"
];
var SANITIZE = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    "*": COMMON_ATTRIBUTES,
    a: ["href"],
    img: ["src", "longdesc"],
    blockquote: ["cite"],
    del: ["cite"],
    ins: ["cite"],
    q: ["cite"],
    input: ["type", "checked", "disabled"]
  },
  // Only a code block's language survives (it selects the mermaid drawing below); no other class.
  allowedClasses: { code: ["language-*"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite", "longdesc"],
  allowProtocolRelative: false,
  // Dropped with their content, as GitHub does; comments (`<!-- … -->`) are always dropped.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "iframe", "template"],
  disallowedTagsMode: "discard",
  exclusiveFilter: (frame) => frame.tag === "input" && frame.attribs["type"] !== "checkbox",
  transformTags: { "*": adjustTag }
};
function adjustTag(tagName, attribs) {
  const out = { ...attribs };
  for (const key of ["id", "name"]) {
    const value = out[key];
    if (value !== void 0 && !value.startsWith("user-content-")) out[key] = `user-content-${value}`;
  }
  if (tagName === "input") out["disabled"] = "";
  if (tagName === "a") out["rel"] = "nofollow";
  return { tagName, attribs: out };
}
var marked = new ne({ gfm: true, breaks: true, async: false });
function renderMarkdown(text, options = {}) {
  const raw = marked.parse(text);
  const clean = (0, import_sanitize_html.default)(raw, {
    ...SANITIZE,
    textFilter: (escaped, tag) => {
      if (tag === "code" || tag === "pre") return escaped;
      const text2 = emoji(escaped);
      return options.repoWeb === void 0 || tag === "a" ? text2 : linkReferences(text2, options.repoWeb);
    }
  });
  return drawMermaid(clean);
}
function drawMermaid(html2) {
  return html2.replace(
    /<pre><code class="language-mermaid">([^<]*)<\/code><\/pre>/g,
    (_2, source) => `<pre class="mermaid">${source}</pre>`
  );
}
var EMOJI = {
  "+1": "👍",
  "-1": "👎",
  arrow_down: "⬇️",
  arrow_up: "⬆️",
  eyes: "👀",
  heavy_check_mark: "✔️",
  hourglass: "⌛",
  information_source: "ℹ️",
  lock: "🔒",
  no_entry: "⛔",
  rewind: "⏪",
  rocket: "🚀",
  stop_sign: "🛑",
  tada: "🎉",
  warning: "⚠️",
  white_check_mark: "✅",
  x: "❌"
};
function emoji(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}
function linkReferences(escaped, repoWeb) {
  return escaped.replace(
    /(^|[\s(])#(\d{1,9})\b/g,
    (_2, before, n) => `${before}<a href="${repoWeb}/pull/${n}">#${n}</a>`
  );
}

// sandbox/web/pages/check-run.ts
function checkRunPage(site, run) {
  const md = (text) => renderMarkdown(text, { repoWeb: site.repoWeb });
  const pulls = site.world.state.pulls.filter((p) => p.headSha === run.headSha);
  const section = (title, text) => text ? `<div class="box"><div class="head"><strong>${title}</strong></div><div class="body markdown-body">${md(text)}</div></div>` : "";
  const body2 = `<h1>${esc(run.name)}</h1>
<div class="meta">${badge(checkRunTone(run), checkRunState(run))} by ${esc(run.app.name)} on <a class="mono" href="${site.repoWeb}/commit/${esc(run.headSha)}">${esc(run.headSha.slice(0, 7))}</a>${pulls.length ? ` in ${pulls.map((p) => `<a href="${site.repoWeb}/pull/${p.number}">#${p.number}</a>`).join(", ")}` : ""} · started ${when(run.startedAt)}${run.completedAt !== null ? ` · completed ${when(run.completedAt)}` : ""}</div>
${isSafeUrl(run.detailsUrl) ? `<p>${link(run.detailsUrl, "Details")}</p>` : ""}
${run.title ? `<h2>${esc(run.title)}</h2>` : ""}
${section("Summary", run.summary)}
${section("Details", run.text)}`;
  return page2({
    title: run.name,
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: "actions",
    body: body2,
    diagrams: /```mermaid/.test(`${run.summary ?? ""}
${run.text ?? ""}`)
  });
}

// sandbox/web/diff.ts
var MAX_LINES = 2e3;
function renderFiles(files, anchorPrefix = "diff") {
  if (files.length === 0) return '<p class="meta">No changes.</p>';
  let budget = MAX_LINES;
  const parts = [];
  for (const [i, file] of files.entries()) {
    const name = file.previousFilename !== void 0 ? `${esc(file.previousFilename)} → ${esc(file.filename)}` : esc(file.filename);
    const stats = `<span class="mark success">+${file.additions}</span> <span class="mark failure">−${file.deletions}</span>`;
    let body2;
    if (file.patch === void 0) body2 = '<p class="meta">Binary file or no textual change.</p>';
    else if (budget <= 0)
      body2 = '<p class="meta">Diff not shown: this page already shows its share of lines.</p>';
    else {
      const lines = file.patch.split("\n");
      body2 = patchTable(lines.slice(0, budget));
      if (lines.length > budget) body2 += `<p class="meta">${lines.length - budget} more lines not shown.</p>`;
      budget -= lines.length;
    }
    parts.push(
      `<div class="box file" id="${anchorPrefix}-${i}"><div class="head mono">${stats} ${name} <span class="meta">${esc(file.status)}</span></div>${body2}</div>`
    );
  }
  return parts.join("\n");
}
function patchTable(lines) {
  let oldLine = 0;
  let newLine = 0;
  const rows = [];
  for (const line of lines) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      rows.push(`<tr class="hunk"><td class="n"></td><td class="n"></td><td>${esc(line)}</td></tr>`);
    } else if (line.startsWith("+")) {
      rows.push(
        `<tr class="add"><td class="n"></td><td class="n">${newLine++}</td><td>${esc(line)}</td></tr>`
      );
    } else if (line.startsWith("-")) {
      rows.push(
        `<tr class="del"><td class="n">${oldLine++}</td><td class="n"></td><td>${esc(line)}</td></tr>`
      );
    } else if (line.startsWith("\\")) {
      rows.push(`<tr><td class="n"></td><td class="n"></td><td class="meta">${esc(line)}</td></tr>`);
    } else {
      rows.push(
        `<tr><td class="n">${oldLine++}</td><td class="n">${newLine++}</td><td>${esc(line)}</td></tr>`
      );
    }
  }
  return `<table class="diff">${rows.join("")}</table>`;
}

// sandbox/web/site.ts
function makeSite(world) {
  const web = "/github-web";
  return {
    world,
    web,
    repoWeb: `${web}/${encodeURIComponent(world.owner)}/${encodeURIComponent(world.name)}`,
    tips: new Map(world.git.refs("refs/heads/").map((r) => [r.ref.slice("refs/heads/".length), r.sha]))
  };
}
function headOf(site, pull) {
  return site.tips.get(pull.head) ?? pull.headSha;
}
function checksOf(site, sha) {
  return checksFor(site.world.state, sha, site.repoWeb);
}
function pullTone(pull) {
  if (pull.mergedAt !== null) return "merged";
  return pull.state === "open" ? "open" : "closed";
}
function labelColor(site, name) {
  return site.world.state.labels.find((l3) => l3.name === name)?.color ?? "ededed";
}

// sandbox/web/pages/commit.ts
var EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
function commitPage(site, commit) {
  const { world } = site;
  const [subject = "", ...rest] = commit.message.split("\n");
  const description = rest.join("\n").trim();
  const files = cachedGit.diff(world.git, commit.parents[0] ?? EMPTY_TREE, commit.sha);
  const checks = checksOf(site, commit.sha);
  const parents = commit.parents.map((p) => `<a class="mono" href="${site.repoWeb}/commit/${p}">${p.slice(0, 7)}</a>`).join(" + ");
  const pulls = world.state.pulls.filter((p) => p.mergeCommitSha === commit.sha || p.headSha === commit.sha);
  const body2 = `<h1 class="commit-title">${esc(subject)}</h1>
${description ? `<pre class="box body">${esc(description)}</pre>` : ""}
<div class="meta"><strong>${esc(commit.author.name)}</strong> committed ${when(commit.committer.date)} · commit <span class="mono">${commit.sha}</span>${parents ? ` · ${commit.parents.length > 1 ? "parents" : "parent"} ${parents}` : ""}</div>
${pulls.length ? `<div class="meta">In ${pulls.map((p) => `<a href="${site.repoWeb}/pull/${p.number}">#${p.number}</a>`).join(", ")}</div>` : ""}
${checkTable(checks)}
<h2>Files changed <span class="meta">${files.length}</span></h2>
${renderFiles(files)}`;
  return page2({
    title: `${subject} · ${commit.sha.slice(0, 7)}`,
    web: site.web,
    owner: world.owner,
    repo: world.name,
    tab: "code",
    body: body2
  });
}
function checkTable(checks) {
  if (checks.lines.length === 0) return "";
  const rows = checks.lines.map(
    (l3) => `<tr class="check ${l3.tone}"><td>${mark(l3.tone, l3.state)}</td><td><strong>${esc(l3.name)}</strong></td><td>${esc(l3.description)}</td><td>${isSafeUrl(l3.url) ? link(l3.url, "Details") : ""}</td></tr>`
  ).join("");
  return `<div class="box" id="checks"><div class="head">${mark(checks.tone, checks.summary)} ${esc(checks.summary)}</div><table class="checks">${rows}</table></div>`;
}

// sandbox/web/pages/home.ts
function homePage(site) {
  const { world } = site;
  const main = site.tips.get("main");
  const commits = main ? cachedGit.history(world.git, main, 30) : [];
  const rows = commits.map((c) => {
    const checks = checksOf(site, c.sha);
    const m = checks.lines.length > 0 ? ` ${mark(checks.tone, checks.summary)}` : "";
    return `<li><a href="${site.repoWeb}/commit/${c.sha}">${esc(c.message.split("\n")[0])}</a>${m}<div class="sub"><span class="mono">${c.sha.slice(0, 7)}</span> · ${esc(c.author.name)} · ${when(c.committer.date)}</div></li>`;
  });
  const branches = [...site.tips.entries()].map(
    ([name, sha]) => `<li><code>${esc(name)}</code> <a class="mono" href="${site.repoWeb}/commit/${sha}">${sha.slice(0, 7)}</a></li>`
  ).join("");
  const body2 = `<h2>Commits on <code>main</code></h2>
<div class="box"><ul class="rows">${rows.join("") || '<li class="meta">No commits.</li>'}</ul></div>
<h2>Branches</h2>
<div class="box"><ul class="rows">${branches}</ul></div>`;
  return page2({ title: "Code", web: site.web, owner: world.owner, repo: world.name, tab: "code", body: body2 });
}

// sandbox/web/pages/pull.ts
function pullPage(site, pull) {
  const { world } = site;
  const head = headOf(site, pull);
  const range = diffRange(site, pull, head);
  const files = range.from ? cachedGit.diff(world.git, range.from, head) : [];
  const commits = range.from ? cachedGit.between(world.git, range.from, head) : [];
  const checks = checksOf(site, head);
  const tone = pullTone(pull);
  const md = (text) => renderMarkdown(text, { repoWeb: site.repoWeb });
  const sentence = tone === "merged" ? `${esc(pull.mergedBy ?? "someone")} merged ${commits.length} commit${commits.length === 1 ? "" : "s"} into <code>${esc(pull.base)}</code> from <code>${esc(pull.head)}</code> ${when(pull.mergedAt)}` : `${esc(pull.user)} ${tone === "open" ? "wants to merge" : "proposed"} ${commits.length} commit${commits.length === 1 ? "" : "s"} into <code>${esc(pull.base)}</code> from <code>${esc(pull.head)}</code>`;
  const labels = pull.labels.map((l3) => label(l3, labelColor(site, l3))).join("");
  const reviewers = pull.requestedReviewers.length > 0 ? `<div class="meta">Review requested from ${pull.requestedReviewers.map(esc).join(", ")}</div>` : "";
  const body2 = `<h1><span class="title">${esc(pull.title)}</span> <span class="num">#${pull.number}</span></h1>
<div class="meta">${badge(tone, tone === "open" ? "Open" : tone === "merged" ? "Merged" : "Closed")} ${sentence}</div>
${labels ? `<div class="meta labels">${labels}</div>` : ""}${reviewers}
<section id="conversation">
${post(`<strong>${esc(pull.user)}</strong> opened this pull request ${when(pull.createdAt)}`, pull.body ? md(pull.body) : '<p class="meta">No description provided.</p>', "description")}
${timeline(site, pull, md)}
</section>
${reviewSummary(site, pull)}
${checksBox(checks)}
${mergeBox(site, pull, head, checks)}
<h2 id="commits">Commits <span class="meta">${commits.length}</span></h2>
${commitList(site, commits)}
<h2 id="files">Files changed <span class="meta">${files.length}</span></h2>
${renderFiles(files)}`;
  return page2({
    title: `${pull.title} #${pull.number}`,
    web: site.web,
    owner: world.owner,
    repo: world.name,
    tab: "pulls",
    body: body2,
    diagrams: /```mermaid|~~~mermaid/.test(
      [
        pull.body ?? "",
        ...world.state.comments.filter((c) => c.issue === pull.number).map((c) => c.body)
      ].join("\n")
    )
  });
}
function diffRange(site, pull, head) {
  const { git: git2 } = site.world;
  if (pull.mergeCommitSha !== null) return { from: cachedGit.commit(git2, pull.mergeCommitSha).parents[0] };
  const base = site.tips.get(pull.base);
  return { from: base ? cachedGit.mergeBase(git2, base, head) : void 0 };
}
function post(head, html2, id, extraClass = "") {
  return `<div class="box comment${extraClass}" id="${esc(id)}"><div class="head">${head}</div><div class="body markdown-body">${html2}</div></div>`;
}
var REVIEW_WORDS = {
  APPROVED: "approved these changes",
  CHANGES_REQUESTED: "requested changes",
  COMMENTED: "reviewed",
  DISMISSED: "reviewed (dismissed)",
  PENDING: "started a review"
};
var REVIEW_TONES = {
  APPROVED: "success",
  CHANGES_REQUESTED: "failure",
  COMMENTED: "neutral",
  DISMISSED: "neutral",
  PENDING: "pending"
};
function timeline(site, pull, md) {
  const { state } = site.world;
  const items = [];
  for (const c of state.comments.filter((x2) => x2.issue === pull.number)) {
    const edited = c.updatedAt !== c.createdAt ? ` <span class="meta">(edited ${when(c.updatedAt)})</span>` : "";
    items.push({
      at: c.createdAt,
      id: c.id,
      html: post(
        `<strong>${esc(c.user)}</strong> commented ${when(c.createdAt)}${edited}`,
        md(c.body),
        `issuecomment-${c.id}`
      )
    });
  }
  for (const r of state.reviews.filter((x2) => x2.pull === pull.number && x2.state !== "PENDING")) {
    const head = `${mark(REVIEW_TONES[r.state], r.state.toLowerCase())} <strong>${esc(r.user)}</strong> ${REVIEW_WORDS[r.state]} ${when(r.submittedAt)} <span class="meta mono">on ${esc(r.commitId.slice(0, 7))}</span>`;
    items.push({
      at: r.submittedAt ?? 0,
      id: r.id,
      html: r.body ? post(head, md(r.body), `pullrequestreview-${r.id}`, ` review ${r.state.toLowerCase()}`) : `<div class="event review ${r.state.toLowerCase()}" id="pullrequestreview-${r.id}">${head}</div>`
    });
  }
  if (pull.mergedAt !== null) {
    const sha = pull.mergeCommitSha ?? "";
    items.push({
      at: pull.mergedAt,
      id: Number.MAX_SAFE_INTEGER,
      html: `<div class="event">${mark("merged", "merged")} <strong>${esc(pull.mergedBy ?? "")}</strong> merged commit <a class="mono" href="${site.repoWeb}/commit/${esc(sha)}">${esc(sha.slice(0, 7))}</a> into <code>${esc(pull.base)}</code> ${when(pull.mergedAt)}</div>`
    });
  } else if (pull.closedAt !== null && pull.state === "closed") {
    items.push({
      at: pull.closedAt,
      id: Number.MAX_SAFE_INTEGER,
      html: `<div class="event">${mark("closed", "closed")} closed this ${when(pull.closedAt)}</div>`
    });
  }
  return items.sort((a, b) => a.at - b.at || a.id - b.id).map((i) => i.html).join("\n");
}
function latestOpinions(site, pull) {
  const latest = /* @__PURE__ */ new Map();
  for (const r of site.world.state.reviews) {
    if (r.pull !== pull.number) continue;
    if (r.state !== "APPROVED" && r.state !== "CHANGES_REQUESTED" && r.state !== "DISMISSED") continue;
    const seen = latest.get(r.user);
    if (!seen || r.id > seen.id) latest.set(r.user, r);
  }
  return [...latest.values()].filter((r) => r.state !== "DISMISSED");
}
function reviewSummary(site, pull) {
  const opinions = latestOpinions(site, pull);
  const approved = opinions.filter((r) => r.state === "APPROVED");
  const rows = opinions.map(
    (r) => `<li>${mark(REVIEW_TONES[r.state], r.state.toLowerCase())} <strong>${esc(r.user)}</strong> ${r.state === "APPROVED" ? "approved" : "requested changes"} <span class="meta mono">on ${esc(r.commitId.slice(0, 7))}</span></li>`
  ).join("");
  return `<div class="box" id="reviews"><div class="head"><strong>Reviews</strong> · ${approved.length} approval${approved.length === 1 ? "" : "s"}</div>
<ul class="rows">${rows || '<li class="meta">No reviews yet.</li>'}</ul></div>`;
}
function checksBox(checks) {
  const title = checks.lines.length === 0 ? "No checks reported" : checks.tone === "success" ? "All checks have passed" : checks.tone === "failure" ? "Some checks were not successful" : "Some checks haven't completed yet";
  const rows = checks.lines.map(
    (l3) => `<tr class="check ${l3.tone}" data-name="${esc(l3.name)}"><td>${mark(l3.tone, l3.state)}</td><td><strong>${esc(l3.name)}</strong></td><td>${esc(l3.state)}</td><td>${esc(l3.description)}</td><td>${isSafeUrl(l3.url) ? link(l3.url, "Details") : ""}</td></tr>`
  ).join("");
  return `<div class="box" id="checks"><div class="head">${mark(checks.tone, checks.summary)} <strong>${title}</strong> <span class="meta">${esc(checks.summary)}</span></div>
${rows ? `<table class="checks">${rows}</table>` : ""}</div>`;
}
function mergeBlockers(site, pull, head, checks) {
  if (pull.state !== "open") return [];
  const blockers = [];
  const protection = protectionRefusal(site, pull, head);
  if (protection) blockers.push(`Branch protection on ${pull.base}: ${protection}`);
  const base = site.tips.get(pull.base);
  if (!base) blockers.push(`The base branch ${pull.base} does not exist.`);
  else if (!cachedGit.mergesCleanly(site.world.git, base, head))
    blockers.push(`This branch has conflicts with ${pull.base} that must be resolved.`);
  if (pull.draft) blockers.push("This pull request is still a draft.");
  for (const r of latestOpinions(site, pull).filter((x2) => x2.state === "CHANGES_REQUESTED"))
    blockers.push(`${r.user} requested changes.`);
  for (const l3 of checks.lines) {
    if (l3.tone === "failure") blockers.push(`${l3.name} failed${l3.description ? `: ${l3.description}` : ""}.`);
    if (l3.tone === "pending")
      blockers.push(`${l3.name} has not completed${l3.description ? `: ${l3.description}` : ""}.`);
  }
  return blockers;
}
function protectionRefusal(site, pull, head) {
  const base = site.tips.get(pull.base);
  if (!base) return void 0;
  const req = {
    method: "GET",
    path: "",
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    baseUrl: ""
  };
  const call = {
    world: site.world,
    req,
    params: {},
    actor: { login: "", type: "User", tokenKind: "user" },
    urls: urlsFor(req, site.world)
  };
  try {
    enforceProtection(call, pull, head, base);
    return void 0;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
function mergeBox(site, pull, head, checks) {
  let tone;
  let text;
  let detail = "";
  if (pull.mergedAt !== null) {
    tone = "merged";
    const sha = pull.mergeCommitSha ?? "";
    text = "Pull request successfully merged and closed";
    detail = `<p>Merged as <a class="mono" href="${site.repoWeb}/commit/${esc(sha)}">${esc(sha.slice(0, 7))}</a> ${when(pull.mergedAt)}.</p>`;
  } else if (pull.state === "closed") {
    tone = "closed";
    text = "Closed without merging";
  } else {
    const blockers = mergeBlockers(site, pull, head, checks);
    tone = blockers.length === 0 ? "success" : "failure";
    text = blockers.length === 0 ? "This branch can be merged" : "Merging is blocked";
    if (blockers.length > 0)
      detail = `<ul class="blockers">${blockers.map((b) => `<li>${esc(b)}</li>`).join("")}</ul>`;
  }
  return `<div class="box merge ${tone}" id="merge"><div class="head">${mark(tone, text)} <strong>${esc(text)}</strong></div><div class="body">${detail || '<p class="meta">Nothing blocks a merge.</p>'}</div></div>`;
}
function commitList(site, commits) {
  if (commits.length === 0) return '<p class="meta">No commits.</p>';
  const rows = commits.map((c) => {
    const checks = checksOf(site, c.sha);
    const m = checks.lines.length > 0 ? ` ${mark(checks.tone, checks.summary)}` : "";
    return `<li><a href="${site.repoWeb}/commit/${c.sha}">${esc(c.message.split("\n")[0])}</a>${m}<div class="sub"><span class="mono">${c.sha.slice(0, 7)}</span> · ${esc(c.author.name)} · ${when(c.author.date)}</div></li>`;
  });
  return `<div class="box"><ul class="rows">${rows.join("")}</ul></div>`;
}

// sandbox/web/pages/pulls.ts
function pullsPage(site, query) {
  const q2 = query.get("q") ?? "";
  const closed = query.get("state") === "closed" || /\bis:(closed|merged)\b/.test(q2);
  const all = site.world.state.pulls;
  const open = all.filter((p) => p.state === "open");
  const shown = (closed ? all.filter((p) => p.state === "closed") : open).sort((a, b) => b.number - a.number);
  const filter = (isClosed, text) => `<a href="${site.repoWeb}/pulls${isClosed ? "?state=closed" : ""}"${isClosed === closed ? ' aria-current="page"' : ""}>${text}</a>`;
  const rows = shown.map((pull) => {
    const tone = pullTone(pull);
    const checks = checksOf(site, headOf(site, pull));
    const labels = pull.labels.map((l3) => label(l3, labelColor(site, l3))).join("");
    const checkMark = checks.lines.length > 0 ? ` <a href="${site.repoWeb}/pull/${pull.number}#checks">${mark(checks.tone, checks.summary)}</a>` : "";
    const moment = tone === "merged" ? `merged ${when(pull.mergedAt)}` : tone === "closed" ? `closed ${when(pull.closedAt)}` : `opened ${when(pull.createdAt)}`;
    return `<li class="pull" data-number="${pull.number}">${mark(tone, tone)} <a class="title" href="${site.repoWeb}/pull/${pull.number}">${esc(pull.title)}</a>${checkMark} ${labels}
<div class="sub">#${pull.number} ${moment} by ${esc(pull.user)} · ${esc(pull.head)} → ${esc(pull.base)}</div></li>`;
  });
  const body2 = `<div class="box"><div class="head filters">${filter(false, `${open.length} Open`)}${filter(true, `${all.length - open.length} Closed`)}</div>
<ul class="rows">${rows.join("\n") || '<li class="meta">No pull requests here.</li>'}</ul></div>`;
  return page2({
    title: "Pull requests",
    web: site.web,
    owner: site.world.owner,
    repo: site.world.name,
    tab: "pulls",
    body: body2
  });
}

// sandbox/web/service.ts
var PREFIX2 = "/github-web";
var CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join("; ");
var ROUTES2 = [
  { pattern: /^$/, render: (site) => homePage(site) },
  { pattern: /^\/pulls$/, render: (site, _m, req) => pullsPage(site, req.query) },
  { pattern: /^\/actions$/, render: (site) => actionsPage(site) },
  {
    pattern: /^\/pull\/(\d+)(?:\/(?:files|checks|commits))?$/,
    render: (site, m) => {
      const pull = site.world.state.pulls.find((p) => p.number === Number(m[1]));
      return pull && pullPage(site, pull);
    }
  },
  {
    pattern: /^\/runs\/(\d+)$/,
    render: (site, m) => {
      const run = (site.world.state.checkRuns ?? []).find((r) => r.id === Number(m[1]));
      return run && checkRunPage(site, run);
    }
  },
  {
    pattern: /^\/commit\/([0-9a-f]{4,40})$/,
    render: (site, m) => {
      const sha = site.world.git.resolveCommit(m[1] ?? "");
      return sha && commitPage(site, cachedGit.commit(site.world.git, sha));
    }
  }
];
function createGitHubWeb(options) {
  function resolve2(req) {
    if (req.path !== PREFIX2 && !req.path.startsWith(`${PREFIX2}/`)) return void 0;
    return { operation: "web.page", handle: () => handle(req) };
  }
  function handle(req) {
    if (req.method !== "GET" && req.method !== "HEAD")
      return html(405, notFoundPage("These pages are read-only."));
    const path = req.path.slice(PREFIX2.length);
    const asset = assetReply(path);
    if (asset) return asset;
    const world = options.world();
    const repoPrefix = `/${world.owner}/${world.name}`;
    if (path.toLowerCase() !== repoPrefix.toLowerCase() && !path.toLowerCase().startsWith(`${repoPrefix.toLowerCase()}/`))
      return html(404, notFoundPage(`No page at ${path}.`));
    const rest = path.slice(repoPrefix.length).replace(/\/$/, "");
    const site = makeSite(world);
    for (const route of ROUTES2) {
      const m = route.pattern.exec(rest);
      if (!m) continue;
      const out = route.render(site, [...m], req);
      return out === void 0 ? html(404, notFoundPage(`Nothing at ${path}.`)) : html(200, out);
    }
    return html(404, notFoundPage(`No page at ${path}.`));
  }
  return {
    name: "github-web",
    resolve: resolve2,
    encodeError: (err) => html(err.status, notFoundPage(err.message)),
    throttleError: () => new ServiceError(429, "TooManyRequests", "slow down")
  };
}
function html(status, body2) {
  return {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store"
    },
    body: body2
  };
}
function assetReply(path) {
  const asset = (type, body2) => ({
    status: 200,
    headers: { "content-type": type, "cache-control": "max-age=3600", "x-content-type-options": "nosniff" },
    body: body2
  });
  if (path === "/_assets/style.css") return asset("text/css; charset=utf-8", STYLE);
  if (path === "/_assets/diagrams.js") return asset("text/javascript; charset=utf-8", DIAGRAMS);
  if (path === "/_assets/mermaid.min.js") return asset("text/javascript; charset=utf-8", mermaidBundle());
  return void 0;
}
function notFoundPage(message) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title><link rel="stylesheet" href="${PREFIX2}/_assets/style.css"></head><body><main class="wrap"><h1>Not found</h1><p>${esc(message)}</p></main></body></html>`;
}

// sandbox/index.ts
var PROJECT_ROOT = findProjectRoot(import.meta.dirname);
function findProjectRoot(from) {
  for (let dir = from; ; dir = dirname3(dir)) {
    try {
      if (JSON.parse(readFileSync4(join4(dir, "package.json"), "utf8")).name === "flagops")
        return dir;
    } catch {
    }
    if (dirname3(dir) === dir) return resolve(from, "..");
  }
}
async function startSandbox(options = {}) {
  const clock = new SimClock({
    speed: options.speed ?? 1,
    ...options.start !== void 0 ? { start: options.start } : {}
  });
  const ownsWorkDir = options.workDir === void 0;
  const workDir = options.workDir ?? mkdtempSync(join4(tmpdir(), "flagops-sandbox-"));
  const repository = options.repository ?? "ons/flags";
  const scenario = options.scenario ?? "healthy";
  if (!SCENARIOS.includes(scenario))
    throw new Error(`unknown scenario ${scenario}; known: ${SCENARIOS.join(", ")}`);
  let github;
  let scenarios;
  const server = await startServer({
    ...options.port !== void 0 ? { port: options.port } : {},
    ...options.statePath !== void 0 ? { statePath: options.statePath } : {},
    ...options.faultSeed !== void 0 ? { faultSeed: options.faultSeed } : {},
    clock,
    services: (ctx) => {
      const cloudwatch = createCloudWatch(ctx);
      const appconfig = createAppConfig(ctx, {
        alarms: cloudwatch,
        rollbackOnInsufficientData: options.rollbackOnInsufficientData ?? false
      });
      const appconfigdata = createAppConfigData(ctx, { appconfig });
      github = createGitHub(ctx, {
        workDir,
        seedDir: options.seedDir ?? PROJECT_ROOT,
        repository,
        region: "eu-west-2",
        protectMain: options.protectMain ?? false
      });
      scenarios = createScenarios(ctx, { appconfig, metrics: cloudwatch, scenario });
      const web = createGitHubWeb({ world: () => github.world });
      return [appconfig, scenarios, cloudwatch, appconfigdata, github, web];
    },
    control: (req) => scenarios?.control(req)
  });
  const gh = github;
  const env = {
    AWS_ENDPOINT_URL: server.url,
    AWS_REGION: "eu-west-2",
    AWS_ACCESS_KEY_ID: "sandbox",
    AWS_SECRET_ACCESS_KEY: "sandbox",
    GITHUB_API_URL: `${server.url}/github`,
    GITHUB_SERVER_URL: `${server.url}/github-web`,
    GITHUB_TOKEN: "sandbox-bot-flagops",
    GITHUB_REPOSITORY: repository,
    FLAGOPS_GIT_REMOTE: gh.gitRemote,
    FLAGOPS_CLOCK_SPEED: String(clock.speed),
    FLAGOPS_SANDBOX_URL: server.url
  };
  return {
    url: server.url,
    port: server.port,
    env,
    gitRemote: gh.gitRemote,
    github: gh,
    clock,
    server,
    exports: () => Object.entries(env).map(([k, v2]) => `export ${k}=${shellQuote(v2)}`).join("\n"),
    async close() {
      await server.close();
      if (ownsWorkDir) rmSync2(workDir, { recursive: true, force: true });
    }
  };
}
function shellQuote(v2) {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(v2) ? v2 : `'${v2.replaceAll("'", `'\\''`)}'`;
}

// src/demo/story.ts
var import_client_cloudwatch2 = __toESM(require_dist_cjs(), 1);
import { execFileSync as execFileSync3 } from "node:child_process";
import { mkdtempSync as mkdtempSync2, readFileSync as readFileSync5, rmSync as rmSync3, writeFileSync as writeFileSync2 } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join5 } from "node:path";

// src/demo/alarms.ts
var import_client_cloudwatch = __toESM(require_dist_cjs(), 1);
var NS = "ONS/TrafficSwitching";
var PERIOD = 300;
function stat(id, name, backend, statistic) {
  return {
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: { Namespace: NS, MetricName: name, Dimensions: [{ Name: "Backend", Value: backend }] },
      Period: PERIOD,
      Stat: statistic
    }
  };
}
function math(expression, ...inputs) {
  return [...inputs, { Id: "value", Expression: expression, ReturnData: true }];
}
var common = { TreatMissingData: "notBreaching", ActionsEnabled: true };
var GUIDE_ALARMS = [
  {
    AlarmName: "ons-data-platform-influxdb-migration-error-rate",
    AlarmDescription: "InfluxDB error rate above 5% for 2 periods",
    Metrics: math(
      "100 * e / r",
      stat("e", "ErrorCount", "influxdb", "Sum"),
      stat("r", "RequestCount", "influxdb", "Sum")
    ),
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 5,
    EvaluationPeriods: 2,
    ...common
  },
  {
    AlarmName: "ons-data-platform-influxdb-migration-latency",
    AlarmDescription: "InfluxDB average response time above 10 s for 3 periods",
    Namespace: NS,
    MetricName: "ResponseTime",
    Dimensions: [{ Name: "Backend", Value: "influxdb" }],
    Statistic: "Average",
    Period: PERIOD,
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 1e4,
    EvaluationPeriods: 3,
    ...common
  },
  {
    AlarmName: "ons-data-platform-influxdb-connection-failures",
    AlarmDescription: "More than 10 InfluxDB connection failures per 5 minutes",
    Namespace: NS,
    MetricName: "ConnectionFailures",
    Dimensions: [{ Name: "Backend", Value: "influxdb" }],
    Statistic: "Sum",
    Period: PERIOD,
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 10,
    EvaluationPeriods: 1,
    ...common
  },
  {
    AlarmName: "ons-data-platform-traffic-switch-success-rate",
    AlarmDescription: "InfluxDB success rate below 95% for 3 periods",
    Metrics: math(
      "100 * s / r",
      stat("s", "SuccessCount", "influxdb", "Sum"),
      stat("r", "RequestCount", "influxdb", "Sum")
    ),
    ComparisonOperator: "LessThanThreshold",
    Threshold: 95,
    EvaluationPeriods: 3,
    ...common
  },
  {
    AlarmName: "ons-data-platform-influxdb-latency-comparison",
    AlarmDescription: "InfluxDB more than 10 s slower than Timestream for 3 periods",
    Metrics: math(
      "i - t",
      stat("i", "ResponseTime", "influxdb", "Average"),
      stat("t", "ResponseTime", "timestream", "Average")
    ),
    ComparisonOperator: "GreaterThanThreshold",
    Threshold: 1e4,
    EvaluationPeriods: 3,
    ...common
  }
];
async function createGuideAlarms(client) {
  for (const alarm of GUIDE_ALARMS) await client.send(new import_client_cloudwatch.PutMetricAlarmCommand(alarm));
  return GUIDE_ALARMS.map((a) => a.AlarmName);
}

// src/demo/links.ts
function printLinks(out, links, browse) {
  const shown = links.filter((l3) => l3.url !== void 0);
  if (shown.length === 0) return;
  out();
  out("── See it (the sandbox serves GitHub-like pages at the html_urls its API returns)");
  const width = Math.max(...shown.map((l3) => l3.label.length));
  for (const link2 of shown) out(`  ${link2.label.padEnd(width)}  ${link2.url}`);
  out(
    browse ? "  The pages stay up until you press Ctrl-C." : "  These pages close with the demo: `npm start -- --browse` keeps them up until Ctrl-C."
  );
}
function untilInterrupted() {
  return new Promise((resolve2) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve2();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

// src/revert/evidence.ts
function parseTargetId(id) {
  const [application, environment, profile, ...rest] = id.split("/");
  return application && environment && profile && rest.length === 0 ? { application, environment, profile } : void 0;
}
function evidenceFromRelease(result, options = {}) {
  const target = options.target ?? (result.target ? parseTargetId(result.target) : void 0);
  if (!target)
    throw new Error(
      `the evidence names no target (application/environment/profile): ${result.target ?? "none"}`
    );
  const events = (result.timeline ?? []).filter(
    (e) => typeof e === "object" && e !== null
  );
  const started = events.find((e) => /^started deployment \d+/.test(e.message));
  const rolled = [...events].reverse().find((e) => /^rolled back/.test(e.message));
  const reason = options.reason ?? result.message;
  return {
    target,
    breaches: result.breaches ?? [],
    ...reason ? { reason } : {},
    ...(result.deploymentNumber ?? result.rollback?.deploymentNumber) !== void 0 ? { deploymentNumber: result.deploymentNumber ?? result.rollback?.deploymentNumber } : {},
    ...result.version ? { badVersion: result.version } : {},
    ...result.rollback?.serving ? { serving: result.rollback.serving } : {},
    ...result.rollback ? { rollbackAction: result.rollback.action } : {},
    ...result.rollback?.redeployNumber !== void 0 ? { redeployNumber: result.rollback.redeployNumber } : {},
    ...started ? { deployedAt: started.at } : {},
    ...rolled ? { rolledBackAt: rolled.at } : {},
    ...options.runUrl ? { runUrl: options.runUrl } : {}
  };
}

// src/demo/revert-step.ts
async function openDemoRevert(sandbox, aws, result, say) {
  const { octokit, api } = gitHubFromEnv(sandbox.env);
  const evidence = evidenceFromRelease(result);
  const opened = await openRevert({
    evidence,
    aws,
    github: api,
    login: await tokenLogin(octokit),
    remote: sandbox.gitRemote,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "flagops",
      GIT_AUTHOR_EMAIL: "flagops@flagops.invalid",
      GIT_COMMITTER_NAME: "flagops",
      GIT_COMMITTER_EMAIL: "flagops@flagops.invalid"
    }
  });
  const pr = opened.pullRequest;
  if (!pr) {
    say(`revert: ${opened.message ?? "not needed"}`);
    return void 0;
  }
  say(`automatic revert pull request #${pr.number} ${opened.action}: "${pr.title}"`);
  say(`  ${pr.url}  (branch ${opened.branch}; labels ${pr.labels.join(", ")})`);
  for (const change of opened.changes) say(`  restores ${change}`);
  const hold = await gitHubHoldCheck(api.pulls).check(evidence.target);
  if (hold.held)
    say(`hold: deploying production's 50 % again is refused until #${pr.number} is merged or closed`);
  return { number: pr.number, url: pr.url };
}

// src/demo/story.ts
var APP = "ons-data-platform-app";
var SIMULATED_START = Date.UTC(2026, 5, 2, 9, 0, 0);
var CHANGES = [
  {
    title: "development: InfluxDB traffic 25 % → 50 %",
    environment: "development",
    edit: (y2) => setPercentage(y2, 50)
  },
  {
    title: "production: enable InfluxDB queries, traffic 0 % → 25 %",
    environment: "production",
    edit: (y2) => setPercentage(enableQueries(y2), 25)
  },
  {
    title: "production: InfluxDB traffic 25 % → 50 %",
    environment: "production",
    edit: (y2) => setPercentage(y2, 50)
  }
];
async function runDemo(io, options) {
  const out = (line = "") => io.stdout(`${line}
`);
  out("flagops demo — GitOps for AppConfig feature flags, end to end on a local sandbox");
  out();
  out(`  A local AppConfig + CloudWatch + GitHub runs on a simulated clock (${options.speed}× real time),`);
  out('  seeded with this repository. Its traffic scenario "influxdb-overload-above-40" makes InfluxDB');
  out("  fail once it serves more than 40 % of API queries. Each change below is edited in YAML,");
  out("  checked against policy, merged to main, then deployed, baked and — if a guard breaches —");
  out("  rolled back by flagops:");
  for (const [i, c] of CHANGES.entries()) out(`    ${i + 1}. ${c.title}`);
  out();
  const sandbox = await startSandbox({
    speed: options.speed,
    start: SIMULATED_START,
    scenario: "influxdb-overload-above-40",
    seedDir: PROJECT_ROOT
  });
  const workDir = mkdtempSync2(join5(tmpdir2(), "flagops-demo-"));
  try {
    const clock = clockFollowing(sandbox.clock);
    const stamp = (at2) => new Date(at2).toISOString().slice(11, 19);
    const say = (line) => out(`[${stamp(clock.now())}] ${line}`);
    const aws = createAws({
      endpoint: sandbox.url,
      region: "eu-west-2",
      credentials: { accessKeyId: "demo", secretAccessKey: "demo" },
      clockSpeed: options.speed
    });
    const repoDir = cloneMain(sandbox, workDir);
    say(`sandbox up at ${sandbox.url}; main cloned from ${sandbox.gitRemote}`);
    await setUpAws(sandbox, aws, clock, repoDir, say);
    const results = [];
    for (const [i, change] of CHANGES.entries()) {
      out();
      out(`── ${i + 1}. ${change.title}`);
      const result = await release(change, { repoDir, aws, clock, say, now: () => clock.now() });
      if (!result) return 1;
      results.push(result);
    }
    out();
    out("── Timeline");
    for (const e of results.flatMap((r) => r.timeline).filter(isMilestone))
      out(`[${stamp(e.at)}] ${e.target.replace(`${APP}/`, "")}: ${e.message}`);
    out();
    out("── Status");
    for (const environment of ["development", "production"]) {
      const served = await aws.served.served(APP, environment, "feature-flags");
      const flags = decompileFeatureFlags(Buffer.from(served.content));
      const pct = flags.ok ? flags.flags["influxdb_traffic_percentage"]?.attributes["percentage"] : void 0;
      const queries = flags.ok ? flags.flags["use_influxdb_for_api_queries"]?.enabled : void 0;
      const repoValue = readPercentage(repoDir, environment);
      out(
        `  ${environment.padEnd(12)} serves ${String(pct ?? "?").padStart(3)} % InfluxDB (queries ${queries ? "on" : "off"}), version ${served.versionLabel ?? "?"}; main says ${repoValue} %`
      );
    }
    const last = results.at(-1);
    let revert;
    out();
    if (last.status === "rolled-back") {
      out(
        "  Production was rolled back by flagops: it serves the last healthy version (25 %) while main says"
      );
      out("  50 %. So flagops opens an automatic revert pull request and holds the target until it is");
      out("  merged or closed, and git and AppConfig agree again:");
      out();
      revert = await openDemoRevert(sandbox, aws, last, say);
    }
    const web = sandbox.env["GITHUB_SERVER_URL"];
    printLinks(
      out,
      [
        { label: "Pull requests", url: `${web}/${sandbox.env["GITHUB_REPOSITORY"]}/pulls` },
        { label: `Automatic revert #${revert?.number}`, url: revert?.url }
      ],
      options.browse === true
    );
    if (options.browse) await untilInterrupted();
    return 0;
  } finally {
    await sandbox.close();
    rmSync3(workDir, { recursive: true, force: true });
  }
}
async function release(change, env) {
  const file = join5(env.repoDir, "flags", APP, change.environment, "feature-flags.yaml");
  writeFileSync2(file, change.edit(readFileSync5(file, "utf8")));
  const plan = buildPlan(loadRevision(env.repoDir, "HEAD"), loadWorkingTree(env.repoDir), {
    now: new Date(env.now()),
    baseLabel: "main"
  });
  const diff = git(env.repoDir, "diff", "--unified=0", "--no-color").split("\n").filter((l3) => /^[-+]\s/.test(l3));
  for (const line of diff) env.say(`  ${line}`);
  const approvals2 = plan.approvals.map((a) => a.approvals).reduce((a, b) => Math.max(a, b), 0);
  env.say(
    `plan: policy ${plan.verdict === "pass" ? "passes" : "FAILS"}; the pull request needs ${approvals2} approval(s)`
  );
  if (plan.verdict !== "pass") return void 0;
  git(env.repoDir, "commit", "-qam", change.title);
  git(env.repoDir, "push", "-q", "origin", "HEAD:main");
  const sha = git(env.repoDir, "rev-parse", "HEAD").trim();
  env.say(`merged to main as ${sha.slice(0, 7)}; releasing`);
  const result = await runRelease({
    target: { application: APP, environment: change.environment, profile: "feature-flags" },
    aws: env.aws,
    clock: env.clock,
    content: async () => ({ repo: loadWorkingTree(env.repoDir), commit: { sha, author: "demo" } }),
    bake: true,
    reporter: { emit: storyLine(env.say) }
  });
  env.say(
    `result: ${result.status}${result.breaches.length ? ` — ${result.breaches.map(describeBreach).join("; ")}` : ""}`
  );
  return result;
}
function storyLine(say) {
  let lastPercent = -1;
  let lastBake = "";
  return (e) => {
    if (e.kind === "progress") {
      if (e.percent === lastPercent) return;
      lastPercent = e.percent;
    }
    if (e.kind === "bake") {
      const key = `${e.status}|${Math.ceil(e.remainingMs / 3e5)}`;
      if (key === lastBake) return;
      lastBake = key;
    }
    say(e.message);
  };
}
function isMilestone(e) {
  if (e.kind === "breach" || e.kind === "warning") return true;
  if (e.kind === "info")
    return /deploy|roll|revert|healthy|bake|serves|created|started|complete/i.test(e.message);
  return false;
}
async function setUpAws(sandbox, aws, clock, repoDir, say) {
  const cloudwatch = new import_client_cloudwatch2.CloudWatchClient({
    endpoint: sandbox.url,
    region: "eu-west-2",
    credentials: { accessKeyId: "demo", secretAccessKey: "demo" }
  });
  const alarms = await createGuideAlarms(cloudwatch);
  say(`the platform's ${alarms.length} CloudWatch alarms exist (${alarms[0]}, …)`);
  const ctx = makeContext({ aws, clock, reporter: { emit: () => {
  } } });
  const actions = await bootstrap(ctx, loadWorkingTree(repoDir));
  const created = actions.filter((a) => a.action === "created").map((a) => `${a.resource} ${a.name}`);
  say(`bootstrap: created ${created.join(", ")}`);
}
function cloneMain(sandbox, workDir) {
  const dir = join5(workDir, "flags-repo");
  execFileSync3("git", ["clone", "-q", sandbox.gitRemote, dir], { stdio: "pipe" });
  git(dir, "config", "user.name", "flagops demo");
  git(dir, "config", "user.email", "demo@flagops.invalid");
  return dir;
}
function readPercentage(repoDir, environment) {
  const text = readFileSync5(join5(repoDir, "flags", APP, environment, "feature-flags.yaml"), "utf8");
  return /percentage:\s*(\d+)/.exec(text)?.[1] ?? "?";
}
function git(cwd, ...args) {
  return execFileSync3("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
export {
  runDemo,
  startSandbox
};
/*! Bundled license information:

is-plain-object/dist/is-plain-object.js:
  (*!
   * is-plain-object <https://github.com/jonschlinkert/is-plain-object>
   *
   * Copyright (c) 2014-2017, Jon Schlinkert.
   * Released under the MIT License.
   *)
*/
