import module from 'node:module';

// Node >= 22.1 keeps V8's compiled code of the modules it loads between runs (in the system temporary
// directory, or $NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), which saves much of a
// one-shot command's start-up (docs/benchmarks.md). Each bin imports this module first: what it imports
// statically is compiled before this runs, but that is a few kB; the chunks that matter load lazily after.
// Older Node has no such API: nothing happens.
const api = module as { enableCompileCache?: () => unknown };
try {
  api.enableCompileCache?.();
} catch {
  // a cache that cannot be set up (unwritable directory) only costs speed
}
