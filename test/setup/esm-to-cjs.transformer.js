/**
 * NestJS 12 ships ESM only. Node 20 loads it from our CommonJS build through require(esm),
 * but Jest's module runtime cannot (it needs Node ≥ 24.9 for that). This transformer turns
 * those ESM files into CommonJS for Jest, with TypeScript's own transpiler (no extra
 * dependency). import.meta is rewritten to its CommonJS equivalents first.
 */
const ts = require('typescript');
const crypto = require('node:crypto');

const VERSION = '2';

module.exports = {
  getCacheKey(source, path) {
    return crypto.createHash('sha1').update(VERSION).update(path).update(source).digest('hex');
  },
  process(source, path) {
    if (!/\b(import|export)\b/.test(source)) return { code: source };
    const rewritten = source
      // CommonJS already has a `require`; an ESM module's own createRequire would clash with it.
      .replace(/^\s*const require = createRequire\(import\.meta\.url\);\s*$/gm, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
      .replace(/import\.meta\.resolve\(/g, 'require.resolve(')
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.filename/g, '__filename');
    const out = ts.transpileModule(rewritten, {
      fileName: path,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        allowJs: true,
        sourceMap: false,
      },
    });
    return { code: out.outputText };
  },
};
