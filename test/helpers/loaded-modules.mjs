// Preloaded with --import by test/cli/starts-fast.test.ts: prints, at exit, every module URL the process loaded.
import { registerHooks } from 'node:module';
import process from 'node:process';

const loaded = [];
registerHooks({
  load(url, context, next) {
    loaded.push(url);
    return next(url, context);
  },
});
process.on('exit', () => process.stderr.write(`LOADED ${JSON.stringify(loaded)}\n`));
