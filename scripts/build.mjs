#!/usr/bin/env node
// `npm run build`: writes the committed bundles under dist/ (see build-lib.mjs for what and why).
import { buildBundles, LICENCES } from './build-lib.mjs';
import { GENERATED, writeCompiledValidators } from './compile-schemas.mjs';

try {
  // The bundles contain the schemas' ahead-of-time validators: write them first.
  if (writeCompiledValidators()) console.log(`${GENERATED} written`);
  const { files, licences } = await buildBundles({ write: true });
  for (const file of files) console.log(`${file.path}  ${(file.contents.length / 1024).toFixed(1)} KiB`);
  const total = files.reduce((sum, file) => sum + file.contents.length, 0);
  const packages = licences.split('\n').filter((l) => /^License: /.test(l)).length;
  console.log(
    `dist/ ${(total / 1024 / 1024).toFixed(2)} MiB in ${files.length} files; ${LICENCES}: ${packages} packages`,
  );
} catch (error) {
  // esbuild's errors already name file, line and column; print them without a stack trace.
  const messages = error?.errors?.map(
    (e) => `${e.location?.file ?? '?'}:${e.location?.line ?? 0}: ${e.text}`,
  );
  console.error(messages?.length ? messages.join('\n') : String(error));
  process.exitCode = 1;
}
