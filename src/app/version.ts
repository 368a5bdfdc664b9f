// asmvs's version (package.json), for exports and --version.
export { VERSION } from '../version.ts';
