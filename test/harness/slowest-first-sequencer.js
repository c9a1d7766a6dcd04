// Jest runs the files that took longest last time first; without timings (a fresh clone, as in
// CI) it runs the largest files first. The slowest files here are small (the aggregating stack
// and chart files are a few lines), so on a fresh clone they would start last and leave one core
// idle at the end. Without timings, these start first, slowest first; with timings, jest's order stands.
const Sequencer = require('@jest/test-sequencer').default;

/** The slowest files, slowest first (npm test's timings on two cores). */
const SLOWEST = [
  'test/entry-points.test.ts',
  'test/guards/whole-app.test.ts',
  'test/stacks/stacks.test.ts',
  'test/tools/report/security-report.test.ts',
  'test/k8s/charts.test.ts',
];

class SlowestFirstSequencer extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    // super.sort sets each test's duration from the timings it has, if any.
    const timed = ordered.some((test) => test.duration != null);
    if (timed) return ordered;
    const rank = (test) => {
      const index = SLOWEST.findIndex((file) => test.path.endsWith(file));
      return index === -1 ? SLOWEST.length : index;
    };
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowestFirstSequencer;
module.exports.SLOWEST = SLOWEST;
