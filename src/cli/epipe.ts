/**
 * `ccp4i2 ... | head` and `i2run ... | head` close the pipe early: the write that fails then (EPIPE) is
 * not an error of the command, which goes on to its normal end. Any other stream error still throws.
 */
export function ignoreClosedPipes(): void {
  for (const s of [process.stdout, process.stderr])
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
}
