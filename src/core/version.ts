/**
 * flagops' version, as package.json says (test/build/version.test.ts keeps the two equal). A module
 * of its own rather than an import of package.json: the bundles would carry the whole manifest, and
 * every change to it (a devDependency) would change every bundle in dist/.
 */
export const VERSION = '0.1.0';
