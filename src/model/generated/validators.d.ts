// The types of validators.js, which scripts/compile-schemas.mjs generates.
import type { ValidateFunction } from 'ajv/dist/2020.js';

export declare const app: ValidateFunction;
export declare const featureFlags: ValidateFunction;
