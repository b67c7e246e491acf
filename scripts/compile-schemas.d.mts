// Types of compile-schemas.mjs, for the tests that import it.
export declare const GENERATED: string;
export declare function compiledValidatorsSource(): string;
export declare function writeCompiledValidators(): boolean;
