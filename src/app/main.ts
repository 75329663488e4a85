import cluster from 'node:cluster';
import { buildCli } from './cli.js';
import { type WorkerFailure, describeFailure } from './cli-failure.js';

const argv = process.argv.slice(2);
const cli = buildCli();

// The one error handler of the command line: whatever failed, one line on stderr (what went wrong, what to do) and
// a non-zero exit; the stack only when asked for.
cli.run(argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const failure = describeFailure(error, cli.context);
    const line = failure.line.startsWith('personsd') ? failure.line : `personsd: ${failure.line}`;
    if (cluster.isWorker && process.send) {
      // Every worker meets the same failure (a taken port): the primary prints it once.
      if (verbose()) console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.send({ personsdFailure: line } satisfies WorkerFailure, () => process.exit(failure.exitCode));
      return;
    }
    console.error(line);
    // A usage mistake's stack would show commander's parser, not anything the operator can act on.
    if (verbose() && failure.exitCode !== 2) console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(failure.exitCode);
  },
);

function verbose(): boolean {
  return argv.includes('--verbose') || ['debug', 'trace'].includes((process.env.LOG_LEVEL ?? '').toLowerCase());
}
